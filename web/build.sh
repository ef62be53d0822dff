#!/usr/bin/env bash
# Builds the page into web/dist/ (everything a static server needs, index.html at its
# top): the crate compiled to WebAssembly, the book's net trained and saved by the train
# example as the page's shipped model, the training digits the page fetches when
# training starts, and the page's own HTML, JavaScript (app.js and the modules in js/)
# and CSS.
# Runs from any directory. Then: bash web/serve.sh, and open http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dist=web/dist
mkdir -p "$dist" target/web

# The wasm target, once (rustup keeps it with the toolchain).
if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
else
  echo "note: no rustup; assuming the toolchain has the wasm32-unknown-unknown target" >&2
fi

# The crate as WebAssembly: plain extern "C" exports, no wasm-bindgen. SIMD128 is in
# every current browser and speeds up the matrix products.
echo "build.sh: building backprop_web.wasm" >&2
RUSTFLAGS="-C target-feature=+simd128" cargo build --release \
  --target wasm32-unknown-unknown -p backprop-web
cp target/wasm32-unknown-unknown/release/backprop_web.wasm "$dist/"

# The shipped model: the book's net trained on the shipped MNIST subset (10,000 steps,
# seed 0, a few seconds). Trained again whenever the train example was rebuilt (the
# crate changed), else the saved one is kept.
cargo build --release --example train
model=$dist/model.safetensors
if [ ! -f "$model" ] || [ target/release/examples/train -nt "$model" ]; then
  echo "build.sh: training the shipped model" >&2
  cargo run --release --quiet --example train -- --save "$model" --plot target/web/train.svg | tail -n 1
else
  echo "build.sh: $model is newer than the train example; kept" >&2
fi

# The training digits, as shipped in data/mnist (1.6 MB gzipped): fetched by panel 2
# from mnist/ only when training first starts, so that the page loads in under 1.5 MB
# (the module embeds the 1,000 test digits it measures accuracy on, cut by its build.rs).
rm -rf "$dist/mnist"
mkdir -p "$dist/mnist"
cp data/mnist/train-images-idx3-ubyte.gz data/mnist/train-labels-idx1-ubyte.gz "$dist/mnist/"

# The page: index.html, its entry module app.js and style.css at the top, the modules
# app.js imports under js/ (emptied first, so a module deleted in web/js/ goes too).
cp web/index.html web/app.js web/style.css "$dist/"
rm -rf "$dist/js"
mkdir -p "$dist/js"
cp web/js/*.js "$dist/js/"
# What the page loads (every file but the training digits; web/test checks it is at
# most 1.5 MB in the browser), and what training adds.
load=$(find "$dist" -type f ! -path "$dist/mnist/*" -printf '%s\n' | awk '{ s += $1 } END { print s }')
data=$(du -cb "$dist"/mnist/* | tail -n 1 | cut -f1)
echo "build.sh: the page is in $dist/: $load bytes at load, $data more when training starts" >&2
echo "build.sh: serve it with: bash web/serve.sh" >&2
