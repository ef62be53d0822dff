"""Panel 2's checks: the training digits fetched when Start is first pressed (shown
loading, then loaded), training with the Start button (loss, test accuracy, the steps
per second, responsiveness while training), Stop, an optimizer switch mid-run, the
chart, and a diverging learning rate shown in #error."""

from harness import text, wait_frames

# Training: the book's SGD with learning rate 0.1 from the page's seed (0) reaches a test
# accuracy above 0.85 on the first 1,000 test digits by this step (0.885 in the web
# crate's own test, web/crate/tests/train.rs, which trains the same run).
TRAIN_STEPS = 400
# The longest a click may wait while the page trains (slices of about 30 ms).
MAX_INPUT_DELAY_MS = 200

# The chart's padding around its plot rectangle, in CSS pixels: drawChart's `pad` in
# web/js/chart.js (the tick labels and the legend are drawn outside it).
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
          // Read from a copy: a second readback of the chart itself makes Chromium warn
          // (willReadFrequently) in the console.
          const copy = document.createElement('canvas');
          [copy.width, copy.height] = [c.width, c.height];
          const cc = copy.getContext('2d');
          cc.drawImage(c, 0, 0);
          const d = cc.getImageData(x0, y0, x1 - x0, y1 - y0).data;
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
          // The training digits' states (#train-data's data-state), with whether Start
          // and Reset could be pressed in each.
          const data = document.querySelector('#train-data');
          const button = id => document.querySelector(id);
          window.__data = [[data.dataset.state, button('#train-toggle').disabled, button('#train-reset').disabled]];
          new MutationObserver(() => window.__data.push(
            [data.dataset.state, button('#train-toggle').disabled, button('#train-reset').disabled, data.textContent.trim()]
          )).observe(data, {attributes: true, attributeFilter: ['data-state']});
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
    # (Once the training digits are loaded: the first Start fetches them.)
    page.wait_for_function("document.querySelector('#train-toggle').textContent === 'Stop'", timeout=60_000)
    button = text(page, "#train-toggle")
    c.check("Start turns into Stop", button == "Stop", button)
    page.wait_for_function("+document.querySelector('#train-iter').textContent >= 50", timeout=60_000)
    digits_checks(page, c)

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


def digits_checks(page, c):
    """The training digits: not loaded with the page, fetched at the first Start (the
    panel says so, Start and Reset wait), then loaded; the files and their size."""
    states = page.evaluate("window.__data")
    seen = [s[0] for s in states]
    c.check(
        "training digits: none at load, loading (Start and Reset disabled) at Start, then loaded",
        seen == ["none", "loading", "loaded"] and states[1][1:3] == [True, True]
        and states[2][1:3] == [False, False] and "10,000 training digits are loaded" in states[2][3],
        states,
    )
    files = page.evaluate(
        """() => performance.getEntriesByType('resource')
                 .filter(e => new URL(e.name).pathname.startsWith('/mnist/'))
                 .map(e => [new URL(e.name).pathname, e.transferSize || e.encodedBodySize])"""
    )
    total = sum(size for _, size in files)
    c.check(
        "the two training files fetched when training started",
        sorted(name for name, _ in files)
        == ["/mnist/train-images-idx3-ubyte.gz", "/mnist/train-labels-idx1-ubyte.gz"],
        f"{total:,} bytes: {files}",
    )


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
