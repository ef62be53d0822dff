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
