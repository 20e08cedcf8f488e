import type { Page } from "@playwright/test";
import { expect } from "@playwright/test";

/** Starts a memorial through the site's form and returns the draft's address. */
export async function startMemorial(page: Page, name: string, species = ""): Promise<string> {
  await page.goto("/memorials/new");
  await page.getByLabel("Their name").fill(name);
  if (species) await page.getByLabel("Species").fill(species);
  await page.getByRole("button", { name: "Start the memorial" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Remembering ${name}`);
  return new URL(page.url()).pathname;
}

/** Starts a memorial and an empty story in it; returns the story editor's address. */
export async function startStory(page: Page, name: string): Promise<string> {
  await startMemorial(page, name);
  await page.getByRole("button", { name: "Write a story" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`A story about ${name}`);
  return new URL(page.url()).pathname;
}
