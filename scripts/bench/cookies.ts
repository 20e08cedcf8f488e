import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import { sealData, unsealData } from "iron-session";
import type { SessionData } from "../../lib/sessions";
import { getSessionStore } from "../../lib/sessions";
import { SIGNED_COOKIES_SALT } from "../../lib/sessions/engines/signed-cookies";
import { JSONSerializer } from "../../lib/sessions/serializers";
import { dumps, loads } from "../../lib/sessions/signing";
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

/**
 * The JSON, base64url, then an HMAC. With `compress`, deflated first when
 * that makes it shorter, and marked with a leading "." as Django marks it.
 */
function sign(data: SessionData, compress = false): string {
  const json = Buffer.from(JSON.stringify(data));
  const deflated = compress ? deflateSync(json) : null;
  const body =
    deflated && deflated.length < json.length - 1
      ? `.${deflated.toString("base64url")}`
      : json.toString("base64url");
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
  const json = body.startsWith(".")
    ? inflateSync(Buffer.from(body.slice(1), "base64url"))
    : Buffer.from(body, "base64url");
  return JSON.parse(json.toString()) as SessionData;
}

/** Open the value, change one key, sign a new value: with `compress`, deflating as Django's format does. */
function hmacCycle(compress = false): Operation {
  let value = sign(realisticSession(), compress);
  return async () => {
    const data = verify(value);
    data.counter = nextCounter(data.counter);
    value = sign(data, compress);
  };
}

/** The library's signing module alone: Django's `signing.dumps`/`loads`, as signed_cookies calls them. */
function codecCycle(): Operation {
  const options = { key: process.env.SECRET_KEY!, salt: SIGNED_COOKIES_SALT };
  const serializer = JSONSerializer;
  let value = dumps(realisticSession(), { ...options, serializer, compress: true });
  return async () => {
    const data = loads(value, { ...options, serializer });
    data.counter = nextCounter(data.counter);
    value = dumps(data, { ...options, serializer, compress: true });
  };
}

const IRON_PASSWORD = HMAC_KEY.toString("hex");

export const COOKIE_CASES: BenchCase<unknown>[] = [
  {
    name: "signed_cookies vs HMAC-SHA256 sign+verify",
    async prepare() {
      return { subject: await cookieCycle("signed_cookies"), baseline: hmacCycle() };
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

/**
 * Where the signed cookie's time goes: layers of the signed_cookies cycle,
 * each against the same bare HMAC cycle as its engine-cycle row. Django's
 * format deflates the JSON whenever that makes it shorter (the payload
 * shrinks by about 40%, which a cookie sent with every request should), so
 * the first layer is the least a cookie Django can read may cost; then the
 * library's signing module; then the whole cycle. No target.
 */
export const COOKIE_ANATOMY_CASES: BenchCase<unknown>[] = [
  {
    name: "the same HMAC sign+verify, deflating as Django's format does",
    async prepare() {
      return { subject: hmacCycle(true), baseline: hmacCycle() };
    },
  },
  {
    name: "Django's signing.dumps and loads, through the library's signing module",
    async prepare() {
      return { subject: codecCycle(), baseline: hmacCycle() };
    },
  },
  {
    name: "the whole session cycle (the engine-cycle row)",
    async prepare() {
      return { subject: await cookieCycle("signed_cookies"), baseline: hmacCycle() };
    },
  },
];
