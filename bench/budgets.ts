// Size budgets, shared by the benchmark (which reports against them) and the deploy test (which
// enforces them). Workers allow 3 MiB gzip on the free plan; we keep far below so a cold isolate
// starts fast. Page weight: issue 8's ≤ 150 KB of JavaScript (gzip) per tutorial page.
export const WORKER_BUNDLE_GZIP_MAX_BYTES = 400 * 1024;
export const PAGE_JS_GZIP_MAX_BYTES = 150 * 1024;
