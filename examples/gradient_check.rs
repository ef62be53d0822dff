//! Section 5.7.3, the gradient check: the book's `TwoLayerNet(784, 50, 10)` on the
//! first three MNIST training images, backprop against central differences, in f64 and
//! then in f32.
//!
//! ```text
//! cargo run --release --example gradient_check
//! ```
//!
//! Each row is one parameter (the book's `W1, b1, W2, b2` are `0.w, 0.b, 2.w, 2.b`);
//! "mean |diff|" is the number the book prints. Two forward passes per parameter
//! element: 79,520 passes of a batch of 3 per float type.
//!
//! Then chapter 7's layers get the same check, in f64: a small convolutional net
//! (a convolution of 4 filters of 5×5, ReLU, max pooling 2×2, an affine layer to 10)
//! on the same three images, centred (each pixel minus 0.5, so that no pre-activation
//! sits on the ReLU's kink at 0).

use std::error::Error;

use backprop::data::{Mnist, PIXELS};
use backprop::{
    Affine, CentralDifference, Conv2d, Flatten, Float, GradientCheck, Layer, Matrix, MaxPool2d,
    Network, Relu, SoftmaxWithLoss, Unflatten, gradient_check,
};
use rand::{SeedableRng, rngs::StdRng};

/// The book's `TwoLayerNet(input_size=784, hidden_size=50, output_size=10)`.
type TwoLayerNet<T> = (Affine<PIXELS, 50, T>, Relu, Affine<50, 10, T>);

/// A small convolutional net of chapter 7's layers: 4 filters of 5×5 (28×28 → 24×24),
/// ReLU, max pooling 2×2 with stride 2 (→ 12×12), an affine layer to 10 scores.
type SmallConvNet = (
    Unflatten<1, 28, 28>,
    Conv2d<1, 4, 5, 5, 24, 24, 1, 0, f64>,
    Relu,
    MaxPool2d<2, 2, 12, 12>,
    Flatten<576>,
    Affine<576, 10, f64>,
);

const SEED: u64 = 0;
const IMAGES: usize = 3;

fn main() -> Result<(), Box<dyn Error>> {
    let (f64_report, loss) = check::<f64>()?;
    let (f32_report, _) = check::<f32>()?;

    let eps = f64::from(f32::EPSILON);
    let h = CentralDifference::BOOK_H;
    let seen = |r: &GradientCheck| r.params.iter().map(|p| p.above_noise).sum::<usize>();
    let total: usize = f32_report.params.iter().map(|p| p.len).sum();
    println!(
        "f32 differs because its machine epsilon is {eps:.1e}: each loss ({loss:.2}) is rounded \
         by about ε·|L| ≈ {:.0e}, and the difference quotient divides that by 2h = 2e-4, an \
         error of about ε·|L|/h ≈ {:.0e} in every numerical gradient, more than most gradients \
         here (only {} of {total} elements are above η in f32, {} in f64), so mean |diff| is \
         {:.1e} instead of {:.1e}.",
        eps * loss,
        eps * loss / h,
        seen(&f32_report),
        seen(&f64_report),
        f32_report.max_mean_abs_diff(),
        f64_report.max_mean_abs_diff(),
    );
    println!();

    let conv_report = check_conv()?;
    let conv_max = conv_report.max_mean_abs_diff();
    let max = f64_report.max_mean_abs_diff();
    println!("conv f64 max mean |diff| = {conv_max:e}");
    println!("f64 max mean |diff| = {max:e}");
    // The book's figure, mean |diff|, must be at most 1e-9 for both. The largest relative
    // error must be below 1e-6 for the two-layer net; the conv net's reaches 1.5e-6 at an
    // affine weight whose gradient is only 4e-5, off by 1.5e-10 (the central difference's
    // own h² term), so 1e-5 there.
    for (what, report, rel) in [
        ("two-layer", &f64_report, 1e-6),
        ("conv", &conv_report, 1e-5),
    ] {
        let max = report.max_mean_abs_diff();
        if !(max <= 1e-9 && report.passes(rel)) {
            return Err(
                format!("the f64 {what} gradient check is off: see its table ({max:e})").into(),
            );
        }
    }
    Ok(())
}

/// The check of [`SmallConvNet`] (He-initialised, seed 0) on the first three training
/// images minus 0.5; prints the table.
fn check_conv() -> Result<GradientCheck, Box<dyn Error>> {
    let mnist = Mnist::<f64>::load_default()?;
    let centred: Vec<f64> = mnist.train.inputs()[..IMAGES * PIXELS]
        .iter()
        .map(|p| p - 0.5)
        .collect();
    let x = Matrix::<IMAGES, PIXELS, f64>::from_vec(centred)?;
    let labels: [usize; IMAGES] = std::array::from_fn(|i| mnist.train.label(i));
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut net: SmallConvNet = (
        Unflatten,
        Conv2d::he(&mut rng),
        Relu,
        MaxPool2d::new(),
        Flatten,
        Affine::he(&mut rng),
    );
    let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &labels)?;
    println!(
        "chapter 7: conv 4×5×5 → ReLU → max pool 2×2 → affine 576→10 in f64, the same {IMAGES} \
         images centred; the filters and their bias are 1.w, 1.b, the affine layer's 5.w, 5.b"
    );
    println!("{report}");
    println!();
    Ok(report)
}

/// Builds the network in `T` (weights from N(0, 0.01²) with the same seed for either
/// type), checks it on the first three training images, and prints the table. Returns
/// the report and the loss.
fn check<T: Float>() -> Result<(GradientCheck, f64), Box<dyn Error>> {
    let mnist = Mnist::<T>::load_default()?;
    let x = Matrix::<IMAGES, PIXELS, T>::from_slice(&mnist.train.inputs()[..IMAGES * PIXELS])?;
    let labels: [usize; IMAGES] = std::array::from_fn(|i| mnist.train.label(i));

    let mut rng = StdRng::seed_from_u64(SEED);
    let mut net: TwoLayerNet<T> = (
        Affine::random(0.01, &mut rng),
        Relu::new(),
        Affine::random(0.01, &mut rng),
    );
    let kink = closest_to_kink(&net, &x);

    let loss = SoftmaxWithLoss::new();
    let report = gradient_check(&mut net, &loss, &x, &labels)?;
    // The loss at the network's own weights, which the check leaves as it found them.
    let value = net.loss(&loss, &x, &labels)?;
    println!(
        "TwoLayerNet(784, 50, 10) in {}, the first {IMAGES} training images (labels {labels:?}), \
         loss {:.6}; the book's W1, b1, W2, b2 are 0.w, 0.b, 2.w, 2.b",
        T::NAME,
        value
    );
    println!("{report}");
    println!("{kink}");
    println!();
    Ok((report, value.to_f64()))
}

/// Whether any central difference straddles the ReLU's kink, and why not.
///
/// The ReLU's input is `a = x·W1 + b1`. A step of ±h in `W1[i][j]` moves `a[n][j]` by
/// `x[n][i]·h`, in `b1[j]` by `h`; `W2` and `b2` do not move it. Pixels lie in [0, 1],
/// so no step moves any `a` by more than `h`: a kink is straddled only where
/// `|a| ≤ h`, and there the numerical gradients of column `j` of `W1` and of `b1[j]`
/// are wrong (they average the slopes on both sides).
fn closest_to_kink<T: Float>(net: &TwoLayerNet<T>, x: &Matrix<IMAGES, PIXELS, T>) -> String {
    let mut work = Default::default();
    let pre = net.0.infer(x, &mut work);
    let (k, a) = pre
        .as_slice()
        .iter()
        .map(|a| a.to_f64().abs())
        .enumerate()
        .fold(
            (0, f64::INFINITY),
            |best, (k, a)| if a < best.1 { (k, a) } else { best },
        );
    let (n, j) = (k / 50, k % 50);
    let h = CentralDifference::BOOK_H;
    let reach = h * x
        .as_slice()
        .iter()
        .fold(1.0_f64, |m, v| m.max(v.to_f64().abs()));
    if a > reach {
        format!(
            "ReLU kink: the closest input to 0 is |a| = {a:.2e} (image {n}, hidden unit {j}), \
             beyond the {reach:.0e} any step of h can move it: no difference straddles the kink."
        )
    } else {
        format!(
            "ReLU kink: image {n}, hidden unit {j} has |a| = {a:.2e} ≤ {reach:.0e}: a step of h \
             crosses 0 there, so the numerical gradients of 0.b[{j}] and of column {j} of 0.w \
             average two slopes and disagree with backprop by design, not by a bug."
        )
    }
}
