/**
 * The session keys of a logged-in visitor, Django's names, so that a Django
 * app sharing the sessions recognises the login (and we recognise its).
 */
export const USER_ID_KEY = "_auth_user_id";
export const BACKEND_KEY = "_auth_user_backend";
export const HASH_KEY = "_auth_user_hash";
/**
 * The auth hash of the epoch that "log out other devices" is moving the
 * account to, held by the clicking session for that instant (devices.ts).
 */
export const NEXT_HASH_KEY = "_auth_user_hash_next";
/** The browser a session was opened in, for the account's list of devices. */
export const DEVICE_KEY = "_device";
