//! The train panel through the exports, as the page calls them: the training digits
//! loaded as the page fetches them, the book's net trained with SGD at learning rate
//! 0.1 for the number of steps the browser test uses, which lowers the loss and reaches
//! a test accuracy above 0.85; and the errors the page can meet.

use backprop_web::abi::{
    bp_train_data, bp_train_eval, bp_train_set, bp_train_start, bp_train_steps,
    load_training_digits, output, write_input,
};
use backprop_web::embedded;

/// The steps the browser test trains for (in slices of 100), the same count.
const STEPS: i32 = 400;

/// The number after `"key":` in a flat JSON object.
fn field(json: &str, key: &str) -> f64 {
    let start = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in {json}"))
        + key.len()
        + 3;
    let end = json[start..]
        .find([',', '}'])
        .map_or(json.len(), |i| start + i);
    json[start..end]
        .parse()
        .unwrap_or_else(|e| panic!("{key} in {json}: {e}"))
}

#[test]
fn sgd_at_0_1_lowers_the_loss_and_passes_0_85_test_accuracy_within_the_steps() {
    assert_eq!(load_training_digits(), 0, "{}", output());
    assert_eq!(bp_train_start(0, 0.1, 0), 0, "{}", output());
    assert_eq!(output(), r#"{"iteration":0}"#);
    assert_eq!(bp_train_eval(1000), 0);
    let before = output();
    let mut losses = Vec::new();
    for slice in 1..=STEPS / 100 {
        assert_eq!(bp_train_steps(100), 0, "{}", output());
        let json = output();
        assert_eq!(field(&json, "iteration"), f64::from(slice * 100));
        losses.push(field(&json, "loss"));
    }
    assert_eq!(bp_train_eval(1000), 0);
    let after = output();
    eprintln!("steps {STEPS}: mean loss per 100 steps {losses:?}; before {before}; after {after}");
    // Ten classes guessed evenly: ln 10 ≈ 2.30 at the start.
    assert!(losses[0] > 1.0 && losses[0] < 2.31, "{losses:?}");
    assert!(*losses.last().unwrap() < 0.5, "{losses:?}");
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
    assert!(field(&before, "test_acc") < 0.3, "{before}");
    assert_eq!(field(&after, "samples"), 1000.0);
    assert!(field(&after, "test_acc") > 0.85, "{after}");
    assert!(field(&after, "train_acc") > 0.85, "{after}");
}

#[test]
fn the_same_seed_trains_the_same_run_and_another_seed_another() {
    assert_eq!(load_training_digits(), 0, "{}", output());
    let run = |seed| {
        assert_eq!(bp_train_start(0, 0.1, seed), 0);
        assert_eq!(bp_train_steps(20), 0);
        output()
    };
    let first = run(3);
    assert_eq!(run(3), first);
    assert_ne!(run(4), first);
    // A negative seed is a seed like any other.
    assert_eq!(run(-1), run(-1));
}

#[test]
fn switching_optimizer_keeps_the_weights_and_the_iteration() {
    assert_eq!(load_training_digits(), 0, "{}", output());
    assert_eq!(bp_train_start(0, 0.1, 0), 0);
    assert_eq!(bp_train_steps(100), 0);
    assert_eq!(bp_train_set(5, 0.001), 0, "{}", output());
    assert_eq!(output(), r#"{"iteration":100}"#);
    assert_eq!(bp_train_steps(100), 0);
    let json = output();
    assert_eq!(field(&json, "iteration"), 200.0);
    // Adam goes on from the trained weights: no return to ln 10.
    assert!(field(&json, "loss") < 1.0, "{json}");
}

#[test]
fn every_bad_call_is_a_one_line_error() {
    let fails = |status: i32, needle: &str| {
        assert_eq!(status, -1);
        let message = output();
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        assert_eq!(message.lines().count(), 1);
    };
    fails(bp_train_steps(1), "start one first");
    fails(bp_train_eval(1), "start one first");
    fails(bp_train_set(0, 0.1), "start one first");
    fails(bp_train_start(6, 0.1, 0), "no optimizer 6");
    fails(bp_train_start(-1, 0.1, 0), "no optimizer -1");
    fails(bp_train_start(0, 0.0, 0), "positive");
    fails(bp_train_start(0, f64::INFINITY, 0), "positive");
    assert_eq!(bp_train_start(0, 0.1, 0), 0);
    // A run without its digits: the page fetches them when training starts.
    fails(bp_train_steps(1), "the training digits are not loaded yet");
    fails(bp_train_eval(1), "the training digits are not loaded yet");
    assert_eq!(load_training_digits(), 0, "{}", output());
    fails(bp_train_steps(0), "at least 1");
    fails(bp_train_eval(0), "at least 1");
    fails(bp_train_set(0, -0.1), "positive");
    // A learning rate far too large: the loss diverges and the page is told why.
    assert_eq!(bp_train_set(0, 1e30), 0);
    fails(bp_train_steps(50), "lower the learning rate");
}

#[test]
fn the_training_files_load_as_the_page_fetches_them_gzipped_or_raw_and_once() {
    let [images, labels] = embedded::training_files().unwrap();
    let both = [images.as_slice(), &labels].concat();
    let len = i32::try_from(images.len()).unwrap();
    let fails = |status: i32, needle: &str| {
        assert_eq!(status, -1);
        let message = output();
        assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        assert_eq!(message.lines().count(), 1);
    };
    // A fetch that went wrong: nothing, half a file, the files swapped, a bad length.
    write_input(b"");
    fails(bp_train_data(0), "train-images-idx3-ubyte");
    write_input(&both[..both.len() / 2]);
    fails(bp_train_data(len), "within the");
    write_input(&[labels.as_slice(), &images].concat());
    fails(
        bp_train_data(i32::try_from(labels.len()).unwrap()),
        "train-images-idx3-ubyte: ",
    );
    write_input(&both);
    fails(bp_train_data(-1), "within the");
    fails(bp_train_data(len - 1), "train-");
    // A server that sent them decompressed (Content-Encoding: gzip): raw IDX works too.
    let gunzip = |gz: &[u8]| {
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz), &mut raw).unwrap();
        raw
    };
    let raw_images = gunzip(&images);
    write_input(&[raw_images.as_slice(), &gunzip(&labels)].concat());
    assert_eq!(
        bp_train_data(i32::try_from(raw_images.len()).unwrap()),
        0,
        "{}",
        output()
    );
    assert_eq!(output(), r#"{"train":10000,"test":1000}"#);
    // Once: the page's run keeps the digits it measured its accuracy on.
    write_input(&both);
    fails(bp_train_data(len), "loaded already");
}
