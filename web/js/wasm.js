// The page's link to the crate compiled to WebAssembly (backprop_web.wasm): loading
// the module, the input and output buffers, the call wrapper, and #error, where every
// failure is shown (nothing is thrown to the console). Also `$` and `format`, which
// every panel uses.
//
// The interface (documented in web/crate/src/abi.rs): plain `extern "C"` exports; JS
// writes into an input buffer the wasm owns (`bp_input`) and reads each call's output
// (`bp_output_ptr`, `bp_output_len`): JSON on success (return 0), a one-line message on
// failure (return -1).

export const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------------------------
// Errors: shown in #error, one line per source, cleared when that source succeeds.

const errors = new Map();

export function setError(source, message) {
  if (message) errors.set(source, message);
  else errors.delete(source);
  const box = $('#error');
  box.textContent = [...errors.values()].join('\n');
  box.hidden = errors.size === 0;
}

// How many sources have an error shown now.
export function errorCount() {
  return errors.size;
}

// A failed wasm call (its return value was -1): the message is the wasm's own.
export class WasmError extends Error {}

// ---------------------------------------------------------------------------------
// The wasm module and the two buffers.

let wasm = null; // the instance's exports
const decoder = new TextDecoder();

// Loads the module into this file's `wasm`, which `call` and `setInput` use.
export async function loadWasm(url) {
  wasm = await instantiate(url);
}

// Fetches and instantiates the module: streaming compilation when the server sends
// `application/wasm`, else (another MIME type, or an old browser) from the whole bytes.
async function instantiate(url) {
  if (WebAssembly.instantiateStreaming) {
    try {
      const { instance } = await WebAssembly.instantiateStreaming(fetchOk(url), {});
      document.body.dataset.loader = 'streaming';
      return instance.exports;
    } catch (err) {
      // A missing file is not worth a second try; a wrong MIME type is.
      if (err instanceof FetchError) throw err;
    }
  }
  const bytes = await (await fetchOk(url)).arrayBuffer();
  const { instance } = await WebAssembly.instantiate(bytes, {});
  document.body.dataset.loader = 'arraybuffer';
  return instance.exports;
}

export class FetchError extends Error {}

// fetch() that turns an HTTP error (a 404: the page was not built) into a FetchError.
export async function fetchOk(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new FetchError(`could not fetch ${url}: ${err.message}`);
  }
  if (!response.ok) {
    throw new FetchError(`could not fetch ${url}: HTTP ${response.status} (run bash web/build.sh)`);
  }
  return response;
}

// The last call's output as text. Views on memory are made fresh each time: a call
// may grow the memory, which detaches the old ArrayBuffer.
function outputText() {
  const ptr = wasm.bp_output_ptr();
  const len = wasm.bp_output_len();
  return decoder.decode(new Uint8Array(wasm.memory.buffer, ptr, len));
}

// Calls export `name` with `args`; returns its parsed JSON output or throws WasmError
// with the wasm's message.
export function call(name, ...args) {
  if (typeof wasm[name] !== 'function') {
    throw new WasmError(`backprop_web.wasm has no export ${name} (an old build? run bash web/build.sh)`);
  }
  const rc = wasm[name](...args);
  const text = outputText();
  if (rc !== 0) throw new WasmError(text);
  return JSON.parse(text);
}

// Copies `bytes` (a Uint8Array or Uint8ClampedArray) into the wasm's input buffer.
// Throws WasmError when the wasm could not make room (`bp_input` returned address 0
// because its memory cannot grow that far): writing at 0 would corrupt its memory.
export function setInput(bytes) {
  const ptr = wasm.bp_input(bytes.length);
  if (ptr === 0 && bytes.length > 0) {
    throw new WasmError(`no room for ${bytes.length.toLocaleString('en')} bytes of input: the WebAssembly memory cannot grow that far`);
  }
  new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
}

// How every number from the wasm is shown: six significant digits, no trailing zeros
// (2.2000000000000002 → "2.2"). `null` is a non-finite number.
export function format(v) {
  if (v === null || v === undefined) return '—';
  const rounded = Number(v.toPrecision(6));
  // Huge and tiny numbers with an exponent, as the graph's picture writes them
  // (backprop::graph::Rounded): 2.2e+99, not 100 digits.
  const size = Math.abs(rounded);
  if (Number.isFinite(rounded) && (size >= 1e15 || (size > 0 && size < 1e-6))) {
    return rounded.toExponential();
  }
  return rounded.toString();
}

