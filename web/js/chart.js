// Panel 2's chart: the loss (left axis) and the test accuracy (right axis) against the
// iterations, with a dashed line where the optimizer or learning rate changed. Drawn
// from the training state train.js keeps, at the device's resolution.

import { $, format } from './wasm.js';

// The chart: loss (left axis) and test accuracy (right axis, 0..1) against iterations.
// `train`: {iteration, loss: [[iteration, loss]], maxLoss, acc: [[iteration, accuracy]],
// switches: [[iteration, label]]}.
export function drawChart(train) {
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

