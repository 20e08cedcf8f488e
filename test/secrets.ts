/**
 * The SECRET_KEY of the unit and integration tests (vitest.config.ts). Known
 * here so that `npm test` can check that no log of the run ever printed it.
 */
export const UNIT_TEST_SECRET_KEY =
  "evermore-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";
