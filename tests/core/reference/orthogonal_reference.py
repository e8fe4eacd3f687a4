#!/usr/bin/env python3
"""torch.nn.init.orthogonal_'s result for a fixed 4x4 matrix, for tests/core/linalg.test.ts.

orthogonal_ draws its own normals; here the same steps are applied to a given matrix A:
Q, R = torch.linalg.qr(A); Q *= sign(diag(R)) (torch/nn/init.py). Regenerate with
`/usr/bin/python3 tests/core/reference/orthogonal_reference.py` (Debian's python3-torch).
"""
import torch

A = torch.tensor([
    [0.5, -1.25, 2.0, 0.125],
    [-0.75, 0.3, 1.1, -2.2],
    [1.9, 0.05, -0.6, 0.4],
    [0.2, 1.7, 0.9, -0.35],
], dtype=torch.float64)
q, r = torch.linalg.qr(A)
q *= torch.diag(r, 0).sign()
print('[' + ', '.join(repr(float(x)) for x in q.flatten()) + ']')
