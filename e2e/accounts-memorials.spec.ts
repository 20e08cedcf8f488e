import { expect, test } from "@playwright/test";
import { draft, logIn, newEmail, putDrafts, signUp } from "./fixtures/accounts";
import { startMemorial } from "./support/drafts";

const stories = { tag: "@stories" };

// Each story signs up (an argon2id hash of 19 MiB) and drives several pages; give it room.
test.describe.configure({ timeout: 90_000 });

test(
  "publishing makes a memorial public with its photos; unpublishing hides it again",
  stories,
  async ({ page, browser, baseURL }) => {
    const photoId = `p${Date.now().toString(36)}`;
    await putDrafts(page.request, [draft("Juniper", [photoId])]);
    await signUp(page, newEmail("publish"));
    await page.getByRole("link", { name: "Juniper" }).click();
    await expect(page.getByText("Private: only you can see it.")).toBeVisible();
    const photo = `/memorial-photos/${photoId}`;
    const ownersView = await page.request.get(photo);
    expect(ownersView.status()).toBe(200); // the owner sees it while private, and nothing keeps it
    expect(ownersView.headers()["cache-control"]).toBe("no-store");

    const visitor = await browser.newContext({ baseURL });
    expect((await visitor.request.get(photo)).status()).toBe(404);
    for (const odd of [
      "/memorial-photos/nope",
      "/memorial-photos/..%2F..%2Fetc",
      "/m/nothing-here",
    ]) {
      expect((await visitor.request.get(odd)).status()).toBe(404);
    }

    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const link = page.getByRole("link", { name: /^\/m\/juniper-/ });
    await expect(link).toBeVisible();
    const address = (await link.getAttribute("href"))!;

    const visitorPage = await visitor.newPage();
    await visitorPage.goto(address);
    await expect(visitorPage.getByRole("heading", { level: 1, name: "Juniper" })).toBeVisible();
    await expect(visitorPage.getByText("The windowsill")).toBeVisible();
    // The story keeps its paragraphs.
    const story = visitorPage.locator("article.card").filter({ hasText: "The windowsill" });
    await expect(story.locator("p")).toHaveText(["Every morning.", "And every evening, too."]);
    await expect(visitorPage.getByRole("img", { name: "Juniper asleep" })).toBeVisible();
    const thumb = await visitor.request.get(`${photo}?size=thumb`);
    expect(thumb.status()).toBe(200);
    expect(thumb.headers()["content-type"]).toBe("image/webp");
    // Published: browsers may keep it a while; a shared cache must ask again each time, and is
    // answered 304 while it stays published (and 404 once it is not, below).
    expect(thumb.headers()["cache-control"]).toBe("public, max-age=300, s-maxage=0");
    const etag = thumb.headers()["etag"]!;
    const again = await visitor.request.get(`${photo}?size=thumb`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status()).toBe(304);

    await page.getByRole("button", { name: "Unpublish" }).click();
    await expect(page.getByText("Private: only you can see it.")).toBeVisible();
    expect((await visitorPage.goto(address))?.status()).toBe(404);
    expect((await visitor.request.get(photo)).status()).toBe(404);
    const revalidated = await visitor.request.get(`${photo}?size=thumb`, {
      headers: { "if-none-match": etag },
    });
    expect(revalidated.status()).toBe(404);
    await visitor.close();
  },
);

test("the owner edits a memorial; bad edits change nothing", stories, async ({ page }) => {
  await putDrafts(page.request, [draft("Tansy")]);
  await signUp(page, newEmail("edit"));
  await page.getByRole("link", { name: "Tansy" }).click();
  await page.getByLabel("Epitaph").fill("Queen of the garden.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect(page.getByLabel("Epitaph")).toHaveValue("Queen of the garden.");

  // A request that skips the browser's own checks (no name) is refused with a message.
  await page.getByLabel("Name").evaluate((input: HTMLInputElement) => {
    input.removeAttribute("required");
    input.value = "";
  });
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Please give your companion's name. Nothing was changed.",
  );
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tansy");
});

test(
  "another account cannot open someone else's memorial",
  stories,
  async ({ page, browser, baseURL }) => {
    await putDrafts(page.request, [draft("Mine")]);
    await signUp(page, newEmail("owner"));
    await page.getByRole("link", { name: "Mine" }).click();
    await expect(page).toHaveURL(/\/account\/memorials\/\d+$/);
    const editAddress = new URL(page.url()).pathname;

    const stranger = await browser.newContext({ baseURL });
    const strangerPage = await stranger.newPage();
    await signUp(strangerPage, newEmail("stranger"));
    expect((await strangerPage.goto(editAddress))?.status()).toBe(404);
    await stranger.close();
  },
);

test(
  "logging out other devices leaves only this one logged in",
  stories,
  async ({ page, browser, baseURL }) => {
    const email = newEmail("devices");
    await signUp(page, email);
    const other = await browser.newContext({ baseURL });
    const otherPage = await other.newPage();
    await logIn(otherPage, email);
    await expect(otherPage).toHaveURL(/\/account$/);
    // A draft begun on the other device while logged in: it belongs to the account.
    await startMemorial(otherPage, "Kept for the owner");

    await page.reload();
    // Only the accounts engine can list sessions: there both devices show, then only this one.
    const listed = process.env.SESSION_ENGINE === "accounts";
    const devices = page.getByRole("region", { name: "Your devices" }).getByRole("listitem");
    await expect(devices).toHaveCount(listed ? 2 : 0);
    await page.getByRole("button", { name: "Log out other devices" }).click();
    await expect(page.getByRole("status")).toHaveText("All your other devices are logged out.");
    await page.goto("/account");
    await expect(page.getByRole("heading", { level: 1, name: email })).toBeVisible();
    await expect(devices).toHaveCount(listed ? 1 : 0);
    if (listed) await expect(devices).toContainText("(this device)");

    await otherPage.goto("/account");
    await expect(otherPage).toHaveURL(/\/login$/);
    await expect(otherPage.getByRole("link", { name: "Log in" })).toBeVisible();
    // Whoever uses that device next sees none of the owner's drafts; their first change hands
    // the drafts to the account and starts them afresh.
    await otherPage.goto("/memorials");
    await expect(otherPage.getByText("Nothing here yet.")).toBeVisible();
    // Nor does the session inspector show them. The accounts engine deleted that session; any
    // other still holds it, stale: every value is hidden, and the page says why.
    await otherPage.goto("/how-it-works/inspector");
    await expect(otherPage.getByTestId("session-data")).toBeVisible();
    await expect(otherPage.getByTestId("session-data")).not.toContainText("Kept for the owner");
    if (!listed) {
      await expect(otherPage.getByTestId("stale-login")).toBeVisible();
      await expect(otherPage.getByTestId("session-data")).toContainText("(hidden)");
    }
    await startMemorial(otherPage, "A newcomer's pet");
    await otherPage.goto("/memorials");
    await expect(otherPage.getByRole("listitem")).toHaveText([/A newcomer's pet/]);
    await page.goto("/account");
    const memorials = page.getByRole("region", { name: "Your memorials" }).getByRole("listitem");
    await expect(memorials).toHaveText([/Kept for the owner/]);
    await other.close();
  },
);
