// A small in-isolate LRU of serialised response bodies, keyed by endpoint + canonical query, so
// a slider dragged back and forth costs no recomputation. Bounded by entries and by bytes; a body
// larger than a quarter of the byte bound is not kept (it would evict everything else).

export interface CacheLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CacheLimits = { maxEntries: 256, maxBytes: 16 * 1024 * 1024 };

export interface CacheStats {
  hits: number;
  misses: number;
  /** Bodies computed by the endpoints (a hit does not compute). */
  computed: number;
  entries: number;
  bytes: number;
}

export class BodyCache {
  readonly #limits: CacheLimits;
  readonly #bodies = new Map<string, string>();
  #bytes = 0;
  hits = 0;
  misses = 0;
  computed = 0;

  constructor(limits: CacheLimits = DEFAULT_CACHE_LIMITS) {
    this.#limits = limits;
  }

  get(key: string): string | undefined {
    const body = this.#bodies.get(key);
    if (body === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-inserting moves the key to the young end of the Map's insertion order.
    this.#bodies.delete(key);
    this.#bodies.set(key, body);
    return body;
  }

  set(key: string, body: string): void {
    // UTF-16 length is a close upper bound of bytes for JSON that is almost all ASCII.
    const size = body.length + key.length;
    if (size > this.#limits.maxBytes / 4) return;
    const old = this.#bodies.get(key);
    if (old !== undefined) {
      this.#bodies.delete(key);
      this.#bytes -= old.length + key.length;
    }
    this.#bodies.set(key, body);
    this.#bytes += size;
    for (const [oldest, oldBody] of this.#bodies) {
      if (this.#bodies.size <= this.#limits.maxEntries && this.#bytes <= this.#limits.maxBytes) break;
      this.#bodies.delete(oldest);
      this.#bytes -= oldBody.length + oldest.length;
    }
  }

  clear(): void {
    this.#bodies.clear();
    this.#bytes = 0;
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      computed: this.computed,
      entries: this.#bodies.size,
      bytes: this.#bytes,
    };
  }
}

/** The isolate's cache. Tests read `bodyCache.stats()` to see whether a request recomputed. */
export const bodyCache = new BodyCache();
