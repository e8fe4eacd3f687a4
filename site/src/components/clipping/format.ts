// Small helpers shared by the two training widgets (clipping, memory-horizon): number formats
// for values spread over many decades, log-axis ticks, and the error messages
// the WidgetElement base looks up by key. Candidates for site/src/lib once a third widget needs them.
import { formatNumber } from '../../lib/table.ts';

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function superscript(exponent: number): string {
  const digits = String(Math.abs(exponent)).replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)]);
  return `${exponent < 0 ? '⁻' : ''}${digits}`;
}

/** Numbers across many decades: plain digits in the middle, m × 10ⁿ at the ends (3 digits). */
export function formatWide(lang: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const size = Math.abs(value);
  if (size === 0 || (size < 1e5 && size >= 1e-3)) return formatNumber(lang, value, 3);
  let exponent = Math.floor(Math.log10(size));
  let mantissa = Number((value / 10 ** exponent).toPrecision(3));
  if (Math.abs(mantissa) >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  return `${formatNumber(lang, mantissa, 3)} × 10${superscript(exponent)}`;
}

/** Log-axis ticks: 10ⁿ at the decades, nothing in between (the grid still shows them). */
export function powerOfTen(value: number): string {
  const exponent = Math.round(Math.log10(value));
  if (Math.abs(value / 10 ** exponent - 1) > 1e-9) return '';
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  return `10${superscript(exponent)}`;
}

/** The API's seed range: a whole number in 0..2³²−1. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}
