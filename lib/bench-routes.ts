/**
 * Routes under /bench exist for `npm run bench` (its HTTP benchmark) and
 * answer 404 unless the server was started with EVERMORE_BENCH_ROUTES=1
 * (only the benchmark does that).
 */
export function benchRoutesEnabled(): boolean {
  return process.env.EVERMORE_BENCH_ROUTES === "1";
}

export function notFound(): Response {
  return new Response("Not found", { status: 404 });
}
