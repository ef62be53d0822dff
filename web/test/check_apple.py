"""Panel 1's checks: the apple graphs of 5.1–5.4 with the book's numbers, the orange
inputs shown only for buy_apple_orange, and typing a new price."""


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
    label_checks(page, c)
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
    number_checks(page, c)


def number_checks(page, c):
    """Huge and tiny numbers are written with an exponent, in the picture and the
    table, and keep the picture its usual size; a number beyond f64 is refused with the
    message of any other bad input."""
    page.select_option("#apple-graph", "apple")
    width = page.evaluate("document.querySelector('#apple-svg svg').viewBox.baseVal.width")
    page.fill("#in-apple", "1e99")
    svg = svg_labels(page)
    seen = outputs(page, ["apple", "price", "dapple_num"])
    wide = page.evaluate("document.querySelector('#apple-svg svg').viewBox.baseVal.width")
    c.check(
        "apple 1e99: compact numbers in the picture and the table",
        "1e+99" in svg and "2.2e+99" in svg and "1.1e+99" in svg
        and seen == {"apple": "1e+99", "price": "2.2e+99", "dapple_num": "1.1e+99"},
        f"{seen}; picture: {svg}",
    )
    c.check("apple 1e99: the picture about its usual width", wide < 1.5 * width,
            f"viewBox width {wide:.0f} (apple 100: {width:.0f})")
    page.fill("#in-apple", "1e308")
    svg = svg_labels(page)
    c.check("apple 1e308: written 1e+308 in the picture", "1e+308" in svg and len(svg) < 200, svg)
    page.fill("#in-apple", "")
    empty = page.text_content("#error").strip()
    for typed in ["1e309", "-2e308", "1e-400"]:
        page.fill("#in-apple", typed)
        err = page.text_content("#error").strip()
        c.check(f"apple {typed} (beyond f64) refused like an empty field", err == empty != "",
                f"{err!r} (empty field: {empty!r})")
    page.fill("#in-apple", "100")
    expect_outputs(page, c, "apple back to 100 after the big numbers", {"price": "220", "dapple_num": "110"})


def label_gaps(page):
    """For every arrow label of the graph's picture: how far, in CSS pixels, its
    value's box ends above the arrow's line and its gradient's box starts below it
    (the line's point nearest to the label, from the arrow paths themselves)."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('#apple-svg svg');
          const ctm = svg.getScreenCTM();
          const points = [...svg.querySelectorAll('path')].flatMap(p => {
            const n = 200, len = p.getTotalLength();
            return Array.from({ length: n + 1 }, (_, i) => {
              const q = p.getPointAtLength(len * i / n);
              return { x: ctm.a * q.x + ctm.c * q.y + ctm.e, y: ctm.b * q.x + ctm.d * q.y + ctm.f };
            });
          });
          return [...svg.querySelectorAll('tspan.grad')].map(grad => {
            const value = grad.parentNode.querySelectorAll('tspan')[1];
            const g = grad.getBoundingClientRect(), v = value.getBoundingClientRect();
            const cx = (g.left + g.right) / 2, cy = (v.bottom + g.top) / 2;
            let best = null;
            for (const q of points) {
              const d = Math.hypot(q.x - cx, q.y - cy);
              if (!best || d < best.d) best = { d, y: q.y };
            }
            return { label: `${value.textContent}/${grad.textContent}`,
                     above: best.y - v.bottom, below: g.top - best.y };
          });
        }"""
    )


def label_checks(page, c):
    """Each gradient is printed below its arrow and each value above it, neither on
    the line (at least 3 CSS px of room on each side of it)."""
    for graph in ("apple", "apple_orange"):
        page.select_option("#apple-graph", graph)
        gaps = label_gaps(page)
        bad = [g for g in gaps if g["above"] < 3 or g["below"] < 3]
        c.check(
            f"{graph}: every value above its arrow, every gradient below it",
            gaps and not bad,
            bad or f"{len(gaps)} labels, gaps above ≥ {min(g['above'] for g in gaps):.1f} px, "
                   f"below ≥ {min(g['below'] for g in gaps):.1f} px",
        )
    page.select_option("#apple-graph", "apple")
