import { StorageError } from "../errors";

/** How long a cache may take to connect or to answer one command, in milliseconds. */
export const CACHE_TIMEOUT_MS = 1000;

/**
 * The error a failed cache operation raises. The client's error is not kept
 * as `cause`: client errors can carry the command's arguments, which hold the
 * session key, and keys must never reach a log.
 */
export function cacheFailure(name: string, operation: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StorageError(`${name}: ${operation} failed (${reason})`);
}
