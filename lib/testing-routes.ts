import { notFound } from "next/navigation";

/**
 * Routes under /testing exist for the HTTP-level tests of the session layer
 * and answer 404 unless the server was started with EVERMORE_TEST_ROUTES=1
 * (only the test runner does that).
 */
export function testRoutesEnabled(): boolean {
  return process.env.EVERMORE_TEST_ROUTES === "1";
}

export function requireTestRoutes() {
  if (!testRoutesEnabled()) notFound();
}
