// Panel 3: a digit drawn with the mouse or a finger (pointer events) on #draw, read by
// the shipped network or the one trained in panel 2 (bp_use, bp_predict): the verdict,
// the ten softmax probabilities as bars, and the 28×28 the network saw.

import { $, call, setError, setInput } from './wasm.js';

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

export function initDraw() {
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
export function redrawPrediction() {
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

// Panel 2 made a network: if panel 3 was waiting for it (#draw-model is "trained" and
// there was none), use it now.
export function useTrainedIfWaiting() {
  if (!modelOk && $('#draw-model').value === 'trained') useModel();
}
