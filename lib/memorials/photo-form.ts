import { once } from "node:events";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import type { BusboyFileStream } from "@fastify/busboy";
import Busboy from "@fastify/busboy";
import { newId } from "./drafts";
import { incomingFile, uploadsDir } from "./photo-files";

/** One file of the photo form, written to disk as it arrived. */
export interface IncomingPhoto {
  /** The name the browser gave (the visitor's own; for messages only, never for a path). */
  name: string;
  /** Where its bytes are (`incomingFile`): the caller removes it (`discardIncoming`). */
  path: string;
  /** Bytes written: at most `fileBytes`, even when the file was larger. */
  size: number;
  /** The file was larger than `fileBytes`: only its start was kept, and it is refused. */
  tooLarge: boolean;
}

export type PhotoForm =
  /** `unread`: the form held more than `maxFiles` files; those beyond were dropped unread. */
  | { ok: true; files: IncomingPhoto[]; unread: boolean }
  /** `too-large`: the body passed `maxBytes`; `broken`: not a form, or cut short. */
  | { ok: false; reason: "too-large" | "broken" };

export interface PhotoFormLimits {
  /** The most the whole body may hold; reading stops as soon as it passes. */
  maxBytes: number;
  /** The most one file may hold; the rest of a larger one is dropped as it arrives. */
  fileBytes: number;
  /** Files read at most; any beyond are dropped unread. */
  maxFiles: number;
}

/**
 * Reads the photo form (`multipart/form-data`, the files under `photos`)
 * once, as it arrives: each file streams to its own file on disk, so no
 * photo is ever held whole in memory, and a body that passes `maxBytes` is
 * refused as soon as it does, without reading the rest (a body sent in
 * chunks declares no length to check first). Every file it wrote is removed
 * again when it refuses the form.
 */
export async function readPhotoForm(request: Request, limits: PhotoFormLimits): Promise<PhotoForm> {
  if (Number(request.headers.get("content-length") ?? 0) > limits.maxBytes) {
    return { ok: false, reason: "too-large" };
  }
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type) || !request.body)
    return { ok: false, reason: "broken" };
  await fs.promises.mkdir(uploadsDir(), { recursive: true });
  const files: IncomingPhoto[] = [];
  const writes: Promise<void>[] = [];
  const streams: BusboyFileStream[] = [];
  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: { "content-type": type },
      limits: { fileSize: limits.fileBytes, files: limits.maxFiles, fields: 20, parts: 40 },
    });
  } catch (error) {
    // Busboy refuses a multipart type without a boundary as it starts.
    if (error instanceof Error) return { ok: false, reason: "broken" };
    throw error;
  }
  parser.on("file", (field: string, stream: BusboyFileStream, filename: string) => {
    if (field !== "photos") {
      stream.resume();
      return;
    }
    const incoming: IncomingPhoto = {
      name: filename ?? "",
      path: incomingFile(newId()),
      size: 0,
      tooLarge: false,
    };
    files.push(incoming);
    streams.push(stream);
    stream.on("data", (chunk: Buffer) => (incoming.size += chunk.byteLength));
    stream.on("limit", () => (incoming.tooLarge = true));
    writes.push(pipeline(stream, fs.createWriteStream(incoming.path)));
  });
  let unread = false;
  parser.on("filesLimit", () => (unread = true));
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on("finish", resolve);
    parser.on("error", reject);
  });
  // Nothing awaits `parsed` until the body is fed: keep an early error from going unhandled.
  parsed.catch(() => {});
  const outcome = await feed(request.body, parser, limits.maxBytes);
  if (outcome !== "whole") {
    parser.destroy();
    // A file part cut off mid-way never ends by itself.
    for (const stream of streams) stream.destroy();
    await Promise.allSettled(writes);
    await discardIncoming(files);
    return { ok: false, reason: outcome };
  }
  try {
    await parsed;
    await Promise.all(writes);
  } catch (error) {
    for (const stream of streams) stream.destroy();
    await Promise.allSettled(writes);
    await discardIncoming(files);
    // Busboy's errors say the form was malformed or ended early; a disk error is ours.
    if (isDiskError(error)) throw error;
    return { ok: false, reason: "broken" };
  }
  // A form sent with no file chosen still carries one empty, nameless file.
  const chosen = files.filter((file) => file.size > 0 || file.name !== "");
  await discardIncoming(files.filter((file) => !chosen.includes(file)));
  return { ok: true, files: chosen, unread };
}

/** Removes the incoming files; one already gone is not an error. */
export async function discardIncoming(files: readonly IncomingPhoto[]): Promise<void> {
  await Promise.all(files.map((file) => fs.promises.rm(file.path, { force: true })));
}

/** Writes the body into the parser, counting; stops at the first byte past `maxBytes`. */
async function feed(
  body: ReadableStream<Uint8Array>,
  parser: NodeJS.WritableStream,
  maxBytes: number,
): Promise<"whole" | "too-large" | "broken"> {
  const reader = body.getReader();
  let size = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return "too-large";
      }
      if (!parser.write(chunk.value)) await once(parser, "drain");
    }
  } catch (error) {
    // The stream failed before its end: the client went away mid-upload (Node reports
    // `aborted`, undici `terminated`). Whatever the wording, there is no whole form to read.
    console.warn(`evermore: an upload ended early (${(error as Error).message})`);
    return "broken";
  }
  parser.end();
  return "whole";
}

function isDiskError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}
