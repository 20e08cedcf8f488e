import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DJANGO_PYTHON } from "../../test/harness/django";
import type { TokenUser } from "./tokens";
import {
  emailVerificationTokens,
  idFromUid,
  passwordResetTokens,
  TokenGenerator,
  uidFor,
} from "./tokens";

const SECRET = "tokens-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const user: TokenUser = {
  id: 42,
  email: "ada@example.com",
  passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
  lastLogin: new Date("2026-12-01T10:20:30.456Z"),
  emailVerified: false,
};
const sent = new Date("2026-12-07T12:00:00Z");
const later = (seconds: number) => new Date(sent.getTime() + seconds * 1000);
const check = (generator: TokenGenerator, who: TokenUser, token: unknown, at = sent) =>
  generator.checkToken(who, token, { secret: SECRET, fallbacks: [], timeout: 3600, now: at });

describe.each([
  ["password reset", passwordResetTokens],
  ["email confirmation", emailVerificationTokens],
])("%s tokens", (_name, generator) => {
  const token = generator.makeToken(user, { secret: SECRET, now: sent });

  it("are a base-36 timestamp (seconds since 2001) and 32 hex digits", () => {
    const [timestamp, hash] = token.split("-");
    expect(parseInt(timestamp!, 36)).toBe((sent.getTime() - Date.UTC(2001, 0, 1)) / 1000);
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it("work until PASSWORD_RESET_TIMEOUT seconds have passed, then say they expired", () => {
    expect(check(generator, user, token)).toBe("valid");
    expect(check(generator, user, token, later(3600))).toBe("valid");
    expect(check(generator, user, token, later(3601))).toBe("expired");
  });

  it("are invalid when changed in any way, or for another account, secret or purpose", () => {
    const flipped = token.slice(0, -1) + (token.endsWith("0") ? "1" : "0");
    const [timestamp, hash] = token.split("-");
    const younger = `${(parseInt(timestamp!, 36) + 1).toString(36)}-${hash}`;
    for (const bad of [
      flipped,
      younger,
      `${token}-x`,
      token.toUpperCase(),
      "",
      "-",
      "zzzzzzzzzzzzzz-0",
      null,
      42,
    ]) {
      expect(check(generator, user, bad)).toBe("invalid");
    }
    expect(check(generator, { ...user, id: 43 }, token)).toBe("invalid");
    expect(check(generator, { ...user, email: "eve@example.com" }, token)).toBe("invalid");
    expect(
      generator.checkToken(user, token, { secret: `${SECRET}-other`, fallbacks: [], now: sent }),
    ).toBe("invalid");
    const other = generator === passwordResetTokens ? emailVerificationTokens : passwordResetTokens;
    expect(check(other, user, token)).toBe("invalid");
  });

  it("made under a retired SECRET_KEY still work while it is in SECRET_KEY_FALLBACKS", () => {
    const old = generator.makeToken(user, { secret: "the-old-secret-key", now: sent });
    const options = { secret: SECRET, timeout: 3600, now: sent };
    expect(generator.checkToken(user, old, { ...options, fallbacks: ["the-old-secret-key"] })).toBe(
      "valid",
    );
    expect(generator.checkToken(user, old, { ...options, fallbacks: [] })).toBe("invalid");
  });

  it("die with a new password", () => {
    expect(check(generator, { ...user, passwordHash: `${user.passwordHash}x` }, token)).toBe(
      "invalid",
    );
  });
});

describe("the difference between the two purposes", () => {
  it("a reset link dies at the next login; a confirmation link survives it", () => {
    const loggedIn = { ...user, lastLogin: later(60) };
    const reset = passwordResetTokens.makeToken(user, { secret: SECRET, now: sent });
    const confirm = emailVerificationTokens.makeToken(user, { secret: SECRET, now: sent });
    expect(check(passwordResetTokens, loggedIn, reset)).toBe("invalid");
    expect(check(emailVerificationTokens, loggedIn, confirm)).toBe("valid");
    // Below a second, Django's last_login does not count (it drops the microseconds).
    const sameSecond = { ...user, lastLogin: new Date("2026-12-01T10:20:30.999Z") };
    expect(check(passwordResetTokens, sameSecond, reset)).toBe("valid");
  });

  it("a confirmation link dies once the email is confirmed", () => {
    const confirm = emailVerificationTokens.makeToken(user, { secret: SECRET, now: sent });
    expect(check(emailVerificationTokens, { ...user, emailVerified: true }, confirm)).toBe(
      "invalid",
    );
  });
});

describe("the user id in a link", () => {
  it("is Django's urlsafe_base64_encode of the id, and only a real id reads back", () => {
    expect(uidFor(1)).toBe("MQ");
    expect(uidFor(2_147_483_647)).toBe("MjE0NzQ4MzY0Nw");
    expect(idFromUid("MQ")).toBe(1);
    expect(idFromUid(uidFor(123456))).toBe(123456);
    for (const bad of ["", "MA", "LTE", "MjE0NzQ4MzY0OA", "../..", "M Q", "%00", null, 1]) {
      expect(idFromUid(bad), String(bad)).toBeNull();
    }
  });
});

/** Django itself, when Debian's python3-django is there (npm test installs it). */
const djangoThere =
  spawnSync(DJANGO_PYTHON, ["-c", "import django"], { stdio: "ignore" }).status === 0;

describe.runIf(djangoThere)("wire compatibility with Django", () => {
  it("a reset token is the one Django's PasswordResetTokenGenerator makes and accepts", () => {
    const script = `
import datetime, json, sys
from django.conf import settings
settings.configure(SECRET_KEY=sys.argv[1], PASSWORD_RESET_TIMEOUT=3600, USE_TZ=True)
from django.contrib.auth.tokens import PasswordResetTokenGenerator
class User:
    pk = 42
    password = sys.argv[2]
    email = "ada@example.com"
    last_login = datetime.datetime(2026, 12, 1, 10, 20, 30, 456000, tzinfo=datetime.timezone.utc)
    @classmethod
    def get_email_field_name(cls): return "email"
class At(PasswordResetTokenGenerator):
    def _now(self): return datetime.datetime(2026, 12, 7, 12, 0, 0)
print(json.dumps({"token": At().make_token(User()), "accepts": At().check_token(User(), sys.argv[3])}))
`;
    const ours = passwordResetTokens.makeToken(user, { secret: SECRET, now: sent });
    const output = execFileSync(DJANGO_PYTHON, ["-c", script, SECRET, user.passwordHash, ours], {
      env: { ...process.env, TZ: "UTC" },
    });
    expect(JSON.parse(output.toString())).toEqual({ token: ours, accepts: true });
  });
});
