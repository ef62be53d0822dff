"""Phone checks, in a browser context of their own: a 390×844 touch viewport with a
phone's meta-viewport handling (and a 320-px one, the narrowest phones), where the page
must not scroll sideways (the document no wider than the window) and the graph picture
must stay readable (its labels at least MIN_LABEL_PX CSS pixels tall; a picture wider
than the window scrolls inside its own box instead)."""

from harness import CHROMIUM_ARGS, PlaywrightError, first_line, wait_frames

PHONES = [(390, 844), (320, 568)]
# The smallest readable label of the graph picture, in CSS pixels.
MIN_LABEL_PX = 11


def label_px(page):
    """The graph picture's smallest <text> font size as drawn, in CSS pixels: its
    font-size in SVG units times the picture's CSS width per viewBox unit."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('#apple-svg svg');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const sizes = [...svg.querySelectorAll('text')]
            .filter(t => t.textContent.trim())
            .map(t => parseFloat(getComputedStyle(t).fontSize));
          return Math.min(...sizes) * scale;
        }"""
    )


def phone_checks(playwright, chromium, url, c, out, problems):
    browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
    try:
        for width, height in PHONES:
            context = browser.new_context(
                viewport={"width": width, "height": height},
                is_mobile=True,  # the meta viewport applies, as on a phone
                has_touch=True,
                device_scale_factor=2,
            )
            page = context.new_page()
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}")
                    if m.type in ("error", "assert") else None)
            try:
                page.goto(url)
                page.wait_for_function("document.body.dataset.ready", timeout=60_000)
                for graph in ("apple", "apple_orange"):
                    page.select_option("#apple-graph", graph)
                    wait_frames(page)
                    doc = page.evaluate("document.documentElement.scrollWidth")
                    win = page.evaluate("window.innerWidth")
                    c.check(f"{width}×{height} touch, {graph}: document no wider than the window",
                            doc <= width and win == width, f"document {doc} px, window {win} px")
                    px = label_px(page)
                    c.check(f"{width}×{height} touch, {graph}: graph labels ≥ {MIN_LABEL_PX} CSS px",
                            px >= MIN_LABEL_PX - 0.01, f"{px:.1f} px")
                page.screenshot(path=str(out / f"phone-{width}.png"), full_page=True)
            except PlaywrightError as e:
                c.check(f"{width}×{height} phone checks ran to the end", False, first_line(e))
            finally:
                context.close()
    finally:
        browser.close()
