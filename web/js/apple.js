// Panel 1: the apple graphs of 5.1–5.4 (buy_apple, buy_apple_orange). Every input
// event recomputes the graph in the wasm (bp_apple) and shows its SVG and a table of
// each node's forward value and gradient.

import { $, call, format, setError } from './wasm.js';

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
    // Empty, not a number, or beyond f64: above its largest value the field holds
    // nothing (NaN), below its smallest it holds 0 though nonzero digits were typed.
    if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(input.value.split(/e/i)[0]))) {
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
  // Shrunk to fit a phone, the labels would be a few pixels tall: the picture keeps
  // the width at which its smallest label is MIN_LABEL_PX, and #apple-svg scrolls
  // sideways (the page itself does not).
  const sizes = [...svg.querySelectorAll('text')]
    .filter((t) => t.textContent.trim())
    .map((t) => parseFloat(getComputedStyle(t).fontSize))
    .filter((s) => s > 0);
  if (sizes.length) {
    const minWidth = ((box.width + 2 * m) * MIN_LABEL_PX) / Math.min(...sizes);
    svg.style.minWidth = `${Math.ceil(minWidth)}px`;
  }
}

// The smallest label of the graph picture, in CSS pixels, however narrow the window.
const MIN_LABEL_PX = 11;

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

export function initApple() {
  $('#apple-graph').addEventListener('change', updateApple);
  for (const input of document.querySelectorAll('#panel-apple input')) {
    input.addEventListener('input', updateApple);
  }
  updateApple();
}

