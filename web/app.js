// The page's JavaScript: loads the crate compiled to WebAssembly (backprop_web.wasm)
// and wires its exports to the three panels. No framework, no build step.
//
// The interface (documented in web/crate/src/abi.rs): plain `extern "C"` exports; JS
// writes into an input buffer the wasm owns (`bp_input`) and reads each call's output
// (`bp_output_ptr`, `bp_output_len`): JSON on success (return 0), a one-line message on
// failure (return -1). Every failure is shown in #error, nothing is thrown to the console.

const $ = (selector) => document.querySelector(selector);

// ---------------------------------------------------------------------------------
// Errors: shown in #error, one line per source, cleared when that source succeeds.

const errors = new Map();

function setError(source, message) {
  if (message) errors.set(source, message);
  else errors.delete(source);
  const box = $('#error');
  box.textContent = [...errors.values()].join('\n');
  box.hidden = errors.size === 0;
}

// A failed wasm call (its return value was -1): the message is the wasm's own.
class WasmError extends Error {}

// ---------------------------------------------------------------------------------
// The wasm module and the two buffers.

let wasm = null; // the instance's exports
const decoder = new TextDecoder();

// Fetches and instantiates the module: streaming compilation when the server sends
// `application/wasm`, else (another MIME type, or an old browser) from the whole bytes.
async function loadWasm(url) {
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

class FetchError extends Error {}

// fetch() that turns an HTTP error (a 404: the page was not built) into a FetchError.
async function fetchOk(url) {
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
function call(name, ...args) {
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
function setInput(bytes) {
  const ptr = wasm.bp_input(bytes.length);
  if (ptr === 0 && bytes.length > 0) {
    throw new WasmError(`no room for ${bytes.length.toLocaleString('en')} bytes of input: the WebAssembly memory cannot grow that far`);
  }
  new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
}

// How every number from the wasm is shown: six significant digits, no trailing zeros
// (2.2000000000000002 → "2.2"). `null` is a non-finite number.
function format(v) {
  if (v === null || v === undefined) return '—';
  return Number(v.toPrecision(6)).toString();
}

// ---------------------------------------------------------------------------------
// Panel 1: the apple graphs (5.1–5.4).

const APPLE_INPUTS = {
  // graph name → [which, the inputs in the order bp_apple takes them]
  apple: [0, ['apple', 'apple_num', 'tax']],
  apple_orange: [1, ['apple', 'apple_num', 'orange', 'orange_num', 'tax']],
};

// Human names of the nodes, for the values table.
const NODE_NAMES = {
  apple: 'apple (price of one)',
  apple_num: 'apple_num (how many)',
  orange: 'orange (price of one)',
  orange_num: 'orange_num (how many)',
  tax: 'tax',
  apple_price: 'apple_price = apple × apple_num',
  orange_price: 'orange_price = orange × orange_num',
  all_price: 'all_price = apple_price + orange_price',
  price: 'price (what you pay)',
};

function updateApple() {
  const graph = $('#apple-graph').value;
  const [which, names] = APPLE_INPUTS[graph];
  document.querySelectorAll('#panel-apple .orange').forEach((label) => {
    label.hidden = graph !== 'apple_orange';
  });
  const args = [];
  for (const name of names) {
    const input = $(`#in-${name}`);
    const v = input.valueAsNumber;
    if (!Number.isFinite(v)) {
      setError('apple', `enter a number for ${name}`);
      return;
    }
    args.push(v);
  }
  while (args.length < 5) args.push(0);
  try {
    const { svg, values } = call('bp_apple', which, ...args);
    $('#apple-svg').innerHTML = svg; // the crate's own picture, not user input
    trimSvg($('#apple-svg svg'));
    fillAppleTable(values);
    setError('apple', null);
  } catch (err) {
    setError('apple', `apple graph: ${err.message}`);
  }
}

// The recorder's picture leaves room below the graph; fit the view to what is drawn.
function trimSvg(svg) {
  if (!svg || typeof svg.getBBox !== 'function') return;
  const box = svg.getBBox();
  if (!(box.width > 0 && box.height > 0)) return;
  const m = 6; // margin
  svg.setAttribute('viewBox', `${box.x - m} ${box.y - m} ${box.width + 2 * m} ${box.height + 2 * m}`);
  svg.setAttribute('width', String(box.width + 2 * m));
  svg.setAttribute('height', String(box.height + 2 * m));
}

// One row per node: its forward value (out-K) and its gradient (out-dK).
function fillAppleTable(values) {
  const body = $('#apple-values tbody');
  body.replaceChildren();
  for (const key of Object.keys(values)) {
    if (!(`d${key}` in values)) continue; // a gradient: shown in its node's row
    const row = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = NODE_NAMES[key] ?? key;
    row.append(name, outputCell(key, values[key]), outputCell(`d${key}`, values[`d${key}`]));
    body.append(row);
  }
}

function outputCell(key, value) {
  const cell = document.createElement('td');
  const out = document.createElement('output');
  out.id = `out-${key}`;
  out.textContent = format(value);
  cell.append(out);
  return cell;
}

function initApple() {
  $('#apple-graph').addEventListener('change', updateApple);
  for (const input of document.querySelectorAll('#panel-apple input')) {
    input.addEventListener('input', updateApple);
  }
  updateApple();
}

// ---------------------------------------------------------------------------------
// Panel 2: training (5.7).

// The book's learning rates (5.7 for SGD, 6.1 for the others), by optimizer name.
const DEFAULT_LR = { sgd: 0.1, momentum: 0.01, nesterov: 0.01, adagrad: 0.01, rmsprop: 0.01, adam: 0.001 };
const SLICE_MS = 30; // run steps for about this long, then let the page breathe
const EVAL_EVERY = 100; // steps between test-accuracy measurements
const EVAL_SAMPLES = 1000; // the first 1,000 test digits
const SEED = 0;

const train = {
  exists: false, // a net was created in the wasm (bp_train_start)
  running: false,
  token: 0, // which training loop is the current one
  iteration: 0,
  msPerStep: 5, // measured; decides how many steps fit in a slice
  loss: [], // [iteration, mean loss of a slice]
  maxLoss: 2.5, // the largest finite loss in `loss` (at least 2.5): the loss axis's end
  acc: [], // [iteration, test accuracy]
  switches: [], // [iteration, "optimizer lr"] where the optimizer or learning rate changed
  rateWindow: [], // [time, iteration], the last second or so, for steps per second
};

// The learning rate in the input, or null (and an error shown) when it is not usable.
function learningRate() {
  const lr = $('#lr').valueAsNumber;
  if (!(Number.isFinite(lr) && lr > 0)) {
    setError('train', 'the learning rate must be a positive number');
    return null;
  }
  return lr;
}

// Creates a fresh net (seeded, so each Reset replays the same run) at iteration 0.
function trainCreate() {
  train.running = false;
  const lr = learningRate();
  if (lr === null) return false;
  try {
    call('bp_train_start', Number($('#optimizer').value), lr, SEED);
    Object.assign(train, {
      exists: true, iteration: 0, loss: [], maxLoss: 2.5, acc: [], switches: [], rateWindow: [],
    });
    evaluate();
  } catch (err) {
    setError('train', `training: ${err.message}`);
    return false;
  }
  setError('train', null);
  showTrain();
  // Panel 3 waiting for a network trained here: now there is one.
  if (!modelOk && $('#draw-model').value === 'trained') useModel();
  return true;
}

// Test accuracy on the first 1,000 test digits, added to the chart.
function evaluate() {
  const { test_acc } = call('bp_train_eval', EVAL_SAMPLES);
  train.acc.push([train.iteration, test_acc]);
}

function trainToggle() {
  if (train.running) {
    train.running = false; // the loop stops before its next slice
    $('#train-toggle').textContent = 'Start';
    return;
  }
  if (learningRate() === null) return;
  if (!train.exists && !trainCreate()) return;
  trainLoop();
}

// Trains slice after slice until Stop, Reset or an error. A loop left over from before a
// quick Stop-Start sees a newer token and ends, so only one loop ever runs.
async function trainLoop() {
  const token = ++train.token;
  train.running = true;
  $('#train-toggle').textContent = 'Stop';
  train.rateWindow = [[performance.now(), train.iteration]];
  try {
    while (train.running && train.token === token) {
      trainSlice();
      showTrain();
      // Yield to the event loop: clicks, typing and drawing are handled here.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (err) {
    // A diverged loss (learning rate too large) or any other wasm error. The weights
    // may be NaN now: the next Start begins a fresh net.
    train.running = false;
    train.exists = false;
    setError('train', `training: ${err.message}`);
  }
  if (train.token === token) {
    $('#train-toggle').textContent = 'Start';
    showTrain();
  }
}

// About SLICE_MS of training steps; stops at each multiple of EVAL_EVERY to measure.
function trainSlice() {
  const start = performance.now();
  while (performance.now() - start < SLICE_MS) {
    const left = SLICE_MS - (performance.now() - start);
    const toEval = EVAL_EVERY - (train.iteration % EVAL_EVERY);
    const n = Math.max(1, Math.min(toEval, Math.floor(left / train.msPerStep)));
    const t0 = performance.now();
    const { iteration, loss } = call('bp_train_steps', n);
    const ms = (performance.now() - t0) / n;
    train.msPerStep = 0.7 * train.msPerStep + 0.3 * Math.max(ms, 0.01);
    train.iteration = iteration;
    train.loss.push([iteration, loss]);
    if (Number.isFinite(loss)) train.maxLoss = Math.max(train.maxLoss, loss);
    if (iteration % EVAL_EVERY === 0) {
      evaluate();
      redrawPrediction(); // the trained net changed: re-read the drawing if it uses it
      break;
    }
  }
  const now = performance.now();
  train.rateWindow.push([now, train.iteration]);
  while (train.rateWindow.length > 2 && now - train.rateWindow[1][0] > 1000) train.rateWindow.shift();
}

// Read-outs and chart.
function showTrain() {
  $('#train-iter').textContent = String(train.iteration);
  const lastLoss = train.loss.at(-1);
  $('#train-loss').textContent = lastLoss && lastLoss[1] !== null ? lastLoss[1].toFixed(4) : '–';
  const lastAcc = train.acc.at(-1);
  $('#train-acc').textContent = lastAcc ? lastAcc[1].toFixed(3) : '–';
  const w = train.rateWindow;
  if (train.running && w.length >= 2) {
    const [t0, i0] = w[0];
    const [t1, i1] = w[w.length - 1];
    if (t1 > t0) $('#train-rate').textContent = String(Math.round(((i1 - i0) * 1000) / (t1 - t0)));
  }
  drawChart();
}

// A new optimizer or learning rate: keep the weights, start the optimizer afresh.
function trainSet() {
  const lr = learningRate();
  if (lr === null || !train.exists) return;
  try {
    call('bp_train_set', Number($('#optimizer').value), lr);
    setError('train', null);
    const name = $('#optimizer').selectedOptions[0]?.textContent ?? '';
    if (train.iteration > 0) train.switches.push([train.iteration, `${name} ${lr}`]);
    drawChart();
  } catch (err) {
    setError('train', `training: ${err.message}`);
  }
}

function trainReset() {
  // A fresh net now, so that panel 3's "trained" network is the one shown here.
  trainCreate();
  $('#train-toggle').textContent = 'Start';
  $('#train-rate').textContent = '–';
  redrawPrediction();
}

// The chart: loss (left axis) and test accuracy (right axis, 0..1) against iterations.
function drawChart() {
  const canvas = $('#train-chart');
  // Draw at the device's resolution so lines stay sharp.
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || canvas.width;
  const cssH = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(cssW * dpr) || canvas.height !== Math.round(cssH * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);

  const pad = { left: 52, right: 52, top: 26, bottom: 34 };
  const w = cssW - pad.left - pad.right;
  const h = cssH - pad.top - pad.bottom;
  const maxIter = niceCeil(Math.max(train.iteration, 500));
  // A running maximum: spreading the ever-growing list into Math.max overflows the
  // call stack (RangeError) after a long run.
  const maxLoss = niceCeil(train.maxLoss);
  const x = (i) => pad.left + (i / maxIter) * w;
  const yLoss = (l) => pad.top + h - (l / maxLoss) * h;
  const yAcc = (a) => pad.top + h - a * h;

  const style = getComputedStyle(document.body);
  const ink = style.getPropertyValue('--ink').trim() || '#222';
  const grid = style.getPropertyValue('--grid').trim() || '#ddd';
  const lossColor = '#1f77b4';
  const accColor = '#ff7f0e';
  ctx.font = '12px system-ui, sans-serif';
  ctx.lineWidth = 1;

  // Grid and ticks: five divisions on each axis.
  ctx.strokeStyle = grid;
  ctx.fillStyle = ink;
  for (let k = 0; k <= 5; k++) {
    const yy = pad.top + (h * k) / 5;
    line(ctx, pad.left, yy, pad.left + w, yy);
    ctx.textAlign = 'right';
    ctx.fillStyle = lossColor;
    ctx.fillText(format(maxLoss * (1 - k / 5)), pad.left - 6, yy + 4);
    ctx.textAlign = 'left';
    ctx.fillStyle = accColor;
    ctx.fillText(format(1 - k / 5), pad.left + w + 6, yy + 4);
    const xx = pad.left + (w * k) / 5;
    line(ctx, xx, pad.top, xx, pad.top + h);
    ctx.textAlign = 'center';
    ctx.fillStyle = ink;
    ctx.fillText(String(Math.round((maxIter * k) / 5)), xx, pad.top + h + 16);
  }
  ctx.fillText('iteration', pad.left + w / 2, pad.top + h + 30);

  // Where the optimizer or learning rate changed: dashed vertical lines.
  ctx.save();
  ctx.setLineDash([4, 4]);
  ctx.strokeStyle = ink;
  for (const [s] of train.switches) line(ctx, x(s), pad.top, x(s), pad.top + h);
  ctx.restore();
  ctx.textAlign = 'left';
  ctx.fillStyle = ink;
  train.switches.forEach(([s, label], k) => ctx.fillText(label, x(s) + 4, pad.top + 12 + 14 * k));

  // At most one point per device pixel of the plot's width: a long run has far more.
  const maxPoints = Math.max(2, Math.ceil(w * dpr));
  polyline(ctx, thin(train.loss, maxPoints), x, yLoss, lossColor);
  polyline(ctx, thin(train.acc, maxPoints), x, yAcc, accColor);

  // Legend, above the plot.
  ctx.textAlign = 'left';
  ctx.fillStyle = lossColor;
  ctx.fillText('● loss (mean of each slice)', pad.left, 12);
  ctx.fillStyle = accColor;
  ctx.fillText('● test accuracy (1,000 test digits)', pad.left + 190, 12);
}

function line(ctx, x0, y0, x1, y1) {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function polyline(ctx, points, x, y, color) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  let first = true;
  for (const [i, v] of points) {
    if (!Number.isFinite(v)) continue;
    if (first) ctx.moveTo(x(i), y(v));
    else ctx.lineTo(x(i), y(v));
    first = false;
  }
  ctx.stroke();
  ctx.lineWidth = 1;
}

// Every k-th of `points` so that at most `max` are left, always with the last one.
function thin(points, max) {
  if (points.length <= max) return points;
  const k = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % k === 0);
  if ((points.length - 1) % k !== 0) kept.push(points.at(-1));
  return kept;
}

// The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above v,
// for the ends of the axes.
function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

function initTrain() {
  const names = call('bp_optimizers');
  const select = $('#optimizer');
  names.forEach((name, i) => select.add(new Option(name, String(i))));
  select.value = String(Math.max(0, names.indexOf('sgd')));
  $('#lr').value = String(DEFAULT_LR[names[Number(select.value)]] ?? 0.1);

  select.addEventListener('change', () => {
    const lr = DEFAULT_LR[names[Number(select.value)]];
    if (lr !== undefined) $('#lr').value = String(lr);
    trainSet();
  });
  $('#lr').addEventListener('change', trainSet);
  $('#train-toggle').addEventListener('click', trainToggle);
  $('#train-reset').addEventListener('click', trainReset);
  window.addEventListener('resize', drawChart);
  drawChart();
}

// ---------------------------------------------------------------------------------
// Panel 3: draw a digit.

const BRUSH = 22; // px on the 280×280 canvas: about two MNIST pixels wide
let drawn = false; // anything on the canvas since the last Clear
let stroke = null; // the pointer drawing now: {id, x, y}
let framePending = false;
let modelOk = true; // the network chosen in #draw-model could be selected in the wasm

// The drawing's 2D context. Its pixels are read back for every prediction, so the
// browser is told to keep them in memory rather than on the GPU.
function drawContext() {
  return $('#draw').getContext('2d', { willReadFrequently: true });
}

function clearDrawing() {
  const ctx = drawContext();
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  drawn = false;
  showPrediction(null);
}

// The pointer's position in canvas pixels (the canvas may be shown smaller or larger).
function canvasPoint(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  return {
    x: ((event.clientX - rect.left) * canvas.width) / rect.width,
    y: ((event.clientY - rect.top) * canvas.height) / rect.height,
  };
}

function initDraw() {
  const canvas = $('#draw');
  const ctx = drawContext();
  clearDrawing();

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    const p = canvasPoint(canvas, event);
    stroke = { id: event.pointerId, ...p };
    // A dot, so that a tap leaves a mark too.
    ctx.fillStyle = '#fff';
    ctx.beginPath();
    ctx.arc(p.x, p.y, BRUSH / 2, 0, 2 * Math.PI);
    ctx.fill();
    drawn = true;
    schedulePrediction();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!stroke || event.pointerId !== stroke.id) return;
    const p = canvasPoint(canvas, event);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = BRUSH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(stroke.x, stroke.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    stroke.x = p.x;
    stroke.y = p.y;
    schedulePrediction();
  });
  const end = (event) => {
    if (!stroke || event.pointerId !== stroke.id) return;
    stroke = null;
    predict();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  $('#draw-clear').addEventListener('click', clearDrawing);
  $('#draw-model').addEventListener('change', useModel);

  // The ten bars.
  const scores = $('#scores');
  for (let d = 0; d < 10; d++) {
    const row = document.createElement('div');
    row.className = 'score';
    row.innerHTML = `<span class="label">${d}</span><span class="track"><span class="bar" data-digit="${d}"></span></span><span class="prob"></span>`;
    scores.append(row);
  }
  showPrediction(null);
}

// At most one prediction per animation frame while a stroke is drawn.
function schedulePrediction() {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(() => {
    framePending = false;
    predict();
  });
}

// Panel 3's network: 0 = trained in the page, 1 = shipped. Returns false on error.
function useModel() {
  const trained = $('#draw-model').value === 'trained';
  try {
    call('bp_use', trained ? 0 : 1);
    modelOk = true;
    setError('draw', null);
  } catch (err) {
    // Not the other network instead: no verdict until this one exists.
    modelOk = false;
    setError('draw', `panel 3's network: ${err.message}`);
    showPrediction(null);
    return false;
  }
  predict();
  return true;
}

// Re-reads the drawing when the page's net changed and panel 3 uses it.
function redrawPrediction() {
  if (drawn && $('#draw-model').value === 'trained') predict();
}

function predict() {
  if (!drawn || !modelOk) return;
  const canvas = $('#draw');
  const { data } = drawContext().getImageData(0, 0, canvas.width, canvas.height);
  let result;
  try {
    setInput(data);
    result = call('bp_predict', canvas.width, canvas.height);
  } catch (err) {
    if (err.message === 'nothing drawn') {
      showPrediction(null);
      return;
    }
    setError('draw', `prediction: ${err.message}`);
    showPrediction(null);
    return;
  }
  setError('draw', null);
  showPrediction(result);
}

// The verdict, the bars and the 28×28 preview; `null` clears them.
function showPrediction(result) {
  $('#draw-digit').textContent = result ? String(result.digit) : '';
  document.querySelectorAll('#scores .score').forEach((row, d) => {
    const p = result ? result.scores[d] ?? 0 : 0;
    const bar = row.querySelector('.bar');
    bar.style.width = `${(100 * p).toFixed(1)}%`;
    bar.classList.toggle('top', !!result && d === result.digit);
    row.querySelector('.prob').textContent = result ? p.toFixed(3) : '';
  });
  const preview = $('#draw-preview').getContext('2d');
  const image = preview.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = result ? Math.round(255 * Math.min(1, Math.max(0, result.pixels[i] ?? 0))) : 0;
    image.data.set([v, v, v, 255], 4 * i);
  }
  preview.putImageData(image, 0, 0);
}

// ---------------------------------------------------------------------------------
// Start-up: the module, then the shipped model, then the panels.

async function main() {
  try {
    wasm = await loadWasm('backprop_web.wasm');
  } catch (err) {
    $('#status').textContent = 'The WebAssembly module did not load.';
    setError('load', `loading backprop_web.wasm: ${err.message}`);
    document.body.dataset.ready = 'failed';
    return;
  }
  // Each panel on its own: one failing leaves the others working.
  for (const [name, init] of [['apple', initApple], ['train', initTrain], ['draw', initDraw]]) {
    try {
      init();
    } catch (err) {
      setError(name, `${name} panel: ${err.message}`);
    }
  }
  let status = 'Ready.';
  let loaded = false;
  try {
    const bytes = new Uint8Array(await (await fetchOk('model.safetensors')).arrayBuffer());
    setInput(bytes);
    const { parameters } = call('bp_model_load');
    status = `Ready: the shipped model (${parameters.toLocaleString('en')} parameters) is loaded.`;
    loaded = true;
  } catch (err) {
    setError('model', `shipped model: ${err.message}`);
    status = 'Ready, without the shipped model: train one in panel 2.';
    $('#draw-model').value = 'trained';
  }
  $('#status').textContent = status;
  // "1": the module and the shipped model are loaded (what the browser test waits for).
  document.body.dataset.ready = loaded && errors.size === 0 ? '1' : 'failed';
}

main().catch((err) => setError('page', `unexpected: ${err.message}`));
