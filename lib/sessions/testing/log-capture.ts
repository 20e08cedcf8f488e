import { setSessionLogger } from "../log";

/** Collects the session framework's log lines until `restore()`. */
export function captureSessionLog() {
  const lines: string[] = [];
  const previous = setSessionLogger({
    warn: (message) => lines.push(message),
    error: (message) => lines.push(message),
  });
  return {
    lines: () => [...lines],
    restore: () => setSessionLogger(previous),
  };
}
