#!/usr/bin/env bash
# The crate and NumPy agree on a saved model: train the book's net briefly, save it,
# and measure it again in Python with NumPy and the `safetensors` package only (in a
# virtual environment under target/, made on first use). Exits non-zero unless the
# two test accuracies are equal to four decimals.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/interop-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check numpy safetensors

model=target/interop/model.safetensors
out=$(cargo run --release --quiet --example train -- --iters 2000 --save "$model" --plot target/interop/train.svg)
echo "$out" | tail -n 2
crate=$(echo "$out" | sed -n 's/^final: .*test_acc=\([0-9.]*\).*/\1/p')
[ -n "$crate" ] || { echo "error: no test_acc in the train example's last line" >&2; exit 1; }
"$venv/bin/python" interop/check_model.py "$model" --expect "$crate"
echo "interop: crate $crate, NumPy agrees"
