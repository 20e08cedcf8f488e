/**
 * The bytes of a request's body, or null when they pass `limit` or the
 * client stops sending. Counted as they arrive: a body sent in chunks has no
 * Content-Length to check first, and `request.formData()` alone would keep
 * all of it in memory, however large.
 */
export async function bodyAtMost(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > limit) {
        await reader.cancel();
        return null;
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    // The stream failed before its end: the client went away mid-upload (Node reports
    // `aborted`, undici `terminated`). Whatever the wording, there is no whole body to read.
    console.warn(`evermore: an upload ended early (${(error as Error).message})`);
    return null;
  }
  return Buffer.concat(chunks);
}
