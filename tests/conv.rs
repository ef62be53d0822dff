//! Chapter 7's layers: convolution against a direct loop, pooling's routing, shapes
//! checked at build time, and the gradient check of a small conv net.

use backprop::{
    Affine, Conv2d, Flatten, Images, Layer, Matrix, MaxPool2d, Network, Relu, SoftmaxWithLoss,
    Unflatten, gradient_check,
};
use rand::{SeedableRng, rngs::StdRng};

use crate::common;

/// The convolution by its definition, one output at a time.
fn direct<
    const N: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
>(
    x: &Images<N, C, H, W, f64>,
    w: &Images<FN, C, FH, FW, f64>,
    b: &Matrix<1, FN, f64>,
    stride: usize,
    pad: usize,
) -> Images<N, FN, OH, OW, f64> {
    let mut y = Images::zeros();
    for n in 0..N {
        for f in 0..FN {
            for i in 0..OH {
                for j in 0..OW {
                    let mut sum = b[(0, f)];
                    for c in 0..C {
                        for u in 0..FH {
                            for v in 0..FW {
                                let (r, s) = (
                                    (i * stride + u) as isize - pad as isize,
                                    (j * stride + v) as isize - pad as isize,
                                );
                                if r >= 0 && s >= 0 && (r as usize) < H && (s as usize) < W {
                                    sum += w[(f, c, u, v)] * x[(n, c, r as usize, s as usize)];
                                }
                            }
                        }
                    }
                    y[(n, f, i, j)] = sum;
                }
            }
        }
    }
    y
}

#[test]
fn convolution_matches_the_definition_with_stride_and_padding() {
    let mut rng = StdRng::seed_from_u64(3);
    let x = Images::<2, 3, 7, 6, f64>::random_normal(1.0, &mut rng);
    // (7 + 2·1 − 3)/2 + 1 = 4, (6 + 2·1 − 2)/2 + 1 = 4
    let conv = Conv2d::<3, 4, 3, 2, 4, 4, 2, 1, f64>::new(
        Images::random_normal(1.0, &mut rng),
        Matrix::random_normal(1.0, &mut rng),
    );
    let got = conv.predict(&x);
    let want = direct::<2, 3, 7, 6, 4, 3, 2, 4, 4>(&x, &conv.w, &conv.b, 2, 1);
    for (g, w) in got.as_slice().iter().zip(want.as_slice()) {
        assert!((g - w).abs() < 1e-12, "{g} vs {w}");
    }
}

/// `xs` in f32.
fn to_f32(xs: &[f64]) -> Vec<f32> {
    xs.iter().map(|&x| x as f32).collect()
}

/// Asserts that `got` (f32) is `want` (f64) to f32's precision.
fn close(got: &[f32], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert!(
            (f64::from(g) - w).abs() <= 1e-4 * (1.0 + w.abs()),
            "{what}[{i}]: {g} vs {w}"
        );
    }
}

/// A stride-1 convolution in f32 (whose products read `col` from the padded image)
/// against the same layer in f64 (im2col): output, ∂L/∂W, ∂L/∂b and ∂L/∂X, over a batch
/// of several images and channels, for padding 0, 1 and 2, twice in a row (the second
/// pass with other inputs, in the same workspaces).
fn stride_one_f32_agrees_with_f64<const P: usize, const OH: usize, const OW: usize>() {
    let mut rng = StdRng::seed_from_u64(11 + P as u64);
    let w = Images::<5, 3, 3, 4, f64>::random_normal(1.0, &mut rng);
    let b = Matrix::<1, 5, f64>::random_normal(1.0, &mut rng);
    let mut wide = Conv2d::<3, 5, 3, 4, OH, OW, 1, P, f64>::new(w.clone(), b.clone());
    let narrow_w = Images::from_slice(&to_f32(w.as_slice())).unwrap();
    let narrow_b = Matrix::from_slice(&to_f32(b.as_slice())).unwrap();
    let mut narrow = Conv2d::<3, 5, 3, 4, OH, OW, 1, P, f32>::new(narrow_w, narrow_b);
    let (mut work64, mut work32) = (Default::default(), Default::default());
    for pass in 0..2 {
        let x = Images::<3, 3, 7, 11, f64>::random_normal(1.0, &mut rng);
        let dy = Images::<3, 5, OH, OW, f64>::random_normal(1.0, &mut rng);
        let x32 = Images::<3, 3, 7, 11>::from_slice(&to_f32(x.as_slice())).unwrap();
        let dy32 = Images::<3, 5, OH, OW>::from_slice(&to_f32(dy.as_slice())).unwrap();
        let y = wide.forward(&x, &mut work64).clone();
        close(
            narrow.forward(&x32, &mut work32).as_slice(),
            y.as_slice(),
            "Y",
        );
        let dx = wide.backward(&x, &dy, &mut work64).clone();
        let dx32 = narrow.backward(&x32, &dy32, &mut work32);
        let what = |name: &str| format!("padding {P}, pass {pass}: {name}");
        close(dx32.as_slice(), dx.as_slice(), &what("∂L/∂X"));
        close(narrow.dw().as_slice(), wide.dw().as_slice(), &what("∂L/∂W"));
        close(narrow.db().as_slice(), wide.db().as_slice(), &what("∂L/∂b"));
    }
}

#[test]
fn a_stride_one_convolution_in_f32_agrees_with_f64() {
    // 7×11 images, 3×4 filters: (7 + 2P − 3) + 1 × (11 + 2P − 4) + 1.
    stride_one_f32_agrees_with_f64::<0, 5, 8>();
    stride_one_f32_agrees_with_f64::<1, 7, 10>();
    stride_one_f32_agrees_with_f64::<2, 9, 12>();
}

#[test]
fn pooling_routes_each_gradient_to_its_window_maximum() {
    let mut pool = MaxPool2d::<2, 2, 2, 2>::new();
    let mut work = Default::default();
    #[rustfmt::skip]
    let x = Images::<1, 1, 4, 4, f64>::from_slice(&[
        1.0, 2.0, 0.0, 0.0,
        4.0, 3.0, 0.0, 9.0,
        5.0, 5.0, 1.0, 1.0,
        5.0, 5.0, 1.0, 2.0,
    ])
    .unwrap();
    assert_eq!(
        pool.forward(&x, &mut work).as_slice(),
        &[4.0, 9.0, 5.0, 2.0]
    );
    let dy = Images::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    let dx = pool.backward(&x, &dy, &mut work);
    #[rustfmt::skip]
    assert_eq!(dx.as_slice(), &[
        0.0, 0.0, 0.0, 0.0,
        1.0, 0.0, 0.0, 2.0,
        3.0, 0.0, 0.0, 0.0, // the first of four equal maxima
        0.0, 0.0, 0.0, 4.0,
    ]);
}

/// conv → ReLU → pool → affine, in f64, on 6×6 two-channel images.
type SmallConvNet = (
    Unflatten<2, 6, 6>,
    Conv2d<2, 3, 3, 3, 6, 6, 1, 1, f64>,
    Relu,
    MaxPool2d<2, 2, 3, 3>,
    Flatten<27>,
    Affine<27, 4, f64>,
);

fn small_conv_net(rng: &mut StdRng) -> SmallConvNet {
    (
        Unflatten,
        Conv2d::he(rng),
        Relu,
        MaxPool2d::new(),
        Flatten,
        Affine::he(rng),
    )
}

#[test]
fn a_small_conv_net_passes_the_gradient_check() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut net = small_conv_net(&mut rng);
    let x = Matrix::<3, 72, f64>::random_normal(1.0, &mut rng);
    let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 3, 1]).unwrap();
    println!("{report}");
    let names: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["1.w", "1.b", "5.w", "5.b"]);
    assert!(report.max_mean_abs_diff() < 1e-9, "{report}");
    assert!(report.passes(1e-6), "{report}");
}

#[test]
fn the_input_gradient_of_a_conv_net_matches_finite_differences() {
    let mut rng = StdRng::seed_from_u64(8);
    let mut net = small_conv_net(&mut rng);
    let x = Matrix::<2, 72, f64>::random_normal(1.0, &mut rng);
    let report = backprop::CentralDifference::default()
        .check_input(&mut net, &SoftmaxWithLoss::new(), &x, &[2, 1])
        .unwrap();
    assert!(report.max_mean_abs_diff() < 1e-9, "{report}");
}

#[test]
fn affine_on_images_is_flatten_then_affine_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(9);
    let x = Images::<3, 2, 3, 4, f32>::random_normal(1.0, &mut rng);
    let dy = Matrix::<3, 5, f32>::random_normal(1.0, &mut rng);
    let mut affine = Affine::<24, 5, f32>::random(0.5, &mut rng);
    affine.b = Matrix::random_normal(1.0, &mut rng);
    affine.weight_decay = 0.1;
    let mut two = (Flatten::<24>, affine.clone());
    let (mut work, mut work2) = (Default::default(), Default::default());
    assert_eq!(affine.forward(&x, &mut work), two.forward(&x, &mut work2));
    let dx = affine.backward(&x, &dy, &mut work).clone();
    assert_eq!(&dx, two.backward(&x, &dy, &mut work2));
    assert_eq!((affine.dw(), affine.db()), (two.1.dw(), two.1.db()));
    assert_ne!(dx, Images::zeros());
}

#[test]
fn a_conv_net_without_flatten_passes_the_gradient_check() {
    let mut rng = StdRng::seed_from_u64(7);
    let (unflatten, conv, relu, pool, _, affine) = small_conv_net(&mut rng);
    let mut net = (unflatten, conv, relu, pool, affine);
    let x = Matrix::<3, 72, f64>::random_normal(1.0, &mut rng);
    let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 3, 1]).unwrap();
    let names: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["1.w", "1.b", "4.w", "4.b"]);
    assert!(report.max_mean_abs_diff() < 1e-9, "{report}");
    let input = backprop::CentralDifference::default()
        .check_input(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 3, 1])
        .unwrap();
    assert!(input.max_mean_abs_diff() < 1e-9, "{input}");
}

#[test]
fn the_books_simple_conv_net_has_its_shapes_and_parameter_count() {
    use common::simple_convnet_net::{SimpleConvNet, random};
    let net: SimpleConvNet = random(0.01, 0);
    let summary = net.summary::<Matrix<100, 784>>();
    let dims: Vec<Vec<usize>> = summary.rows.iter().map(|r| r.dims.clone()).collect();
    // conv → ReLU → pool as one layer: 30 channels of 24×24 pooled to 12×12.
    assert_eq!(dims[1], [100, 30, 12, 12]);
    // The first Affine takes the pooled images as they are: no Flatten.
    assert_eq!(dims[2], [100, 100]);
    // The book's SimpleConvNet: 30·25 + 30 + 4320·100 + 100 + 100·10 + 10.
    assert_eq!(summary.total_params(), 780 + 432_100 + 1_010);
    let block = "ConvReluPool<Conv2d<1, 30, 5, 5, 24, 24, 1, 0>, MaxPool2d<2, 2, 12, 12, 2>>";
    assert!(summary.to_string().contains(block), "{summary}");
    let scores = net.predict(&Matrix::<2, 784>::zeros());
    assert_eq!(scores.row(1).len(), 10);
    let _: fn(&SimpleConvNet) -> &dyn Sync = |n| n; // shared across threads for inference
}

/// The `gradient_check` example checks chapter 7's layers on MNIST digits too, and its
/// last lines state both results.
#[test]
fn the_gradient_check_example_checks_a_conv_net_to_1e_9() {
    let out = common::run_example("gradient_check", &[], None);
    let stdout = common::text(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        common::text(&out.stderr)
    );
    let value = |prefix: &str| -> f64 {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(prefix))
            .expect(prefix);
        line[prefix.len()..].trim().parse().unwrap()
    };
    assert!(value("conv f64 max mean |diff| = ") <= 1e-9, "{stdout}");
    assert!(value("f64 max mean |diff| = ") <= 1e-9, "{stdout}");
    for parameter in ["1.w", "1.b", "5.w", "5.b"] {
        assert!(
            stdout.lines().any(|l| l.starts_with(parameter)),
            "{parameter}: {stdout}"
        );
    }
}
