import { registerSessionEngine } from "@/lib/sessions";
import { SessionStore } from "./session-engine";

/**
 * Makes `SESSION_ENGINE=accounts` select the account-linked engine. Called at
 * server start (lib/startup.ts) and again on import by the code that reads
 * logins, because Next.js may give the instrumentation hook and the routes
 * separate module instances; registering twice is harmless.
 */
export function registerAccountsEngine() {
  registerSessionEngine("accounts", SessionStore);
}
