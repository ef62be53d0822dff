#!/usr/bin/env bash
# The page in a real browser: serves web/dist (built by web/build.sh) on a free
# 127.0.0.1 port and drives Debian's Chromium, headless, with Playwright for Python
# (installed into a virtual environment under target/, made on first use; Playwright's
# own browser downloads are never used). Screenshots go to target/web-test/.
# Exits non-zero if any check fails, and also when Chromium or the built page is
# missing: a test that cannot run must not pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "error: no Chromium at $chromium: apt-get install chromium (or set CHROMIUM)" >&2
  exit 1
fi
for f in index.html app.js js/wasm.js js/apple.js js/train.js js/chart.js js/draw.js style.css \
  backprop_web.wasm model.safetensors mnist/train-images-idx3-ubyte.gz \
  mnist/train-labels-idx1-ubyte.gz; do
  if [ ! -f "web/dist/$f" ]; then
    echo "error: web/dist/$f is missing: run bash web/build.sh first" >&2
    exit 1
  fi
done

venv=target/web-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$venv/bin/pip" install --quiet --disable-pip-version-check \
  playwright==1.65.2

exec "$venv/bin/python" web/test/browser_test.py \
  --chromium "$chromium" --dist web/dist --mnist data/mnist --out target/web-test
