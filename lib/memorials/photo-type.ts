/**
 * What a file is, judged by its first bytes (never by its name or the type
 * the browser claims): a renamed text file is not a photo.
 */
export type PhotoType = "jpeg" | "png" | "webp" | "heic" | "unknown";

/** HEIF brands written by phones for HEIC photos (ISO/IEC 23008-12). */
const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"]);

export function photoType(bytes: Uint8Array): PhotoType {
  const ascii = (start: number, end: number) =>
    Buffer.from(bytes.subarray(start, end)).toString("latin1");
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && HEIC_BRANDS.has(ascii(8, 12))) return "heic";
  return "unknown";
}
