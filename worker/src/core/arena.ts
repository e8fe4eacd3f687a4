// Reusable scratch memory for code that runs the same shapes many times (training: one forward and
// one backward per sequence, thousands of sequences of one size). At H = 4 a fused forward +
// backward allocates about 35 small typed arrays and computes little else, so allocating and
// collecting them is most of the cost; an Arena hands out the same buffers again instead.
//
// take(n) returns buffers in call order: the k-th take() since reset() gets the k-th buffer, and
// a kernel that runs the same shapes again takes the same lengths in the same order, so each
// buffer is only reallocated when its length changes. Every buffer is zeroed when taken, so it
// holds exactly what new Float64Array(n) would: results are the same bits with or without one.
// Whatever a round returns (caches, gradients) lives in the arena's buffers and is overwritten by
// the next round after reset(): use it before then.

export class Arena {
  private readonly buffers: Float64Array[] = [];
  private next = 0;

  /** Starts a new round: the buffers of the previous one are handed out again. */
  reset(): void {
    this.next = 0;
  }

  /** A zeroed Float64Array of length n, as new Float64Array(n). */
  take(n: number): Float64Array {
    const k = this.next++;
    const old = this.buffers[k];
    if (old !== undefined && old.length === n) {
      old.fill(0);
      return old;
    }
    const fresh = new Float64Array(n);
    this.buffers[k] = fresh;
    return fresh;
  }
}

/** new Float64Array(n), or the arena's next buffer when there is one. */
export function f64(arena: Arena | undefined, n: number): Float64Array {
  return arena === undefined ? new Float64Array(n) : arena.take(n);
}
