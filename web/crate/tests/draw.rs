//! The draw panel and the shipped model through the exports: test digits drawn white
//! on black on a 280×280 canvas are classified by a network trained here; a model file
//! made by `weights::to_bytes` loads and predicts as the network it came from; hostile
//! bytes and calls out of order are errors, never panics.

use backprop::data::{Mnist, digit_from_rgba};
use backprop::weights::to_bytes;
use backprop::{Network, softmax};
use backprop_web::abi::{
    bp_model_load, bp_predict, bp_train_start, bp_train_steps, bp_use, load_training_digits,
    output, write_input,
};
use backprop_web::embedded;
use backprop_web::trainer::Trainer;

/// The page's digits: the training files it fetches, read from `data/mnist`, and the
/// embedded test digits.
fn mnist() -> Mnist {
    let [images, labels] = embedded::training_files().unwrap();
    embedded::mnist(&images, &labels).unwrap()
}

/// The canvas's side, as on the page.
const SIDE: usize = 280;

/// MNIST digit `pixels` (28×28 in `[0, 1]`) scaled ×10 onto a 280×280 RGBA canvas,
/// white ink on black, as a person would draw it on the page.
fn canvas(pixels: &[f32]) -> Vec<u8> {
    let mut rgba = Vec::with_capacity(SIDE * SIDE * 4);
    for y in 0..SIDE {
        for x in 0..SIDE {
            let v = (pixels[(y / 10) * 28 + x / 10] * 255.0).round() as u8;
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
    }
    rgba
}

/// The number after `"key":` in a JSON object (first occurrence).
fn field(json: &str, key: &str) -> f64 {
    let start = json.find(&format!("\"{key}\":")).expect(key) + key.len() + 3;
    let end = start + json[start..].find([',', '}']).unwrap();
    json[start..end].parse().unwrap()
}

/// The numbers of the array after `"key":`.
fn numbers(json: &str, key: &str) -> Vec<f64> {
    let start = json.find(&format!("\"{key}\":[")).expect(key) + key.len() + 4;
    let end = start + json[start..].find(']').unwrap();
    json[start..end]
        .split(',')
        .map(|n| n.parse().unwrap())
        .collect()
}

#[test]
fn test_digits_drawn_on_the_canvas_are_classified_by_the_net_trained_here() {
    assert_eq!(load_training_digits(), 0, "{}", output());
    assert_eq!(bp_train_start(0, 0.1, 0), 0);
    for _ in 0..4 {
        assert_eq!(bp_train_steps(100), 0, "{}", output());
    }
    assert_eq!(bp_use(0), 0, "{}", output());
    let mnist = mnist();
    let mut correct = Vec::new();
    for i in 0..20 {
        write_input(&canvas(mnist.test.input(i)));
        assert_eq!(bp_predict(SIDE as i32, SIDE as i32), 0, "{}", output());
        let json = output();
        let scores = numbers(&json, "scores");
        let pixels = numbers(&json, "pixels");
        assert_eq!((scores.len(), pixels.len()), (10, 784));
        assert!((scores.iter().sum::<f64>() - 1.0).abs() < 1e-5);
        assert!(pixels.iter().all(|p| (0.0..=1.0).contains(p)));
        let digit = field(&json, "digit") as usize;
        let best = (0..10).max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
        assert_eq!(Some(digit), best);
        if digit == mnist.test.label(i) {
            correct.push(i);
        }
    }
    eprintln!("correct: {} of 20: {correct:?}", correct.len());
    // The first test digit is a 7, drawn cleanly.
    assert_eq!(mnist.test.label(0), 7);
    assert!(correct.contains(&0), "{correct:?}");
    assert!(correct.len() >= 17, "{correct:?}");
}

#[test]
fn a_blank_canvas_is_nothing_drawn_and_a_wrong_size_an_error() {
    assert_eq!(bp_train_start(0, 0.1, 0), 0);
    write_input(&[0, 0, 0, 255].repeat(SIDE * SIDE));
    assert_eq!(bp_predict(SIDE as i32, SIDE as i32), -1);
    assert_eq!(output(), "nothing drawn");
    // A transparent canvas (nothing painted, alpha 0) is blank too.
    write_input(&vec![0; SIDE * SIDE * 4]);
    assert_eq!(bp_predict(SIDE as i32, SIDE as i32), -1);
    assert_eq!(output(), "nothing drawn");
    assert_eq!(bp_predict(SIDE as i32, 279), -1);
    assert!(output().contains("needs"), "{}", output());
    assert_eq!(bp_predict(-280, -280), -1);
    assert!(output().contains("not a size"), "{}", output());
}

#[test]
fn a_model_from_to_bytes_loads_and_predicts_as_the_network_it_came_from() {
    let mnist = mnist();
    let mut trainer = Trainer::new(0, 0.1, 5).unwrap();
    trainer.steps(&mnist, 200).unwrap();
    let bytes = to_bytes(trainer.net()).unwrap();
    write_input(&bytes);
    assert_eq!(bp_model_load(), 0, "{}", output());
    let json = output();
    assert_eq!(field(&json, "parameters"), 39_760.0);
    assert!(json.contains("Affine<784, 50>"), "{json}");

    // Loaded, the shipped model is the default; and it is the same network.
    let rgba = canvas(mnist.test.input(1));
    write_input(&rgba);
    assert_eq!(bp_predict(SIDE as i32, SIDE as i32), 0, "{}", output());
    let scores = numbers(&output(), "scores");
    let x = digit_from_rgba(SIDE, SIDE, &rgba).unwrap();
    let expected = softmax(&trainer.net().predict(&x));
    for (got, want) in scores.iter().zip(expected.row(0)) {
        assert_eq!(*got as f32, *want);
    }

    // Hostile bytes: an error naming the model file; the loaded model stays in use.
    for hostile in [&b""[..], &bytes[..bytes.len() / 2], &[0xff; 64][..]] {
        write_input(hostile);
        assert_eq!(bp_model_load(), -1);
        assert!(
            output().starts_with("the model file: not a valid safetensors file"),
            "{}",
            output()
        );
    }
    let other = to_bytes(&(backprop::Affine::<784, 10>::zeros(),)).unwrap();
    write_input(&other);
    assert_eq!(bp_model_load(), -1);
    assert!(
        output().contains("the network needs [784, 50]"),
        "{}",
        output()
    );
    write_input(&rgba);
    assert_eq!(bp_predict(SIDE as i32, SIDE as i32), 0);
    assert_eq!(numbers(&output(), "scores"), scores);
}

#[test]
fn bp_use_needs_the_network_to_exist_and_switches_between_the_two() {
    assert_eq!(bp_use(0), -1);
    assert_eq!(
        output(),
        "no network trained in the page yet: start training first"
    );
    assert_eq!(bp_use(1), -1);
    assert_eq!(output(), "no shipped model loaded yet");
    assert_eq!(bp_use(2), -1);
    write_input(&canvas(&[1.0; 784]));
    assert_eq!(bp_predict(SIDE as i32, SIDE as i32), -1);
    assert!(output().starts_with("no network yet"), "{}", output());

    // Two different networks: one trained here (seed 1), one shipped (seed 2).
    assert_eq!(bp_train_start(0, 0.1, 1), 0);
    let shipped = Trainer::new(0, 0.1, 2).unwrap().net().clone();
    write_input(&to_bytes(&shipped).unwrap());
    assert_eq!(bp_model_load(), 0);
    let mnist = mnist();
    let rgba = canvas(mnist.test.input(2));
    let predict = || {
        write_input(&rgba);
        assert_eq!(bp_predict(SIDE as i32, SIDE as i32), 0);
        numbers(&output(), "scores")
    };
    let by_default = predict();
    assert_eq!(bp_use(0), 0);
    assert_eq!(output(), r#"{"using":0}"#);
    let trained = predict();
    assert_eq!(bp_use(1), 0);
    assert_eq!(output(), r#"{"using":1}"#);
    assert_eq!(predict(), by_default);
    assert_ne!(trained, by_default);
}

#[test]
fn a_diverged_run_is_gone_and_never_reads_a_drawing() {
    // Each test runs on its own thread, so this session starts empty.
    assert_eq!(load_training_digits(), 0, "{}", output());
    assert_eq!(bp_train_start(0, 1e30, 0), 0);
    assert_eq!(bp_train_steps(10), -1);
    assert!(output().contains("diverged"), "{}", output());
    assert_eq!(bp_use(0), -1, "the diverged weights are still drawable");
    let mnist = mnist();
    write_input(&canvas(mnist.test.input(0)));
    assert_eq!(bp_predict(SIDE as i32, SIDE as i32), -1);
    assert_eq!(bp_train_steps(1), -1);
    assert_eq!(output(), "no training run yet: start one first");
}
