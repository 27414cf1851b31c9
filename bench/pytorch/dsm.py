"""PyTorch baseline for bench/score.ts: the same DSM workloads as scorelab, timed the same way.

Usage: python3 dsm.py WORKLOAD THREADS REPS   (WORKLOAD: w1 | w2 | w3 | u8 | u28)
  w1: DSM training step, 2-D MLP (2 + 32-d Fourier time embedding, 3 x 256 SiLU), batch 512, Adam, clip, EMA
  w2: DSM training step, 784-d MLP (784 + 32, 3 x 512 SiLU), batch 128, same optimiser
  w3: 500 reverse Euler-Maruyama steps (VP SDE) of 10,000 particles with the w1 network, forward only
  u8: DSM training step, U-Net of src/score/unet.ts (16 channels, 4 groups) on 8x8 images, batch 128
  u28: the same U-Net on 28x28 images, batch 32
  op: eager torch.add on two [16] tensors, REPS times (the per-op overhead; per_s is ops/s)
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


def gn(c, groups):
    return torch.nn.GroupNorm(groups if c % groups == 0 else 1, c, eps=1e-5)


class Block(torch.nn.Module):
    """Residual block of src/score/unet.ts: GN-SiLU-conv, + time embedding, GN-SiLU-conv, + skip."""

    def __init__(self, cin, cout, tdim, groups):
        super().__init__()
        self.n1, self.c1 = gn(cin, groups), torch.nn.Conv2d(cin, cout, 3, padding=1)
        self.t = torch.nn.Linear(tdim, cout)
        self.n2, self.c2 = gn(cout, groups), torch.nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = torch.nn.Conv2d(cin, cout, 1, bias=False) if cin != cout else None

    def forward(self, x, temb):
        f = torch.nn.functional.silu
        h = self.c1(f(self.n1(x))) + self.t(temb)[:, :, None, None]
        h = self.c2(f(self.n2(h)))
        return h + (self.skip(x) if self.skip is not None else x)


class UNet(torch.nn.Module):
    """The U-Net of src/score/unet.ts (two resolutions, skips across the bottleneck), NCHW."""

    def __init__(self, size, c=16, groups=4, emb=32):
        super().__init__()
        self.size = size
        self.register_buffer("freqs", torch.randn(emb // 2) * 4.0)
        self.temb = torch.nn.Linear(emb, 4 * c)
        self.conv_in = torch.nn.Conv2d(1, c, 3, padding=1)
        self.down, self.low = Block(c, c, 4 * c, groups), Block(c, 2 * c, 4 * c, groups)
        self.mid, self.low_up = Block(2 * c, 2 * c, 4 * c, groups), Block(4 * c, 2 * c, 4 * c, groups)
        self.up = Block(3 * c, c, 4 * c, groups)
        self.out_norm, self.conv_out = gn(c, groups), torch.nn.Conv2d(c, 1, 3, padding=1)
        torch.nn.init.zeros_(self.conv_out.weight)
        torch.nn.init.zeros_(self.conv_out.bias)

    def forward(self, x, t):
        f = torch.nn.functional
        a, s = marginal(t)
        arg = 2 * math.pi * t[:, None] * self.freqs[None, :]
        temb = f.silu(self.temb(torch.cat([torch.sin(arg), torch.cos(arg)], 1)))
        img = (x / torch.sqrt(a * a + s * s)[:, None]).view(-1, 1, self.size, self.size)
        h1 = self.down(self.conv_in(img), temb)
        h2 = self.low(f.avg_pool2d(h1, 2), temb)
        h3 = self.mid(h2, temb)
        h4 = self.low_up(torch.cat([h3, h2], 1), temb)
        h5 = self.up(torch.cat([f.interpolate(h4, size=(self.size, self.size), mode="nearest"), h1], 1), temb)
        return self.conv_out(f.silu(self.out_norm(h5))).view(x.shape[0], -1)


def train_steps(d, width, batch, reps, net=None):
    net = net if net is not None else Net(d, width, 3)
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
    elif workload == "u8":
        secs = train_steps(64, 0, 128, reps, UNet(8))
    elif workload == "u28":
        secs = train_steps(784, 0, 32, reps, UNet(28))
    elif workload == "op":
        a, b = torch.randn(16), torch.randn(16)
        for _ in range(1000):
            torch.add(a, b)
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.add(a, b)
        secs = time.perf_counter() - t0
    elif workload == "w3":
        secs = euler_maruyama(reps)
    else:
        raise SystemExit(f"dsm.py: unknown workload {workload!r} (w1, w2, w3, u8, u28 or op)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"workload": workload, "threads": threads, "per_s": reps / secs, "seconds": secs,
                      "peak_rss_mb": rss_mb, "torch": torch.__version__,
                      "num_threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads()}))


if __name__ == "__main__":
    main()
