import { mkdir, writeFile } from "node:fs/promises";
import { z } from "zod";
import { currentUser } from "@/lib/accounts/request";
import { drafts, draftSchema } from "@/lib/memorials/drafts";
import { photoFile, uploadsDir } from "@/lib/memorials/photo-files";
import { getSession, withSession } from "@/lib/sessions/next";
import { testRoutesEnabled } from "@/lib/testing-routes";

export const dynamic = "force-dynamic";

/** A 1×1 WebP: the photo routes only need a file that is there and is an image. */
const TINY_WEBP = Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");

/**
 * For the account stories (e2e/accounts*.spec.ts): GET tells what the session
 * holds (drafts, who is logged in); POST puts drafts in it, with a file for
 * each photo, as the drafts pages would. 404 unless EVERMORE_TEST_ROUTES=1.
 */
export const GET = withSession(async () => {
  if (!testRoutesEnabled()) return new Response("Not found", { status: 404 });
  const user = await currentUser();
  return Response.json({
    drafts: await drafts.read(await getSession()),
    user: user?.email ?? null,
  });
});

export const POST = withSession(async (request: Request) => {
  if (!testRoutesEnabled()) return new Response("Not found", { status: 404 });
  // Not JSON is bad input like any other: a 400 with the reason, never a 500.
  const body: unknown = await request.json().catch((error: Error) => error.message);
  const parsed = z.array(draftSchema).safeParse(body);
  if (!parsed.success) return Response.json({ error: parsed.error.message }, { status: 400 });
  await mkdir(uploadsDir(), { recursive: true });
  for (const photo of parsed.data.flatMap((draft) => draft.photos)) {
    await writeFile(photoFile(photo.id, "full"), TINY_WEBP);
    await writeFile(photoFile(photo.id, "thumb"), TINY_WEBP);
  }
  await drafts.write(await getSession(), parsed.data);
  return Response.json({ drafts: parsed.data.length });
});
