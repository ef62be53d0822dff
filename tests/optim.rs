//! The six optimizers against two steps worked out by hand, `by_name`, the learning
//! rate setter, the one-network invariant, and steps that allocate nothing.

use backprop::optim::{NAMES, by_name};
use backprop::train::{BatchSize, Trainer};
use backprop::{
    AdaGrad, Adam, Affine, Layer, Loss, Matrix, Momentum, Nesterov, Network, Optimizer, Param,
    Params, Relu, RmsProp, Sgd, SoftmaxWithLoss,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// Two parameters whose gradients the test sets: `w` (3 values) and `b` (1 value).
struct Tiny {
    w: [f64; 3],
    dw: [f64; 3],
    b: [f64; 1],
    db: [f64; 1],
}

impl Params<f64> for Tiny {
    fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, f64>)) {
        f(Param {
            name: &"w",
            values: &mut self.w,
            grad: &self.dw,
        });
        f(Param {
            name: &"b",
            values: &mut self.b,
            grad: &self.db,
        });
    }
}

/// Starts at `w = [1, −2, 3]`, `b = [0.5]` and takes two steps, the first with
/// gradients `dw = [0.5, −1, 0]`, `db = [2]`, the second with `dw = [1, 0, 0]`,
/// `db = [−2]`; returns `[w₀, w₁, w₂, b]` after each. `w₂`'s gradient is always 0.
fn two_steps(opt: &mut dyn Optimizer<f64>) -> [[f64; 4]; 2] {
    let mut tiny = Tiny {
        w: [1.0, -2.0, 3.0],
        dw: [0.5, -1.0, 0.0],
        b: [0.5],
        db: [2.0],
    };
    opt.step(&mut tiny);
    let first = [tiny.w[0], tiny.w[1], tiny.w[2], tiny.b[0]];
    (tiny.dw, tiny.db) = ([1.0, 0.0, 0.0], [-2.0]);
    opt.step(&mut tiny);
    [first, [tiny.w[0], tiny.w[1], tiny.w[2], tiny.b[0]]]
}

/// `ε = 1e-7` shifts the results of the optimizers that divide by `√h + ε` by up
/// to about 2e-6 from the numbers worked out without it.
fn assert_close(actual: [[f64; 4]; 2], expected: [[f64; 4]; 2], tolerance: f64) {
    for (step, (a, e)) in actual.iter().zip(&expected).enumerate() {
        for (i, (a, e)) in a.iter().zip(e).enumerate() {
            assert!(
                (a - e).abs() <= tolerance,
                "step {}, value {i}: {a} instead of {e}\n{actual:?}",
                step + 1
            );
        }
    }
}

#[test]
fn sgd_takes_two_hand_computed_steps() {
    // η = 0.1.
    // 1: w₀ = 1 − 0.1·0.5 = 0.95, w₁ = −2 − 0.1·(−1) = −1.9, b = 0.5 − 0.1·2 = 0.3.
    // 2: w₀ = 0.95 − 0.1·1 = 0.85, w₁ stays, b = 0.3 − 0.1·(−2) = 0.5.
    let expected = [[0.95, -1.9, 3.0, 0.3], [0.85, -1.9, 3.0, 0.5]];
    assert_close(two_steps(&mut Sgd::new(0.1)), expected, 1e-12);
}

#[test]
fn momentum_takes_two_hand_computed_steps() {
    // η = 0.1, α = 0.9.
    // 1: v = −0.1·g = [−0.05, 0.1, 0], v_b = −0.2;  w = [0.95, −1.9, 3], b = 0.3.
    // 2: v = 0.9·v − 0.1·g = [−0.045 − 0.1, 0.09 − 0, 0] = [−0.145, 0.09, 0],
    //    v_b = −0.18 + 0.2 = 0.02;  w = [0.95 − 0.145, −1.9 + 0.09, 3] = [0.805, −1.81, 3],
    //    b = 0.3 + 0.02 = 0.32.
    let expected = [[0.95, -1.9, 3.0, 0.3], [0.805, -1.81, 3.0, 0.32]];
    assert_close(two_steps(&mut Momentum::new(0.1)), expected, 1e-12);
}

#[test]
fn nesterov_takes_two_hand_computed_steps() {
    // η = 0.1, α = 0.9: α² = 0.81, (1 + α)·η = 0.19; v as for Momentum.
    // 1: v = [−0.05, 0.1, 0], v_b = −0.2;
    //    w₀ = 1 + 0.81·(−0.05) − 0.19·0.5 = 1 − 0.0405 − 0.095 = 0.8645,
    //    w₁ = −2 + 0.81·0.1 − 0.19·(−1) = −2 + 0.081 + 0.19 = −1.729,
    //    b = 0.5 + 0.81·(−0.2) − 0.19·2 = 0.5 − 0.162 − 0.38 = −0.042.
    // 2: v = [−0.145, 0.09, 0], v_b = 0.02;
    //    w₀ = 0.8645 + 0.81·(−0.145) − 0.19·1 = 0.8645 − 0.11745 − 0.19 = 0.55705,
    //    w₁ = −1.729 + 0.81·0.09 − 0 = −1.729 + 0.0729 = −1.6561,
    //    b = −0.042 + 0.81·0.02 − 0.19·(−2) = −0.042 + 0.0162 + 0.38 = 0.3542.
    let expected = [
        [0.8645, -1.729, 3.0, -0.042],
        [0.55705, -1.6561, 3.0, 0.3542],
    ];
    assert_close(two_steps(&mut Nesterov::new(0.1)), expected, 1e-12);
}

#[test]
fn adagrad_takes_two_hand_computed_steps() {
    // η = 0.1 (ε left out of the arithmetic; for w₂, h stays 0 and ε makes 0/ε = 0).
    // 1: h = g² = [0.25, 1, 0], h_b = 4;  √h = [0.5, 1, 0], √h_b = 2;
    //    w₀ = 1 − 0.1·0.5/0.5 = 0.9, w₁ = −2 − 0.1·(−1)/1 = −1.9, b = 0.5 − 0.1·2/2 = 0.4.
    // 2: h = [0.25 + 1, 1 + 0, 0] = [1.25, 1, 0], h_b = 4 + 4 = 8;
    //    w₀ = 0.9 − 0.1/√1.25 = 0.9 − 0.2/√5 = 0.9 − 0.0894427 = 0.8105573,
    //    w₁ stays (g = 0), b = 0.4 + 0.2/√8 = 0.4 + 0.1/√2 = 0.4 + 0.0707107 = 0.4707107.
    let expected = [[0.9, -1.9, 3.0, 0.4], [0.8105573, -1.9, 3.0, 0.4707107]];
    assert_close(two_steps(&mut AdaGrad::new(0.1)), expected, 1e-6);
}

#[test]
fn rmsprop_takes_two_hand_computed_steps() {
    // η = 0.1, ρ = 0.99, so 1 − ρ = 0.01 (ε left out of the arithmetic).
    // 1: h = 0.01·g² = [0.0025, 0.01, 0], h_b = 0.04;  √h = [0.05, 0.1, 0], √h_b = 0.2;
    //    w₀ = 1 − 0.1·0.5/0.05 = 0, w₁ = −2 − 0.1·(−1)/0.1 = −1, b = 0.5 − 0.1·2/0.2 = −0.5.
    // 2: h₀ = 0.99·0.0025 + 0.01·1 = 0.002475 + 0.01 = 0.012475, h₁ = 0.99·0.01 = 0.0099,
    //    h_b = 0.99·0.04 + 0.01·4 = 0.0396 + 0.04 = 0.0796;
    //    √0.012475 = 0.1116915, so w₀ = 0 − 0.1/0.1116915 = −0.8953230;
    //    w₁ stays (g = 0);  √0.0796 = 0.2821347, so b = −0.5 + 0.2/0.2821347
    //    = −0.5 + 0.7088812 = 0.2088812.
    let expected = [[0.0, -1.0, 3.0, -0.5], [-0.8953230, -1.0, 3.0, 0.2088812]];
    assert_close(two_steps(&mut RmsProp::new(0.1)), expected, 1e-5);
}

#[test]
fn adam_takes_two_hand_computed_steps() {
    // η = 0.1, β₁ = 0.9, β₂ = 0.999 (ε left out of the arithmetic).
    // 1: η₁ = 0.1·√(1 − 0.999)/(1 − 0.9) = √0.001 = 0.0316228;
    //    m = 0.1·g = [0.05, −0.1, 0], m_b = 0.2;  v = 0.001·g² = [0.00025, 0.001, 0],
    //    v_b = 0.004;  m/√v = 0.1·g/(√0.001·|g|) = ±√10, so each step is
    //    √0.001·√10 = 0.1 against sign(g): w = [0.9, −1.9, 3], b = 0.4.
    // 2: η₂ = 0.1·√(1 − 0.999²)/(1 − 0.9²) = 0.1·√0.001999/0.19 = 0.1·0.0447102/0.19
    //    = 0.0235317;
    //    m₀ = 0.05 + 0.1·(1 − 0.05) = 0.145, m₁ = −0.1 + 0.1·(0 + 0.1) = −0.09,
    //    m_b = 0.2 + 0.1·(−2 − 0.2) = −0.02;
    //    v₀ = 0.00025 + 0.001·(1 − 0.00025) = 0.00124975, v₁ = 0.001 − 0.001·0.001 = 0.000999,
    //    v_b = 0.004 + 0.001·(4 − 0.004) = 0.007996;
    //    w₀ = 0.9 − 0.0235317·0.145/√0.00124975 = 0.9 − 0.0235317·0.145/0.0353518
    //       = 0.9 − 0.0965182 = 0.8034818,
    //    w₁ = −1.9 + 0.0235317·0.09/√0.000999 = −1.9 + 0.0235317·0.09/0.0316070
    //       = −1.9 + 0.0670058 = −1.8329942,
    //    b = 0.4 + 0.0235317·0.02/√0.007996, and √0.007996 = 2·√0.001999, so
    //       b = 0.4 + (0.1/0.19)·0.02/2 = 0.4 + 0.001/0.19 = 0.4 + 0.0052632 = 0.4052632.
    let expected = [
        [0.9, -1.9, 3.0, 0.4],
        [0.8034818, -1.8329942, 3.0, 0.4052632],
    ];
    assert_close(two_steps(&mut Adam::new(0.1)), expected, 1e-5);
}

#[test]
fn by_name_knows_the_six_names_with_the_book_defaults() {
    let defaults = [0.01, 0.01, 0.01, 0.01, 0.01, 0.001];
    for (name, lr) in NAMES.iter().zip(defaults) {
        let opt = by_name::<f32>(name, None).unwrap();
        assert_eq!(opt.learning_rate(), lr, "{name}");
        assert_eq!(
            by_name::<f64>(name, Some(0.3)).unwrap().learning_rate(),
            0.3
        );
    }
    for unknown in ["", "SGD", "adamw", "rms_prop"] {
        assert!(by_name::<f32>(unknown, None).is_none(), "{unknown}");
    }
}

#[test]
fn by_name_gives_the_same_rule_as_the_type() {
    // Momentum at η = 0.1, as in momentum_takes_two_hand_computed_steps.
    let mut momentum = by_name("momentum", Some(0.1)).unwrap();
    assert_close(
        two_steps(momentum.as_mut()),
        [[0.95, -1.9, 3.0, 0.3], [0.805, -1.81, 3.0, 0.32]],
        1e-12,
    );
}

#[test]
fn set_learning_rate_changes_the_next_step() {
    for name in NAMES {
        let mut opt = by_name::<f64>(name, None).unwrap();
        opt.set_learning_rate(0.25);
        assert_eq!(opt.learning_rate(), 0.25, "{name}");
    }
    // Adam at η = 0.1 for the first step, then η = 0.2: the second step's move of w₀
    // doubles from adam_takes_two_hand_computed_steps's 0.0965182 to 0.1930364.
    let mut adam = Adam::new(0.1);
    let mut tiny = Tiny {
        w: [1.0, -2.0, 3.0],
        dw: [0.5, -1.0, 0.0],
        b: [0.5],
        db: [2.0],
    };
    adam.step(&mut tiny);
    (tiny.dw, tiny.db) = ([1.0, 0.0, 0.0], [-2.0]);
    Optimizer::<f64>::set_learning_rate(&mut adam, 0.2);
    adam.step(&mut tiny);
    assert!(
        (tiny.w[0] - (0.9 - 0.1930364)).abs() < 1e-5,
        "{}",
        tiny.w[0]
    );
    assert_eq!(adam.steps(), 2);
}

/// Only `w` of [`Tiny`].
struct OnlyW([f64; 3]);

impl Params<f64> for OnlyW {
    fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, f64>)) {
        f(Param {
            name: &"w",
            values: &mut self.0,
            grad: &[0.0; 3],
        });
    }
}

fn tiny() -> Tiny {
    Tiny {
        w: [0.0; 3],
        dw: [1.0; 3],
        b: [0.0],
        db: [1.0],
    }
}

#[test]
#[should_panic(expected = "Adam: parameter b of the first step is missing")]
fn a_network_with_fewer_parameters_breaks_the_invariant() {
    let mut adam = Adam::default();
    adam.step(&mut tiny());
    adam.step(&mut OnlyW([0.0; 3]));
}

#[test]
#[should_panic(expected = "Momentum: parameter b (number 1) was not there on the first step")]
fn a_network_with_more_parameters_breaks_the_invariant() {
    let mut momentum = Momentum::default();
    momentum.step(&mut OnlyW([0.0; 3]));
    momentum.step(&mut tiny());
}

#[test]
#[should_panic(expected = "RmsProp: parameter 0.w has length 1, but had 3 on the first step")]
fn a_parameter_of_another_length_breaks_the_invariant() {
    let mut rmsprop = RmsProp::default();
    rmsprop.step(&mut (OnlyW([0.0; 3]),));
    rmsprop.step(&mut (Affine::<1, 1, f64>::zeros(),));
}

type Net = (Affine<20, 16>, Relu, Affine<16, 4>);

fn small_net(seed: u64) -> (Net, Matrix<8, 20>, [usize; 8]) {
    let mut rng = StdRng::seed_from_u64(seed);
    let net = (
        Affine::random(0.1, &mut rng),
        Relu::new(),
        Affine::random(0.1, &mut rng),
    );
    let x = Matrix::from_fn(|_, _| rng.random());
    (net, x, std::array::from_fn(|i| i % 4))
}

#[test]
fn adam_with_the_element_type_inferred_lowers_the_loss() {
    let (mut net, x, labels) = small_net(0);
    let loss = SoftmaxWithLoss::new();
    let mut adam = Adam::default();
    adam.lr = 0.01;
    let before = net.gradient(&loss, &x, &labels).unwrap();
    for _ in 0..50 {
        net.gradient(&loss, &x, &labels).unwrap();
        adam.step(&mut net);
    }
    let after = net.loss(&loss, &x, &labels).unwrap();
    assert!(after < 0.5 * before, "{before} → {after}");
}

#[test]
fn every_optimizer_lowers_the_loss_on_a_fixed_batch() {
    for name in NAMES {
        let (mut net, x, labels) = small_net(1);
        let loss = SoftmaxWithLoss::new();
        let mut opt: Box<dyn Optimizer<f32>> = by_name(name, Some(0.05)).unwrap();
        let before = net.loss(&loss, &x, &labels).unwrap();
        for _ in 0..20 {
            net.gradient(&loss, &x, &labels).unwrap();
            opt.step(&mut net);
        }
        let after = net.loss(&loss, &x, &labels).unwrap();
        assert!(after < before, "{name}: {before} → {after}");
    }
}

/// Through a [`Trainer`], which owns the network's workspace, the loss and the
/// optimizer: once the first step has sized its buffers (the optimizer's state among
/// them), no step allocates.
#[test]
fn steps_after_the_first_allocate_nothing() {
    for name in NAMES {
        let (net, x, labels) = small_net(2);
        let opt = by_name::<f32>(name, None).unwrap();
        let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), opt, BatchSize::<8>);
        let mut step = || {
            trainer.step(&x, &labels).unwrap();
        };
        let first = allocation_counter::measure(&mut step);
        assert!(
            first.count_total > 0,
            "{name}: the first step sizes buffers"
        );
        let later = allocation_counter::measure(|| {
            for _ in 0..10 {
                step();
            }
        });
        assert_eq!(later.count_total, 0, "{name}: {later:?}");
        assert_eq!(trainer.steps(), 11, "{name}");
    }
}

/// By hand, through a workspace and a ∂L/∂scores made once.
#[test]
fn adam_steps_after_the_first_allocate_nothing() {
    let (mut net, x, labels) = small_net(3);
    let loss = SoftmaxWithLoss::new();
    let mut adam = Adam::default();
    let mut work = net.workspace::<Matrix<8, 20>>();
    let mut dscores = Matrix::zeros();
    let mut gradient = |net: &mut Net| {
        let scores = net.forward(&x, &mut work);
        loss.backward(scores, &labels, &mut dscores).unwrap();
        net.backward_params(&x, &dscores, &mut work);
    };
    gradient(&mut net);
    let first = allocation_counter::measure(|| adam.step(&mut net));
    assert!(first.count_total > 0, "the first step creates m and v");
    let later = allocation_counter::measure(|| {
        for _ in 0..10 {
            gradient(&mut net);
            adam.step(&mut net);
        }
    });
    assert_eq!(later.count_total, 0, "{later:?}");
}
