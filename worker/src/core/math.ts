// TEMPORARY STUB: replaced by the bit-exact implementations (owned by the math/rng helper).
// Exported names and signatures are fixed; only the bodies change.
export function exp(x: number): number { return Math.exp(x); }
export function expm1(x: number): number { return Math.expm1(x); }
export function log(x: number): number { return Math.log(x); }
export function log1p(x: number): number { return Math.log1p(x); }
export function log10(x: number): number { return Math.log10(x); }
export function tanh(x: number): number { return Math.tanh(x); }
export function sigmoid(x: number): number { return 1 / (1 + Math.exp(-x)); }
