// The version of every number the API returns. Bump it whenever any response to any query would
// change (new RNG, new draw order, a different kernel rounding): it is part of every ETag, so
// caches drop the old bodies, and the fingerprint test fails until it is bumped.
export const MODEL_VERSION = '1.1.0';

/** Version of the HTTP contract (/work/shared/design/api-v1.md); the path prefix is /api/v1. */
export const API_VERSION = '1.0.0';
