import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as plain } from "../app/bench/plain/route";
import { benchRoutesEnabled } from "./bench-routes";

describe("the benchmark routes", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("are off unless EVERMORE_BENCH_ROUTES=1", () => {
    vi.stubEnv("EVERMORE_BENCH_ROUTES", "");
    expect(benchRoutesEnabled()).toBe(false);
    vi.stubEnv("EVERMORE_BENCH_ROUTES", "true");
    expect(benchRoutesEnabled()).toBe(false);
    vi.stubEnv("EVERMORE_BENCH_ROUTES", "1");
    expect(benchRoutesEnabled()).toBe(true);
  });

  it("answer 404 on a server started without them", async () => {
    vi.stubEnv("EVERMORE_BENCH_ROUTES", "");
    const response = plain(new Request("http://localhost/bench/plain?visits=1"));
    expect(response.status).toBe(404);
  });

  it("count a visit on /bench/plain when on, and a bad count starts again from one", async () => {
    vi.stubEnv("EVERMORE_BENCH_ROUTES", "1");
    const counted = plain(new Request("http://localhost/bench/plain?visits=41"));
    expect(counted.status).toBe(200);
    expect(await counted.json()).toEqual({ visits: 42 });
    const garbled = plain(new Request("http://localhost/bench/plain?visits=abc"));
    expect(await garbled.json()).toEqual({ visits: 1 });
  });
});
