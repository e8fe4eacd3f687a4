#!/usr/bin/env python3
"""PyTorch's numbers for tests/core/train.test.ts "follows PyTorch step by step: 4 Adam steps with
clipping, every cell" (and the source of the torch pins of tests/core/cost.test.ts's paramCount).

The core's initial weights and training batches are reproduced here from the same seed with a
port of worker/src/core/rng.ts (xoshiro128**, seeded through murmur3's finaliser from the seed and
an FNV-1a hash of the stream name), init.ts (init=pytorch: U(-k, k), k = 1/sqrt(H), in the order
W_ih, W_hh, b_ih, b_hh, w_y, b_y; then W_hh *= gain and, for lstm, the forget block of b_ih +=
forget_bias) and tasks.ts (drawAdding). Then torch trains in float64:
    mod = nn.<RNN|LSTM|GRU>(2, H, batch_first=True); ro = nn.Linear(H, 1); both loaded;
    opt = Adam(params, lr); per batch: pred = ro(mod(x)[0][:, -1]).squeeze(1);
    mse = ((pred - y) ** 2).mean(); opt.zero_grad(); (0.5 * mse).backward();
    norm = clip_grad_norm_(params, clip); opt.step()   -> loss = mse, gradNorm = norm.
Run with Debian's python3-torch: `/usr/bin/python3 tests/core/reference/adam_reference.py`; it prints
the JSON the test pins (and the parameter counts), and exits 1 if the port's first raw outputs
disagree with the ones rng.test.ts pins (so a drifted port cannot produce plausible numbers).
"""
import json
import math
import sys

import torch

M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def fmix32(h):
    h ^= h >> 16
    h = imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


def hash_stream(name):
    # FNV-1a over UTF-16 code units (stream names are ASCII: one unit per character)
    h = 0x811C9DC5
    for ch in name:
        h ^= ord(ch)
        h = imul(h, 0x01000193)
    return h


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Rng:
    WEYL = 0x9E3779B9

    def __init__(self, seed, stream=''):
        sh = hash_stream(stream)
        s = []
        for k in range(4):
            weyl = imul(k + 1, self.WEYL)
            s.append(fmix32(((seed + weyl) & M32) ^ fmix32((sh + weyl + 0x6A09E667) & M32)))
        if (s[0] | s[1] | s[2] | s[3]) == 0:
            s[0] = 1
        self.s = s

    def next_uint32(self):
        s = self.s
        result = imul(rotl(imul(s[1], 5), 7), 9)
        t = (s[1] << 9) & M32
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def next_float64(self):
        a = self.next_uint32() >> 5
        b = self.next_uint32() >> 6
        return (a * 67108864 + b) / 9007199254740992

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.next_float64()

    def next_int(self, n):
        limit = 4294967296 - (4294967296 % n)
        while True:
            v = self.next_uint32()
            if v < limit:
                return v % n


# rng.test.ts pins these first outputs; the port must give them.
PINNED = [
    (0, '', [3362851966, 1631431521, 3894061427, 3842231973, 2044204480, 722372210, 1802513230, 4208000595]),
    (42, 'weights/lstm', [259848569, 2108950158, 41907647, 1200060165, 1308975139, 1867456073, 1421693827, 2945146920]),
    (4294967295, 'weights/rnn', [2225952665, 1849229339, 2199882687, 1154053619, 2272441455, 3044878615, 786764391, 2149753105]),
]

GATES = {'rnn': 1, 'lstm': 4, 'gru': 3}


def init_pytorch(cell, H, D, seed, gain, forget_bias):
    rng = Rng(seed, f'weights/{cell}')
    G = GATES[cell]
    k = 1 / math.sqrt(H)
    draw = lambda n: [rng.uniform(-k, k) for _ in range(n)]
    w_ih, w_hh, b_ih, b_hh, w_y = draw(G * H * D), draw(G * H * H), draw(G * H), draw(G * H), draw(H)
    b_y = rng.uniform(-k, k)
    w_hh = [w * gain for w in w_hh]
    if cell == 'lstm':
        for j in range(H, 2 * H):
            b_ih[j] += forget_bias
    return w_ih, w_hh, b_ih, b_hh, w_y, b_y


def draw_adding(rng, T):
    x = [[rng.next_float64(), 0.0] for _ in range(T)]
    half = T // 2
    first = rng.next_int(half)
    second = half + rng.next_int(T - half)
    x[first][1] = 1.0
    x[second][1] = 1.0
    return x, x[first][0] + x[second][0]


def run(cell, T, H, seed, gain, forget_bias, steps, batch, lr, clip):
    D = 2
    w_ih, w_hh, b_ih, b_hh, w_y, b_y = init_pytorch(cell, H, D, seed, gain, forget_bias)
    G = GATES[cell]
    mod = {'rnn': torch.nn.RNN, 'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU}[cell](D, H, batch_first=True).double()
    ro = torch.nn.Linear(H, 1).double()
    t = lambda v, *shape: torch.tensor(v, dtype=torch.float64).reshape(*shape)
    with torch.no_grad():
        mod.weight_ih_l0.copy_(t(w_ih, G * H, D))
        mod.weight_hh_l0.copy_(t(w_hh, G * H, H))
        mod.bias_ih_l0.copy_(t(b_ih, G * H))
        mod.bias_hh_l0.copy_(t(b_hh, G * H))
        ro.weight.copy_(t(w_y, 1, H))
        ro.bias.copy_(t([b_y], 1))
    params = list(mod.parameters()) + list(ro.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    data = Rng(seed, f'train/adding/T{T}')
    losses, norms = [], []
    for _ in range(steps):
        seqs = [draw_adding(data, T) for _ in range(batch)]
        x = torch.tensor([s[0] for s in seqs], dtype=torch.float64)
        y = torch.tensor([s[1] for s in seqs], dtype=torch.float64)
        pred = ro(mod(x)[0][:, -1]).squeeze(1)
        mse = ((pred - y) ** 2).mean()
        opt.zero_grad()
        (0.5 * mse).backward()
        norm = torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        losses.append(float(mse))
        norms.append(float(norm))
    return {'loss': losses, 'norm': norms}


def main():
    for seed, stream, expected in PINNED:
        rng = Rng(seed, stream)
        got = [rng.next_uint32() for _ in expected]
        if got != expected:
            print(f'the rng port disagrees with rng.test.ts: {got} != {expected}', file=sys.stderr)
            return 1
    runs = {cell: run(cell, T=5, H=3, seed=11, gain=1.5, forget_bias=1.0, steps=4, batch=3, lr=0.05, clip=0.3)
            for cell in ('rnn', 'lstm', 'gru')}
    print(json.dumps(runs, indent=2))
    counts = {f'{name}({D}, {H})': sum(p.numel() for p in cls(D, H).parameters())
              for name, cls, D, H in [('RNN', torch.nn.RNN, 4, 16), ('LSTM', torch.nn.LSTM, 4, 16),
                                      ('GRU', torch.nn.GRU, 4, 16), ('LSTM', torch.nn.LSTM, 1, 1),
                                      ('GRU', torch.nn.GRU, 10, 20), ('RNN', torch.nn.RNN, 16, 64),
                                      ('LSTM', torch.nn.LSTM, 2, 64)]}
    print(json.dumps({'param_counts': counts}, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main())
