import { z } from "zod";
import type { Env } from "@/lib/sessions/settings";
import { booleanFlag, seconds } from "@/lib/sessions/settings";

/**
 * How the site sends email: Django's setting names and defaults, plus the
 * two a site outside Django needs (`EMAIL_BACKEND` by a short name, and
 * `SITE_URL` for the links in the messages).
 */
export interface EmailSettings {
  /**
   * `smtp` or `console` (prints each message and its link on stdout).
   * Default `console` in development and tests, `smtp` in production.
   */
  EMAIL_BACKEND: "smtp" | "console";
  /** The SMTP server. Default `localhost` (Django's); required in production with `smtp`. */
  EMAIL_HOST: string;
  /** Default 25 (Django's). */
  EMAIL_PORT: number;
  /** Default none: no authentication. */
  EMAIL_HOST_USER: string;
  /** Default none. Never printed, not even in a settings error. */
  EMAIL_HOST_PASSWORD: string;
  /** STARTTLS on a plain connection (port 587). Default false. */
  EMAIL_USE_TLS: boolean;
  /** TLS from the first byte (port 465). Default false; not with `EMAIL_USE_TLS`. */
  EMAIL_USE_SSL: boolean;
  /**
   * Seconds to connect, greet and answer each command. Default 10: Django's
   * default (none) would let a server that never answers hold the request.
   */
  EMAIL_TIMEOUT: number;
  /** The sender of every message. Default `webmaster@localhost` (Django's). */
  DEFAULT_FROM_EMAIL: string;
  /**
   * The site's own address, the start of every link in a message. Default
   * `http://localhost:3000`; required in production. Never taken from the
   * request's Host header, which whoever sends the request chooses.
   */
  SITE_URL: string;
  /** Seconds a reset or confirmation link works. Default 259200 (three days, Django's). */
  PASSWORD_RESET_TIMEOUT: number;
}

const port = z
  .string()
  .trim()
  .regex(/^\d+$/, "expected a port number")
  .transform(Number)
  .refine((value) => value >= 1 && value <= 65_535, "expected a port number from 1 to 65535");

const siteUrl = z
  .string()
  .trim()
  .refine((text) => {
    if (!URL.canParse(text)) return false;
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && url.pathname === "/";
  }, "expected the site's origin, such as https://evermore.example")
  .transform((text) => new URL(text).origin);

function emailSchema(production: boolean) {
  return z.object({
    EMAIL_BACKEND: z
      .enum(["smtp", "console"], { message: "expected smtp or console" })
      .default(production ? "smtp" : "console"),
    EMAIL_HOST: z.string().trim().min(1).default("localhost"),
    EMAIL_PORT: port.default(25),
    EMAIL_HOST_USER: z.string().default(""),
    EMAIL_HOST_PASSWORD: z.string().default(""),
    EMAIL_USE_TLS: booleanFlag.default(false),
    EMAIL_USE_SSL: booleanFlag.default(false),
    EMAIL_TIMEOUT: seconds.refine((value) => value > 0, "expected at least 1 second").default(10),
    DEFAULT_FROM_EMAIL: z.string().trim().min(1).default("webmaster@localhost"),
    SITE_URL: siteUrl.default("http://localhost:3000"),
    PASSWORD_RESET_TIMEOUT: seconds
      .refine((value) => value > 0, "expected at least 1 second")
      .default(259_200),
  });
}

/**
 * Parses the email settings. Like `parseSessionSettings`, returns the
 * problems of single variables apart from those of combinations, to be
 * reported once every variable is valid on its own.
 */
export function parseEmailSettings(env: Env): {
  settings: EmailSettings;
  problems: string[];
  combinations: string[];
} {
  const production = env.NODE_ENV === "production";
  const schema = emailSchema(production);
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // The password is never repeated, even when the problem is elsewhere.
      const shown = name === "EMAIL_HOST_PASSWORD" ? "" : `, got "${String(env[name] ?? "")}"`;
      return `${name}: ${issue.message}${shown}`;
    });
    return { settings: schema.parse({}), problems, combinations: [] };
  }
  return { settings: result.data, problems: [], combinations: crossCheck(result.data, env) };
}

function crossCheck(settings: EmailSettings, env: Env): string[] {
  const problems: string[] = [];
  if (settings.EMAIL_USE_TLS && settings.EMAIL_USE_SSL) {
    problems.push("EMAIL_USE_TLS: set EMAIL_USE_TLS or EMAIL_USE_SSL, not both");
  }
  if (env.NODE_ENV !== "production") return problems;
  if (settings.EMAIL_BACKEND === "smtp" && !env.EMAIL_HOST) {
    problems.push(
      "EMAIL_HOST: required in production: the SMTP server that sends sign-up and reset emails " +
        "(or EMAIL_BACKEND=console to print them instead)",
    );
  }
  if (!env.SITE_URL) {
    problems.push("SITE_URL: required in production: the site's origin, the start of every link");
  }
  return problems;
}
