//! Chapter 5 of *Deep Learning from Scratch* in the browser: the `backprop` crate
//! compiled to WebAssembly behind plain `extern "C"` exports (no wasm-bindgen, no
//! imports from JavaScript), for the page in `web/`.
//!
//! The page and this crate keep to one contract (`bp_*` exports, JSON answers); each
//! module is one part of it:
//!
//! - [`abi`]: the two byte buffers shared with JavaScript (the input JS writes, the
//!   output JS reads) and the exported functions, thin wrappers over the safe Rust
//!   below, which the host tests call directly;
//! - [`json`]: the answers, written by hand (escaped strings, `null` for a non-finite
//!   number);
//! - [`apple`]: the apple panel, sections 5.1–5.4: the shopping graphs with their values,
//!   gradients and SVG;
//! - [`embedded`]: the page's MNIST digits: the 1,000 test digits compiled into the
//!   module, joined with the 10,000 training digits the page fetches when training starts;
//! - [`trainer`]: the train panel, section 5.7: the book's net trained a slice of steps
//!   at a time;
//! - [`draw`]: the draw panel: a canvas's pixels preprocessed as the `predict`
//!   example does and classified;
//! - [`session`]: the state kept between calls, one method per stateful export.
//!
//! WebAssembly in a page runs on one thread, so the state (the buffers, the networks)
//! lives in `thread_local!` cells; each host test thread gets its own.

#![deny(missing_docs)]
// The only exception is the exports module, which needs `#[unsafe(no_mangle)]`.
#![deny(unsafe_code)]

// Exports need unmangled names (`#[unsafe(no_mangle)]`), which the `unsafe_code` lint
// counts as unsafe. No raw pointer is dereferenced there: JavaScript writes into and
// reads from buffers Rust owns, at addresses Rust hands out.
#[allow(unsafe_code)]
pub mod abi;
pub mod apple;
pub mod draw;
pub mod embedded;
pub mod json;
pub mod session;
pub mod trainer;
