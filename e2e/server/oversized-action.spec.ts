import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { ACTION_BODY_LIMIT_BYTES } from "../../lib/oversized-action";

/**
 * A form post larger than a Server Action may take, sent by hand (every
 * field has a maxLength): a 413 page that says so, not Next's bare 500, and
 * nothing saved. The home page's name form, posted as a browser without
 * JavaScript posts it and as the client router calls its action.
 */

/** The name of the hidden field that names the name form's action. */
async function nameFormActionField(request: APIRequestContext): Promise<string> {
  const page = await (await request.get("/")).text();
  const field = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page)?.[1];
  expect(field, "the name form's action field").toBeTruthy();
  return field!;
}

for (const [how, byClientRouter] of [
  ["posted without JavaScript", false],
  ["called by the client router", true],
] as const) {
  test(`the name form ${how}, over 1 MB: a 413 page, nothing saved`, async ({ request }) => {
    const field = await nameFormActionField(request);
    const headers: Record<string, string> = {};
    if (byClientRouter) headers["Next-Action"] = field.slice("$ACTION_ID_".length);
    const reply = await request.post("/", {
      headers,
      multipart: { [field]: "", name: "A".repeat(ACTION_BODY_LIMIT_BYTES + 1) },
    });
    expect(reply.status()).toBe(413);
    expect(reply.headers()["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.headers()["set-cookie"]).toBeUndefined();
    const page = await reply.text();
    expect(page).toContain("That was more than a form can send");
    expect(page).toContain('<a href="/">Go back</a>');
    expect(await (await request.get("/")).text()).not.toContain('class="visitor-greeting"');
  });
}

test("the name form with a name of ordinary length still reaches its action", async ({
  request,
}) => {
  const field = await nameFormActionField(request);
  const reply = await request.post("/", { multipart: { [field]: "", name: "Ada" } });
  expect(reply.status()).toBeLessThan(400);
  // React puts a comment between the greeting's two text parts.
  expect(await (await request.get("/")).text()).toMatch(/Hello, (<!-- -->)?Ada</);
});
