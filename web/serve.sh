#!/usr/bin/env bash
# Serves the built page (web/dist, made by web/build.sh) on http://127.0.0.1:PORT/
# (default 8000) for a person to open. Python's http.server sends .wasm files as
# application/wasm, so the browser compiles the module while it downloads.
set -euo pipefail
dist="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/dist"
port="${1:-8000}"
if [ ! -f "$dist/index.html" ] || [ ! -f "$dist/backprop_web.wasm" ]; then
  echo "error: $dist is not built: run bash web/build.sh first" >&2
  exit 1
fi
if ! python3 -c 'import mimetypes, sys; sys.exit(mimetypes.guess_type("m.wasm")[0] != "application/wasm")'; then
  echo "note: this Python does not send .wasm as application/wasm; the page still loads, compiling after the download" >&2
fi
echo "serving $dist on http://127.0.0.1:$port/ (Ctrl-C to stop)" >&2
exec python3 -m http.server --bind 127.0.0.1 --directory "$dist" "$port"
