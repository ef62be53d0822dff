// Panel 2: training the book's network (5.7) in the page, in slices of about 30 ms
// (bp_train_steps) with a yield to the event loop between them, so the page stays
// responsive; Start / Stop, Reset, the optimizer and learning rate (6.1), the read-outs,
// and the test accuracy every 100 steps. The chart is drawn by chart.js. The training
// digits are fetched when training first starts (Start or Reset), not with the page.

import { drawChart } from './chart.js';
import { redrawPrediction, useTrainedIfWaiting } from './draw.js';
import { $, call, fetchOk, setError, setInput } from './wasm.js';

// The book's learning rates (5.7 for SGD, 6.1 for the others), by optimizer name.
const DEFAULT_LR = { sgd: 0.1, momentum: 0.01, nesterov: 0.01, adagrad: 0.01, rmsprop: 0.01, adam: 0.001 };
const SLICE_MS = 30; // run steps for about this long, then let the page breathe
const EVAL_EVERY = 100; // steps between test-accuracy measurements
const EVAL_SAMPLES = 1000; // the first 1,000 test digits
const SEED = 0;
// The 10,000 training digits, as in data/mnist (web/build.sh copies them): 1.6 MB, more
// than the rest of the page together, so they are not part of its load. The wasm embeds
// the 1,000 test digits.
const DIGIT_FILES = ['mnist/train-images-idx3-ubyte.gz', 'mnist/train-labels-idx1-ubyte.gz'];
let digits = null; // the training digits' load, once begun: a promise of true (loaded) or false

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

// ---------------------------------------------------------------------------------
// The training digits: fetched once, on demand; #train-data shows the state (its
// data-state none, loading, loaded or failed) and a failure is said in #error too.

function showDigits(state, message) {
  const p = $('#train-data');
  p.dataset.state = state;
  p.textContent = message;
  // No Start or Reset while they load (each would wait for the same download).
  $('#train-toggle').disabled = state === 'loading';
  $('#train-reset').disabled = state === 'loading';
}

// Resolves to true once the training digits are in the wasm, to false if they could
// not be loaded (the next call tries again).
function loadDigits() {
  digits ??= fetchDigits().then(
    ({ train: count, bytes }) => {
      const mb = (bytes / 1e6).toFixed(1);
      showDigits('loaded', `The ${count.toLocaleString('en')} training digits are loaded (${mb} MB).`);
      setError('train', null); // an earlier failed load
      return true;
    },
    (err) => {
      digits = null;
      showDigits('failed', 'The training digits did not load: press Start to try again.');
      setError('train', `training digits: ${err.message}`);
      return false;
    },
  );
  return digits;
}

// Fetches the two files and hands them to the wasm: images then labels in the input
// buffer, the images' length as the argument. Answers {train, bytes}.
async function fetchDigits() {
  showDigits('loading', 'Loading the 10,000 training digits (1.6 MB)…');
  const [images, labels] = await Promise.all(
    DIGIT_FILES.map(async (url) => new Uint8Array(await (await fetchOk(url)).arrayBuffer())),
  );
  const bytes = new Uint8Array(images.length + labels.length);
  bytes.set(images);
  bytes.set(labels, images.length);
  setInput(bytes);
  const { train: count } = call('bp_train_data', images.length);
  return { train: count, bytes: bytes.length };
}

// ---------------------------------------------------------------------------------
// The run.

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
  useTrainedIfWaiting();
  return true;
}

// Test accuracy on the first 1,000 test digits, added to the chart.
function evaluate() {
  const { test_acc } = call('bp_train_eval', EVAL_SAMPLES);
  train.acc.push([train.iteration, test_acc]);
}

async function trainToggle() {
  if (train.running) {
    train.running = false; // the loop stops before its next slice
    $('#train-toggle').textContent = 'Start';
    return;
  }
  if (learningRate() === null) return;
  if (!(await loadDigits())) return;
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
  drawChart(train);
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
    drawChart(train);
  } catch (err) {
    setError('train', `training: ${err.message}`);
  }
}

async function trainReset() {
  if (!(await loadDigits())) return;
  // A fresh net now, so that panel 3's "trained" network is the one shown here.
  trainCreate();
  $('#train-toggle').textContent = 'Start';
  $('#train-rate').textContent = '–';
  redrawPrediction();
}

export function initTrain() {
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
  window.addEventListener('resize', () => drawChart(train));
  drawChart(train);
}

