import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { checkPassword, hashPassword } from "../../lib/accounts/passwords";
import { newId } from "../../lib/memorials/drafts";
import { PHOTO_LIMITS, storePhoto } from "../../lib/memorials/photo-upload";
import type { Budget, Comparison } from "./runner";
import { progress, timeFor, warmUp } from "./runner";
import { summarize, timeRatio } from "./stats";

/**
 * Login latency while photos are processed, against login latency alone, in
 * the same run: a login is one argon2id verify through the site's own
 * `checkPassword`, and the photos are the kind the review named, a small PNG
 * that unpacks into 40 megapixels. Rounds alternate (with uploads, then
 * without), and the uploads of a round finish before the next round starts,
 * untimed, so the "alone" rounds are alone.
 *
 * Two loads: uploads through the site's `storePhoto` (its queue, one photo
 * at a time by default) and, for contrast, the same sharp pipelines started
 * all at once with sharp's defaults, as every upload did before the queue.
 */
export interface PhotoBenchOptions {
  /** Uploads kept in flight during the loaded rounds. */
  uploads: number;
  /** The photo's size: the review's case is 8000 × 5000. */
  width: number;
  height: number;
}

export const PHOTO_BENCH: PhotoBenchOptions = { uploads: 4, width: 8000, height: 5000 };

/** Keeps `count` copies of `work` running back to back until stopped; `stop` waits for them. */
function keepBusy(count: number, work: () => Promise<unknown>) {
  let running = true;
  let started!: () => void;
  const first = new Promise<void>((resolve) => (started = resolve));
  const loops = Array.from({ length: count }, async () => {
    while (running) {
      const pending = work();
      started();
      await pending;
    }
  });
  return {
    started: first,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Logins during `load` rounds against logins alone, alternating; see the module comment. */
async function loginsDuring(
  name: string,
  login: () => Promise<unknown>,
  load: () => Promise<unknown>,
  options: PhotoBenchOptions,
  budget: Budget,
): Promise<Comparison> {
  progress(`${name}: warming up`);
  await warmUp(login, Math.min(budget.warmupOps, 20));
  await load();
  const loaded: number[][] = [];
  const alone: number[][] = [];
  for (let round = 0; round < budget.rounds; round++) {
    for (const side of round % 2 === 0 ? ["loaded", "alone"] : ["alone", "loaded"]) {
      if (side === "alone") {
        alone.push(await timeFor(login, budget.roundMs));
        continue;
      }
      const busy = keepBusy(options.uploads, load);
      await busy.started;
      loaded.push(await timeFor(login, budget.roundMs));
      await busy.stop();
    }
  }
  const subject = summarize(loaded);
  const baseline = summarize(alone);
  const result = { name, subject, baseline, ratio: timeRatio(subject, baseline) };
  progress(
    `${name}: login p50 ${subject.p50.toFixed(1)} ms vs ${baseline.p50.toFixed(1)} ms alone, ratio ${result.ratio.toFixed(2)}`,
  );
  return result;
}

export async function photoBenchmarks(
  budget: Budget,
  options: PhotoBenchOptions = PHOTO_BENCH,
): Promise<Comparison[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-bench-photos-"));
  const previousDir = process.env.UPLOADS_DIR;
  process.env.UPLOADS_DIR = dir;
  try {
    const password = "a long and careful password";
    const hash = await hashPassword(password);
    const login = () => checkPassword(password, hash);
    const { width, height, uploads } = options;
    const photo = await sharp({ create: { width, height, channels: 3, background: "#c8905a" } })
      .png()
      .toBuffer();
    const megapixels = ((width * height) / 1e6).toFixed(0);
    const size = `${Math.round(photo.byteLength / 1024)} KB`;
    const queued = async () => {
      const id = newId();
      const stored = await storePhoto(photo, id);
      if (!stored.ok) throw new Error(`bench: the photo was refused: ${stored.message}`);
      fs.rmSync(path.join(dir, `${id}.webp`), { force: true });
      fs.rmSync(path.join(dir, `${id}.thumb.webp`), { force: true });
    };
    // What every upload ran before the queue: sharp's own defaults, nothing waiting its turn.
    const unqueued = () =>
      sharp(photo, { limitInputPixels: PHOTO_LIMITS.pixels })
        .rotate()
        .resize(PHOTO_LIMITS.edge, PHOTO_LIMITS.edge, { fit: "inside", withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer();
    const throughQueue = await loginsDuring(
      `login while ${uploads} uploads of a ${size} ${megapixels} MP PNG go through the photo queue`,
      login,
      queued,
      options,
      budget,
    );
    // The queue set sharp to one libvips thread per image; before, it had one per core.
    const queuedThreads = sharp.concurrency();
    sharp.concurrency(os.availableParallelism());
    try {
      const atOnce = await loginsDuring(
        `login while the same ${uploads} are processed at once, unqueued (as before)`,
        login,
        unqueued,
        options,
        budget,
      );
      return [throughQueue, atOnce];
    } finally {
      sharp.concurrency(queuedThreads);
    }
  } finally {
    if (previousDir === undefined) delete process.env.UPLOADS_DIR;
    else process.env.UPLOADS_DIR = previousDir;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
