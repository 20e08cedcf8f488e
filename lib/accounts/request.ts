import { headers } from "next/headers";
import { clientAddress } from "@/lib/client-address";
import { db } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import { getSession } from "@/lib/sessions/next";
import { settings } from "@/lib/settings";
import { deviceLabel } from "./device-label";
import { userOf } from "./login";
import { registerAccountsEngine } from "./register-engine";

registerAccountsEngine();

/**
 * The logged-in user of this request, or null for an anonymous visitor. The
 * session comes first: reading the cookie is what tells `next build` that a
 * page is rendered per request, before anything asks for the settings,
 * which are the running server's and need not exist at build time.
 */
export async function currentUser(): Promise<User | null> {
  const session = await getSession();
  return userOf(db(), session);
}

/**
 * The client's address for per-address limits (lib/client-address.ts): the
 * socket's address, or with `TRUSTED_PROXY_HOPS` set the `X-Forwarded-For`
 * entry the outermost trusted proxy wrote. Never null: a request whose
 * address cannot be told is `unknown`, one shared bucket that still counts.
 */
export async function clientIp(): Promise<string> {
  return clientAddress(await headers(), settings().TRUSTED_PROXY_HOPS);
}

export async function currentDevice(): Promise<string> {
  return deviceLabel((await headers()).get("user-agent"));
}
