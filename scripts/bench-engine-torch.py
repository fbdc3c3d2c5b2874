"""PyTorch reference for `npm run bench:engine`: the same models and step (forward, backward, AdamW) on
the CPU with the same thread count. Usage: bench-engine-torch.py '<json config>' transformer1|transformer4|mlp;
prints one JSON line {"model", "ms"}: the median step time."""
import json
import math
import statistics
import sys
import time

import torch
from torch import nn


class Block(nn.Module):
    """Pre-LN transformer block: x + MHA(LN(x)), then x + MLP(LN(x)) with GELU."""

    def __init__(self, d, heads, ff):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.out = (nn.Linear(d, d) for _ in range(4))
        self.up, self.down = nn.Linear(d, ff), nn.Linear(ff, d)
        self.heads = heads

    def forward(self, x, bias):
        b, t, d = x.shape
        h = self.heads
        h_in = self.ln1(x)
        q, k, v = self.q(h_in), self.k(h_in), self.v(h_in)
        q, k, v = (z.view(b, t, h, d // h).transpose(1, 2) for z in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // h) + bias
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.out(attended)
        return x + self.down(nn.functional.gelu(self.up(self.ln2(x))))


class Classifier(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.tokens = nn.Embedding(c["vocab"], c["d_model"])
        self.positions = nn.Embedding(c["seq_len"], c["d_model"])
        self.blocks = nn.ModuleList(Block(c["d_model"], c["heads"], c["ff"]) for _ in range(c["layers"]))
        self.ln = nn.LayerNorm(c["d_model"])
        self.head = nn.Linear(c["d_model"], c["classes"])

    def forward(self, ids, mask):
        x = self.tokens(ids) + self.positions.weight[None, : ids.shape[1]]
        bias = ((1 - mask) * -1e9)[:, None, None, :]
        for block in self.blocks:
            x = block(x, bias)
        x = self.ln(x)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.head(pooled)


def time_step(model, inputs, labels, steps, warmup):
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(*inputs), labels)
        loss.backward()
        optimizer.step()
        if i >= warmup:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    config = json.loads(sys.argv[1])
    which = sys.argv[2]
    torch.set_num_threads(config["threads"])
    torch.manual_seed(0)
    if which.startswith("transformer"):
        t = config["transformer"]
        ids = torch.randint(0, t["vocab"], (t["batch"], t["seq_len"]))
        mask = torch.ones(t["batch"], t["seq_len"])
        labels = torch.randint(0, t["classes"], (t["batch"],))
        model = Classifier({**t, "layers": int(which[len("transformer"):])})
        ms = time_step(model, (ids, mask), labels, config["steps"], config["warmup"])
    else:
        m = config["mlp"]
        model = nn.Sequential(nn.Linear(m["inputs"], m["width"]), nn.GELU(), nn.Linear(m["width"], m["width"]),
                              nn.GELU(), nn.Linear(m["width"], m["classes"]))
        x = torch.randn(m["batch"], m["inputs"])
        y = torch.randint(0, m["classes"], (m["batch"],))
        ms = time_step(model, (x,), y, config["steps"], config["warmup"])
    print(json.dumps({"model": which, "ms": ms}))


if __name__ == "__main__":
    main()
