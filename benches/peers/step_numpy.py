#!/usr/bin/env python3
"""Time one training step of the book's TwoLayerNet written in NumPy.

The step (see book_layers.py): Affine 784->50, ReLU, Affine 50->10, softmax +
cross-entropy, the backward pass through every layer (including the first
Affine's dX, which the book computes), and a plain SGD update, lr 0.1, on one fixed
random batch of 100. The protocol is in _protocol.py.

    python3 benches/peers/step_numpy.py --dtype float32 [--threads 1]
"""

import os
import sys

import _protocol


def blas_description():
    """One line naming the BLAS NumPy calls into (library, version, kernel, threads)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "blas: unknown (pip install threadpoolctl to see it)"
    parts = []
    for pool in threadpool_info():
        if pool.get("user_api") != "blas":
            continue
        parts.append(
            f"{pool.get('internal_api')} {pool.get('version')} "
            f"kernel={pool.get('architecture')} threads={pool.get('num_threads')}"
        )
    return "blas: " + ("; ".join(parts) if parts else "none found")


def main():
    p = _protocol.parser(__doc__.splitlines()[0])
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    args = p.parse_args()
    _protocol.pin_threads(args.threads)

    import numpy as np
    from book_layers import TwoLayerNet

    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(args.seed)
    x = rng.random((_protocol.BATCH, _protocol.INPUT)).astype(dtype)
    t = rng.integers(0, _protocol.CLASSES, size=_protocol.BATCH)
    net = TwoLayerNet(rng, dtype, _protocol.INPUT, _protocol.HIDDEN, _protocol.CLASSES,
                      _protocol.WEIGHT_STD)
    lr = dtype.type(_protocol.LEARNING_RATE)

    loss = net.train_step(x, t, lr)
    if net.affine1.w.dtype != dtype or net.affine1.dw.dtype != dtype:
        sys.exit(f"dtype leaked: weights {net.affine1.w.dtype}, gradient {net.affine1.dw.dtype}")

    print(f"numpy {np.__version__}, dtype {args.dtype}, threads {args.threads}, "
          + ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")), flush=True)
    print(blas_description(), flush=True)
    print(f"first loss {loss:.4f} (ln 10 = 2.3026 expected for small weights)", flush=True)
    _protocol.run(lambda: net.train_step(x, t, lr), args.warmup, args.steps, args.reps)


if __name__ == "__main__":
    main()
