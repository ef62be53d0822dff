//! `ConvReluPool` against `Conv2d`, `Relu` and `MaxPool2d` in a row: the same numbers,
//! bit for bit, forward and backward, and the gradient check of a net built with it.

use backprop::{
    Affine, Conv2d, ConvReluPool, Flatten, Float, Images, Layer, Matrix, MaxPool2d, Relu,
    SoftmaxWithLoss, Unflatten, gradient_check,
};
use rand::{SeedableRng, rngs::StdRng};

/// `x` with each value rounded to a whole number when `integers`.
fn whole<const N: usize, const C: usize, const H: usize, const W: usize, T: Float>(
    x: Images<N, C, H, W, T>,
    integers: bool,
) -> Images<N, C, H, W, T> {
    if !integers {
        return x;
    }
    let rounded: Vec<T> = x
        .as_slice()
        .iter()
        .map(|&v| T::from_f64(v.to_f64().round()))
        .collect();
    Images::from_slice(&rounded).unwrap()
}

/// Every value's bits (`-0.0` and `0.0` differ), for "equal, not close".
fn bits<T: Float>(xs: &[T]) -> Vec<u64> {
    xs.iter().map(|&x| x.to_f64().to_bits()).collect()
}

/// Two passes of a batch through the block and through the three layers, each pass
/// with ∂L/∂X (`backward`) and without (`backward_params`): outputs, ∂L/∂X, ∂L/∂W and
/// ∂L/∂b must have the same bits. With `integers`, the images and filters are small
/// whole numbers, so that a window's maximum is often tied; otherwise normal draws. A
/// negative bias of 1.5 standard deviations of a filter's sum leaves many windows
/// without a positive pixel (their gradient is 0 both ways).
fn agrees_bit_for_bit<
    const N: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize,
    const P: usize,
    const PH: usize,
    const PW: usize,
    const QH: usize,
    const QW: usize,
    const PS: usize,
    T: Float,
>(
    seed: u64,
    integers: bool,
) {
    let what = format!(
        "{C}×{H}×{W}, {FN} filters {FH}×{FW} stride {S} pad {P}, pool {PH}×{PW} stride {PS}, {}, integers {integers}",
        std::any::type_name::<T>()
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let (sx, sw) = if integers { (2.0, 1.0) } else { (1.0, 0.5) };
    let w = whole(
        Images::<FN, C, FH, FW, T>::random_normal(sw, &mut rng),
        integers,
    );
    let bias = -(1.5 * sx * sw * ((C * FH * FW) as f64).sqrt()).round();
    let conv = Conv2d::<C, FN, FH, FW, OH, OW, S, P, T>::new(w, Matrix::filled(T::from_f64(bias)));
    let pool = MaxPool2d::<PH, PW, QH, QW, PS>::new();
    let mut three = (conv.clone(), Relu, pool);
    let mut block = ConvReluPool::new(conv, pool);
    let (mut work3, mut work) = (Default::default(), Default::default());
    for pass in 0..2 {
        let x = whole(
            Images::<N, C, H, W, T>::random_normal(sx, &mut rng),
            integers,
        );
        let dout = Images::<N, FN, QH, QW, T>::random_normal(1.0, &mut rng);
        let y3 = bits(three.forward(&x, &mut work3).as_slice());
        assert_eq!(
            y3,
            bits(block.forward(&x, &mut work).as_slice()),
            "{what}: output, pass {pass}"
        );
        let zeros = y3.iter().filter(|&&v| v == 0).count();
        assert!(zeros > 0 && zeros < y3.len(), "{what}: {zeros} windows ≤ 0");
        if integers {
            // Some window's largest value is there twice, and positive: the case where
            // the first of equal maxima must be the same pixel with and without ReLU.
            let y = work3.0.out.as_slice();
            let tied = (0..N * FN * QH * QW).any(|k| {
                let (ch, i, j) = (k / (QH * QW), k / QW % QH, k % QW);
                let at = |q: usize| (i * PS + q / PW) * OW + j * PS + q % PW;
                let window: Vec<f64> = (0..PH * PW)
                    .map(|q| y[ch * OH * OW + at(q)].to_f64())
                    .collect();
                let max = window.iter().copied().fold(f64::MIN, f64::max);
                max > 0.0 && window.iter().filter(|&&v| v == max).count() > 1
            });
            assert!(tied, "{what}: no tied positive maximum, pass {pass}");
        }
        let dx3 = bits(three.backward(&x, &dout, &mut work3).as_slice());
        let dx = bits(block.backward(&x, &dout, &mut work).as_slice());
        assert_eq!(dx3, dx, "{what}: ∂L/∂X, pass {pass}");
        let grads = |conv: &Conv2d<C, FN, FH, FW, OH, OW, S, P, T>| {
            (bits(conv.dw().as_slice()), bits(conv.db().as_slice()))
        };
        assert_eq!(
            grads(&three.0),
            grads(&block.conv),
            "{what}: ∂L/∂W, ∂L/∂b, pass {pass}"
        );
        three.backward_params(&x, &dout, &mut work3);
        block.backward_params(&x, &dout, &mut work);
        assert_eq!(
            grads(&three.0),
            grads(&block.conv),
            "{what}: without ∂L/∂X, pass {pass}"
        );
    }
}

#[test]
fn the_block_computes_what_conv_relu_and_pool_compute_bit_for_bit() {
    // The SimpleConvNet's geometry, smaller: stride 1 in f32 reads `col` from the image.
    agrees_bit_for_bit::<3, 1, 12, 12, 4, 5, 5, 8, 8, 1, 0, 2, 2, 4, 4, 2, f32>(1, false);
    // Padding, several channels, windows that overlap and leave pixels over.
    agrees_bit_for_bit::<2, 3, 7, 10, 5, 3, 3, 7, 10, 1, 1, 3, 3, 3, 4, 2, f32>(2, false);
    // Stride 2 (im2col) in f32, and f64 (im2col, the gradient checks' type).
    agrees_bit_for_bit::<2, 2, 9, 9, 3, 3, 3, 5, 5, 2, 1, 2, 2, 2, 2, 2, f32>(3, false);
    agrees_bit_for_bit::<3, 2, 10, 10, 4, 3, 3, 10, 10, 1, 1, 2, 2, 5, 5, 2, f64>(4, false);
    // Whole numbers: ties for a window's maximum, tiled and overlapping windows.
    agrees_bit_for_bit::<3, 1, 12, 12, 4, 5, 5, 8, 8, 1, 0, 2, 2, 4, 4, 2, f32>(5, true);
    agrees_bit_for_bit::<2, 3, 7, 10, 5, 3, 3, 7, 10, 1, 1, 3, 3, 3, 4, 2, f64>(6, true);
}

/// The small conv net of tests/conv.rs with the block in place of its three layers.
type SmallBlockNet = (
    Unflatten<2, 6, 6>,
    ConvReluPool<Conv2d<2, 3, 3, 3, 6, 6, 1, 1, f64>, MaxPool2d<2, 2, 3, 3>>,
    Flatten<27>,
    Affine<27, 4, f64>,
);

#[test]
fn a_net_with_the_block_passes_the_gradient_check() {
    let mut rng = StdRng::seed_from_u64(7);
    let block = ConvReluPool::new(Conv2d::he(&mut rng), MaxPool2d::new());
    let mut net: SmallBlockNet = (Unflatten, block, Flatten, Affine::he(&mut rng));
    let x = Matrix::<3, 72, f64>::random_normal(1.0, &mut rng);
    let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 3, 1]).unwrap();
    let names: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["1.w", "1.b", "3.w", "3.b"]);
    assert!(report.max_mean_abs_diff() < 1e-9, "{report}");
    assert!(report.passes(1e-6), "{report}");
    let input = backprop::CentralDifference::default()
        .check_input(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 3, 1])
        .unwrap();
    assert!(input.max_mean_abs_diff() < 1e-9, "{input}");
}
