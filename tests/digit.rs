//! Digits of the shipped test set written out as image files in the ways a user's own
//! digit arrives (white on black, black on white and enlarged, small on a large canvas,
//! JPEG, a transparent background), read back, preprocessed with
//! `backprop::data::digit_from_rgba`, and classified by a network trained here: the
//! accuracy must stay close to the network's accuracy on the same digits as MNIST
//! gives them.

use std::sync::OnceLock;

use backprop::data::{Mnist, digit_from_rgba};
use backprop::train::{BatchSize, TrainConfig, Trainer};
use backprop::{Affine, Matrix, Network, Relu, Sgd, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

// The predict example's decoder: the files written here are read back through it.
use crate::common::image_file;
// Pictures encoded as PNG or JPEG files.
use crate::common::picture;

use picture::{Format, Picture};

/// The book's two-layer net.
type Net = (Affine<784, 50>, Relu, Affine<50, 10>);

/// A way to draw a digit's ink bytes as an image.
type Style = fn(&[u8]) -> Picture;

/// How many test digits each style is measured on.
const DIGITS: usize = 200;

fn mnist() -> &'static Mnist {
    static MNIST: OnceLock<Mnist> = OnceLock::new();
    MNIST.get_or_init(|| Mnist::load_default().expect("the shipped data/mnist loads"))
}

/// The book's recipe (SGD at 0.1, batches of 100, init std 0.01, seed 0) for 1,000
/// steps: about 0.92 on the test set.
fn trained_net() -> Net {
    let mut rng = StdRng::seed_from_u64(0);
    let net: Net = (
        Affine::random(0.01, &mut rng),
        Relu::new(),
        Affine::random(0.01, &mut rng),
    );
    let data = Mnist {
        train: mnist().train.clone(),
        test: mnist().test.take(100),
    };
    let config = TrainConfig {
        iters: 1_000,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), Sgd::new(0.1), BatchSize::<100>);
    trainer.train(&data, &config, |_| {}, |_| {}).unwrap();
    trainer.into_net()
}

/// The share of `inputs` (784 values each) that `net` classifies as the first test
/// labels.
fn accuracy(net: &Net, inputs: &[f32]) -> f64 {
    let x = Matrix::<DIGITS, 784>::from_slice(inputs).unwrap();
    let predicted = net.predict(&x).argmax_rows();
    let labels = &mnist().test.labels()[..DIGITS];
    let right = predicted
        .iter()
        .zip(labels)
        .filter(|&(&p, &l)| p == l as usize)
        .count();
    right as f64 / DIGITS as f64
}

/// Test digit `i` as bytes 0 (no ink) to 255 (full ink), 28×28.
fn ink_bytes(i: usize) -> Vec<u8> {
    let pixels = mnist().test.input(i);
    pixels.iter().map(|&v| (v * 255.0).round() as u8).collect()
}

/// White on black, 28×28, grayscale PNG: MNIST as it is.
fn white_on_black(ink: &[u8]) -> Picture {
    Picture::from_fn(28, 28, |x, y| [ink[y * 28 + x]])
}

/// Black on white, each pixel a 3×3 block (84×84), grayscale PNG.
fn black_on_white_3x(ink: &[u8]) -> Picture {
    Picture::from_fn(84, 84, |x, y| [255 - ink[y / 3 * 28 + x / 3]])
}

/// Dark gray ink on light gray paper at its own size, off-centre on a 200×120 canvas.
fn small_off_centre(ink: &[u8]) -> Picture {
    let (paper, dark) = (230.0, 40.0);
    Picture::from_fn(200, 120, |x, y| {
        let (dx, dy) = (x.wrapping_sub(150), y.wrapping_sub(12));
        let v = if dx < 28 && dy < 28 {
            f64::from(ink[dy * 28 + dx]) / 255.0
        } else {
            0.0
        };
        [(paper + (dark - paper) * v).round() as u8]
    })
}

/// Black on white enlarged 2×, as RGB (JPEG has no alpha).
fn black_on_white_rgb_2x(ink: &[u8]) -> Picture {
    Picture::from_fn(56, 56, |x, y| [255 - ink[y / 2 * 28 + x / 2]; 3])
}

/// A black stroke on a transparent background: the ink is the alpha, as a canvas
/// drawing gives it.
fn transparent_rgba(ink: &[u8]) -> Picture {
    Picture::from_fn(28, 28, |x, y| [0, 0, 0, ink[y * 28 + x]])
}

/// `picture` encoded as `format` and decoded again by the predict example's decoder,
/// as a file written and read back: width, height and RGBA8 pixels.
fn round_trip(picture: &Picture, format: Format) -> (usize, usize, Vec<u8>) {
    image_file::decode_rgba(&picture.encode(format)).unwrap()
}

/// The first test digits drawn by `style`, encoded as `format`, decoded and
/// preprocessed: `DIGITS · 784` values.
fn preprocessed(style: Style, format: Format) -> Vec<f32> {
    let mut inputs = Vec::with_capacity(DIGITS * 784);
    for i in 0..DIGITS {
        let (w, h, rgba) = round_trip(&style(&ink_bytes(i)), format);
        let digit = digit_from_rgba(w, h, &rgba).unwrap();
        inputs.extend_from_slice(digit.as_slice());
    }
    inputs
}

#[test]
fn digits_written_as_images_in_five_ways_are_classified_as_well_as_the_raw_ones() {
    let net = trained_net();
    let raw = accuracy(&net, &mnist().test.inputs()[..DIGITS * 784]);
    println!("raw MNIST digits: accuracy {raw:.3} on {DIGITS}");
    assert!(raw > 0.85, "the network trained too little: {raw}");
    let styles: [(&str, Style, Format); 5] = [
        ("white on black, PNG", white_on_black, Format::Png),
        ("black on white 3×, PNG", black_on_white_3x, Format::Png),
        (
            "small off-centre on 200×120, PNG",
            small_off_centre,
            Format::Png,
        ),
        (
            "black on white 2×, JPEG",
            black_on_white_rgb_2x,
            Format::Jpeg,
        ),
        (
            "transparent background, RGBA PNG",
            transparent_rgba,
            Format::Png,
        ),
    ];
    for (name, style, format) in styles {
        let acc = accuracy(&net, &preprocessed(style, format));
        println!("{name}: accuracy {acc:.3}");
        assert!((acc - raw).abs() <= 0.05, "{name}: {acc} vs raw {raw}");
    }
}

#[test]
fn white_on_black_at_mnist_size_comes_back_nearly_unchanged() {
    // A digit already made as MNIST's: the steps should change little of it.
    let mut worst = 0.0f32;
    for i in 0..20 {
        let (w, h, rgba) = round_trip(&white_on_black(&ink_bytes(i)), Format::Png);
        assert_eq!((w, h), (28, 28));
        let digit = digit_from_rgba(28, 28, &rgba).unwrap();
        let diff: f32 = digit
            .as_slice()
            .iter()
            .zip(mnist().test.input(i))
            .map(|(a, b)| (a - b).abs())
            .sum();
        worst = worst.max(diff / mnist().test.input(i).iter().sum::<f32>());
    }
    // Relative to the digit's total ink: a one-pixel shift of a stroke would be
    // about 1; these come back unshifted and barely rescaled (0.0065 measured).
    assert!(worst < 0.05, "worst relative change {worst}");
}

#[test]
fn the_same_digit_in_every_style_gives_nearly_the_same_input() {
    let ink = ink_bytes(0);
    let reference = preprocess_one(&white_on_black(&ink), Format::Png);
    for (style, format) in [
        (black_on_white_3x as Style, Format::Png),
        (small_off_centre, Format::Png),
        (transparent_rgba, Format::Png),
    ] {
        let other = preprocess_one(&style(&ink), format);
        let diff: f32 = reference
            .iter()
            .zip(&other)
            .map(|(a, b)| (a - b).abs())
            .sum();
        // At most 0.0023 of the ink measured (the light gray paper's rounding).
        assert!(diff < 0.01 * reference.iter().sum::<f32>(), "{diff}");
    }
}

fn preprocess_one(picture: &Picture, format: Format) -> Vec<f32> {
    let (w, h, rgba) = round_trip(picture, format);
    digit_from_rgba(w, h, &rgba).unwrap().into_vec()
}
