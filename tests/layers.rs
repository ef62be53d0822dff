//! Each layer against hand-computed values, in f32 and f64; the loss's edge cases; and
//! a tuple network that learns.

use approx::assert_relative_eq;
use backprop::{
    Affine, BatchNorm, Dropout, Error, Float, Layer, Loss, Matrix, Network, Params, Relu, Sgd,
    Sigmoid, SoftmaxWithLoss, softmax,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

fn close<const R: usize, const C: usize, T: Float>(a: &Matrix<R, C, T>, b: &[f64], tol: f64) {
    assert_eq!(a.as_slice().len(), b.len());
    for (k, (&x, &y)) in a.as_slice().iter().zip(b).enumerate() {
        assert!(
            (x.to_f64() - y).abs() <= tol,
            "element {k}: {x} vs {y}\n{a}"
        );
    }
}

fn relu_case<T: Float>() {
    let mut relu = Relu::new();
    let mut work = relu.workspace::<Matrix<2, 3, T>>();
    let x =
        Matrix::<2, 3, T>::from_fn(|i, j| T::from_f64([[1.0, -2.0, 0.0], [-0.5, 3.0, 2.0]][i][j]));
    close(
        relu.forward(&x, &mut work),
        &[1.0, 0.0, 0.0, 0.0, 3.0, 2.0],
        0.0,
    );
    let dout = Matrix::<2, 3, T>::from_fn(|i, j| T::from_f64((i * 3 + j + 1) as f64));
    let before = dout.clone();
    // x == 0 counts as masked (y = 0 there, and the book's mask is x <= 0).
    close(
        relu.backward(&x, &dout, &mut work),
        &[1.0, 0.0, 0.0, 0.0, 5.0, 6.0],
        0.0,
    );
    assert_eq!(
        dout, before,
        "ReLU backward must not change the caller's gradient"
    );
}

#[test]
fn relu_forward_backward_f32_f64() {
    relu_case::<f32>();
    relu_case::<f64>();
}

fn sigmoid_case<T: Float>(tol: f64) {
    let mut sigmoid = Sigmoid::new();
    let mut work = Default::default();
    let x = Matrix::<1, 3, T>::from_fn(|_, j| T::from_f64([0.0, 2.0, -1.0][j]));
    let y: Vec<f64> = [0.0_f64, 2.0, -1.0]
        .iter()
        .map(|v| 1.0 / (1.0 + (-v).exp()))
        .collect();
    close(sigmoid.forward(&x, &mut work), &y, tol);
    let dout = Matrix::<1, 3, T>::from_fn(|_, j| T::from_f64([1.0, 2.0, -3.0][j]));
    let expect: Vec<f64> = y
        .iter()
        .zip([1.0, 2.0, -3.0])
        .map(|(y, d)| d * y * (1.0 - y))
        .collect();
    close(sigmoid.backward(&x, &dout, &mut work), &expect, tol);
}

#[test]
fn sigmoid_forward_backward_f32_f64() {
    sigmoid_case::<f32>(1e-7);
    sigmoid_case::<f64>(1e-15);
}

fn affine_case<T: Float>() {
    let m = |rows: &[&[f64]]| {
        rows.iter()
            .flat_map(|r| r.iter().map(|&v| T::from_f64(v)))
            .collect::<Vec<T>>()
    };
    let w = Matrix::<3, 2, T>::from_vec(m(&[&[1.0, 2.0], &[3.0, 4.0], &[5.0, 6.0]])).unwrap();
    let b = Matrix::<1, 2, T>::from_vec(m(&[&[0.5, -1.0]])).unwrap();
    let mut affine = Affine::new(w, b);
    let mut work = Default::default();
    let x = Matrix::<2, 3, T>::from_vec(m(&[&[1.0, 0.0, -1.0], &[2.0, 1.0, 0.0]])).unwrap();
    // X·W + b = [[1−5, 2−6], [2+3, 4+4]] + b
    close(affine.forward(&x, &mut work), &[-3.5, -5.0, 5.5, 7.0], 0.0);
    let dy = Matrix::<2, 2, T>::from_vec(m(&[&[1.0, -1.0], &[0.5, 2.0]])).unwrap();
    // dX = dY·Wᵀ: row 0 = [1−2, 3−4, 5−6], row 1 = [0.5+4, 1.5+8, 2.5+12]
    close(
        affine.backward(&x, &dy, &mut work),
        &[-1.0, -1.0, -1.0, 4.5, 9.5, 14.5],
        0.0,
    );
    // dW = Xᵀ·dY: [[1+1, −1+4], [0+0.5, 0+2], [−1+0, 1+0]]
    close(affine.dw(), &[2.0, 3.0, 0.5, 2.0, -1.0, 1.0], 0.0);
    close(affine.db(), &[1.5, 1.0], 0.0);
}

#[test]
fn affine_forward_backward_f32_f64() {
    affine_case::<f32>();
    affine_case::<f64>();
}

#[test]
fn affine_backward_params_matches_backward() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut a = Affine::<5, 4, f64>::random(1.0, &mut rng);
    let mut b = a.clone();
    let x = Matrix::<3, 5, f64>::random_normal(1.0, &mut rng);
    let dy = Matrix::<3, 4, f64>::random_normal(1.0, &mut rng);
    let (mut work_a, mut work_b) = (Default::default(), Default::default());
    a.forward(&x, &mut work_a);
    a.backward(&x, &dy, &mut work_a);
    b.forward(&x, &mut work_b);
    b.backward_params(&x, &dy, &mut work_b);
    assert_eq!(a.dw(), b.dw());
    assert_eq!(a.db(), b.db());
}

#[test]
fn softmax_rows_sum_to_one_and_stay_finite() {
    let a = Matrix::new([
        [1000.0_f32, -1000.0, 0.0],
        [-1000.0, -1000.0, -1000.0],
        [1.0, 2.0, 3.0],
    ]);
    let y = softmax(&a);
    assert!(y.all_finite(), "{y}");
    for row in y.rows() {
        assert_relative_eq!(row.iter().sum::<f32>(), 1.0, epsilon = 1e-6);
    }
    assert_eq!(y.row(0), &[1.0, 0.0, 0.0]);
    let e: [f64; 3] = [1.0_f64.exp(), 2.0_f64.exp(), 3.0_f64.exp()];
    let s: f64 = e.iter().sum();
    close(
        &softmax(&Matrix::new([[1.0_f64, 2.0, 3.0]])),
        &[e[0] / s, e[1] / s, e[2] / s],
        1e-15,
    );
    // The loss stays finite too, even for a confidently wrong ±1000.
    let loss = SoftmaxWithLoss::new();
    let l = loss.forward(&a, &[1, 0, 2]).unwrap();
    assert!(l.is_finite());
    assert_relative_eq!(
        l,
        (2000.0 + 3.0_f32.ln() + (3.0 - 3.0 + (s.ln() as f32 - 3.0))) / 3.0,
        epsilon = 1e-3
    );
}

#[test]
fn cross_entropy_matches_hand_computation_for_labels_and_one_hot() {
    // Scores whose softmax is exactly [0.1, 0.2, 0.7] and [0.5, 0.25, 0.25].
    let scores = Matrix::new([
        [0.1_f64.ln(), 0.2_f64.ln(), 0.7_f64.ln()],
        [0.5_f64.ln(), 0.25_f64.ln(), 0.25_f64.ln()],
    ]);
    let expected = -(0.7_f64.ln() + 0.25_f64.ln()) / 2.0;
    let loss = SoftmaxWithLoss::new();
    assert_relative_eq!(
        loss.forward(&scores, &[2, 1]).unwrap(),
        expected,
        epsilon = 1e-15
    );
    let mut from_labels = Matrix::zeros();
    assert_eq!(
        loss.backward(&scores, &[2, 1], &mut from_labels).unwrap(),
        loss.forward(&scores, &[2, 1]).unwrap()
    );
    close(
        &from_labels,
        &[0.05, 0.1, -0.15, 0.25, -0.375, 0.125],
        1e-15,
    );
    let one_hot = Matrix::new([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]);
    assert_relative_eq!(
        loss.forward(&scores, &one_hot).unwrap(),
        expected,
        epsilon = 1e-15
    );
    let mut from_one_hot = Matrix::zeros();
    assert_eq!(
        loss.backward(&scores, &one_hot, &mut from_one_hot).unwrap(),
        loss.forward(&scores, &one_hot).unwrap()
    );
    assert_eq!(from_one_hot, from_labels);
}

#[test]
fn bad_targets_are_errors_not_panics() {
    let loss = SoftmaxWithLoss::<3>::new();
    let scores = Matrix::<2, 3>::zeros();
    assert_eq!(
        loss.forward(&scores, &[0, 7]),
        Err(Error::Label {
            row: 1,
            label: 7,
            classes: 3
        })
    );
    let not_one_hot = Matrix::new([[1.0, 0.0, 0.0], [0.5, 0.0, 0.0]]);
    let err = loss.forward(&scores, &not_one_hot).unwrap_err();
    assert!(matches!(err, Error::Target { row: 1, .. }), "{err}");
    assert!(err.to_string().contains("row 1"), "{err}");
}

/// A tuple network's backward is the chain rule written out by hand: each member is
/// given, as its input, the output its left neighbour kept; the same bits either way.
#[test]
fn a_tuple_backward_is_its_members_backward_chained_by_hand() {
    let mut rng = StdRng::seed_from_u64(2);
    let mut net = (
        Affine::<6, 5, f64>::random(1.0, &mut rng),
        Relu::new(),
        Affine::<5, 3, f64>::random(1.0, &mut rng),
    );
    let mut by_hand = net.clone();
    let x = Matrix::<4, 6, f64>::random_normal(1.0, &mut rng);
    let dy = Matrix::<4, 3, f64>::random_normal(1.0, &mut rng);
    let mut work = net.workspace::<Matrix<4, 6, f64>>();
    let y = net.forward(&x, &mut work).clone();
    let dx = net.backward(&x, &dy, &mut work).clone();

    // One workspace a member, as the tuple's own is the tuple of its members'.
    let (mut w0, mut w1, mut w2) = (Default::default(), Default::default(), Default::default());
    let h1 = by_hand.0.forward(&x, &mut w0).clone();
    let h2 = by_hand.1.forward(&h1, &mut w1).clone();
    assert_eq!(by_hand.2.forward(&h2, &mut w2), &y);
    let dh2 = by_hand.2.backward(&h2, &dy, &mut w2).clone();
    let dh1 = by_hand.1.backward(&h1, &dh2, &mut w1).clone();
    assert_eq!(by_hand.0.backward(&x, &dh1, &mut w0), &dx);

    let grads = |net: &(Affine<6, 5, f64>, Relu, Affine<5, 3, f64>)| {
        let mut all = Vec::new();
        Params::<f64>::inspect_params(net, &mut |p| all.push(p.grad.to_vec()));
        all
    };
    let (chained, manual) = (grads(&net), grads(&by_hand));
    assert_eq!(chained.len(), 4);
    assert!(chained.iter().all(|g| g.iter().any(|&v| v != 0.0)));
    assert_eq!(chained, manual);
}

/// `backward_params` leaves the same parameter gradients as `backward` in a network.
#[test]
fn a_network_backward_params_leaves_the_gradients_of_backward() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut full = (
        Affine::<6, 5, f64>::random(1.0, &mut rng),
        Relu::new(),
        Affine::<5, 3, f64>::random(1.0, &mut rng),
    );
    let mut params_only = full.clone();
    let x = Matrix::<4, 6, f64>::random_normal(1.0, &mut rng);
    let dy = Matrix::<4, 3, f64>::random_normal(1.0, &mut rng);
    let mut work = full.workspace::<Matrix<4, 6, f64>>();
    full.forward(&x, &mut work);
    full.backward(&x, &dy, &mut work);
    let mut work = params_only.workspace::<Matrix<4, 6, f64>>();
    params_only.forward(&x, &mut work);
    params_only.backward_params(&x, &dy, &mut work);
    assert_eq!(full.0.dw(), params_only.0.dw());
    assert_eq!(full.2.db(), params_only.2.db());
}

// Backward with a workspace of another batch size, or before any pass on it, no
// longer compiles or has nothing to refuse (a workspace is typed by its batch and
// made zeroed); what is refused at run time is backward after an inference pass, in
// the two layers whose training pass differs from inference.

/// Dropout's backward routes the gradient by the mask of a training pass: after
/// `infer` there is none, and it says so, naming the layer.
#[test]
#[should_panic(expected = "Dropout: backward after an inference pass")]
fn dropout_backward_after_infer_names_the_layer() {
    let mut dropout = Dropout::new(0.5, 0);
    let mut work = dropout.workspace::<Matrix<4, 2>>();
    let x = Matrix::<4, 2>::filled(1.0);
    dropout.infer(&x, &mut work);
    dropout.backward(&x, &Matrix::zeros(), &mut work);
}

/// Backward follows the last pass on the workspace, not an older one: a training
/// pass followed by an inference pass on the same workspace leaves nothing to
/// differentiate, and batch norm refuses, naming itself.
#[test]
#[should_panic(expected = "BatchNorm<2>: backward after an inference pass")]
fn batch_norm_backward_follows_the_last_pass_and_refuses_after_infer() {
    let mut bn = BatchNorm::<2>::new();
    let mut work = bn.workspace::<Matrix<4, 2>>();
    let x = Matrix::<4, 2>::from_fn(|i, j| (i * 2 + j) as f32);
    bn.forward(&x, &mut work);
    bn.infer(&x, &mut work);
    bn.backward(&x, &Matrix::zeros(), &mut work);
}

/// A fresh workspace holds no training pass: backward on it is refused by the layers
/// that need one, naming the layer.
#[test]
#[should_panic(expected = "BatchNorm<3>: backward after an inference pass")]
fn backward_before_any_training_pass_names_the_layer() {
    let mut bn = BatchNorm::<3>::new();
    let mut work = Default::default();
    let x = Matrix::<1, 3>::zeros();
    bn.backward(&x, &x, &mut work);
}

/// `forward` then `infer` on one workspace: the workspace holds the inference output
/// (what `predict` gives), and `output` reads it; `forward` again gives the training
/// output again.
#[test]
fn forward_then_infer_on_one_workspace_gives_the_inference_output() {
    let mut rng = StdRng::seed_from_u64(4);
    let mut net = (
        Affine::<3, 5, f64>::random(1.0, &mut rng),
        BatchNorm::<5, f64>::new(),
        Relu::new(),
        Dropout::new(0.5, 1),
        Affine::<5, 2, f64>::random(1.0, &mut rng),
    );
    let x = Matrix::<6, 3, f64>::random_normal(1.0, &mut rng);
    let mut work = net.workspace::<Matrix<6, 3, f64>>();
    let trained = net.forward(&x, &mut work).clone();
    let inferred = net.infer(&x, &mut work).clone();
    assert_ne!(trained, inferred);
    assert_eq!(inferred, net.predict(&x));
    type Net = (
        Affine<3, 5, f64>,
        BatchNorm<5, f64>,
        Relu,
        Dropout,
        Affine<5, 2, f64>,
    );
    assert_eq!(<Net as Layer<Matrix<6, 3, f64>>>::output(&work), &inferred);
    net.3.freeze(true);
    let again = net.forward(&x, &mut work).clone();
    assert_ne!(again, inferred);
    // A training pass after the inference one can be differentiated again.
    let dy = Matrix::<6, 2, f64>::random_normal(1.0, &mut rng);
    assert!(net.backward(&x, &dy, &mut work).all_finite());
}

/// Two interleaved spirals, 3 turns each: not linearly separable.
fn spirals<const N: usize>(rng: &mut StdRng) -> (Matrix<N, 2, f32>, [usize; N]) {
    let mut labels = [0; N];
    let x = Matrix::from_fn(|i, j| {
        let class = i % 2;
        labels[i] = class;
        let r = (i / 2) as f32 / (N / 2) as f32;
        let angle = 3.0 * r * std::f32::consts::PI + class as f32 * std::f32::consts::PI;
        let noise = 0.01 * rng.random::<f32>();
        if j == 0 {
            r * angle.cos() + noise
        } else {
            r * angle.sin() + noise
        }
    });
    (x, labels)
}

#[test]
fn a_three_layer_network_learns_xor_exactly() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut net = (
        Affine::<2, 8, f64>::random(1.0, &mut rng),
        Sigmoid::new(),
        Affine::<8, 8, f64>::random(1.0, &mut rng),
        Relu::new(),
        Affine::<8, 2, f64>::random(1.0, &mut rng),
    );
    let x = Matrix::new([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]);
    let labels = [0, 1, 1, 0];
    let loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.5);
    for _ in 0..3000 {
        net.gradient(&loss, &x, &labels).unwrap();
        sgd.step(&mut net);
    }
    assert_eq!(net.accuracy(&x, &labels), 1.0);
    assert!(net.loss(&loss, &x, &labels).unwrap() < 0.05);
}

#[test]
fn trains_on_batches_of_32_then_predicts_on_1_and_1000() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut net = (
        Affine::<2, 64>::random(1.0, &mut rng),
        Relu::new(),
        Affine::<64, 64>::random(0.2, &mut rng),
        Relu::new(),
        Affine::<64, 2>::random(0.2, &mut rng),
    );
    let (all_x, all_labels) = spirals::<1000>(&mut rng);
    let loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    let mut batch = Matrix::<32, 2>::zeros();
    let mut labels = [0; 32];
    for _ in 0..20_000 {
        for (k, label) in labels.iter_mut().enumerate() {
            let i = rng.random_range(0..1000);
            batch.row_mut(k).copy_from_slice(all_x.row(i));
            *label = all_labels[i];
        }
        net.gradient(&loss, &batch, &labels).unwrap();
        sgd.step(&mut net);
    }
    let accuracy = net.accuracy(&all_x, &all_labels);
    assert!(accuracy >= 0.98, "spiral accuracy {accuracy}");
    // One sample at a time gives the same classes as the whole batch of 1000.
    let whole = net.predict(&all_x).argmax_rows();
    for i in (0..1000).step_by(97) {
        let one = Matrix::<1, 2>::from_slice(all_x.row(i)).unwrap();
        assert_eq!(net.predict(&one).argmax_rows()[0], whole[i]);
    }
    assert_eq!(
        Params::<f32>::param_count(&net),
        2 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2
    );
}
