// Accessible table alternative of a chart, as an HTML string so the build and the browser
// produce the same markup.
export interface TableSpec {
  caption: string;
  columns: string[];
  rows: (string | number)[][];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ESCAPES[ch]);
}

export function tableHtml({ caption, columns, rows }: TableSpec): string {
  const head = columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, k) => (k === 0 ? `<th scope="row">${escapeHtml(String(cell))}</th>` : `<td>${escapeHtml(String(cell))}</td>`)).join('')}</tr>`)
    .join('');
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** At most `max` evenly spaced indices of 0..n-1, always including the first and the last. */
export function sampleIndices(n: number, max = 100): number[] {
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (n - 1)) / (max - 1)));
  return out;
}

export function formatNumber(lang: string, value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(lang, { maximumSignificantDigits: digits }).format(value);
}
