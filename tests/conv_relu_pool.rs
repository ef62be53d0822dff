//! `ConvReluPool` against `Conv2d`, `Relu` and `MaxPool2d` in a row: the same numbers,
//! bit for bit, forward and backward, and the gradient check of a net built with it.

use backprop::{
    Affine, Conv2d, ConvReluPool, Flatten, Float, Images, Layer, Matrix, MaxPool2d, Relu,
    SoftmaxWithLoss, Unflatten, gradient_check,
};
use rand::{SeedableRng, rngs::StdRng};

/// Two passes of a batch through the block and through the three layers, each pass
/// with ∂L/∂X (`backward`) and without (`backward_params`): outputs, ∂L/∂X, ∂L/∂W and
/// ∂L/∂b must be equal, not close. A negative bias of 1.5 standard deviations of a
/// filter's sum leaves many windows without a positive pixel (their gradient is 0
/// both ways).
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
) {
    let what = format!(
        "{C}×{H}×{W}, {FN} filters {FH}×{FW} stride {S} pad {P}, pool {PH}×{PW} stride {PS}, {}",
        std::any::type_name::<T>()
    );
    let mut rng = StdRng::seed_from_u64(seed);
    let w = Images::<FN, C, FH, FW, T>::random_normal(0.5, &mut rng);
    let bias = Matrix::filled(T::from_f64(-1.5 * 0.5 * ((C * FH * FW) as f64).sqrt()));
    let conv = Conv2d::<C, FN, FH, FW, OH, OW, S, P, T>::new(w, bias);
    let pool = MaxPool2d::<PH, PW, QH, QW, PS>::new();
    let mut three = (conv.clone(), Relu, pool);
    let mut block = ConvReluPool::new(conv, pool);
    let (mut work3, mut work) = (Default::default(), Default::default());
    for pass in 0..2 {
        let x = Images::<N, C, H, W, T>::random_normal(1.0, &mut rng);
        let dout = Images::<N, FN, QH, QW, T>::random_normal(1.0, &mut rng);
        let y3 = three.forward(&x, &mut work3).clone();
        assert_eq!(
            &y3,
            block.forward(&x, &mut work),
            "{what}: output, pass {pass}"
        );
        assert!(
            y3.as_slice().contains(&T::ZERO),
            "{what}: no window was negative"
        );
        let dx3 = three.backward(&x, &dout, &mut work3).clone();
        assert_eq!(
            &dx3,
            block.backward(&x, &dout, &mut work),
            "{what}: ∂L/∂X, pass {pass}"
        );
        assert_eq!(three.0.dw(), block.conv.dw(), "{what}: ∂L/∂W, pass {pass}");
        assert_eq!(three.0.db(), block.conv.db(), "{what}: ∂L/∂b, pass {pass}");
        three.backward_params(&x, &dout, &mut work3);
        block.backward_params(&x, &dout, &mut work);
        assert_eq!(
            three.0.dw(),
            block.conv.dw(),
            "{what}: ∂L/∂W alone, pass {pass}"
        );
        assert_eq!(
            three.0.db(),
            block.conv.db(),
            "{what}: ∂L/∂b alone, pass {pass}"
        );
    }
}

#[test]
fn the_block_computes_what_conv_relu_and_pool_compute_bit_for_bit() {
    // The SimpleConvNet's geometry, smaller: stride 1 in f32 reads `col` from the image.
    agrees_bit_for_bit::<3, 1, 12, 12, 4, 5, 5, 8, 8, 1, 0, 2, 2, 4, 4, 2, f32>(1);
    // Padding, several channels, windows that overlap (stride 1) and leave pixels over.
    agrees_bit_for_bit::<2, 3, 7, 10, 5, 3, 3, 7, 10, 1, 1, 3, 3, 3, 4, 2, f32>(2);
    // Stride 2 (im2col) in f32, and f64 (im2col, the gradient checks' type).
    agrees_bit_for_bit::<2, 2, 9, 9, 3, 3, 3, 5, 5, 2, 1, 2, 2, 2, 2, 2, f32>(3);
    agrees_bit_for_bit::<3, 2, 10, 10, 4, 3, 3, 10, 10, 1, 1, 2, 2, 5, 5, 2, f64>(4);
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
