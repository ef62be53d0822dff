#!/usr/bin/env python3
"""The page (web/dist) in headless Chromium, driven by Playwright.

Run by web/test/run.sh, which makes the virtual environment. Serves the built page on a
free 127.0.0.1 port from this process, then checks the three panels the way a person
would use them (typing, clicking, drawing with the mouse), and that nothing was logged
as an error. Every check prints what it saw; the exit code is 1 if any failed.
"""

import argparse
import functools
import gzip
import http.server
import shutil
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Training: the book's SGD with learning rate 0.1 from the page's seed (0) reaches a test
# accuracy above 0.85 on the first 1,000 test digits by this step (0.885 in the web
# crate's own test, web/crate/tests/train.rs, which trains the same run).
TRAIN_STEPS = 400
# The longest a click may wait while the page trains (slices of about 30 ms).
MAX_INPUT_DELAY_MS = 200
# Ink threshold when a test digit is replayed as mouse strokes (grey levels 0..255).
INK = 128

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Checks:
    """Records each check's outcome and prints it with the observed value."""

    def __init__(self):
        self.failed = []
        self.count = 0

    def check(self, name, ok, seen):
        self.count += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {seen}", flush=True)
        if not ok:
            self.failed.append(name)
        return ok


def serve(directory):
    """Serves `directory` on a free 127.0.0.1 port with Python's http.server (what
    web/serve.sh runs); returns the server and its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def read_idx(path):
    """A gzip'd IDX file: (dimensions, bytes)."""
    data = gzip.open(path, "rb").read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return dims, data[4 + 4 * ndim :]


def first_of_each_digit(mnist):
    """The first test image of each label 0..9: {label: (index, 28 rows of 28 bytes)}."""
    (n, rows, cols), images = read_idx(Path(mnist) / "t10k-images-idx3-ubyte.gz")
    (_,), labels = read_idx(Path(mnist) / "t10k-labels-idx1-ubyte.gz")
    found = {}
    for i in range(n):
        label = labels[i]
        if label not in found:
            img = images[i * rows * cols : (i + 1) * rows * cols]
            found[label] = (i, [img[r * cols : (r + 1) * cols] for r in range(rows)])
        if len(found) == 10:
            break
    return found


def ink_runs(image):
    """Each horizontal run of ink pixels, row by row: (row, first col, last col)."""
    runs = []
    for y, row in enumerate(image):
        x = 0
        while x < len(row):
            if row[x] >= INK:
                start = x
                while x + 1 < len(row) and row[x + 1] >= INK:
                    x += 1
                runs.append((y, start, x))
            x += 1
    return runs


def first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def text(page, selector):
    return page.text_content(selector).strip()


def wait_frames(page, n=2):
    """Lets the page run `n` animation frames (pending predictions, repaints)."""
    page.evaluate(
        "n => new Promise(done => { const f = k => k ? requestAnimationFrame(() => f(k - 1)) : done(); f(n); })",
        n,
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--dist", default="web/dist")
    ap.add_argument("--mnist", default="data/mnist")
    ap.add_argument("--out", default="target/web-test")
    args = ap.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):  # no screenshot left over from an earlier run
        old.unlink()
    c = Checks()
    server, url = serve(args.dist)

    # The server sends the module as application/wasm (else no streaming compilation).
    head = urllib.request.Request(url + "backprop_web.wasm", method="HEAD")
    with urllib.request.urlopen(head) as r:
        mime = r.headers.get("Content-Type")
    c.check("backprop_web.wasm served as application/wasm", mime == "application/wasm", mime)

    problems = []  # console errors, page errors, failed requests: each one fails the run
    profile = tempfile.mkdtemp(prefix="backprop-web-test-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=args.chromium,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1200, "height": 900},
                has_touch=True,  # for the finger-drawn digit
            )
            try:
                page = watched_page(context, problems)
                run_checks(page, url, c, out, args.mnist)
                # Whatever the checks did, the page must not have shown an error.
                err = page.text_content("#error").strip()
                c.check("#error is empty at the end", err == "", repr(err))
                page.close()
                fallback_check(watched_page(context, problems), url, c)
                no_room_check(watched_page(context, problems), url, c)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        server.shutdown()

    c.check("no console errors, page errors or failed requests", not problems, problems or "none")
    print(f"\nscreenshots: {', '.join(sorted(str(f) for f in out.glob('*.png')))}")
    if c.failed:
        print(f"browser test: {len(c.failed)} of {c.count} checks FAILED: {', '.join(c.failed)}")
        sys.exit(1)
    print(f"browser test: all {c.count} checks passed")


def watched_page(context, problems):
    """A new tab whose console errors, page errors and failed requests go to `problems`."""
    page = context.new_page()
    def console(m):
        if m.type in ("error", "assert"):
            problems.append(f"console.{m.type}: {m.text}")
        elif m.type == "warning":
            print(f"     (console warning, not a failure: {m.text})", flush=True)

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    return page


def fallback_check(page, url, c):
    """A server that sends the module with another MIME type than application/wasm:
    the page falls back to compiling the whole bytes, quietly."""

    def wrong_mime(route):
        response = route.fetch()
        headers = {**response.headers, "content-type": "application/octet-stream"}
        route.fulfill(response=response, headers=headers)

    page.route("**/backprop_web.wasm", wrong_mime)
    page.goto(url)
    try:
        page.wait_for_function("document.body.dataset.ready", timeout=60_000)
    except PlaywrightError as e:
        print(f"     (waiting for the page: {first_line(e)})")
    ready = page.evaluate("document.body.dataset.ready")
    loader = page.evaluate("document.body.dataset.loader")
    price = page.text_content("#out-price") if page.query_selector("#out-price") else None
    c.check(
        "module served as application/octet-stream: loaded from its bytes instead",
        ready == "1" and loader == "arraybuffer" and price == "220",
        f"ready={ready!r} loader={loader!r} price={price!r} error={page.text_content('#error').strip()!r}",
    )
    page.close()


def no_room_check(page, url, c):
    """A wasm whose input buffer cannot grow (`bp_input` returns address 0, as when its
    memory is full): loading the shipped model fails in #error instead of writing the
    file at address 0."""
    page.add_init_script(
        """(() => {
          const full = (result) => ({
            ...result,
            instance: { exports: { ...result.instance.exports, bp_input: () => 0 } },
          });
          const streaming = WebAssembly.instantiateStreaming;
          const bytes = WebAssembly.instantiate;
          WebAssembly.instantiateStreaming = (...a) => streaming.apply(WebAssembly, a).then(full);
          WebAssembly.instantiate = (...a) => bytes.apply(WebAssembly, a).then(full);
        })()"""
    )
    page.goto(url)
    try:
        page.wait_for_function("document.body.dataset.ready", timeout=60_000)
    except PlaywrightError as e:
        print(f"     (waiting for the page: {first_line(e)})")
    ready = page.evaluate("document.body.dataset.ready")
    err = page.text_content("#error").strip()
    c.check(
        "bp_input out of memory (address 0): shown in #error, nothing written",
        ready == "failed" and err.startswith("shipped model: no room for") and page.is_visible("#error"),
        f"ready={ready!r} error={err!r}",
    )
    page.close()


def run_checks(page, url, c, out, mnist):
    page.goto(url)
    try:
        page.wait_for_function("document.body.dataset.ready", timeout=60_000)
    except PlaywrightError as e:
        print(f"     (waiting for the page: {first_line(e)})")
    ready = page.evaluate("document.body.dataset.ready")
    c.check(
        "page ready (wasm and shipped model loaded)",
        ready == "1",
        f"ready={ready!r} status={text(page, '#status')!r} error={text(page, '#error')!r}",
    )
    if ready != "1":
        return
    loader = page.evaluate("document.body.dataset.loader")
    c.check("module compiled while streaming", loader == "streaming", loader)

    # Each panel on its own: a panel whose checks cannot go on (a wait timed out) is a
    # failure, and the next panel is still checked.
    for name, panel in [("apple", apple_checks), ("untrained", untrained_checks),
                        ("train", train_checks), ("draw", draw_checks),
                        ("page", page_screenshot), ("error", error_checks)]:
        try:
            panel(page, c, out, mnist)
        except (PlaywrightError, ValueError) as e:
            c.check(f"{name} checks ran to the end", False,
                    f"{first_line(e)}; #error={text(page, '#error')!r}")


def untrained_checks(page, c, _out, _mnist):
    """Before any training, panel 3's "trained" network does not exist: said in #error,
    and no verdict; back to the shipped one, the error goes."""
    page.select_option("#draw-model", "trained")
    err = text(page, "#error")
    c.check("no page-trained network yet: said in #error", "network" in err and "train" in err, repr(err))
    page.select_option("#draw-model", "shipped")
    hidden = page.is_hidden("#error")
    c.check("shipped network again: #error cleared", hidden, f"hidden={hidden}")


def page_screenshot(page, _c, out, _mnist):
    """The whole page with the book's apple numbers, trained, a digit drawn."""
    page.select_option("#apple-graph", "apple")
    page.fill("#in-apple", "100")
    page.locator("#in-apple").blur()
    wait_frames(page)
    page.screenshot(path=str(out / "page.png"), full_page=True)


def error_checks(page, c, _out, _mnist):
    """A failure in the wasm is shown in #error (never thrown): here a learning rate
    so large that the loss diverges; Reset with a sane one clears it."""
    page.select_option("#optimizer", label="sgd")  # (Adam's steps are bounded by lr)
    page.fill("#lr", "1e9")
    page.click("#train-reset")
    page.click("#train-toggle")
    page.wait_for_function("!document.querySelector('#error').hidden", timeout=60_000)
    page.wait_for_function("document.querySelector('#train-toggle').textContent === 'Start'", timeout=10_000)
    err = text(page, "#error")
    c.check("a diverging loss (lr 1e9) is shown in #error and stops training",
            "diverged" in err and "learning rate" in err,
            f"{err!r} at iteration {text(page, '#train-iter')}")
    page.fill("#lr", "")
    page.click("#train-toggle")
    err = text(page, "#error")
    c.check("an empty learning rate is refused in #error",
            err == "the learning rate must be a positive number" and text(page, "#train-toggle") == "Start",
            f"{err!r}, button {text(page, '#train-toggle')!r}")
    page.fill("#lr", "0.1")
    page.click("#train-reset")
    hidden = page.is_hidden("#error")
    c.check("Reset with lr 0.1 clears #error", hidden and text(page, "#train-iter") == "0",
            f"hidden={hidden}, iteration {text(page, '#train-iter')}")


def outputs(page, keys):
    return {k: page.text_content(f"#out-{k}") for k in keys}


def expect_outputs(page, c, name, expected):
    seen = outputs(page, expected)
    c.check(name, seen == expected, seen)


def svg_labels(page):
    """The words of the graph's SVG (its <text> elements), in one line."""
    words = page.eval_on_selector_all("#apple-svg svg text", "ts => ts.map(t => t.textContent)")
    return " ".join(" ".join(words).split())


def apple_checks(page, c, out, _mnist):
    # 5.1–5.4, buy_apple: 2 apples at 100, tax 1.1.
    page.select_option("#apple-graph", "apple")
    expect_outputs(
        page, c, "apple graph, the book's numbers",
        {"price": "220", "dapple": "2.2", "dapple_num": "110", "dtax": "200"},
    )
    svg = svg_labels(page)
    c.check("apple graph's SVG shows the values", "220" in svg and "2.2" in svg, svg)
    hidden = page.is_hidden("#in-orange")
    c.check("orange inputs hidden for the apple graph", hidden, f"hidden={hidden}")

    # buy_apple_orange: + 3 oranges at 150.
    page.select_option("#apple-graph", "apple_orange")
    expect_outputs(
        page, c, "apple and orange graph, the book's numbers",
        {"price": "715", "dapple_num": "110", "dapple": "2.2", "dorange": "3.3",
         "dorange_num": "165", "dtax": "650"},
    )
    visible = page.is_visible("#in-orange") and page.is_visible("#in-orange_num")
    c.check("orange inputs shown for apple and orange", visible, f"visible={visible}")
    page.locator("#panel-apple").screenshot(path=str(out / "panel-apple-orange.png"))

    # Typing a new apple price updates the graph at once.
    page.select_option("#apple-graph", "apple")
    page.fill("#in-apple", "150")
    expect_outputs(page, c, "apple 150 typed", {"price": "330", "dapple_num": "165", "dapple": "2.2"})
    svg = svg_labels(page)
    c.check("the SVG follows the input", "330" in svg and "165" in svg, svg)
    page.fill("#in-apple", "100")
    expect_outputs(page, c, "apple back to 100", {"price": "220", "dapple_num": "110"})
    page.locator("#panel-apple").screenshot(path=str(out / "panel-apple.png"))


# The chart's padding around its plot rectangle, in CSS pixels: drawChart's `pad` in
# web/app.js (the tick labels and the legend are drawn outside it).
CHART_PAD = {"left": 52, "right": 52, "top": 26, "bottom": 34}


def chart_pixels(page):
    """Opaque (alpha > 200) pixels of the loss (blue, #1f77b4) and accuracy (orange,
    #ff7f0e) colours inside #train-chart's plot rectangle (the padding times
    devicePixelRatio, as the page draws at the device's resolution)."""
    return page.evaluate(
        """pad => {
          const c = document.querySelector('#train-chart');
          const dpr = window.devicePixelRatio || 1;
          const x0 = Math.ceil(pad.left * dpr), y0 = Math.ceil(pad.top * dpr);
          const x1 = Math.floor(c.width - pad.right * dpr), y1 = Math.floor(c.height - pad.bottom * dpr);
          const d = c.getContext('2d').getImageData(x0, y0, x1 - x0, y1 - y0).data;
          let blue = 0, orange = 0;
          for (let i = 0; i < d.length; i += 4) {
            const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
            if (a <= 200) continue;
            if (Math.abs(r - 0x1f) < 30 && Math.abs(g - 0x77) < 30 && Math.abs(b - 0xb4) < 30) blue++;
            if (Math.abs(r - 0xff) < 30 && Math.abs(g - 0x7f) < 30 && Math.abs(b - 0x0e) < 30) orange++;
          }
          return {blue, orange, plot: [x0, y0, x1 - x0, y1 - y0]};
        }""",
        CHART_PAD,
    )


def train_checks(page, c, out, _mnist):
    # Every state the read-outs show (they change together after each slice), and how
    # long each click on Clear waited to be handled.
    page.evaluate(
        """() => {
          const read = id => document.querySelector(id).textContent;
          window.__shown = [];
          new MutationObserver(() => {
            window.__shown.push([+read('#train-iter'), parseFloat(read('#train-loss')), parseFloat(read('#train-acc'))]);
          }).observe(document.querySelector('#train-iter'), {childList: true, characterData: true, subtree: true});
          window.__delays = [];
          document.querySelector('#draw-clear').addEventListener('click',
            e => window.__delays.push(performance.now() - e.timeStamp));
        }"""
    )
    labels = page.eval_on_selector_all("#optimizer option", "os => os.map(o => o.textContent)")
    c.check(
        "optimizer choices",
        labels == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"],
        labels,
    )
    page.select_option("#optimizer", label="adam")
    lr_adam = page.input_value("#lr")
    page.select_option("#optimizer", label="sgd")
    lr_sgd = page.input_value("#lr")
    c.check("the book's learning rates (adam, sgd)", (lr_adam, lr_sgd) == ("0.001", "0.1"), (lr_adam, lr_sgd))

    empty = chart_pixels(page)  # the chart before any training: axes, labels, no curve
    page.click("#train-toggle")
    c.check("Start turns into Stop", text(page, "#train-toggle") == "Stop", text(page, "#train-toggle"))
    page.wait_for_function("+document.querySelector('#train-iter').textContent >= 50", timeout=60_000)

    # Responsive while training: clicks on another control are handled at once.
    iters = []
    for _ in range(5):
        iters.append(int(text(page, "#train-iter")))
        page.click("#draw-clear")
        page.wait_for_timeout(150)
    iters.append(int(text(page, "#train-iter")))
    delays = page.evaluate("window.__delays")
    c.check(
        f"clicks while training handled within {MAX_INPUT_DELAY_MS} ms",
        len(delays) == 5 and max(delays) < MAX_INPUT_DELAY_MS and iters[-1] > iters[0],
        f"delays {[round(d) for d in delays]} ms, iterations during the clicks {iters}",
    )

    page.wait_for_function(
        f"+document.querySelector('#train-iter').textContent >= {TRAIN_STEPS}", timeout=180_000
    )
    page.click("#train-toggle")
    wait_frames(page)
    stopped_at = text(page, "#train-iter")
    page.wait_for_timeout(300)
    still = text(page, "#train-iter")
    c.check("Stop stops", stopped_at == still and text(page, "#train-toggle") == "Start",
            f"iteration {stopped_at} then {still}, button {text(page, '#train-toggle')!r}")

    # The read-outs when the iteration count reached TRAIN_STEPS (a multiple of 100, where
    # the page measures the test accuracy), against the first ones shown.
    shown = [r for r in page.evaluate("window.__shown") if r[0] > 0]
    first = shown[0] if shown else None
    at_n = next((r for r in shown if r[0] == TRAIN_STEPS), None)
    c.check(
        f"training lowers the loss (first slice vs step {TRAIN_STEPS})",
        first is not None and at_n is not None and at_n[1] < 0.5 * first[1],
        f"first shown: iteration {first[0] if first else None} loss {first[1] if first else None}; "
        f"at {TRAIN_STEPS}: loss {at_n[1] if at_n else None}",
    )
    c.check(
        f"test accuracy above 0.85 at step {TRAIN_STEPS} (sgd, lr 0.1)",
        at_n is not None and at_n[2] > 0.85,
        f"{at_n[2] if at_n else None} (first shown {first[2] if first else None})",
    )
    rate = text(page, "#train-rate")
    print(f"     after Stop: iteration {still}, loss {text(page, '#train-loss')}, "
          f"test accuracy {text(page, '#train-acc')}, {rate} steps/s")
    c.check("steps per second shown", rate.isdigit() and int(rate) > 0, rate)

    # Another optimizer mid-run keeps the weights: Adam goes on from the trained net (a
    # fresh one would start at a loss of ln 10 ≈ 2.3).
    before = int(still)
    page.select_option("#optimizer", label="adam")
    lr = page.input_value("#lr")
    page.click("#train-toggle")
    page.wait_for_function(f"+document.querySelector('#train-iter').textContent >= {before + 200}",
                           timeout=60_000)
    page.click("#train-toggle")
    wait_frames(page)
    after = [r for r in page.evaluate("window.__shown") if r[0] > before]
    c.check(
        "switching to adam mid-run keeps the weights",
        lr == "0.001" and bool(after) and after[0][1] < 1.0 and page.is_hidden("#error"),
        f"lr {lr}; first loss after the switch {after[0][1] if after else None} at iteration "
        f"{after[0][0] if after else None}; now iteration {text(page, '#train-iter')}, "
        f"loss {text(page, '#train-loss')}, test accuracy {text(page, '#train-acc')}",
    )

    # The chart has both curves: pixels of the loss (blue) and accuracy (orange) colours,
    # opaque, inside the plot rectangle (the tick labels and the legend, drawn outside it
    # in the same colours, do not count), and more of them than on the empty chart.
    after = chart_pixels(page)
    c.check(
        "the chart shows loss and accuracy curves",
        after["blue"] > 200 and after["orange"] > 200
        and after["blue"] > empty["blue"] and after["orange"] > empty["orange"],
        f"inside the plot: {after} after training, {empty} on the empty chart before Start",
    )
    page.locator("#panel-train").screenshot(path=str(out / "panel-train.png"))


def draw_digit(page, image):
    """Replays `image` on #draw with the mouse: each run of ink pixels in a row is one
    press, move and release, the 28×28 scaled to the canvas (×10)."""
    box = page.locator("#draw").bounding_box()
    sx, sy = box["width"] / 28, box["height"] / 28
    for y, x0, x1 in ink_runs(image):
        yy = box["y"] + (y + 0.5) * sy
        page.mouse.move(box["x"] + (x0 + 0.5) * sx, yy)
        page.mouse.down()
        page.mouse.move(box["x"] + (x1 + 0.5) * sx, yy)
        page.mouse.up()
    wait_frames(page)


def touch_digit(page, image):
    """As draw_digit, with touch events (touchStart, touchMove, touchEnd) sent through
    Chromium's DevTools protocol: a finger on a touch screen."""
    page.evaluate(
        """() => {
          window.__pointerTypes = [];
          document.querySelector('#draw').addEventListener('pointerdown', e => {
            if (!window.__pointerTypes.includes(e.pointerType)) window.__pointerTypes.push(e.pointerType);
          });
        }"""
    )
    cdp = page.context.new_cdp_session(page)
    box = page.locator("#draw").bounding_box()
    sx, sy = box["width"] / 28, box["height"] / 28
    for y, x0, x1 in ink_runs(image):
        yy = box["y"] + (y + 0.5) * sy
        for kind, x in (("touchStart", x0), ("touchMove", x1)):
            point = {"x": box["x"] + (x + 0.5) * sx, "y": yy}
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [point]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    wait_frames(page)


def bar_widths(page):
    """The ten probability bars' widths (percent), digit 0 to 9."""
    return page.eval_on_selector_all("#scores .bar", "bs => bs.map(b => parseFloat(b.style.width) || 0)")


def draw_checks(page, c, out, mnist):
    page.select_option("#draw-model", "shipped")
    digits = first_of_each_digit(mnist)
    right = 0
    results = []
    for label in range(10):
        index, image = digits[label]
        page.click("#draw-clear")
        c.check(f"Clear empties the verdict (before digit {label})", text(page, "#draw-digit") == "",
                repr(text(page, "#draw-digit")))
        draw_digit(page, image)
        seen = text(page, "#draw-digit")
        widths = page.eval_on_selector_all(
            "#scores .bar", "bs => bs.map(b => [+b.dataset.digit, parseFloat(b.style.width)])"
        )
        widest = max(widths, key=lambda w: w[1])[0] if widths else None
        p = dict(widths).get(int(seen), 0.0) if seen.isdigit() else 0.0
        ok = seen == str(label)
        right += ok
        results.append(f"{label}->{seen}")
        print(f"     test image #{index} (a {label}), drawn in {len(ink_runs(image))} strokes: "
              f"read {seen!r} ({p:.1f}%) {'right' if ok else 'WRONG'}", flush=True)
        c.check(f"digit {label}: the widest bar is the verdict", str(widest) == seen, f"widest {widest}, verdict {seen!r}")
        if label == 3:
            page.locator("#panel-draw").screenshot(path=str(out / "panel-draw.png"))
    c.check("drawn test digits read right (shipped model), at least 8 of 10", right >= 8,
            f"{right}/10: {' '.join(results)}")

    # With a finger: the same pointer events, from touch. The 7 drawn as touch strokes.
    page.click("#draw-clear")
    touch_digit(page, digits[7][1])
    seen = text(page, "#draw-digit")
    kinds = page.evaluate("window.__pointerTypes")
    c.check("a 7 drawn with a finger (touch events) is read as 7",
            seen == "7" and kinds == ["touch"], f"read {seen!r}, pointer types {kinds}")

    # The preview shows what the net saw: some bright pixels.
    lit = page.evaluate(
        """() => {
          const d = document.querySelector('#draw-preview').getContext('2d').getImageData(0, 0, 28, 28).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] > 128) n++;
          return n;
        }"""
    )
    c.check("the 28×28 preview shows the digit", 20 < lit < 400, f"{lit} bright pixels")

    # The verdict follows the stroke while it is drawn, before the button is released.
    page.click("#draw-clear")
    box = page.locator("#draw").bounding_box()
    page.mouse.move(box["x"] + 140, box["y"] + 50)
    page.mouse.down()
    page.mouse.move(box["x"] + 140, box["y"] + 230, steps=5)
    wait_frames(page)
    during = text(page, "#draw-digit")
    page.mouse.up()
    c.check("a digit is read while the stroke is drawn (a vertical bar)", during.isdigit(), repr(during))
    page.click("#draw-clear")
    draw_digit(page, digits[9][1])
    shipped = bar_widths(page)

    # The network trained in panel 2 reads the drawing too, with its own scores: the ten
    # bars differ from the shipped network's on the same drawing.
    page.select_option("#draw-model", "trained")
    wait_frames(page)
    seen = text(page, "#draw-digit")
    err = text(page, "#error")
    trained = bar_widths(page)
    c.check("the page-trained network reads the drawing too",
            seen.isdigit() and err == "" and trained != shipped and sum(trained) > 0,
            f"verdict {seen!r}, error {err!r}; bars (%) shipped {shipped}, trained {trained}")
    page.select_option("#draw-model", "shipped")
    wait_frames(page)


if __name__ == "__main__":
    main()
