import type { Page } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { startStory } from "./support/drafts";

const STORY = [
  "Biscuit came to us on a wet Tuesday, all ears and no manners.",
  "She learned the sound of the car within a week, and waited by the door every evening after that.",
  "On her last summer we took her to the sea one more time. She ran until she could not, then slept in the sun.",
].join("\n\n");

/** The story as the server has it: read in a fresh page, so nothing comes from the editor's memory. */
async function storedBody(page: Page, path: string): Promise<string> {
  const fresh = await page.context().newPage();
  await fresh.goto(path);
  const body = await fresh.getByLabel("The story").inputValue();
  await fresh.close();
  return body;
}

/** The editor's saves: Server Actions are POSTs to the page's own address. */
const editorPage = (url: URL) => url.pathname.startsWith("/memorials/");

test.describe("stories", { tag: "@stories" }, () => {
  test("typing on a slow network saves every keystroke, and says when it is saving", async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const path = await startStory(page, "Biscuit");
    await page.route(editorPage, async (route) => {
      if (route.request().method() === "POST") await new Promise((r) => setTimeout(r, 1200));
      await route.continue();
    });
    await page.getByLabel("Title (optional)").fill("The sea");
    // Typed key by key (the last paragraph), so saves start while the visitor is still typing.
    const [opening, last] = [
      STORY.slice(0, STORY.lastIndexOf("\n\n") + 2),
      STORY.split("\n\n").at(-1)!,
    ];
    await page.getByLabel("The story").fill(opening);
    await page.getByLabel("The story").pressSequentially(last);
    const status = page.locator(".save-status");
    await expect(status).toHaveText("Saving…");
    await expect(status).toHaveText("Saved", { timeout: 20_000 });
    await page.unrouteAll({ behavior: "wait" });
    expect(await storedBody(page, path)).toBe(STORY);
  });

  test("a save that fails on the network is retried until it lands", async ({ page }) => {
    const path = await startStory(page, "Pepper");
    let dropped = 0;
    await page.route(editorPage, async (route) => {
      if (route.request().method() === "POST" && dropped < 2) {
        dropped++;
        return route.abort("internetdisconnected");
      }
      await route.continue();
    });
    await page.getByLabel("The story").fill("Written while the network was down.");
    const status = page.locator(".save-status");
    await expect(status).toHaveText("Offline — will retry");
    await expect(status).toHaveText("Saved", { timeout: 20_000 });
    expect(dropped).toBe(2);
    await page.unrouteAll({ behavior: "wait" });
    expect(await storedBody(page, path)).toBe("Written while the network was down.");
  });

  test("leaving with words not yet saved asks first", async ({ page }) => {
    await startStory(page, "Juniper");
    // Saves that never answer: what was typed stays unsaved.
    await page.route(editorPage, (route) =>
      route.request().method() === "POST" ? undefined : route.continue(),
    );
    // Real key presses: Chromium asks before unload only on a page the user has interacted with.
    await page.getByLabel("The story").click();
    await page.getByLabel("The story").pressSequentially("Not saved yet");
    await expect(page.locator(".save-status")).toHaveText("Saving…");
    const dialog = page.waitForEvent("dialog");
    await page.close({ runBeforeUnload: true });
    const asked = await dialog;
    expect(asked.type()).toBe("beforeunload");
    // Answered, so the page can close: a dialog left open fails the test's teardown.
    await asked.accept();
  });

  test("a story can be deleted", async ({ page }) => {
    await startStory(page, "Juniper");
    await page.getByRole("button", { name: "Delete this story" }).click();
    await expect(page.getByRole("status")).toHaveText("The story was deleted.");
    await expect(page.getByRole("link", { name: "Untitled story" })).toHaveCount(0);
  });
});

test.describe("stories without JavaScript", { tag: "@stories" }, () => {
  test.use({ javaScriptEnabled: false });

  test("the editor is a plain form that saves the whole story", async ({ page }) => {
    const path = await startStory(page, "Biscuit");
    await page.getByLabel("Title (optional)").fill("The sea");
    await page.getByLabel("The story").fill(STORY);
    await page.getByRole("button", { name: "Save story" }).click();
    await expect(page.getByText("Your story is saved.")).toBeVisible();
    await expect(page.getByLabel("The story")).toHaveValue(STORY);
    await page.goto(path.replace(/\/stories\/.*/, ""));
    await expect(page.getByRole("link", { name: "The sea" })).toBeVisible();
  });

  test("a form action called by hand with other arguments is a 404, and changes nothing", async ({
    page,
  }) => {
    const path = await startStory(page, "Biscuit");
    await page.getByLabel("The story").fill(STORY);
    await page.getByRole("button", { name: "Save story" }).click();
    await expect(page.getByText("Your story is saved.")).toBeVisible();
    // The form names its action and bound arguments in hidden fields: {"id":"…","bound":"$@1"}.
    const saveForm = page.locator("form", {
      has: page.getByRole("button", { name: "Save story" }),
    });
    const reference = await saveForm.locator('input[name$=":0"]').getAttribute("value");
    const actionId = (JSON.parse(reference!) as { id: string }).id;
    const draftId = path.split("/")[2]!;
    // What a hostile client can send that no form does: an object where the story's id goes.
    for (const args of [
      [draftId, { toString: 0 }, null],
      [draftId, ["a", "b"], 7],
      [{ id: draftId }],
    ]) {
      const reply = await page.request.post(path, {
        headers: { "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8" },
        data: JSON.stringify(args),
      });
      expect(reply.status(), JSON.stringify(args)).toBe(404);
    }
    expect(await storedBody(page, path)).toBe(STORY);
  });
});
