//! The WebAssembly interface: two byte buffers and the `bp_*` exports.
//!
//! Rust owns both buffers and never dereferences a raw pointer: it only hands their
//! addresses to JavaScript, which writes the input (a model file, a canvas's pixels)
//! into linear memory at the address [`bp_input`] returned, and reads the answer from
//! [`bp_output_ptr`] / [`bp_output_len`]. Every export that returns `i32` returns `0`
//! with JSON in the output buffer, or `-1` with a one-line error message there.
//!
//! Each export is a thin wrapper over a safe function that returns
//! `Result<String, String>`; [`write_input`] and [`output`] let host tests drive the
//! exports exactly as JavaScript does.

// This module is the one place `unsafe_code` is allowed (see the crate root): the
// exports need unmangled names, `#[unsafe(no_mangle)]`, so that JavaScript finds them
// as `bp_apple` etc. Nothing here dereferences a raw pointer; pointers only leave as
// addresses for JavaScript.

use std::cell::RefCell;

use crate::apple;
#[cfg(not(target_arch = "wasm32"))]
use crate::embedded;
use crate::json;
use crate::session::Session;

thread_local! {
    /// The bytes JavaScript writes before a call that reads "the input".
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last call's answer: JSON, or an error message.
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The networks and data kept between calls.
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
}

/// Runs `f` on the session and stores its answer (see [`respond`]).
fn session(f: impl FnOnce(&mut Session) -> Result<String, String>) -> i32 {
    respond(SESSION.with_borrow_mut(f))
}

/// The input buffer's contents, for a function that reads "the input".
fn with_input<R>(f: impl FnOnce(&[u8]) -> R) -> R {
    INPUT.with_borrow(|input| f(input))
}

/// Stores `result` in the output buffer (the JSON, or the error on one line) and
/// returns the export's status: `0` for `Ok`, `-1` for `Err`.
fn respond(result: Result<String, String>) -> i32 {
    let (status, text) = match result {
        Ok(json) => (0, json),
        Err(message) => (-1, message.replace(['\n', '\r'], " ")),
    };
    OUTPUT.with_borrow_mut(|out| *out = text.into_bytes());
    status
}

/// An address in linear memory as the `i32` the wasm ABI passes (wasm32 addresses are
/// 32 bits; on a 64-bit host the number means nothing, and host tests use
/// [`write_input`] and [`output`] instead).
fn address(ptr: *const u8) -> i32 {
    ptr as usize as i32
}

/// Puts `bytes` in the input buffer, as JavaScript does at the address [`bp_input`]
/// returns: for host tests (see [`load_training_digits`] for the training files).
///
/// ```
/// use backprop_web::abi::{bp_predict, bp_train_start, output, write_input};
/// bp_train_start(0, 0.1, 0);
/// write_input(&[0, 0, 0, 255].repeat(4)); // a 2×2 black canvas
/// assert_eq!(bp_predict(2, 2), -1);
/// assert_eq!(output(), "nothing drawn");
/// ```
pub fn write_input(bytes: &[u8]) {
    INPUT.with_borrow_mut(|input| {
        input.clear();
        input.extend_from_slice(bytes);
    });
}

/// Does what the page does when training starts: puts the two training files read from
/// `data/mnist` ([`embedded::training_files`]) in the input buffer and calls
/// [`bp_train_data`]; returns its status. For host tests.
///
/// ```
/// use backprop_web::abi::{load_training_digits, output};
/// assert_eq!(load_training_digits(), 0);
/// assert_eq!(output(), r#"{"train":10000,"test":1000}"#);
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn load_training_digits() -> i32 {
    let [images, labels] = embedded::training_files().expect("data/mnist's training files");
    write_input(&[images.as_slice(), &labels].concat());
    bp_train_data(i32::try_from(images.len()).expect("under 2 GB"))
}

/// The output buffer as text, as JavaScript decodes it: for host tests.
///
/// ```
/// use backprop_web::abi::{bp_optimizers, output};
/// assert_eq!(bp_optimizers(), 0);
/// assert!(output().starts_with(r#"["sgd","#));
/// ```
pub fn output() -> String {
    OUTPUT.with_borrow(|out| String::from_utf8_lossy(out).into_owned())
}

/// Resizes the input buffer to `len` bytes (zeros; a negative `len` counts as 0) and
/// returns its address, valid until the next call. Returns `0`, with the buffer
/// empty, if the memory cannot grow that far (JavaScript must then write nothing).
///
/// ```
/// use backprop_web::abi::bp_input;
/// assert_ne!(bp_input(1_000), 0);
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_input(len: i32) -> i32 {
    let len = usize::try_from(len).unwrap_or(0);
    INPUT.with_borrow_mut(|input| {
        input.clear();
        if input.try_reserve_exact(len).is_err() {
            return 0;
        }
        input.resize(len, 0);
        address(input.as_ptr())
    })
}

/// The address of the last call's output.
///
/// ```
/// use backprop_web::abi::{bp_optimizers, bp_output_ptr};
/// bp_optimizers();
/// assert_ne!(bp_output_ptr(), 0);
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_output_ptr() -> i32 {
    OUTPUT.with_borrow(|out| address(out.as_ptr()))
}

/// The length in bytes of the last call's output.
///
/// ```
/// use backprop_web::abi::{bp_optimizers, bp_output_len, output};
/// bp_optimizers();
/// assert_eq!(bp_output_len() as usize, output().len());
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_output_len() -> i32 {
    OUTPUT.with_borrow(|out| i32::try_from(out.len()).unwrap_or(i32::MAX))
}

/// The shopping graph `which` (0 apples, 1 apples and oranges) for the inputs `a`…`e`
/// (see [`apple::shopping`]): `{"svg":…,"values":{…}}`.
///
/// ```
/// use backprop_web::abi::{bp_apple, output};
/// assert_eq!(bp_apple(0, 100.0, 2.0, 1.1, 0.0, 0.0), 0);
/// assert!(output().contains(r#""dtax":200.0"#));
/// assert_eq!(bp_apple(7, 0.0, 0.0, 0.0, 0.0, 0.0), -1);
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_apple(which: i32, a: f64, b: f64, c: f64, d: f64, e: f64) -> i32 {
    respond(apple::apple_json(which, [a, b, c, d, e]))
}

/// The optimizer names, in `backprop::optim::NAMES` order: the page's indices.
///
/// ```
/// use backprop_web::abi::{bp_optimizers, output};
/// bp_optimizers();
/// assert_eq!(output(), r#"["sgd","momentum","nesterov","adagrad","rmsprop","adam"]"#);
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_optimizers() -> i32 {
    let names: Vec<String> = backprop::optim::NAMES
        .iter()
        .map(|n| json::string(n))
        .collect();
    respond(Ok(format!("[{}]", names.join(","))))
}

/// Loads the training digits, which the page fetches when training starts: the input
/// buffer holds the images file, `images_len` bytes, then the labels file (the gzipped
/// IDX files `web/dist/mnist/train-images-idx3-ubyte.gz` and
/// `train-labels-idx1-ubyte.gz`, as in `data/mnist`; raw IDX works too). They are
/// decoded with the 1,000 test digits the module embeds, once.
/// `{"train":10000,"test":1000}`.
///
/// ```
/// use backprop_web::abi::{bp_train_data, output, write_input};
/// write_input(b"not MNIST");
/// assert_eq!(bp_train_data(4), -1);
/// assert!(output().starts_with("train-images-idx3-ubyte: "));
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_train_data(images_len: i32) -> i32 {
    session(|s| with_input(|bytes| s.train_data(bytes, images_len)))
}

/// (Re)starts training: the book's net 784-50-10 seeded by `seed`, the optimizer at
/// index `optimizer` of [`bp_optimizers`] with learning rate `lr`. `{"iteration":0}`.
/// The training digits ([`bp_train_data`]) may come before or after, but before the
/// first step.
///
/// ```
/// use backprop_web::abi::{bp_train_start, output};
/// assert_eq!(bp_train_start(0, 0.1, 1), 0);
/// assert_eq!(output(), r#"{"iteration":0}"#);
/// assert_eq!(bp_train_start(9, 0.1, 1), -1);
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_train_start(optimizer: i32, lr: f64, seed: i32) -> i32 {
    session(|s| s.train_start(optimizer, lr, seed))
}

/// Switches the run's optimizer and/or learning rate (a new optimizer state; the
/// weights stay). `{"iteration":I}`.
///
/// ```
/// use backprop_web::abi::{bp_train_set, bp_train_start, output};
/// assert_eq!(bp_train_set(0, 0.1), -1); // nothing to change yet
/// bp_train_start(0, 0.1, 1);
/// assert_eq!(bp_train_set(1, 0.01), 0);
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_train_set(optimizer: i32, lr: f64) -> i32 {
    session(|s| s.train_set(optimizer, lr))
}

/// `n` training steps on random batches of 100. `{"iteration":I,"loss":L}`, `L` the
/// mean loss of these steps; a diverged loss is an error, and so is a step before the
/// training digits were loaded.
///
/// ```
/// use backprop_web::abi::{bp_train_start, bp_train_steps, load_training_digits, output};
/// bp_train_start(0, 0.1, 1);
/// assert_eq!(bp_train_steps(2), -1);
/// assert!(output().starts_with("the training digits are not loaded yet"));
/// load_training_digits();
/// assert_eq!(bp_train_steps(2), 0);
/// assert!(output().starts_with(r#"{"iteration":2,"loss":"#));
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_train_steps(n: i32) -> i32 {
    session(|s| s.train_steps(n))
}

/// Accuracy on the first `samples` training and test digits (at most the 10,000
/// training digits loaded and the 1,000 test digits embedded).
/// `{"train_acc":a,"test_acc":b,"samples":s}`.
///
/// ```
/// use backprop_web::abi::{bp_train_eval, bp_train_start, load_training_digits, output};
/// load_training_digits();
/// bp_train_start(0, 0.1, 1);
/// assert_eq!(bp_train_eval(200), 0);
/// assert!(output().starts_with(r#"{"train_acc":"#));
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_train_eval(samples: i32) -> i32 {
    session(|s| s.train_eval(samples))
}

/// Loads the safetensors file in the input buffer (as the train example saves it)
/// into the shipped network. `{"parameters":P,"summary":"…"}`; on an error the
/// shipped network before, if any, stays.
///
/// ```
/// use backprop_web::abi::{bp_model_load, output, write_input};
/// write_input(b"not a model");
/// assert_eq!(bp_model_load(), -1);
/// assert!(output().starts_with("the model file: not a valid safetensors file"));
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_model_load() -> i32 {
    session(|s| with_input(|bytes| s.model_load(bytes)))
}

/// Chooses the network `bp_predict` uses: `0` the one trained in the page, `1` the
/// shipped one; an error if it does not exist yet. `{"using":which}`.
///
/// ```
/// use backprop_web::abi::{bp_use, output};
/// assert_eq!(bp_use(1), -1);
/// assert_eq!(output(), "no shipped model loaded yet");
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_use(which: i32) -> i32 {
    session(|s| s.use_network(which))
}

/// Classifies the `width × height` RGBA canvas in the input buffer.
/// `{"digit":d,"scores":[…10],"pixels":[…784]}`; a blank canvas is the error
/// `nothing drawn`.
///
/// ```
/// use backprop_web::abi::{bp_predict, output, write_input};
/// write_input(&[255; 4]);
/// assert_eq!(bp_predict(1, 1), -1);
/// assert!(output().starts_with("no network yet"));
/// ```
#[unsafe(no_mangle)]
pub extern "C" fn bp_predict(width: i32, height: i32) -> i32 {
    session(|s| with_input(|rgba| s.predict(width, height, rgba)))
}
