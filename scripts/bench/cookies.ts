import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import type { SessionData } from "../../lib/sessions";
import { getSessionStore } from "../../lib/sessions";
import { nextCounter, realisticSession } from "./payload";
import type { BenchCase, Operation } from "./runner";

/**
 * Engine cycle for the cookie engines: open the cookie value, change one
 * key, seal a new value — against the bare cryptography (HMAC sign+verify,
 * iron seal+unseal) on the same data.
 */

/** The library's cycle: each one opens the value the previous one produced. */
export async function cookieCycle(engine: string): Promise<Operation> {
  const Store = await getSessionStore(engine);
  const first = new Store(null);
  await first.update(realisticSession());
  await first.save();
  let value = first.sessionKey!;
  return async () => {
    const session = new Store(value);
    await session.set("counter", nextCounter(await session.get("counter")));
    await session.save();
    value = session.sessionKey!;
  };
}

const HMAC_KEY = createHash("sha256").update("evermore bench").digest();

function sign(data: SessionData): string {
  const body = Buffer.from(JSON.stringify(data)).toString("base64url");
  return `${body}:${createHmac("sha256", HMAC_KEY).update(body).digest("base64url")}`;
}

function verify(value: string): SessionData {
  const colon = value.lastIndexOf(":");
  const body = value.slice(0, colon);
  const mac = Buffer.from(value.slice(colon + 1), "base64url");
  const expected = createHmac("sha256", HMAC_KEY).update(body).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new Error("bench: bad signature in the HMAC baseline");
  }
  return JSON.parse(Buffer.from(body, "base64url").toString()) as SessionData;
}

const IRON_PASSWORD = HMAC_KEY.toString("hex");

export const COOKIE_CASES: BenchCase<unknown>[] = [
  {
    name: "signed_cookies vs HMAC-SHA256 sign+verify",
    async prepare() {
      let value = sign(realisticSession());
      const baseline = async () => {
        const data = verify(value);
        data.counter = nextCounter(data.counter);
        value = sign(data);
      };
      return { subject: await cookieCycle("signed_cookies"), baseline };
    },
  },
  {
    name: "encrypted_cookies vs iron-session seal+unseal",
    async prepare() {
      let value = await sealData(realisticSession(), { password: IRON_PASSWORD });
      const baseline = async () => {
        const data = await unsealData<SessionData>(value, { password: IRON_PASSWORD });
        data.counter = nextCounter(data.counter);
        value = await sealData(data, { password: IRON_PASSWORD });
      };
      return { subject: await cookieCycle("encrypted_cookies"), baseline };
    },
  },
];
