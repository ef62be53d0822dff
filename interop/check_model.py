#!/usr/bin/env python3
"""Reads a model saved by backprop (safetensors) with NumPy alone and measures it.

The network is a chain of Affine layers with ReLU between them, as the crate's
examples train it: tensors `K.w` (shape [inputs, outputs], the book's layout) and
`K.b` ([outputs]) for the Affine layer at position K of the tuple. The forward pass
is y = relu(x @ W + b) for every layer but the last, y = x @ W + b for the last, in
the file's dtype; the predicted class is argmax y (the first on a tie, as the crate).

    python3 interop/check_model.py out/model.safetensors [--data data/mnist] [--expect 0.9444]

prints `accuracy=<a>` on the MNIST test set (t10k-*.gz, pixels p/255) with four
decimals; with --expect, exits 1 unless that is the printed value. The crate's own
figure is the `test_acc=` of `cargo run --release --example train -- --save PATH`.
For PyTorch, the same weights go into `nn.Linear` transposed: weight = W.T, bias = b.
"""

import argparse
import gzip
import re
import sys
from pathlib import Path

import numpy as np
from safetensors import safe_open


def read_idx(path: Path) -> np.ndarray:
    """An IDX file of unsigned bytes (raw or gzip), checked against its header."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic = int.from_bytes(raw[:4], "big")
    if magic >> 8 != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file (magic {magic:#010x})")
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(magic & 0xFF)]
    start = 4 + 4 * len(dims)
    if len(raw) - start != int(np.prod(dims)):
        sys.exit(f"{path}: {len(raw) - start} payload bytes, the header announces {dims}")
    return np.frombuffer(raw, dtype=np.uint8, offset=start).reshape(dims)


def find(data: Path, name: str) -> Path:
    for candidate in (data / name, data / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    sys.exit(f"{data / name}: no such file (nor .gz)")


def load_layers(path: Path):
    """[(W, b)] in layer order, checked: a chain of Affine layers."""
    try:
        with safe_open(str(path), framework="numpy") as f:
            names = list(f.keys())
            tensors = {name: f.get_tensor(name) for name in names}
            meta = f.metadata() or {}
    except Exception as e:  # OSError, or the package's own SafetensorError
        sys.exit(f"{path}: cannot read as safetensors: {e}")
    positions = sorted({int(m.group(1)) for n in names if (m := re.fullmatch(r"(\d+)\.[wb]", n))})
    if len(positions) * 2 != len(names):
        sys.exit(f"{path}: expected only Affine parameters `K.w`, `K.b`, found {names}")
    layers = []
    for k in positions:
        w, b = tensors.get(f"{k}.w"), tensors.get(f"{k}.b")
        if w is None or b is None or w.ndim != 2 or b.shape != (w.shape[1],):
            sys.exit(f"{path}: layer {k} is not an Affine layer (w [in, out], b [out])")
        layers.append((w, b))
    for (w, _), (v, _) in zip(layers, layers[1:]):
        if w.shape[1] != v.shape[0]:
            sys.exit(f"{path}: a layer gives {w.shape[1]} values, the next takes {v.shape[0]}")
    return layers, meta


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--data", type=Path, default=Path(__file__).parent.parent / "data" / "mnist")
    parser.add_argument("--expect", help="the accuracy the crate printed, four decimals")
    args = parser.parse_args()

    layers, meta = load_layers(args.model)
    dtype = layers[0][0].dtype
    images = read_idx(find(args.data, "t10k-images-idx3-ubyte"))
    labels = read_idx(find(args.data, "t10k-labels-idx1-ubyte"))
    # p / 255 rounded once to the model's dtype, as the crate loads MNIST.
    x = (images.reshape(len(images), -1).astype(np.float64) / 255.0).astype(dtype)
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if i + 1 < len(layers):
            x = np.maximum(x, 0)
    accuracy = f"{np.mean(np.argmax(x, axis=1) == labels):.4f}"
    print(f"network: {meta.get('network', '?')} ({dtype})")
    print(f"accuracy={accuracy}")
    if args.expect is not None and args.expect != accuracy:
        print(f"error: the crate measured {args.expect}, NumPy {accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
