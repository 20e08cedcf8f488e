import { headers } from "next/headers";
import { db } from "@/lib/db/client";
import type { User } from "@/lib/generated/prisma/postgresql/client";
import { getSession } from "@/lib/sessions/next";
import { deviceLabel } from "./device-label";
import { userOf } from "./login";
import { registerAccountsEngine } from "./register-engine";

registerAccountsEngine();

/** The logged-in user of this request, or null for an anonymous visitor. */
export async function currentUser(): Promise<User | null> {
  return userOf(db(), await getSession());
}

/**
 * The client's address for rate limiting: the last `X-Forwarded-For` entry,
 * the one the nearest proxy (or `next start` itself) added. Earlier entries
 * come from the client and could be anything.
 */
export async function clientIp(): Promise<string | null> {
  const forwarded = (await headers()).get("x-forwarded-for");
  return forwarded?.split(",").at(-1)?.trim() || null;
}

export async function currentDevice(): Promise<string> {
  return deviceLabel((await headers()).get("user-agent"));
}
