"""Golden vectors for the gradflow core, computed by PyTorch in float64.

Regenerate (needs Debian's python3-torch; the python3 on PATH may be a pyenv without torch):

    /usr/bin/python3 tests/core/golden/make_golden.py

It rewrites tests/core/golden/<name>.json, one file per entry of CASES, and deletes nothing else.
CI has no torch: the JSON is committed and tests/core/golden.test.ts compares the core with it.

Each case builds its weights with torch itself: torch.manual_seed(seed), the default init of
nn.RNN / nn.LSTM / nn.GRU (every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H))), then the contract's
knobs: init=orthogonal puts torch.nn.init.orthogonal_ on each H x H gate block of weight_hh, gain
scales weight_hh, forget_bias is added to the forget block [H:2H] of bias_ih (lstm). The readout
w_y, b_y ~ U(-1/sqrt(H), 1/sqrt(H)), inputs x (T x D) and targets (T) ~ randn follow, in that order.

The model is run unrolled, one nn.RNNCell / LSTMCell / GRUCell step at a time on the module's
own weights, so that h_t.retain_grad() yields the total derivative dL/dh_t (through every later
step and the readout), likewise dL/dc_t, and x.grad yields dL/dx_t. The unrolled states are
checked against the module's own fused forward. The Jacobian analysis of /jacobian is recorded
too: per-step state Jacobians by torch.autograd.functional.jacobian, their backward product and
its spectral norm by torch.linalg.matrix_norm(ord=2).

Every case is also checked for conditioning: the same computation with all weights and inputs
perturbed by a relative 1e-15 must move every compared quantity by less than CONDITIONING_LIMIT
(measured as the TypeScript test measures), so that a 1e-10 comparison tests the code and not the
rounding of a chaotic system. Cases whose gradients would underflow float64 are not used: PyTorch
cannot represent them either (the core's log-space reporting is tested elsewhere).
"""

import json
import math
import os
import sys

import torch

torch.set_default_dtype(torch.float64)

HERE = os.path.dirname(os.path.abspath(__file__))

# Largest change of any compared quantity under a 1e-15 relative perturbation; 100x below the
# test's 1e-10 so that the comparison has room for the core's own (different) rounding.
CONDITIONING_LIMIT = 1e-12
PERTURBATION = 1e-15


def case(name, cell, T, H, D, seed, init="pytorch", gain=1.0, forget_bias=0.0,
         nonlinearity="tanh", loss="last"):
    return dict(name=name, cell=cell, T=T, H=H, D=D, seed=seed, init=init, gain=gain,
                forgetBias=forget_bias, nonlinearity=nonlinearity, loss=loss)


# Coverage: each cell (rnn tanh, rnn relu, lstm, gru); T up to 200; both losses; init orthogonal;
# gain 0.5 and 2; forget_bias 0 and 2. Long cases use small H to keep the JSON small; gain-2 cases
# stay short because their forward is chaotic (rounding grows with T, see the conditioning check).
CASES = [
    case("rnn_tanh_basic", "rnn", T=12, H=8, D=4, seed=1, loss="last"),
    case("rnn_tanh_T200_gain05", "rnn", T=200, H=6, D=3, seed=2, gain=0.5, loss="last"),
    case("rnn_tanh_T200_orth_all", "rnn", T=200, H=5, D=3, seed=3, init="orthogonal", loss="all"),
    case("rnn_tanh_gain2", "rnn", T=16, H=8, D=4, seed=4, gain=2.0, loss="all"),
    case("rnn_relu_basic", "rnn", T=20, H=8, D=4, seed=5, nonlinearity="relu", loss="last"),
    case("rnn_relu_T100_orth_gain05_all", "rnn", T=100, H=6, D=2, seed=6, init="orthogonal",
         gain=0.5, nonlinearity="relu", loss="all"),
    case("lstm_basic", "lstm", T=15, H=8, D=4, seed=7, loss="last"),
    case("lstm_T200_fb2", "lstm", T=200, H=6, D=3, seed=8, forget_bias=2.0, loss="last"),
    case("lstm_T120_orth_gain05_all", "lstm", T=120, H=6, D=4, seed=9, init="orthogonal",
         gain=0.5, loss="all"),
    case("lstm_gain2_fb2_all", "lstm", T=25, H=7, D=3, seed=10, gain=2.0, forget_bias=2.0,
         loss="all"),
    case("gru_basic", "gru", T=15, H=8, D=4, seed=11, loss="last"),
    case("gru_T200_orth_all", "gru", T=200, H=5, D=3, seed=12, init="orthogonal", loss="all"),
    case("gru_gain2", "gru", T=20, H=6, D=1, seed=13, gain=2.0, loss="last"),
    case("lstm_H1_gain05", "lstm", T=30, H=1, D=2, seed=14, gain=0.5, forget_bias=2.0,
         loss="last"),
]

MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}
CELLS = {"rnn": torch.nn.RNNCell, "lstm": torch.nn.LSTMCell, "gru": torch.nn.GRUCell}
GATE_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}
WEIGHT_NAMES = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]


def make_weights(cfg):
    """Draws the module's weights, readout, inputs and targets, in the documented order."""
    torch.manual_seed(cfg["seed"])
    H, D, G = cfg["H"], cfg["D"], GATE_BLOCKS[cfg["cell"]]
    kwargs = dict(nonlinearity=cfg["nonlinearity"]) if cfg["cell"] == "rnn" else {}
    module = MODULES[cfg["cell"]](D, H, **kwargs)
    w = {n: getattr(module, n + "_l0").detach().clone() for n in WEIGHT_NAMES}
    if cfg["init"] == "orthogonal":
        for k in range(G):
            block = torch.empty(H, H)
            torch.nn.init.orthogonal_(block)
            w["weight_hh"][k * H:(k + 1) * H] = block
    w["weight_hh"] *= cfg["gain"]
    if cfg["cell"] == "lstm":
        w["bias_ih"][H:2 * H] += cfg["forgetBias"]
    bound = 1 / math.sqrt(H)
    w["w_y"] = torch.empty(H).uniform_(-bound, bound)
    w["b_y"] = torch.empty(()).uniform_(-bound, bound)
    x = torch.randn(cfg["T"], D)
    target = torch.randn(cfg["T"])
    return module, w, x, target


def make_cell(cfg, w):
    """An nn.RNNCell / LSTMCell / GRUCell holding the case's weights."""
    kwargs = dict(nonlinearity=cfg["nonlinearity"]) if cfg["cell"] == "rnn" else {}
    cell = CELLS[cfg["cell"]](cfg["D"], cfg["H"], **kwargs)
    with torch.no_grad():
        for n in WEIGHT_NAMES:
            getattr(cell, n).copy_(w[n])
    return cell


def run(cfg, w, x, target):
    """Unrolled forward and backward; returns every quantity the golden file records."""
    cell_kind, T, H = cfg["cell"], cfg["T"], cfg["H"]
    cell = make_cell(cfg, w)
    w_y = w["w_y"].clone().requires_grad_(True)
    b_y = w["b_y"].clone().requires_grad_(True)
    x = x.clone().requires_grad_(True)

    # A batch of one, not unbatched input: for unbatched input the cells return a squeezed copy of
    # c_t while h_t is computed from the unsqueezed one, and c_t.grad would miss the h_t path.
    h = torch.zeros(1, H)
    c = torch.zeros(1, H)
    hs, cs, ys = [], [], []
    for t in range(T):
        if cell_kind == "lstm":
            h, c = cell(x[t:t + 1], (h, c))
            c.retain_grad()
            cs.append(c)
        else:
            h = cell(x[t:t + 1], h)
        h.retain_grad()
        hs.append(h)
        ys.append(h[0] @ w_y + b_y)
    y = torch.stack(ys)
    if cfg["loss"] == "last":
        loss = 0.5 * (y[-1] - target[-1]) ** 2
    else:
        loss = 0.5 * ((y - target) ** 2).sum()
    loss.backward()

    def norms(tensors):
        return [float(v.grad.norm()) for v in tensors]

    if cell_kind == "lstm":
        check_last_cell_gradient(cfg, cell, x, hs, cs, y, target)
    out = {
        "loss": float(loss),
        "h": torch.cat(hs).tolist(),
        "y": y.tolist(),
        "normGradH": norms(hs),
        "normGradX": [float(r.norm()) for r in x.grad],
        "grads": {n: getattr(cell, n).grad.tolist() for n in WEIGHT_NAMES},
    }
    out["grads"]["w_y"] = w_y.grad.tolist()
    out["grads"]["b_y"] = float(b_y.grad)
    if cell_kind == "lstm":
        out["c"] = torch.cat(cs).tolist()
        out["normGradC"] = norms(cs)
    out["jacobian"] = jacobian_analysis(cfg, w, x.detach(), out)
    return out


def jacobian_analysis(cfg, w, x, out):
    """The /jacobian numbers, by autograd: J_t = d s_t / d s_{t-1} per step (s = h, or [h; c] for
    lstm), M_t = M_{t+1} J_{t+1} from M_T = I, log10 of torch.linalg.matrix_norm(M_t, 2) (LAPACK
    SVD); for rnn the Pascanu bound (T - t) log10 sigma_max(W_hh), for lstm log10 max_j prod f_k[j]."""
    cell_kind, T, H = cfg["cell"], cfg["T"], cfg["H"]
    cell = make_cell(cfg, w)
    h = torch.tensor(out["h"])
    states = torch.cat([h, torch.tensor(out["c"])], dim=1) if cell_kind == "lstm" else h

    def step(k):
        def f(s):
            if cell_kind == "lstm":
                hk, ck = cell(x[k:k + 1], (s[None, :H], s[None, H:]))
                return torch.cat([hk[0], ck[0]])
            return cell(x[k:k + 1], s[None, :])[0]
        return f

    S = states.shape[1]
    norms = [0.0] * T
    M = torch.eye(S)
    for k in range(T - 2, -1, -1):
        J = torch.autograd.functional.jacobian(step(k + 1), states[k].clone())
        M = M @ J
        norms[k] = math.log10(torch.linalg.matrix_norm(M, 2).item())
    sigma = torch.linalg.matrix_norm(w["weight_hh"], 2).item()
    result = {"log10JacobianNorm": norms, "sigmaMaxWhh": sigma}
    if cell_kind == "rnn":
        result["log10Bound"] = [(T - 1 - k) * math.log10(sigma) for k in range(T)]
    if cell_kind == "lstm":
        h_prev = torch.cat([torch.zeros(1, H), h[:-1]])
        a = x @ w["weight_ih"].T + w["bias_ih"] + h_prev @ w["weight_hh"].T + w["bias_hh"]
        log10_f = torch.log10(torch.sigmoid(a[:, H:2 * H]))
        # sum over k = t+1..T of log10 f_k: reversed cumulative sum, shifted by one step
        tail = torch.flip(torch.cumsum(torch.flip(log10_f, [0]), 0), [0])
        path = torch.cat([tail[1:], torch.zeros(1, H)]).max(dim=1).values
        result["log10CellPath"] = path.tolist()
    return result


def check_last_cell_gradient(cfg, cell, x, hs, cs, y, target):
    """dL/dc_T written out by hand: guards that c_t.grad is the total derivative (h_t path included)."""
    with torch.no_grad():
        H, T = cfg["H"], cfg["T"]
        h_prev = hs[T - 2][0] if T > 1 else torch.zeros(H)
        a = cell.weight_ih @ x[T - 1] + cell.bias_ih + cell.weight_hh @ h_prev + cell.bias_hh
        o = torch.sigmoid(a[3 * H:])
        tanh_c = torch.tanh(cs[T - 1][0])
        dh = hs[T - 1].grad[0]
        expected = dh * o * (1 - tanh_c ** 2)
        diff = (cs[T - 1].grad[0] - expected).abs().max().item()
        assert diff <= 1e-14 * (1 + expected.abs().max().item()), f"{cfg['name']}: dL/dc_T off by {diff}"


def check_module_agrees(cfg, module, w, x, states):
    """The unrolled cells must reproduce the fused nn.RNN/LSTM/GRU forward on the same weights."""
    with torch.no_grad():
        for n in WEIGHT_NAMES:
            getattr(module, n + "_l0").copy_(w[n])
        seq_out, _ = module(x.unsqueeze(1))
    diff = (seq_out.squeeze(1) - torch.tensor(states)).abs().max().item()
    assert diff < 1e-13, f"{cfg['name']}: unrolled cells differ from the module by {diff}"


def max_rel_to_max(a, b):
    """Largest |a - b| over an array, relative to the largest |a| of that array."""
    a, b = torch.tensor(a).flatten(), torch.tensor(b).flatten()
    scale = a.abs().max().item()
    return (a - b).abs().max().item() / scale if scale > 0 else (a - b).abs().max().item()


def max_rel_elementwise(a, b):
    a, b = torch.tensor(a), torch.tensor(b)
    return ((a - b).abs() / a.abs()).max().item()


def sensitivity(cfg, w, x, target, ref):
    """How far the recorded quantities move when every input of the computation moves by 1e-15."""
    gen = torch.Generator().manual_seed(12345)

    def nudge(v):
        return v * (1 + PERTURBATION * (2 * torch.rand(v.shape, generator=gen) - 1))

    out = run(cfg, {k: nudge(v) for k, v in w.items()}, nudge(x), target)
    worst = abs(out["loss"] - ref["loss"]) / abs(ref["loss"])
    for key in ["h", "c", "y"]:
        if key in ref:
            worst = max(worst, max_rel_to_max(ref[key], out[key]))
    for key in ["normGradH", "normGradC", "normGradX"]:
        if key in ref:
            worst = max(worst, max_rel_elementwise(ref[key], out[key]))
    for n, g in ref["grads"].items():
        worst = max(worst, max_rel_to_max(g, out["grads"][n]))
    # log10 values: an absolute difference d is a relative change of about d ln 10
    for key, v in ref["jacobian"].items():
        if key == "sigmaMaxWhh":
            worst = max(worst, abs(out["jacobian"][key] / v - 1))
        else:
            diff = (torch.tensor(v) - torch.tensor(out["jacobian"][key])).abs().max().item()
            worst = max(worst, diff * math.log(10))
    return worst


def main():
    total = 0
    for cfg in CASES:
        module, w, x, target = make_weights(cfg)
        ref = run(cfg, w, x, target)
        check_module_agrees(cfg, module, w, x, ref["h"])
        tiny = min(ref["normGradH"] + ref["normGradX"])
        assert tiny > 1e-250, f"{cfg['name']}: a gradient norm of {tiny} is too close to underflow"
        worst = sensitivity(cfg, w, x, target, ref)
        assert worst < CONDITIONING_LIMIT, f"{cfg['name']}: ill-conditioned ({worst:.2e})"
        doc = {
            "generator": f"make_golden.py, torch {torch.__version__}, float64",
            "config": {k: v for k, v in cfg.items() if k != "name"},
            "name": cfg["name"],
            "conditioning": worst,
            "weights": {k: v.tolist() for k, v in w.items()},
            "inputs": x.tolist(),
            "targets": target.tolist(),
            "outputs": ref,
        }
        path = os.path.join(HERE, cfg["name"] + ".json")
        with open(path, "w") as fh:
            json.dump(doc, fh, separators=(",", ":"))
            fh.write("\n")
        size = os.path.getsize(path)
        total += size
        print(f"{cfg['name']:34s} {size / 1024:7.1f} KiB  conditioning {worst:.1e}  "
              f"min |dL/dh_t| {min(ref['normGradH']):.1e}")
    print(f"{len(CASES)} cases, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    sys.exit(main())
