"""PyTorch baseline for bench/score.ts: the same DSM workloads as scorelab, timed the same way.

Usage: python3 dsm.py WORKLOAD THREADS REPS   (WORKLOAD: w1 | w2 | w3)
  w1: DSM training step, 2-D MLP (2 + 32-d Fourier time embedding, 3 x 256 SiLU), batch 512, Adam, clip, EMA
  w2: DSM training step, 784-d MLP (784 + 32, 3 x 512 SiLU), batch 128, same optimiser
  w3: 500 reverse Euler-Maruyama steps (VP SDE) of 10,000 particles with the w1 network, forward only
Prints one JSON line: {"workload", "threads", "per_s" (steps/s; for w3 the runs/s), "seconds", "peak_rss_mb"}.
The model mirrors src/score: eps prediction, c_in = 1/sqrt(a^2 + s^2), c_noise = t, score = -eps/s;
VP SDE with the linear schedule beta(t) = 0.1 + 19.9 t (Song et al. 2021).
"""
import json
import math
import resource
import sys
import time

import torch

B0, B1 = 0.1, 20.0


def marginal(t):
    integral = B0 * t + 0.5 * (B1 - B0) * t * t
    return torch.exp(-0.5 * integral), torch.sqrt(-torch.expm1(-integral))


class Net(torch.nn.Module):
    def __init__(self, d, width, depth, emb=32):
        super().__init__()
        self.register_buffer("freqs", torch.randn(emb // 2) * 4.0)
        layers, fan = [], d + emb
        for _ in range(depth):
            layers += [torch.nn.Linear(fan, width), torch.nn.SiLU()]
            fan = width
        out = torch.nn.Linear(fan, d)
        torch.nn.init.zeros_(out.weight)
        torch.nn.init.zeros_(out.bias)
        self.body = torch.nn.Sequential(*layers, out)

    def forward(self, x, t):
        a, s = marginal(t)
        arg = 2 * math.pi * t[:, None] * self.freqs[None, :]
        h = torch.cat([x / torch.sqrt(a * a + s * s)[:, None], torch.sin(arg), torch.cos(arg)], 1)
        return self.body(h)


def train_steps(d, width, batch, reps):
    net = Net(d, width, 3)
    ema = [p.detach().clone() for p in net.parameters()]
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    data = torch.randn(8192 if d == 2 else 2048, d)

    def step(k):
        idx = torch.randint(0, data.shape[0], (batch,))
        x0 = data[idx]
        t = torch.rand(batch) * (1 - 1e-3) + 1e-3
        eps = torch.randn_like(x0)
        a, s = marginal(t)
        loss = ((net(a[:, None] * x0 + s[:, None] * eps, t) - eps) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        decay = min(0.999, (1 + k) / (10 + k))
        with torch.no_grad():
            for e, p in zip(ema, net.parameters()):
                e.mul_(decay).add_(p, alpha=1 - decay)
        return loss.item()

    for k in range(3):
        step(k)
    t0 = time.perf_counter()
    for k in range(reps):
        step(k)
    return time.perf_counter() - t0


def euler_maruyama(reps):
    net = Net(2, 256, 3)
    n, steps, t_min = 10000, 500, 1e-3
    dt = (1 - t_min) / steps
    t0 = time.perf_counter()
    with torch.no_grad():
        for _ in range(reps):
            x = torch.randn(n, 2)
            for i in range(steps):
                t = 1 - i * dt
                tt = torch.full((n,), t)
                beta = B0 + (B1 - B0) * t
                _, s = marginal(tt)
                score = -net(x, tt) / s[:, None]
                drift = -0.5 * beta * x - beta * score
                x = x - drift * dt + math.sqrt(beta * dt) * torch.randn_like(x)
    return time.perf_counter() - t0


def main():
    workload, threads, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    if workload == "w1":
        secs = train_steps(2, 256, 512, reps)
    elif workload == "w2":
        secs = train_steps(784, 512, 128, reps)
    elif workload == "w3":
        secs = euler_maruyama(reps)
    else:
        raise SystemExit(f"dsm.py: unknown workload {workload!r} (w1, w2 or w3)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"workload": workload, "threads": threads, "per_s": reps / secs, "seconds": secs,
                      "peak_rss_mb": rss_mb, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
