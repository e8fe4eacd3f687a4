/* Independent reference for worker/src/core/rng.ts, used to pin the numbers in
 * tests/core/rng.test.ts.
 *
 * Generator: xoshiro128** 1.0 exactly as in David Blackman and Sebastiano Vigna's reference
 * implementation (https://prng.di.unimi.it/xoshiro128starstar.c, public domain, 2018).
 * Seeding: the scheme documented in rng.ts, written here from its description in plain uint32_t
 * arithmetic: FNV-1a (32-bit) of the stream name, and for state word k = 0..3 with
 * weyl = (k + 1) * 0x9e3779b9 mod 2^32:
 *     s[k] = fmix32((seed + weyl) ^ fmix32(hash + weyl + 0x6a09e667)),
 * fmix32 being MurmurHash3's 32-bit finaliser; an all-zero state becomes s[0] = 1.
 * Doubles: ((a >> 5) * 2^26 + (b >> 6)) / 2^53 from two consecutive outputs.
 * Normals: Marsaglia's polar method with libm's log, one normal per accepted pair.
 *
 * Regenerate: gcc -O2 -std=c11 -o /tmp/xoshiro128ss tests/core/reference/xoshiro128ss.c -lm
 *             && /tmp/xoshiro128ss
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static uint32_t s[4];

static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

/* Blackman & Vigna's next(), unchanged. */
static uint32_t next(void) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

static uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static uint32_t fnv1a(const char *name) {
  uint32_t h = 0x811c9dc5u;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h ^= *p;
    h *= 0x01000193u;
  }
  return h;
}

static void seed_state(uint32_t seed, const char *stream) {
  const uint32_t hash = fnv1a(stream);
  for (uint32_t k = 0; k < 4; k++) {
    const uint32_t weyl = (k + 1) * 0x9e3779b9u;
    s[k] = fmix32((seed + weyl) ^ fmix32(hash + weyl + 0x6a09e667u));
  }
  if ((s[0] | s[1] | s[2] | s[3]) == 0) s[0] = 1;
}

static double next_double(void) {
  const uint32_t a = next() >> 5;
  const uint32_t b = next() >> 6;
  return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
}

static double next_normal(void) {
  for (;;) {
    const double u = 2 * next_double() - 1;
    const double v = 2 * next_double() - 1;
    const double q = u * u + v * v;
    if (q > 0 && q < 1) return u * sqrt(-2 * log(q) / q);
  }
}

int main(void) {
  static const struct { uint32_t seed; const char *stream; } cases[] = {
      {0, ""}, {42, "inputs"}, {42, "targets"}, {42, "weights/lstm"},
      {4294967295u, "weights/rnn"}, {1, "weights/gru"},
  };
  printf("// uint32 outputs 1..8\n");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    seed_state(cases[c].seed, cases[c].stream);
    printf("  [%" PRIu32 ", '%s', [", cases[c].seed, cases[c].stream);
    for (int i = 0; i < 8; i++) printf("%s%" PRIu32, i ? ", " : "", next());
    printf("]],\n");
  }
  printf("// raw state {1, 2, 3, 4} (the generator alone, no seeding)\n  [");
  s[0] = 1, s[1] = 2, s[2] = 3, s[3] = 4;
  for (int i = 0; i < 8; i++) printf("%s%" PRIu32, i ? ", " : "", next());
  printf("]\n");
  printf("// seed 42 'inputs': state words, then doubles 1..6\n");
  seed_state(42, "inputs");
  printf("  [%" PRIu32 ", %" PRIu32 ", %" PRIu32 ", %" PRIu32 "]\n", s[0], s[1], s[2], s[3]);
  printf("  [");
  for (int i = 0; i < 6; i++) printf("%s%.17g", i ? ", " : "", next_double());
  printf("]\n// seed 42 'inputs': normals 1..6\n  [");
  seed_state(42, "inputs");
  for (int i = 0; i < 6; i++) printf("%s%.17g", i ? ", " : "", next_normal());
  printf("]\n");
  return 0;
}
