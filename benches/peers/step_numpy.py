#!/usr/bin/env python3
"""Time one training step of the book's TwoLayerNet written in NumPy.

The step (see book_layers.py): Affine 784->50, ReLU, Affine 50->10, softmax +
cross-entropy, the backward pass, and a plain SGD update, lr 0.1, on one fixed
random batch of 100. The protocol is in _protocol.py.

By default the backward pass skips the first Affine's dX, as the crate does (the
same work: the headline comparison); --book-dx computes it too, as the book's code
does (7.8 MFLOP more per step).

    python3 benches/peers/step_numpy.py --dtype float32 [--threads 1] [--book-dx]
    python3 benches/peers/step_numpy.py --convnet --warmup 10 --steps 50

--convnet times the book's SimpleConvNet instead (convnet_layers.py: im2col
convolution, max pooling, 4320->100->10, Adam), on one fixed random batch of 100
digits as 1 x 28 x 28 images; the same work as `step_bench --convnet` (no dX for
the convolution, whose input is the data).
"""

import sys

import _protocol


def main():
    p = _protocol.parser(__doc__.splitlines()[0])
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--book-dx", action="store_true",
                   help="also compute the first layer's dX, as the book does")
    p.add_argument("--convnet", action="store_true",
                   help="time the book's SimpleConvNet with Adam instead")
    args = p.parse_args()
    _protocol.pin_threads(args.threads)
    if args.convnet:
        return convnet(args)

    import numpy as np
    from book_layers import TwoLayerNet

    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(args.seed)
    x = rng.random((_protocol.BATCH, _protocol.INPUT)).astype(dtype)
    t = rng.integers(0, _protocol.CLASSES, size=_protocol.BATCH)
    net = TwoLayerNet(rng, dtype, _protocol.INPUT, _protocol.HIDDEN, _protocol.CLASSES,
                      _protocol.WEIGHT_STD, book_dx=args.book_dx)
    lr = dtype.type(_protocol.LEARNING_RATE)

    loss = net.train_step(x, t, lr)
    if net.affine1.w.dtype != dtype or net.affine1.dw.dtype != dtype:
        sys.exit(f"dtype leaked: weights {net.affine1.w.dtype}, gradient {net.affine1.dw.dtype}")

    print(f"numpy {np.__version__}, dtype {args.dtype}, threads {args.threads}, "
          + _protocol.openblas_variables(), flush=True)
    print("work: " + ("the book's step (the first layer's dX too)" if args.book_dx
                      else "no dX for the first layer (as the crate)"), flush=True)
    print(_protocol.blas_description(), flush=True)
    print(f"first loss {loss:.4f} (ln 10 = 2.3026 expected for small weights)", flush=True)
    _protocol.run(lambda: net.train_step(x, t, lr), args.warmup, args.steps, args.reps)


def convnet(args):
    """The SimpleConvNet step (see the module documentation)."""
    import numpy as np
    from convnet_layers import SimpleConvNet

    dtype = np.dtype(args.dtype)
    rng = np.random.default_rng(args.seed)
    x = rng.random((_protocol.BATCH, 1, 28, 28)).astype(dtype)
    t = rng.integers(0, _protocol.CLASSES, size=_protocol.BATCH)
    net = SimpleConvNet(rng, dtype)
    loss = net.train_step(x, t)
    if net.conv.dw.dtype != dtype or net.affine1.dw.dtype != dtype:
        sys.exit(f"dtype leaked: conv gradient {net.conv.dw.dtype}")
    print(f"numpy {np.__version__}, dtype {args.dtype}, threads {args.threads}, "
          + _protocol.openblas_variables(), flush=True)
    print("work: SimpleConvNet with Adam, no dX for the convolution (as the crate)", flush=True)
    print(_protocol.blas_description(), flush=True)
    print(f"first loss {loss:.4f} (ln 10 = 2.3026 expected for small weights)", flush=True)
    _protocol.run(lambda: net.train_step(x, t), args.warmup, args.steps, args.reps)


if __name__ == "__main__":
    main()
