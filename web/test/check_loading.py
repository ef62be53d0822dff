"""Loading checks, each in a tab of its own: a server that sends the module with another
MIME type than application/wasm, a wasm whose input buffer cannot grow, and training
digits that cannot be fetched."""

from harness import PlaywrightError, first_line, text


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


def digits_error_check(page, url, c):
    """The training digits cannot be fetched (the labels file answers HTTP 404): panel 2
    says so, in #train-data and #error, nothing trains and Start can be pressed again;
    once the file is there, Start loads the digits and trains. `page` is a tab that does
    not count the expected 404 as a failure."""
    labels = "**/mnist/train-labels-idx1-ubyte.gz"
    page.route(labels, lambda route: route.fulfill(status=404, body="not found"))
    page.goto(url)
    try:
        page.wait_for_function("document.body.dataset.ready", timeout=60_000)
        page.click("#train-toggle")
        page.wait_for_function("document.querySelector('#train-data').dataset.state !== 'loading'",
                               timeout=60_000)
    except PlaywrightError as e:
        print(f"     (waiting for the page: {first_line(e)})")
    state = page.evaluate("document.querySelector('#train-data').dataset.state")
    shown = text(page, "#train-data")
    err = text(page, "#error")
    button = text(page, "#train-toggle")
    usable = page.is_enabled("#train-toggle") and page.is_enabled("#train-reset")
    c.check(
        "training digits not found (HTTP 404): said in panel 2 and in #error, nothing trains",
        state == "failed" and "did not load" in shown and page.is_visible("#error")
        and err == "training digits: could not fetch mnist/train-labels-idx1-ubyte.gz: "
                   "HTTP 404 (run bash web/build.sh)"
        and button == "Start" and usable and text(page, "#train-iter") == "0",
        f"state={state!r} panel={shown!r} error={err!r} button={button!r} enabled={usable} "
        f"iteration {text(page, '#train-iter')}",
    )
    page.unroute(labels)
    try:
        page.click("#train-toggle")
        page.wait_for_function("+document.querySelector('#train-iter').textContent >= 10", timeout=60_000)
        page.click("#train-toggle")
    except PlaywrightError as e:
        print(f"     (waiting for the training: {first_line(e)})")
    state = page.evaluate("document.querySelector('#train-data').dataset.state")
    c.check(
        "the next Start loads the training digits and trains, #error cleared",
        state == "loaded" and page.is_hidden("#error") and int(text(page, "#train-iter")) >= 10,
        f"state={state!r} panel={text(page, '#train-data')!r} error={text(page, '#error')!r} "
        f"iteration {text(page, '#train-iter')}",
    )
    page.close()
