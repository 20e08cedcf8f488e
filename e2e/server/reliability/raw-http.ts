import net from "node:net";

export interface RawReply {
  /** 0 when the server closed the connection without answering (what Node does to a 64 KB header). */
  status: number;
  /** Every `Set-Cookie` header, as sent. */
  setCookies: string[];
  body: string;
}

/**
 * A GET written byte for byte on a socket: fetch refuses to send the
 * malformed headers these tests need (control characters, bytes over 0x7f,
 * 64 KB of cookies), and an attacker is not bound by fetch. HTTP/1.0, so
 * that the body comes whole rather than in chunks.
 */
export function rawGet(baseUrl: string, path: string, cookieHeader: Buffer): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error(`no answer for ${path}`)));
    socket.on("connect", () => {
      socket.write(
        Buffer.concat([
          Buffer.from(`GET ${path} HTTP/1.0\r\nHost: ${hostname}:${port}\r\n`),
          Buffer.from("Accept: application/json\r\nConnection: close\r\nCookie: "),
          cookieHeader,
          Buffer.from("\r\n\r\n"),
        ]),
      );
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    let reset = false;
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // The server may refuse a request while it is still being written, and reset the connection.
      if (error.code === "ECONNRESET" || error.code === "EPIPE") reset = true;
      else reject(error);
    });
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      if (text === "" && reset) return resolve({ status: 0, setCookies: [], body: "" });
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
      if (!status) return reject(new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`));
      const setCookies = lines
        .filter((line) => /^set-cookie:/i.test(line))
        .map((line) => line.slice(line.indexOf(":") + 1).trim());
      resolve({ status, setCookies, body: rest.join("\r\n\r\n") });
    });
  });
}

/** Runs `task` for every item, `concurrency` at a time. */
export async function inParallel<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
