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

With --convnet it trains the book's SimpleConvNet instead (section 7.5,
convnet_layers.py) with the recipe of the crate's `simple_convnet` example: Adam
(lr 0.001), batches of 100, --epochs of train_size / 100 iterations (20 by
default), each epoch's batches taken in order from a new permutation of the
training set (--draw replacement: the book's draw with replacement), and after
each epoch the accuracies of the first 1,000 digits of each split (the book's
evaluate_sample_num_per_epoch); the final line as above, both splits whole,
predicted in batches of 100. No dX for the convolution (its input is data), as
the crate does.

    python3 benches/peers/train_numpy.py --convnet [--epochs 20] [--seed 0] [--dtype float64]
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


def load_both(args, work):
    """Both splits in args.dtype, after printing the header lines every run starts with:
    the data, NumPy's settings, the work done and the BLAS kernel."""
    import numpy as np

    dtype = np.dtype(args.dtype)
    train, test = load(args.data, "train", dtype), load(args.data, "t10k", dtype)
    print(f"data {args.data}: {train[0].shape[0]} train, {test[0].shape[0]} test; "
          f"numpy {np.__version__}, {args.dtype}, threads {args.threads}, seed {args.seed}, "
          + _protocol.openblas_variables(), flush=True)
    print(f"work: {work}", flush=True)
    print(_protocol.blas_description(), flush=True)
    return train, test


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=REPO / "data" / "mnist",
                   help="directory with the four MNIST-named .gz IDX files")
    p.add_argument("--iters", type=int, default=10000, help="TwoLayerNet iterations")
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.1, help="TwoLayerNet's SGD step")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--book-dx", action="store_true",
                   help="also compute the first layer's dX, as the book does")
    p.add_argument("--convnet", action="store_true",
                   help="train the SimpleConvNet (Adam) instead of the TwoLayerNet (SGD)")
    p.add_argument("--epochs", type=int, default=20, help="--convnet: epochs (default 20)")
    p.add_argument("--draw", choices=("shuffled", "replacement"), default="shuffled",
                   help="--convnet: how batches are drawn (default shuffled epochs)")
    args = p.parse_args()
    _protocol.pin_threads(args.threads)
    if args.convnet:
        if args.book_dx:
            sys.exit("--book-dx is the TwoLayerNet's; the SimpleConvNet never computes "
                     "the convolution's dX")
        train_convnet(args)
        return

    import numpy as np
    from book_layers import TwoLayerNet

    dtype = np.dtype(args.dtype)
    work = ("the book's step (the first layer's dX too)" if args.book_dx
            else "no dX for the first layer (as the crate)")
    (x_train, t_train), (x_test, t_test) = load_both(args, work)
    train_size = x_train.shape[0]

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


def accuracy(net, x, t, batch=100):
    """The share of `x` whose top score is its label, predicted `batch` rows at a time."""
    right = 0
    for start in range(0, x.shape[0], batch):
        scores = net.predict(x[start:start + batch])
        right += int((scores.argmax(axis=1) == t[start:start + batch]).sum())
    return right / x.shape[0]


def train_convnet(args):
    """The SimpleConvNet's training (see the module's documentation)."""
    import numpy as np
    from convnet_layers import SimpleConvNet

    dtype = np.dtype(args.dtype)
    work = f"SimpleConvNet, no dX for the convolution (as the crate), draw {args.draw}"
    (x_train, t_train), (x_test, t_test) = load_both(args, work)
    x_train, x_test = x_train.reshape(-1, 1, 28, 28), x_test.reshape(-1, 1, 28, 28)
    train_size = x_train.shape[0]
    if args.epochs < 1 or train_size < args.batch:
        sys.exit("--epochs must be at least 1, and the training set hold one batch")

    rng = np.random.RandomState(args.seed)
    net = SimpleConvNet(rng, dtype)
    iters = train_size // args.batch
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        order = rng.permutation(train_size) if args.draw == "shuffled" else None
        for i in range(iters):
            batch = (order[i * args.batch:(i + 1) * args.batch] if order is not None
                     else rng.choice(train_size, args.batch))
            loss = float(net.train_step(x_train[batch], t_train[batch]))
            if not np.isfinite(loss):
                sys.exit(f"epoch {epoch}, iteration {i}: the loss is {loss}")
        train_acc = accuracy(net, x_train[:1000], t_train[:1000])
        test_acc = accuracy(net, x_test[:1000], t_test[:1000])
        print(f"epoch {epoch}: train_acc={train_acc:.4f} test_acc={test_acc:.4f} "
              f"batch_loss={loss:.4f}", flush=True)
    train_acc = accuracy(net, x_train, t_train)
    test_acc = accuracy(net, x_test, t_test)
    seconds = time.perf_counter() - start
    print(f"final: train_acc={train_acc:.4f} test_acc={test_acc:.4f} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
