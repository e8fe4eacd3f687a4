import { describe, expect, it } from 'vitest';
import { tanh } from '../../worker/src/core/math.ts';
describe('smoke', () => { it('tanh(0) is 0', () => { expect(tanh(0)).toBe(0); }); });
