// Every number in a body is finite: NaN and ±Infinity from the core become null, and the body's
// `warnings` say which field, at which steps, and what the value was.
// T = steps, H = hidden; a series entry k belongs to time step t = k + 1.

type Nullable = number | null;

function what(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

const WHY: Record<string, string> = {
  '-Infinity': 'the log10 of an exactly zero value, or an underflow',
  Infinity: 'an overflow',
  NaN: 'not a number (an overflow upstream)',
};

/** "3, 5..9, 12" from sorted positions. */
function ranges(positions: number[]): string {
  const parts: string[] = [];
  let start = positions[0];
  let end = start;
  for (const p of positions.slice(1).concat(Number.NaN)) {
    if (p === end + 1) {
      end = p;
      continue;
    }
    parts.push(start === end ? `${start}` : `${start}..${end}`);
    start = end = p;
  }
  return parts.join(', ');
}

/** Converts core outputs to JSON-safe numbers and collects the warnings that explain each null. */
export class FiniteNumbers {
  readonly warnings: string[] = [];

  scalar(field: string, value: number): Nullable {
    if (Number.isFinite(value)) return value;
    const kind = what(value);
    this.warnings.push(`${field} is null: it was ${kind} (${WHY[kind]})`);
    return null;
  }

  /** One entry per time step (or per training step, with label "step"). */
  series(field: string, values: ArrayLike<number>, label = 't'): Nullable[] {
    const out: Nullable[] = new Array(values.length);
    const bad = new Map<string, number[]>();
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      if (Number.isFinite(value)) {
        out[k] = value;
        continue;
      }
      out[k] = null;
      const kind = what(value);
      const list = bad.get(kind) ?? [];
      list.push(k + 1);
      bad.set(kind, list);
    }
    for (const [kind, positions] of bad) {
      this.warnings.push(`${field} is null at ${label} = ${ranges(positions)}: ${kind} (${WHY[kind]})`);
    }
    return out;
  }

  /** A row-major (rows × cols) buffer as nested rows. */
  matrix(field: string, values: ArrayLike<number>, rows: number, cols: number): Nullable[][] {
    const out: Nullable[][] = new Array(rows);
    let nulls = 0;
    let first = '';
    for (let r = 0; r < rows; r++) {
      const row: Nullable[] = new Array(cols);
      for (let j = 0; j < cols; j++) {
        const value = values[r * cols + j];
        if (Number.isFinite(value)) {
          row[j] = value;
          continue;
        }
        row[j] = null;
        if (nulls++ === 0) first = `[${r}][${j}] (${what(value)})`;
      }
      out[r] = row;
    }
    if (nulls > 0) this.warnings.push(`${field} has ${nulls} null entries, the first at ${first}`);
    return out;
  }
}
