/**
 * `lib/sessions`: Django's `django.contrib.sessions` for the Next.js App
 * Router. This file is the public API; everything else is an implementation
 * detail. Start with README.md beside it.
 */
export type { Expiry, ExpiryOptions, Json, SessionData, SessionOptions } from "./base";
export { SessionBase, SESSION_KEY_LENGTH, VALID_KEY_CHARS } from "./base";
export type { SessionStoreClass } from "./engine";
export { getSessionStore, registerSessionEngine } from "./engine";
export {
  ChangeConflict,
  CookieTooLarge,
  CreateError,
  ImproperlyConfigured,
  InvalidSessionKey,
  MissingKey,
  SessionError,
  SessionInterrupted,
  SessionReadOnly,
  SessionTooLarge,
  StorageError,
  SuspiciousSession,
  UnserializableValue,
  UpdateError,
} from "./errors";
export type { Alteration } from "./changes";
export type { SessionLogger } from "./log";
export { setSessionLogger } from "./log";
export type { Serializer } from "./serializers";
export { JSONSerializer, serializedLength } from "./serializers";
export type { SameSite, SessionSettings } from "./settings";
export { BUILT_IN_ENGINES } from "./settings";
export { BadSignature, dumps, loads, SignatureExpired, Signer, TimestampSigner } from "./signing";
export type {
  ExpiredRows,
  ExpiryJudge,
  RemoveResult,
  SessionRecord,
  SessionStorage,
  SwapResult,
} from "./stored";
export { clearExpiredInBatches, StoredSession } from "./stored";
export type { SessionValue } from "./typed";
export { sessionValue } from "./typed";
