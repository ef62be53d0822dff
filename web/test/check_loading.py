"""Loading checks, each in a tab of its own: a server that sends the module with another
MIME type than application/wasm, and a wasm whose input buffer cannot grow."""

from harness import PlaywrightError, first_line


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
