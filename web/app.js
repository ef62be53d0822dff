// The page's entry point: loads the crate compiled to WebAssembly (backprop_web.wasm),
// starts the three panels (each on its own: one failing leaves the others working),
// then loads the shipped model. No framework, no build step: ES modules under js/.
//   js/wasm.js   the module, its buffers, the call wrapper, #error
//   js/apple.js  panel 1, the apple graphs (5.1–5.4)
//   js/train.js  panel 2, training (5.7, 6.1); js/chart.js its chart
//   js/draw.js   panel 3, drawing a digit

import { initApple } from './js/apple.js';
import { initDraw } from './js/draw.js';
import { initTrain } from './js/train.js';
import { $, call, errorCount, fetchOk, loadWasm, setError, setInput } from './js/wasm.js';

// ---------------------------------------------------------------------------------
// Start-up: the module, then the shipped model, then the panels.

async function main() {
  try {
    await loadWasm('backprop_web.wasm');
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
  document.body.dataset.ready = loaded && errorCount() === 0 ? '1' : 'failed';
}

main().catch((err) => setError('page', `unexpected: ${err.message}`));
