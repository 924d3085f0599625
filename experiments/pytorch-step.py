#!/usr/bin/env python3
"""PyTorch's time and memory for the training step `experiments.jar bench` times, for a same-window comparison.

The step (issue 14): a BERT of MiniLM's shape (6 layers, 384 wide, 12 heads, 1536 intermediate, 30,522 tokens; bert-base's
with --bert-base), batch 32 x 64 random ids, the vocabulary logits at one position per row through the tied word-embedding
decoder, cross-entropy over the whole vocabulary, Adam on every weight. Weights are random: the work does not depend on
their values. The module is the fixture script's plain-PyTorch BERT (onnx-import/safetensors-fixture/generate.py) at
this shape.

    /usr/bin/python3 experiments/pytorch-step.py [--bert-base] [--threads 2] [--repeats 5]

Debian's python3-torch links the reference BLAS (BLAS_INFO=generic) unless an optimised one is installed: with
`apt-get install libopenblas0-pthread` its step is about 9 times faster (45 s -> 5 s on a loaded two-core machine).
"""
import argparse
import importlib.util
import os
import resource
import statistics
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "fixture", os.path.join(HERE, "..", "onnx-import", "safetensors-fixture", "generate.py"))
fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixture)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bert-base", action="store_true", help="bert-base's shape instead of MiniLM's")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    shape = (12, 768, 12, 3072) if args.bert_base else (6, 384, 12, 1536)
    fixture.LAYERS, fixture.HIDDEN, fixture.HEADS, fixture.INTERMEDIATE = shape
    fixture.MAX_POSITIONS, fixture.TYPES = 512, 2
    vocab, batch, length = 30522, 32, 64
    torch.manual_seed(42)
    model = fixture.Bert(vocab)
    for weight in model.parameters():
        if weight.dim() > 1:
            torch.nn.init.normal_(weight, std=0.02)  # BERT's initialiser: logits of a sane size
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-5)
    ids = torch.randint(1000, vocab, (batch, length))
    attention = torch.ones(batch, length, dtype=torch.long)
    positions = torch.randint(0, length, (batch,))
    targets = torch.randint(1000, vocab, (batch,))

    def step():
        optimiser.zero_grad()
        h = model(ids, attention)[torch.arange(batch), positions]
        logits = h @ model.embeddings.word_embeddings.weight.T
        loss = torch.nn.functional.cross_entropy(logits, targets)
        loss.backward()
        optimiser.step()
        return loss.item()

    times = []
    for i in range(args.warmup + args.repeats):
        start = time.perf_counter()
        loss = step()
        ms = (time.perf_counter() - start) * 1000
        print(f"step {i + 1}: {ms:.0f} ms, loss {loss:.4f}{' (warm-up)' if i < args.warmup else ''}", flush=True)
        if i >= args.warmup:
            times.append(ms)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pytorch {torch.__version__}, {args.threads} threads, {'bert-base' if args.bert_base else 'minilm'} "
          f"{batch} x {length}: median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms, "
          f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
