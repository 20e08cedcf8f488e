import { expect, test } from "@playwright/test";
import { draft, newEmail, putDrafts, signUp } from "./fixtures/accounts";

/**
 * The site uses no next/image, and Next's optimizer is off: /_next/image
 * would otherwise fetch a published photo and serve it again as
 * `public, max-age=…`, to be cached on after the memorial is unpublished.
 */
test("a published memorial's photo is not served again through /_next/image", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const photoId = `p${Date.now().toString(36)}`;
  await putDrafts(page.request, [draft("Marlowe", [photoId])]);
  await signUp(page, newEmail("optimizer"));
  await page.getByRole("link", { name: "Marlowe" }).click();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByRole("link", { name: /^\/m\/marlowe-/ })).toBeVisible();

  const visitor = await browser.newContext({ baseURL });
  const photo = `/memorial-photos/${photoId}`;
  expect((await visitor.request.get(photo)).status()).toBe(200);
  const optimized = await visitor.request.get(
    `/_next/image?url=${encodeURIComponent(photo)}&w=64&q=75`,
  );
  expect(optimized.status()).toBe(404);
  expect(optimized.headers()["content-type"] ?? "").not.toMatch(/^image\//);
  await visitor.close();
});
