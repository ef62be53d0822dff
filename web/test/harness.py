"""The browser test's harness: the static server, Chromium through Playwright, the
collection of console errors, and the check/report helpers every panel's checks use."""

import functools
import http.server
import threading

from playwright.sync_api import Error as PlaywrightError  # noqa: F401 (re-exported)

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


def launch(playwright, chromium, profile):
    """Debian's Chromium, headless, with a fresh profile in `profile`: a 1200×900 window
    with touch events enabled (for the finger-drawn digit)."""
    return playwright.chromium.launch_persistent_context(
        profile,
        executable_path=chromium,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1200, "height": 900},
        has_touch=True,  # for the finger-drawn digit
    )


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
