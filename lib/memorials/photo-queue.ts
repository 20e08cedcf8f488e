import sharp from "sharp";

/**
 * Photo work (decoding, resizing, re-encoding with sharp) is costly: a small
 * PNG may unpack into 50 megapixels and take half a second of a core. It
 * also holds a thread of libuv's pool while it runs, the pool that argon2
 * needs for every login. So it goes through one queue per process: at most
 * `workers` photos are processed at once, at most `waiting` more uploads
 * wait their turn, and an upload beyond that is told at once that the
 * server is busy, instead of everyone (logins too) waiting longer.
 *
 * An upload is admitted (`admit`) before its body is read, and keeps its
 * place while the body arrives and while its photos are processed one at a
 * time (`run`), so a visitor who sends many photos shares the workers with
 * the others between photos.
 */
export class PhotoQueue {
  private admitted = 0;
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(
    readonly workers: number,
    readonly waiting: number,
  ) {}

  /** A place for one upload, or null when the server is busy. Call `leave` when done, always. */
  admit(): { leave: () => void } | null {
    if (this.admitted >= this.workers + this.waiting) return null;
    this.admitted++;
    let left = false;
    return {
      leave: () => {
        if (left) return;
        left = true;
        this.admitted--;
      },
    };
  }

  /** Runs `work` when a worker is free, in order of arrival. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.workers) {
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The worker passes straight to the next in line, so a newcomer cannot jump it.
      const next = this.line.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Uploads admitted now, and photos being processed now. */
  get load(): { admitted: number; running: number } {
    return { admitted: this.admitted, running: this.running };
  }
}

/** Seconds a busy answer asks the visitor to wait (`Retry-After`). */
export const BUSY_RETRY_SECONDS = 10;

let queue: PhotoQueue | undefined;

/**
 * The process's queue, sized by `PHOTO_WORKERS` and `PHOTO_QUEUE`. Sharp is
 * told to use one libvips thread per image (`sharp.concurrency`): on a small
 * machine an image that took every core would starve the rest of the site,
 * and photos are queued anyway. Its operation cache is off: every upload is
 * a new image, so the cache would only hold memory.
 */
export function photoQueue(config: { PHOTO_WORKERS: number; PHOTO_QUEUE: number }): PhotoQueue {
  if (!queue) {
    sharp.concurrency(1);
    sharp.cache(false);
    queue = new PhotoQueue(config.PHOTO_WORKERS, config.PHOTO_QUEUE);
  }
  return queue;
}
