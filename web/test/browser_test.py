#!/usr/bin/env python3
"""The page (web/dist) in headless Chromium, driven by Playwright.

Run by web/test/run.sh, which makes the virtual environment. Serves the built page on a
free 127.0.0.1 port from this process, then checks the three panels the way a person
would use them (typing, clicking, drawing with the mouse), and that nothing was logged
as an error. Every check prints what it saw; the exit code is 1 if any failed.

The checks live in one module per panel (check_apple.py, check_train.py, check_draw.py,
check_loading.py for how the module and the training digits are loaded, check_phone.py
for phone-sized windows); harness.py holds the server, the browser and the check/report
helpers.
"""

import argparse
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from check_apple import apple_checks
from check_draw import draw_checks, untrained_checks
from check_loading import digits_error_check, fallback_check, no_room_check
from check_phone import phone_checks
from check_train import error_checks, train_checks
from harness import Checks, PlaywrightError, first_line, launch, serve, text, wait_frames, watched_page


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
            context = launch(p, args.chromium, profile)
            try:
                page = watched_page(context, problems)
                run_checks(page, url, c, out, args.mnist)
                # Whatever the checks did, the page must not have shown an error.
                err = page.text_content("#error").strip()
                c.check("#error is empty at the end", err == "", repr(err))
                page.close()
                fallback_check(watched_page(context, problems), url, c)
                no_room_check(watched_page(context, problems), url, c)
                # Its own problems: only the expected 404 may be logged there.
                expected = []
                digits_error_check(watched_page(context, expected), url, c)
                unexpected = [p for p in expected if "train-labels-idx1-ubyte.gz" not in p
                              and "404" not in p]
                problems.extend(unexpected)
            finally:
                context.close()
            phone_checks(p, args.chromium, url, c, out, problems)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        server.shutdown()

    c.check("no console errors, page errors or failed requests", not problems, problems or "none")
    print(f"\nscreenshots: {', '.join(sorted(str(f) for f in out.glob('*.png')))}")
    if c.failed:
        print(f"browser test: {len(c.failed)} of {c.count} checks FAILED: {', '.join(c.failed)}")
        sys.exit(1)
    print(f"browser test: all {c.count} checks passed")


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
    load_size_check(page, c)

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


# What the page may load before it is usable, in bytes (issue 23): its HTML, scripts,
# style, module and shipped model. The module embeds only the 1,000 test digits; the
# 10,000 training digits (1.6 MB) are fetched when training starts (check_train.py).
MAX_PAGE_BYTES = 1_500_000


def load_size_check(page, c):
    """The bytes the page loaded, from the Resource Timing entries of the document and
    every resource: transferSize, what came over the network (headers and the body as
    sent: Python's server does not compress), or the body's size for a resource the
    cache answered. None of them is a training file."""
    sizes = page.evaluate(
        """() => [...performance.getEntriesByType('navigation'),
                  ...performance.getEntriesByType('resource')]
                 .map(e => [new URL(e.name).pathname, e.transferSize || e.encodedBodySize])"""
    )
    total = sum(size for _, size in sizes)
    size = dict(sizes)
    missing = [f for f in ("/", "/app.js", "/style.css", "/backprop_web.wasm", "/model.safetensors")
               if not size.get(f)]
    training = [name for name, _ in sizes if "/mnist/" in name]
    c.check(
        f"page loads at most {MAX_PAGE_BYTES:,} bytes, without the training digits",
        total <= MAX_PAGE_BYTES and not missing and not training,
        f"{total:,} bytes in {len(sizes)} files (backprop_web.wasm {size.get('/backprop_web.wasm', 0):,}, "
        f"model.safetensors {size.get('/model.safetensors', 0):,}); not measured {missing}; "
        f"training files {training}",
    )


def page_screenshot(page, _c, out, _mnist):
    """The whole page with the book's apple numbers, trained, a digit drawn."""
    page.select_option("#apple-graph", "apple")
    page.fill("#in-apple", "100")
    page.locator("#in-apple").blur()
    wait_frames(page)
    page.screenshot(path=str(out / "page.png"), full_page=True)


if __name__ == "__main__":
    main()
