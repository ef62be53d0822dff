//! The integration tests, one module a file of this directory, gathered into one test
//! binary (`cargo test --release --test integration`): compiled and linked once, not
//! once a file, and its tests run side by side, the long example runs among the short
//! ones. `cargo test --release --test integration conv::` runs one file's tests.
//!
//! The tests that run an example run the binary `cargo test` has built (see
//! [`common::run_example`]).

mod common;

mod alloc;
mod chapter6;
mod conv;
mod conv_relu_pool;
mod dataset;
mod digit;
mod examples_bn;
// Named so that the filter `conv::` picks tests/conv.rs alone.
#[path = "examples_conv.rs"]
mod examples_convnet;
mod examples_init;
mod examples_optimizers;
mod examples_overfit;
mod examples_user;
mod fashion;
mod gemm_kernel;
mod gradcheck;
mod graph;
mod idx;
mod image_file;
mod kernel_code;
mod layers;
mod mnist;
mod mnist_files;
mod optim;
mod predict;
mod shared;
mod threads;
mod train;
mod weights;
mod weights_refused;
