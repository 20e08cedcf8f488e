import { clientIp } from "@/lib/accounts/request";
import { requireTestRoutes } from "@/lib/testing-routes";

export const dynamic = "force-dynamic";

/** For e2e/server/client-address.spec.ts: the address this request counts against. 404 unless EVERMORE_TEST_ROUTES=1. */
export default async function ClientAddressPage() {
  requireTestRoutes();
  return <output data-testid="client-address">{await clientIp()}</output>;
}
