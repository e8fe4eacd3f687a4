#!/usr/bin/env python3
"""Correctly rounded reference values for tests/core/math.test.ts.

Independent of the code under test: Python's decimal module at 800 digits, then rounded once to the
nearest double. Regenerate with `python3 tests/core/reference/math_reference.py` and paste the
printed table into REFERENCE in math.test.ts.
"""
from decimal import Decimal, getcontext

getcontext().prec = 800  # enough that e^(1e-300) - 1 keeps its digits

def tanh(d):
    e = (2 * d).exp()
    return (e - 1) / (e + 1)

FUNCTIONS = {
    'exp': lambda d: d.exp(),
    'expm1': lambda d: d.exp() - 1,
    'log': lambda d: d.ln(),
    'log1p': lambda d: (1 + d).ln(),
    'log10': lambda d: d.log10(),
    'tanh': tanh,
    'sigmoid': lambda d: 1 / (1 + (-d).exp()),
}

INPUTS = {
    'exp': [1e-300, 1e-10, 0.125, 0.3, -0.7, 1.5, -3.25, 10.0, 100.5, -100.5, 700.0, -720.0, 709.0],
    'expm1': [1e-300, -1e-18, 1e-10, 0.125, -0.3, 0.7, -1.5, 3.25, 20.0, -30.0, 600.0],
    'log': [5e-324, 1e-310, 1e-100, 0.1, 0.7, 0.999999999, 1.000000001, 1.5, 2.0, 10.0, 1e100, 1.7e308],
    'log1p': [1e-300, -1e-18, 1e-10, -0.25, 0.125, -0.9, 0.5, 3.0, 1e10, 1e300],
    'log10': [5e-324, 1e-200, 0.002, 0.3, 2.0, 7.0, 1.0000001, 123456.789, 1e-5, 1e250],
    'tanh': [1e-300, 1e-9, -0.001, 0.25, -0.55, 0.9, -1.1, 2.0, -5.0, 10.0, -19.0],
    'sigmoid': [1e-300, -1e-9, 0.25, -0.55, 2.0, -5.0, 10.0, -30.0, 40.0, -700.0, -740.0],
}

for name, xs in INPUTS.items():
    f = FUNCTIONS[name]
    pairs = ', '.join(f'[{x!r}, {float(f(Decimal(x)))!r}]' for x in xs)
    print(f'  {name}: [{pairs}],')
