import { createHash } from "node:crypto";

const STYLE =
  "body{font:1.05rem/1.6 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1.25rem;color:#3b3230;background:#faf6f0}h1{font:500 1.7rem/1.25 Georgia,serif}";

/**
 * The page's own Content-Security-Policy: nothing may load or run but its
 * one inline style, named by its hash, and no site may frame it.
 */
export const ERROR_PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * A small, self-contained HTML error page (no app styles, no scripts), for
 * the few failures the session layer answers itself.
 */
export function errorPage(
  status: number,
  title: string,
  paragraphs: string[],
  link?: { href: string; text: string },
): Response {
  const action = link
    ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`
    : "";
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}${action}</body>
</html>`;
  return new Response(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": ERROR_PAGE_POLICY,
    },
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
