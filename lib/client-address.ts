import { randomBytes } from "node:crypto";
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { isIP } from "node:net";

/**
 * Which address a request comes from, for the limits that count per address
 * (failed logins, uploads). The App Router has no API for the socket's
 * address, and `next start` fills `X-Forwarded-For` from the socket only when
 * the client sent none (`??=` in Next's base server), so a client served
 * directly can write any address it likes there, or `1.2.3.4,`, whose empty
 * last entry used to switch the per-address limit off.
 *
 * So the server records the socket's address itself: `recordSocketAddresses`
 * (run by instrumentation.ts) listens on Node's `http.server.request.start`
 * channel, which fires for every request before Next sees it, removes any
 * copy of `CLIENT_ADDRESS_HEADER` the client sent, and writes the socket's
 * address there, tagged with a random value of this process that no client
 * can know. A request read before the listener was installed, or a header
 * without the tag, counts as `UNKNOWN_ADDRESS`.
 *
 * `TRUSTED_PROXY_HOPS` (default 0) says how many proxies in front of the
 * server append to `X-Forwarded-For`; with N, the Nth entry from the end is
 * the client's (the one the outermost proxy wrote), and every entry before it
 * is the client's own writing. An entry that is missing (fewer entries than
 * proxies), empty, or not an IP address falls back to the socket's address:
 * a bucket that still counts, never none.
 */

/** The request header that carries the socket's address, written by this server only. */
export const CLIENT_ADDRESS_HEADER = "x-evermore-client-address";

/** The bucket of every request whose address cannot be told: shared, and still limited. */
export const UNKNOWN_ADDRESS = "unknown";

/** The longest textual IPv6 address (an IPv4 tail included) is 45 characters. */
const ADDRESS_MAX_LENGTH = 45;

/** Shared by every bundle of this process (instrumentation and routes are bundled apart). */
const TAG = Symbol.for("evermore.client-address.tag");
type TaggedGlobal = typeof globalThis & { [TAG]?: string };

interface RequestStart {
  request: IncomingMessage;
  socket: Socket;
}

/**
 * Records each request's socket address in `CLIENT_ADDRESS_HEADER` from now
 * on, in this process. Idempotent; call it once at server start.
 */
export function recordSocketAddresses(): void {
  const global = globalThis as TaggedGlobal;
  if (global[TAG]) return;
  const tag = randomBytes(16).toString("base64url");
  global[TAG] = tag;
  diagnosticsChannel.subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as RequestStart;
    // Whatever the client wrote under that name goes before anything can read it.
    delete request.headers[CLIENT_ADDRESS_HEADER];
    const address = socket.remoteAddress;
    if (address) request.headers[CLIENT_ADDRESS_HEADER] = `${tag} ${address}`;
  });
}

/** What `clientAddress` reads: the request's headers, as `headers()` or `Request.headers` give them. */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The address to count this request against: never empty, never null.
 * `hops` is `TRUSTED_PROXY_HOPS`: 0 (the default) trusts no header a client
 * can write and uses the socket's address.
 */
export function clientAddress(headers: HeaderSource, hops: number): string {
  const socket = socketAddress(headers);
  if (hops === 0) return socket;
  const entries = (headers.get("x-forwarded-for") ?? "").split(",");
  if (entries.length < hops) return socket;
  return normalisedAddress(entries[entries.length - hops]!) ?? socket;
}

/** The socket's address as `recordSocketAddresses` wrote it, or `UNKNOWN_ADDRESS`. */
function socketAddress(headers: HeaderSource): string {
  const tag = (globalThis as TaggedGlobal)[TAG];
  const value = headers.get(CLIENT_ADDRESS_HEADER);
  if (!tag || !value?.startsWith(`${tag} `)) return UNKNOWN_ADDRESS;
  return normalisedAddress(value.slice(tag.length + 1)) ?? UNKNOWN_ADDRESS;
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 in lower case), or null. */
function normalisedAddress(entry: string): string | null {
  const text = entry.trim();
  if (text.length > ADDRESS_MAX_LENGTH || isIP(text) === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  return mapped ? mapped[1]! : text.toLowerCase();
}
