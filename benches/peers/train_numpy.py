#!/usr/bin/env python3
"""Train the book's TwoLayerNet on MNIST-format IDX files with NumPy (the book's recipe).

Recipe: pixels scaled to [0, 1], weights drawn with std 0.01, biases 0; each
iteration draws a batch of 100 training indices with replacement
(RandomState.choice) and takes one SGD step, lr 0.1; train and test accuracy are
evaluated on the full sets every iter_per_epoch = max(train_size / batch, 1)
iterations, starting at iteration 0, as in the book. After the last iteration the
accuracies are evaluated once more and printed as

    final: train_acc=<a> test_acc=<b> seconds=<s>

where seconds is the wall clock of the training loop, per-epoch evaluations
included, data loading excluded.

The backward pass skips the first Affine's dX, as the crate does (the same work);
--book-dx computes it, as the book's code does.

    python3 benches/peers/train_numpy.py [--data data/mnist] [--iters 10000] [--seed 42] [--book-dx]
"""

import argparse
import gzip
import sys
import time
from pathlib import Path

import _protocol

REPO = Path(__file__).resolve().parents[2]
IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049


def read_idx(path, magic, dims):
    """The payload of a gzip IDX file as a uint8 array, after checking its header."""
    import numpy as np

    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        sys.exit(f"cannot read {path}: {error}")
    header_len = 4 * (1 + dims)
    if len(raw) < header_len:
        sys.exit(f"{path}: {len(raw)} bytes, shorter than the IDX header")
    header = np.frombuffer(raw[:header_len], dtype=">u4")
    if header[0] != magic:
        sys.exit(f"{path}: magic {header[0]}, expected {magic}")
    shape = tuple(int(v) for v in header[1:])
    payload = np.frombuffer(raw[header_len:], dtype=np.uint8)
    if payload.size != int(np.prod(shape)):
        sys.exit(f"{path}: header says {shape} ({int(np.prod(shape))} bytes), "
                 f"payload has {payload.size}")
    return payload.reshape(shape)


def load(data_dir, prefix, dtype):
    """Images flattened to rows of 784 values in [0, 1], and their labels."""
    import numpy as np

    images = read_idx(data_dir / f"{prefix}-images-idx3-ubyte.gz", IMAGE_MAGIC, 3)
    labels = read_idx(data_dir / f"{prefix}-labels-idx1-ubyte.gz", LABEL_MAGIC, 1)
    if images.shape[0] != labels.shape[0]:
        sys.exit(f"{data_dir}/{prefix}: {images.shape[0]} images, {labels.shape[0]} labels")
    x = images.reshape(images.shape[0], -1).astype(dtype) / dtype.type(255)
    return x, labels.astype(np.int64)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=REPO / "data" / "mnist",
                   help="directory with the four MNIST-named .gz IDX files")
    p.add_argument("--iters", type=int, default=10000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--book-dx", action="store_true",
                   help="also compute the first layer's dX, as the book does")
    args = p.parse_args()
    _protocol.pin_threads(args.threads)

    import numpy as np
    from book_layers import TwoLayerNet

    dtype = np.dtype(args.dtype)
    x_train, t_train = load(args.data, "train", dtype)
    x_test, t_test = load(args.data, "t10k", dtype)
    train_size = x_train.shape[0]
    print(f"data {args.data}: {train_size} train, {x_test.shape[0]} test; "
          f"numpy {np.__version__}, {args.dtype}, threads {args.threads}, seed {args.seed}, "
          + _protocol.openblas_variables(), flush=True)
    print("work: " + ("the book's step (the first layer's dX too)" if args.book_dx
                      else "no dX for the first layer (as the crate)"), flush=True)
    print(_protocol.blas_description(), flush=True)

    rng = np.random.RandomState(args.seed)
    net = TwoLayerNet(rng, dtype, book_dx=args.book_dx)
    lr = dtype.type(args.lr)
    iter_per_epoch = max(train_size / args.batch, 1)

    start = time.perf_counter()
    epoch = 0
    loss = None
    for i in range(args.iters):
        if i % iter_per_epoch == 0:
            train_acc = net.accuracy(x_train, t_train)
            test_acc = net.accuracy(x_test, t_test)
            last = "-" if loss is None else f"{loss:.4f}"
            print(f"epoch {epoch}: iter={i} train_acc={train_acc:.4f} "
                  f"test_acc={test_acc:.4f} batch_loss={last}", flush=True)
            epoch += 1
        batch = rng.choice(train_size, args.batch)
        loss = float(net.train_step(x_train[batch], t_train[batch], lr))
    train_acc = net.accuracy(x_train, t_train)
    test_acc = net.accuracy(x_test, t_test)
    seconds = time.perf_counter() - start
    print(f"final: train_acc={train_acc:.4f} test_acc={test_acc:.4f} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
