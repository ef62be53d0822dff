//! Chapter 6's layers: batch normalization (6.3) and dropout (6.4.3), their training
//! pass (`forward`) and inference pass (`infer`), and what the summary and saved
//! weights make of them.

use crate::common;

use backprop::weights::{load, save};
use backprop::{
    Affine, BatchNorm, Dropout, Layer, Matrix, Network, Params, Relu, SoftmaxWithLoss,
    gradient_check,
};
use common::TempDir;
use rand::{SeedableRng, rngs::StdRng};

type BnNet = (
    Affine<5, 6, f64>,
    BatchNorm<6, f64>,
    Relu,
    Affine<6, 3, f64>,
);

fn bn_net(seed: u64) -> BnNet {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut bn = BatchNorm::new();
    // γ and β away from their initial 1 and 0, so their gradients are checked in general.
    bn.gamma = Matrix::from_fn(|_, k| 0.5 + 0.25 * k as f64);
    bn.beta = Matrix::from_fn(|_, k| 0.1 * k as f64 - 0.2);
    (
        Affine::random(0.8, &mut rng),
        bn,
        Relu::new(),
        Affine::random(0.8, &mut rng),
    )
}

#[test]
fn batch_norm_passes_the_gradient_check_in_training_mode() {
    let mut net = bn_net(1);
    let x = Matrix::<8, 5, f64>::random_normal(1.0, &mut StdRng::seed_from_u64(2));
    let report = gradient_check(
        &mut net,
        &SoftmaxWithLoss::new(),
        &x,
        &[0, 1, 2, 0, 1, 2, 0, 1],
    )
    .unwrap();
    assert!(report.passes(1e-6), "{report}");
    assert!(report.max_mean_abs_diff() < 1e-8, "{report}");
    let names: Vec<&str> = report.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["0.w", "0.b", "1.gamma", "1.beta", "3.w", "3.b"]);
}

#[test]
fn batch_norm_normalizes_with_the_batch_in_training_and_the_running_statistics_at_inference() {
    let mut bn = BatchNorm::<1, f64>::new();
    let mut work = Default::default();
    let x = Matrix::new([[1.0], [2.0], [3.0], [6.0]]); // μ = 3, σ² = 3.5
    let y = bn.forward(&x, &mut work).clone();
    let s = (3.5_f64 + 1e-6).sqrt();
    for (i, v) in [1.0, 2.0, 3.0, 6.0].into_iter().enumerate() {
        assert!((y[(i, 0)] - (v - 3.0) / s).abs() < 1e-12);
    }
    // running ← 0.9·running + 0.1·batch, from 0
    assert!((bn.running_mean()[(0, 0)] - 0.3).abs() < 1e-12);
    assert!((bn.running_var()[(0, 0)] - 0.35).abs() < 1e-12);
    let z = bn.infer(&x, &mut work).clone();
    let s = (0.35_f64 + 1e-6).sqrt();
    assert!((z[(3, 0)] - (6.0 - 0.3) / s).abs() < 1e-12);
    // inference leaves the running statistics alone
    assert!((bn.running_mean()[(0, 0)] - 0.3).abs() < 1e-12);
}

#[test]
fn dropout_with_a_frozen_mask_passes_the_gradient_check() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut dropout = Dropout::new(0.3, 9);
    dropout.freeze(true);
    let mut net = (
        Affine::<4, 10, f64>::random(0.8, &mut rng),
        Relu::new(),
        dropout,
        Affine::<10, 3, f64>::random(0.8, &mut rng),
    );
    let x = Matrix::<5, 4, f64>::random_normal(1.0, &mut rng);
    let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 1, 2, 1, 0]).unwrap();
    assert!(report.max_mean_abs_diff() < 1e-8, "{report}");
}

#[test]
fn dropout_draws_a_fresh_seeded_mask_in_training_and_scales_at_inference() {
    let x = Matrix::<4, 50, f64>::filled(1.0);
    let masks = |seed| {
        let mut d = Dropout::new(0.5, seed);
        let mut work = d.workspace::<Matrix<4, 50, f64>>();
        let a = d.forward(&x, &mut work).clone();
        let b = d.forward(&x, &mut work).clone();
        (a, b)
    };
    let (a, b) = masks(1);
    assert_ne!(a, b, "each training forward pass draws a new mask");
    assert_eq!(masks(1), (a.clone(), b), "the same seed, the same masks");
    assert!(a.as_slice().iter().all(|&v| v == 0.0 || v == 1.0));
    let d = Dropout::new(0.2, 1);
    let mut work = Default::default();
    assert!(
        d.infer(&x, &mut work)
            .as_slice()
            .iter()
            .all(|&v| (v - 0.8).abs() < 1e-15)
    );
}

/// The misuse the training/inference split guards against: an inference pass
/// (`infer`, what `predict` runs), then a backward pass by hand on the same
/// workspace. Both layers refuse it, naming themselves.
#[test]
#[should_panic(expected = "Dropout: backward after an inference pass")]
fn backward_after_infer_is_refused_by_dropout() {
    let mut net = (Affine::<3, 4>::zeros(), Dropout::new(0.5, 0));
    let x = Matrix::<2, 3>::zeros();
    let mut work = net.workspace::<Matrix<2, 3>>();
    net.infer(&x, &mut work);
    net.backward(&x, &Matrix::zeros(), &mut work);
}

#[test]
#[should_panic(expected = "BatchNorm<4>: backward after an inference pass")]
fn backward_after_infer_is_refused_by_batch_norm() {
    let mut net = (Affine::<3, 4>::zeros(), BatchNorm::<4>::new());
    let x = Matrix::<2, 3>::zeros();
    let mut work = net.workspace::<Matrix<2, 3>>();
    net.infer(&x, &mut work);
    net.backward(&x, &Matrix::zeros(), &mut work);
}

/// Going through the network methods, the pass is always the right one: training
/// after a prediction uses the batch (and moves the running mean), prediction does not.
#[test]
fn the_network_methods_set_the_mode() {
    let mut net = bn_net(4);
    let x = Matrix::<8, 5, f64>::random_normal(1.0, &mut StdRng::seed_from_u64(5));
    let labels = [0, 1, 2, 0, 1, 2, 0, 1];
    net.predict(&x);
    assert_eq!(
        net.1.running_mean().sum(),
        0.0,
        "predict left the statistics"
    );
    net.gradient(&SoftmaxWithLoss::new(), &x, &labels).unwrap();
    let after_training = net.1.running_mean().clone();
    assert_ne!(after_training.sum(), 0.0, "gradient trained with the batch");
    net.accuracy(&x, &labels);
    assert_eq!(net.1.running_mean(), &after_training);
}

#[test]
fn the_summary_counts_gamma_and_beta_as_parameters_and_the_running_statistics_as_state() {
    let net = bn_net(6);
    let summary = net.summary::<Matrix<8, 5, f64>>();
    let bn = &summary.rows[1];
    assert_eq!(
        (bn.layer.as_str(), bn.params, bn.state),
        ("BatchNorm<6>", 12, 12)
    );
    assert_eq!(net.param_count(), 5 * 6 + 6 + 12 + 6 * 3 + 3);
    let table = summary.to_string();
    assert!(table.lines().next().unwrap().ends_with("state"), "{table}");
    assert!(table.contains("BatchNorm<6>"), "{table}");
}

#[test]
fn saved_weights_carry_the_running_statistics() {
    let dir = TempDir::new("chapter6-save");
    let path = dir.join("bn.safetensors");
    let mut net = bn_net(7);
    let x = Matrix::<8, 5, f64>::random_normal(1.0, &mut StdRng::seed_from_u64(8));
    for _ in 0..3 {
        net.gradient(&SoftmaxWithLoss::new(), &x, &[0, 1, 2, 0, 1, 2, 0, 1])
            .unwrap();
    }
    save(&net, &path).unwrap();
    let mut fresh = bn_net(99);
    load(&mut fresh, &path).unwrap();
    assert_eq!(fresh.1.running_var(), net.1.running_var());
    assert_eq!(fresh.predict(&x), net.predict(&x));
    let mut names = Vec::new();
    Params::<f64>::inspect_state(&net, &mut |p| names.push(p.name.to_string()));
    assert_eq!(names, ["1.running_mean", "1.running_var"]);
}

/// Weight decay (6.4.2): `½λ·ΣW²` over the weights (not the biases) joins the loss,
/// `λW` the gradients, and the gradient check sees both.
#[test]
fn weight_decay_joins_loss_and_gradient_and_passes_the_gradient_check() {
    let mut net = bn_net(10);
    let x = Matrix::<8, 5, f64>::random_normal(1.0, &mut StdRng::seed_from_u64(11));
    let labels = [0, 1, 2, 0, 1, 2, 0, 1];
    let plain = net.loss(&SoftmaxWithLoss::new(), &x, &labels).unwrap();
    let squares: f64 = [net.0.w.as_slice(), net.3.w.as_slice()]
        .iter()
        .flat_map(|w| w.iter())
        .map(|w| w * w)
        .sum();
    net.set_weight_decay(0.1);
    let decayed = net.loss(&SoftmaxWithLoss::new(), &x, &labels).unwrap();
    assert!(
        (decayed - plain - 0.05 * squares).abs() < 1e-12,
        "{decayed} vs {plain}"
    );
    let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &labels).unwrap();
    assert!(report.max_mean_abs_diff() < 1e-8, "{report}");
    // the biases are not decayed: with λ = 0 their gradients are the same
    let db = net.3.db().clone();
    net.set_weight_decay(0.0);
    net.gradient(&SoftmaxWithLoss::new(), &x, &labels).unwrap();
    assert_eq!(net.3.db(), &db);
}
