//! The gradient check against the crate's layers (each alone and in networks of 2 to 4
//! layers), against deliberately wrong backward passes, and its own promises: errors
//! for bad targets, parameters restored bit for bit, kinks shown rather than hidden.

use backprop::gradcheck::relative_error;
use backprop::{
    Affine, Buffers, CentralDifference, Error, GradientCheck, Layer, Matrix, MeanSquaredError,
    Named, Network, Params, Relu, Sigmoid, SoftmaxWithLoss, gradient_check, numerical_gradient,
    params,
};
use rand::{SeedableRng, rngs::StdRng};

/// What a correct backward reaches in f64 with h = 1e-4 on these small networks (the
/// measured worst over these tests is 3.6e-10 for the mean and 2.3e-8 for the relative
/// error).
const MEAN_TOL: f64 = 1e-9;
const REL_TOL: f64 = 1e-6;

/// Keeps every ReLU input this far from 0: a step of h = 1e-4 in any parameter moves
/// a pre-activation by far less, so no central difference straddles the kink.
const KINK_MARGIN: f64 = 0.05;

fn assert_tight(report: &GradientCheck) {
    assert!(!report.params.is_empty(), "nothing was checked");
    for p in &report.params {
        assert!(
            p.mean_abs_diff <= MEAN_TOL && p.max_rel_err <= REL_TOL,
            "{} is off:\n{report}",
            p.name
        );
    }
    assert!(report.passes(REL_TOL));
}

/// Random inputs with every element at least `KINK_MARGIN` away from 0.
fn away_from_zero<const N: usize, const I: usize>(rng: &mut StdRng) -> Matrix<N, I, f64> {
    Matrix::random_normal(1.0, rng).map(|v: f64| v + KINK_MARGIN.copysign(v))
}

/// Shifts each bias of `layer` so that its outputs for `x`, the inputs of the ReLU
/// after it, are all at least `KINK_MARGIN` away from 0.
fn clear_of_kinks<const N: usize, const I: usize, const O: usize>(
    layer: &mut Affine<I, O, f64>,
    x: &Matrix<N, I, f64>,
) {
    let mut work = Default::default();
    let pre = layer.forward(x, &mut work).clone();
    for j in 0..O {
        let column: Vec<f64> = (0..N).map(|n| pre[(n, j)]).collect();
        let shift = (0..)
            .map(|k: i32| f64::from((k + 1) / 2 * if k % 2 == 0 { 1 } else { -1 }) * 0.3)
            .find(|s| column.iter().all(|v| (v + s).abs() >= KINK_MARGIN))
            .expect("a finite column has a shift clear of 0");
        layer.b[(0, j)] += shift;
    }
    let pre = layer.forward(x, &mut work);
    assert!(pre.as_slice().iter().all(|v| v.abs() >= KINK_MARGIN));
}

fn one_hot<const N: usize, const C: usize>(labels: &[usize; N]) -> Matrix<N, C, f64> {
    Matrix::from_fn(|i, j| if labels[i] == j { 1.0 } else { 0.0 })
}

#[test]
fn affine_alone_its_w_b_and_input_gradient() {
    let mut rng = StdRng::seed_from_u64(10);
    let mut affine = Affine::<5, 4, f64>::random(1.0, &mut rng);
    affine.b = Matrix::random_normal(1.0, &mut rng);
    let x = Matrix::<3, 5, f64>::random_normal(1.0, &mut rng);
    let labels = [3, 0, 1];
    let report = gradient_check(&mut affine, &SoftmaxWithLoss::new(), &x, &labels).unwrap();
    let names: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["w", "b"]);
    assert_eq!((report.params[0].len, report.params[1].len), (20, 4));
    assert_tight(&report);
    let dx = CentralDifference::default()
        .check_input(&mut affine, &SoftmaxWithLoss::new(), &x, &labels)
        .unwrap();
    assert_eq!((dx.params[0].name.as_str(), dx.params[0].len), ("x", 15));
    assert_tight(&dx);
}

#[test]
fn relu_alone_input_gradient() {
    let mut rng = StdRng::seed_from_u64(11);
    let x = away_from_zero::<4, 6>(&mut rng);
    let report = CentralDifference::default()
        .check_input(&mut Relu::new(), &SoftmaxWithLoss::new(), &x, &[5, 0, 2, 2])
        .unwrap();
    assert_tight(&report);
    // The masked elements have exactly zero gradient on both sides.
    let zeros = x.as_slice().iter().filter(|&&v| v < 0.0).count();
    assert!(zeros > 0, "the input should have negative elements");
}

#[test]
fn sigmoid_alone_input_gradient() {
    let mut rng = StdRng::seed_from_u64(12);
    let x = Matrix::<4, 6, f64>::random_normal(2.0, &mut rng);
    let report = CentralDifference::default()
        .check_input(
            &mut Sigmoid::new(),
            &SoftmaxWithLoss::new(),
            &x,
            &[1, 4, 0, 5],
        )
        .unwrap();
    assert_tight(&report);
}

#[test]
fn two_layers_affine_sigmoid_labels_and_one_hot() {
    let mut rng = StdRng::seed_from_u64(20);
    let mut net = (Affine::<6, 4, f64>::random(0.8, &mut rng), Sigmoid::new());
    let x = Matrix::<5, 6, f64>::random_normal(1.0, &mut rng);
    let labels = [0, 3, 2, 1, 3];
    let loss = SoftmaxWithLoss::new();
    assert_tight(&gradient_check(&mut net, &loss, &x, &labels).unwrap());
    assert_tight(&gradient_check(&mut net, &loss, &x, &one_hot(&labels)).unwrap());
}

#[test]
fn two_layers_affine_relu_labels_and_one_hot() {
    let mut rng = StdRng::seed_from_u64(21);
    let mut net = (Affine::<6, 4, f64>::random(0.8, &mut rng), Relu::new());
    let x = Matrix::<5, 6, f64>::random_normal(1.0, &mut rng);
    clear_of_kinks(&mut net.0, &x);
    let labels = [1, 1, 0, 3, 2];
    let loss = SoftmaxWithLoss::new();
    assert_tight(&gradient_check(&mut net, &loss, &x, &labels).unwrap());
    assert_tight(&gradient_check(&mut net, &loss, &x, &one_hot(&labels)).unwrap());
}

#[test]
fn three_layers_two_layer_net_labels_and_one_hot() {
    let mut rng = StdRng::seed_from_u64(30);
    let mut net = (
        Affine::<7, 8, f64>::random(0.5, &mut rng),
        Relu::new(),
        Affine::<8, 3, f64>::random(0.5, &mut rng),
    );
    net.2.b = Matrix::random_normal(0.5, &mut rng);
    let x = Matrix::<4, 7, f64>::random_normal(1.0, &mut rng);
    clear_of_kinks(&mut net.0, &x);
    let labels = [2, 0, 1, 2];
    let loss = SoftmaxWithLoss::new();
    let report = gradient_check(&mut net, &loss, &x, &labels).unwrap();
    let names: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["0.w", "0.b", "2.w", "2.b"]);
    assert_tight(&report);
    assert_tight(&gradient_check(&mut net, &loss, &x, &one_hot(&labels)).unwrap());
}

#[test]
fn four_layers_sigmoid_then_relu_labels_and_one_hot() {
    let mut rng = StdRng::seed_from_u64(40);
    let mut net = (
        Affine::<5, 6, f64>::random(0.7, &mut rng),
        Sigmoid::new(),
        Affine::<6, 4, f64>::random(0.7, &mut rng),
        Relu::new(),
    );
    let x = Matrix::<6, 5, f64>::random_normal(1.0, &mut rng);
    let (mut w0, mut w1) = (Default::default(), Default::default());
    let hidden = net.1.forward(net.0.forward(&x, &mut w0), &mut w1).clone();
    clear_of_kinks(&mut net.2, &hidden);
    let labels = [0, 1, 2, 3, 3, 1];
    let loss = SoftmaxWithLoss::new();
    assert_tight(&gradient_check(&mut net, &loss, &x, &labels).unwrap());
    assert_tight(&gradient_check(&mut net, &loss, &x, &one_hot(&labels)).unwrap());
}

#[test]
fn four_layers_relu_then_sigmoid_and_its_input_gradient() {
    let mut rng = StdRng::seed_from_u64(41);
    let mut net = (
        Affine::<5, 6, f64>::random(0.7, &mut rng),
        Relu::new(),
        Affine::<6, 4, f64>::random(0.7, &mut rng),
        Sigmoid::new(),
    );
    let x = Matrix::<3, 5, f64>::random_normal(1.0, &mut rng);
    clear_of_kinks(&mut net.0, &x);
    let labels = [3, 1, 0];
    let loss = SoftmaxWithLoss::new();
    assert_tight(&gradient_check(&mut net, &loss, &x, &one_hot(&labels)).unwrap());
    // The whole chain's ∂L/∂x, through all four backward passes.
    let dx = CentralDifference::default()
        .check_input(&mut net, &loss, &x, &labels)
        .unwrap();
    assert_tight(&dx);
}

/// How a test layer gets its backward wrong.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bug {
    None,
    /// dW = −Xᵀ·dY
    FlipDw,
    /// dW = (Xᵀ·dY)ᵀ, possible only for a square W
    TransposeDw,
    /// db = the first row of dY instead of the sum of all rows
    FirstRowDb,
    /// dX = 2·dY·Wᵀ
    DoubleDx,
}

/// A fully connected layer written out by hand, with a bug to order.
struct Buggy<const I: usize, const O: usize> {
    w: Matrix<I, O, f64>,
    b: Matrix<1, O, f64>,
    dw: Matrix<I, O, f64>,
    db: Matrix<1, O, f64>,
    bug: Bug,
}

impl<const I: usize, const O: usize> Buggy<I, O> {
    fn new(bug: Bug, rng: &mut StdRng) -> Self {
        Self {
            w: Matrix::random_normal(0.8, rng),
            b: Matrix::random_normal(0.5, rng),
            dw: Matrix::zeros(),
            db: Matrix::zeros(),
            bug,
        }
    }
}

impl<const N: usize, const I: usize, const O: usize> Layer<Matrix<N, I, f64>> for Buggy<I, O> {
    type Out = Matrix<N, O, f64>;
    type Workspace = Buffers<Matrix<N, O, f64>, Matrix<N, I, f64>>;

    fn output(work: &Self::Workspace) -> &Matrix<N, O, f64> {
        &work.out
    }

    fn infer<'w>(
        &self,
        x: &Matrix<N, I, f64>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, O, f64> {
        work.out = x.matmul(&self.w).add_row(&self.b);
        &work.out
    }

    fn backward<'w>(
        &mut self,
        x: &Matrix<N, I, f64>,
        dout: &Matrix<N, O, f64>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, I, f64> {
        let dw = x.t_matmul(dout);
        self.dw = match self.bug {
            Bug::FlipDw => dw.scale(-1.0),
            Bug::TransposeDw => {
                assert_eq!(I, O, "TransposeDw needs a square W");
                Matrix::from_fn(|i, j| dw[(j, i)])
            }
            _ => dw,
        };
        self.db = match self.bug {
            Bug::FirstRowDb => Matrix::from_slice(dout.row(0)).unwrap(),
            _ => dout.column_sums(),
        };
        let dx = dout.matmul_t(&self.w);
        work.dx = if self.bug == Bug::DoubleDx {
            dx.scale(2.0)
        } else {
            dx
        };
        &work.dx
    }
}

impl<const I: usize, const O: usize> Named for Buggy<I, O> {}

impl<const I: usize, const O: usize> Params<f64> for Buggy<I, O> {
    params!(f64; matrix w => dw, vector b => db);
}

/// `(Affine<3, 4>, Buggy<4, 4>, Sigmoid)` with the given bug, checked on a batch of 5.
fn check_with(bug: Bug) -> GradientCheck {
    let mut rng = StdRng::seed_from_u64(50);
    let mut net = (
        Affine::<3, 4, f64>::random(0.8, &mut rng),
        Buggy::<4, 4>::new(bug, &mut rng),
        Sigmoid::new(),
    );
    let x = Matrix::<5, 3, f64>::random_normal(1.0, &mut rng);
    gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 1, 2, 3, 0]).unwrap()
}

/// The report blames exactly `wrong` (a relative error near 1) and clears the rest.
fn assert_blames(report: &GradientCheck, wrong: &[&str]) {
    assert!(!report.passes(1e-3), "a wrong backward passed:\n{report}");
    let worst = report.worst().unwrap();
    assert!(wrong.contains(&worst.name.as_str()), "{report}");
    for p in &report.params {
        let blamed = wrong.contains(&p.name.as_str());
        assert_eq!(p.max_rel_err > 0.1, blamed, "{}:\n{report}", p.name);
        if !blamed {
            assert!(p.max_rel_err <= REL_TOL, "{}:\n{report}", p.name);
        }
    }
}

#[test]
fn the_hand_written_layer_passes_without_its_bug() {
    assert_tight(&check_with(Bug::None));
}

#[test]
fn a_sign_flipped_dw_is_caught_and_named() {
    let report = check_with(Bug::FlipDw);
    assert_blames(&report, &["1.w"]);
    // Opposite signs: a relative error of 1 up to the rounding noise.
    let worst = report.worst().unwrap();
    assert!(worst.max_rel_err > 1.0 - 1e-9, "{report}");
    assert_eq!(worst.backprop.signum(), -worst.numerical.signum());
}

#[test]
fn a_transposed_dw_is_caught_and_named() {
    assert_blames(&check_with(Bug::TransposeDw), &["1.w"]);
}

#[test]
fn a_db_from_one_row_is_caught_and_named() {
    assert_blames(&check_with(Bug::FirstRowDb), &["1.b"]);
}

#[test]
fn a_wrong_input_gradient_is_blamed_on_the_layer_below() {
    // Layer 1's own dW and db are right; the ∂L/∂x it hands down is doubled, so the
    // parameters of layer 0 receive twice their gradient.
    let report = check_with(Bug::DoubleDx);
    assert_blames(&report, &["0.w", "0.b"]);
    let w0 = &report.params[0];
    assert!((w0.backprop / w0.numerical - 2.0).abs() < 1e-6, "{report}");
}

#[test]
fn a_bad_label_is_an_error_and_changes_nothing() {
    let mut rng = StdRng::seed_from_u64(60);
    let mut net = (Affine::<3, 2, f64>::random(1.0, &mut rng), Sigmoid::new());
    let before = net.0.clone();
    let x = Matrix::<2, 3, f64>::random_normal(1.0, &mut rng);
    let loss = SoftmaxWithLoss::new();
    assert_eq!(
        gradient_check(&mut net, &loss, &x, &[0, 2]),
        Err(Error::Label {
            row: 1,
            label: 2,
            classes: 2
        })
    );
    let not_one_hot = Matrix::new([[1.0, 0.0], [0.5, 0.2]]);
    assert!(matches!(
        numerical_gradient(&mut net, &loss, &x, &not_one_hot),
        Err(Error::Target { row: 1, .. })
    ));
    assert_eq!((net.0.w, net.0.b), (before.w, before.b));
}

#[test]
fn parameters_get_their_exact_bits_back() {
    let mut rng = StdRng::seed_from_u64(61);
    let mut net = (
        Affine::<4, 6, f64>::random(1.0, &mut rng),
        Sigmoid::new(),
        Affine::<6, 3, f64>::random(1.0, &mut rng),
    );
    let bits = |net: &mut (Affine<4, 6, f64>, Sigmoid, Affine<6, 3, f64>)| {
        let mut bits = Vec::new();
        net.visit_params(&mut |p| bits.extend(p.values.iter().map(|v| v.to_bits())));
        bits
    };
    // Small biases, as after a few training steps: for |v| < h, stepping to v + h,
    // then to v − h, then adding h back does not give v again.
    net.0.b = Matrix::random_normal(1e-5, &mut rng);
    let before = bits(&mut net);
    let h = CentralDifference::BOOK_H;
    let drift = before
        .iter()
        .map(|&b| f64::from_bits(b))
        .filter(|&v| (v + h) - 2.0 * h + h != v)
        .count();
    assert!(drift > 0, "no parameter would show the difference");
    let x = Matrix::<2, 4, f64>::random_normal(1.0, &mut rng);
    numerical_gradient(&mut net, &SoftmaxWithLoss::new(), &x, &[2, 0]).unwrap();
    assert_eq!(bits(&mut net), before);
}

#[test]
fn a_check_leaves_the_network_as_gradient_does() {
    let mut rng = StdRng::seed_from_u64(62);
    let mut net = (
        Affine::<4, 5, f64>::random(1.0, &mut rng),
        Sigmoid::new(),
        Affine::<5, 3, f64>::random(1.0, &mut rng),
    );
    let mut twin = net.clone();
    let x = Matrix::<3, 4, f64>::random_normal(1.0, &mut rng);
    let labels = [1, 2, 0];
    let loss = SoftmaxWithLoss::new();
    gradient_check(&mut net, &loss, &x, &labels).unwrap();
    twin.gradient(&SoftmaxWithLoss::new(), &x, &labels).unwrap();
    assert_eq!((net.0.dw(), net.2.db()), (twin.0.dw(), twin.2.db()));
    assert_eq!(net.0.w, twin.0.w);
}

#[test]
fn a_relu_input_at_the_kink_shows_up_where_it_is() {
    // x₂ = 0 exactly: backprop takes the masked side (slope 0), the central difference
    // averages both sides (half the slope). The report names that element.
    let x = Matrix::new([[0.7_f64, -0.4, 0.0, 1.1]]);
    let report = CentralDifference::default()
        .check_input(&mut Relu::new(), &SoftmaxWithLoss::new(), &x, &[2])
        .unwrap();
    let p = &report.params[0];
    assert_eq!((p.worst_index, p.backprop), (2, 0.0));
    let probabilities = backprop::softmax(&Matrix::new([[0.7_f64, 0.0, 0.0, 1.1]]));
    let one_side = probabilities[(0, 2)] - 1.0;
    // (plus the curvature on the open side, f″·h/4 ≈ 3e-6)
    assert!((p.numerical - one_side / 2.0).abs() < 1e-5, "{report}");
    assert!(relative_error(p.backprop, p.numerical, report.noise) > 0.999);
    assert!(!report.passes(0.5));
}

#[test]
fn f32_agrees_only_to_its_rounding() {
    let mut rng = StdRng::seed_from_u64(70);
    let mut net64 = (
        Affine::<6, 5, f64>::random(0.5, &mut rng),
        Sigmoid::new(),
        Affine::<5, 3, f64>::random(0.5, &mut rng),
    );
    let x64 = Matrix::<4, 6, f64>::random_normal(1.0, &mut rng);
    let labels = [0, 1, 2, 1];
    let to_f32 = |m: &[f64]| m.iter().map(|&v| v as f32).collect::<Vec<f32>>();
    let mut net32 = (
        Affine::<6, 5, f32>::new(
            Matrix::from_vec(to_f32(net64.0.w.as_slice())).unwrap(),
            Matrix::zeros(),
        ),
        Sigmoid::new(),
        Affine::<5, 3, f32>::new(
            Matrix::from_vec(to_f32(net64.2.w.as_slice())).unwrap(),
            Matrix::zeros(),
        ),
    );
    let x32 = Matrix::<4, 6, f32>::from_vec(to_f32(x64.as_slice())).unwrap();
    let r64 = gradient_check(&mut net64, &SoftmaxWithLoss::new(), &x64, &labels).unwrap();
    let r32 = gradient_check(&mut net32, &SoftmaxWithLoss::new(), &x32, &labels).unwrap();
    assert_eq!((r64.float, r32.float), ("f64", "f32"));
    assert_tight(&r64);
    // The same network and loss: η differs by the ratio of the epsilons, 2⁻⁵² / 2⁻²³.
    assert!((r64.noise / r32.noise / 2f64.powi(-29) - 1.0).abs() < 1e-3);
    // ε·|L|/h with ε ≈ 1.2e-7, |L| ≈ 1, h = 1e-4: differences near 1e-3, not 1e-10,
    // all within η: the f32 check passes because it cannot see the small gradients.
    assert!(
        r32.max_mean_abs_diff() > 1e3 * r64.max_mean_abs_diff(),
        "{r32}{r64}"
    );
    assert!(r32.passes(REL_TOL), "{r32}");
    let seen = |r: &GradientCheck| r.params.iter().map(|p| p.above_noise).sum::<usize>();
    assert!(seen(&r32) < seen(&r64), "{r32}{r64}");
}

/// The check takes any loss: a regression net with mean squared error passes it, and
/// a non-finite target is an error before anything is touched.
#[test]
fn a_regression_net_with_mean_squared_error_passes() {
    let mut rng = StdRng::seed_from_u64(60);
    let mut net = (
        Affine::<3, 6, f64>::random(0.8, &mut rng),
        Sigmoid::new(),
        Affine::<6, 2, f64>::random(0.8, &mut rng),
    );
    let x = Matrix::<4, 3, f64>::random_normal(1.0, &mut rng);
    let t = Matrix::<4, 2, f64>::random_normal(1.0, &mut rng);
    let report = gradient_check(&mut net, &MeanSquaredError::new(), &x, &t).unwrap();
    assert!(report.passes(1e-6), "{report}");
    assert!(report.max_mean_abs_diff() < 1e-9, "{report}");
    let mut bad = t.clone();
    bad[(1, 1)] = f64::NAN;
    let before = net.clone();
    let err = gradient_check(&mut net, &MeanSquaredError::new(), &x, &bad).unwrap_err();
    assert!(matches!(err, Error::NotFinite { .. }), "{err:?}");
    assert_eq!((net.0.w, net.2.b), (before.0.w, before.2.b));
}
