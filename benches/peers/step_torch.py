#!/usr/bin/env python3
"""Time one training step of the same TwoLayerNet with PyTorch autograd on the CPU.

nn.Linear 784->50, ReLU, nn.Linear 50->10, F.cross_entropy (mean over the batch),
loss.backward(), then p -= lr * grad under no_grad; float32, weights drawn with
std 0.01 and zero biases like the book. The protocol is in _protocol.py.

Autograd computes only the gradients someone needs: the input batch does not
require a gradient, so the first layer's dX (100x50 · 50x784), which the book and
step_numpy.py compute, is skipped. `--input-grad` marks the batch as requiring a
gradient so that the work matches the book's step.

    python3 benches/peers/step_torch.py [--threads 1] [--input-grad]
"""

import re

import _protocol


def main():
    p = _protocol.parser(__doc__.splitlines()[0])
    p.add_argument("--input-grad", action="store_true",
                   help="also compute dL/dX of the batch, as the book's step does")
    args = p.parse_args()
    _protocol.pin_threads(args.threads)

    try:
        import torch
        import torch.nn.functional as F
        from torch import nn
    except ImportError as error:
        print(f"PyTorch is not installed ({error}); install it with `pip install torch` "
              "(the CPU wheels are large).")
        print("skipped: step_torch.py (no torch)")
        return

    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(args.seed)
    x = torch.rand(_protocol.BATCH, _protocol.INPUT, generator=generator)
    t = torch.randint(0, _protocol.CLASSES, (_protocol.BATCH,), generator=generator)
    if args.input_grad:
        x.requires_grad_(True)

    net = nn.Sequential(
        nn.Linear(_protocol.INPUT, _protocol.HIDDEN),
        nn.ReLU(),
        nn.Linear(_protocol.HIDDEN, _protocol.CLASSES),
    )
    with torch.no_grad():
        for layer in (net[0], net[2]):
            layer.weight.normal_(0.0, _protocol.WEIGHT_STD, generator=generator)
            layer.bias.zero_()
    params = list(net.parameters())
    lr = _protocol.LEARNING_RATE

    def step():
        for param in params:
            param.grad = None
        if x.grad is not None:
            x.grad = None
        loss = F.cross_entropy(net(x), t)
        loss.backward()
        with torch.no_grad():
            for param in params:
                param.add_(param.grad, alpha=-lr)
        return loss

    first = step().item()
    config = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", config)
    print(f"torch {torch.__version__}, float32, threads {torch.get_num_threads()}, "
          f"input grad {'yes' if args.input_grad else 'no'}, "
          f"BLAS {blas.group(1) if blas else 'unknown'}, "
          f"CPU capability {torch.backends.cpu.get_cpu_capability()}", flush=True)
    print(f"first loss {first:.4f} (ln 10 = 2.3026 expected for small weights)", flush=True)
    _protocol.run(step, args.warmup, args.steps, args.reps)


if __name__ == "__main__":
    main()
