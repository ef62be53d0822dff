"""Panel 3's checks: the first test digit of each class replayed on the canvas as mouse
strokes and read by the shipped network, a digit drawn with a finger, the 28×28
preview, a verdict while the stroke is drawn, and the page-trained network (missing
before training, then reading the drawing with scores of its own)."""

import gzip
from pathlib import Path

from harness import text, wait_frames

# Ink threshold when a test digit is replayed as mouse strokes (grey levels 0..255).
INK = 128


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


def untrained_checks(page, c, _out, _mnist):
    """Before any training, panel 3's "trained" network does not exist: said in #error,
    and no verdict; back to the shipped one, the error goes."""
    page.select_option("#draw-model", "trained")
    err = text(page, "#error")
    c.check("no page-trained network yet: said in #error", "network" in err and "train" in err, repr(err))
    page.select_option("#draw-model", "shipped")
    hidden = page.is_hidden("#error")
    c.check("shipped network again: #error cleared", hidden, f"hidden={hidden}")


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
