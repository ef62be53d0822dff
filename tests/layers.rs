//! Each layer against hand-computed values, in f32 and f64; the loss's edge cases; and
//! a tuple network that learns.

use approx::assert_relative_eq;
use backprop::{
    Affine, Error, Float, Layer, Matrix, Network, Params, Relu, Sgd, Sigmoid, SoftmaxWithLoss,
    softmax,
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
    let x =
        Matrix::<2, 3, T>::from_fn(|i, j| T::from_f64([[1.0, -2.0, 0.0], [-0.5, 3.0, 2.0]][i][j]));
    close(relu.forward(&x), &[1.0, 0.0, 0.0, 0.0, 3.0, 2.0], 0.0);
    let dout = Matrix::<2, 3, T>::from_fn(|i, j| T::from_f64((i * 3 + j + 1) as f64));
    let before = dout.clone();
    // x == 0 counts as masked (y = 0 there, and the book's mask is x <= 0).
    close(
        relu.backward(&x, &dout),
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
    let x = Matrix::<1, 3, T>::from_fn(|_, j| T::from_f64([0.0, 2.0, -1.0][j]));
    let y: Vec<f64> = [0.0_f64, 2.0, -1.0]
        .iter()
        .map(|v| 1.0 / (1.0 + (-v).exp()))
        .collect();
    close(sigmoid.forward(&x), &y, tol);
    let dout = Matrix::<1, 3, T>::from_fn(|_, j| T::from_f64([1.0, 2.0, -3.0][j]));
    let expect: Vec<f64> = y
        .iter()
        .zip([1.0, 2.0, -3.0])
        .map(|(y, d)| d * y * (1.0 - y))
        .collect();
    close(sigmoid.backward(&x, &dout), &expect, tol);
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
    let x = Matrix::<2, 3, T>::from_vec(m(&[&[1.0, 0.0, -1.0], &[2.0, 1.0, 0.0]])).unwrap();
    // X·W + b = [[1−5, 2−6], [2+3, 4+4]] + b
    close(affine.forward(&x), &[-3.5, -5.0, 5.5, 7.0], 0.0);
    let dy = Matrix::<2, 2, T>::from_vec(m(&[&[1.0, -1.0], &[0.5, 2.0]])).unwrap();
    // dX = dY·Wᵀ: row 0 = [1−2, 3−4, 5−6], row 1 = [0.5+4, 1.5+8, 2.5+12]
    close(
        affine.backward(&x, &dy),
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
    a.forward(&x);
    a.backward(&x, &dy);
    b.forward(&x);
    b.backward_params(&x, &dy);
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
    let mut loss = SoftmaxWithLoss::new();
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
    let mut loss = SoftmaxWithLoss::new();
    assert_relative_eq!(
        loss.forward(&scores, &[2, 1]).unwrap(),
        expected,
        epsilon = 1e-15
    );
    let from_labels = loss.backward().clone();
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
    assert_eq!(loss.backward(), &from_labels);
}

#[test]
fn bad_targets_are_errors_not_panics() {
    let mut loss = SoftmaxWithLoss::<2, 3>::new();
    let scores = Matrix::zeros();
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
    let y = net.forward(&x).clone();
    let dx = net.backward(&x, &dy).clone();

    let h1 = by_hand.0.forward(&x).clone();
    let h2 = by_hand.1.forward(&h1).clone();
    assert_eq!(by_hand.2.forward(&h2), &y);
    let dh2 = by_hand.2.backward(&h2, &dy).clone();
    let dh1 = by_hand.1.backward(&h1, &dh2).clone();
    assert_eq!(by_hand.0.backward(&x, &dh1), &dx);

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
    full.forward(&x);
    full.backward(&x, &dy);
    params_only.forward(&x);
    params_only.backward_params(&x, &dy);
    assert_eq!(full.0.dw(), params_only.0.dw());
    assert_eq!(full.2.db(), params_only.2.db());
}

#[test]
#[should_panic(expected = "Affine<2, 3>: backward for a batch of another size")]
fn backward_with_another_batch_size_names_the_layer() {
    let mut layer = Affine::<2, 3>::zeros();
    layer.forward(&Matrix::<4, 2>::zeros());
    layer.backward(&Matrix::<5, 2>::zeros(), &Matrix::<5, 3>::zeros());
}

/// A forward pass on another batch size in between leaves the older buffers in the
/// cache, but backward must follow the last forward pass, not the older one.
#[test]
#[should_panic(expected = "Relu: backward for a batch of another size than the last forward")]
fn backward_follows_the_last_forward_even_with_older_buffers_kept() {
    let mut relu = Relu::new();
    relu.forward(&Matrix::<4, 2>::zeros());
    relu.forward(&Matrix::<1, 2>::zeros());
    relu.backward(&Matrix::<4, 2>::zeros(), &Matrix::<4, 2>::zeros());
}

#[test]
#[should_panic(expected = "Relu: backward called before any forward pass")]
fn backward_before_forward_names_the_layer() {
    let x = Matrix::<1, 1>::zeros();
    Relu::new().backward(&x, &x);
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
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.5);
    for _ in 0..3000 {
        net.gradient(&mut loss, &x, &labels).unwrap();
        sgd.step(&mut net);
    }
    assert_eq!(net.accuracy(&x, &labels), 1.0);
    assert!(net.loss(&mut loss, &x, &labels).unwrap() < 0.05);
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
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    let mut batch = Matrix::<32, 2>::zeros();
    let mut labels = [0; 32];
    for _ in 0..20_000 {
        for (k, label) in labels.iter_mut().enumerate() {
            let i = rng.random_range(0..1000);
            batch.row_mut(k).copy_from_slice(all_x.row(i));
            *label = all_labels[i];
        }
        net.gradient(&mut loss, &batch, &labels).unwrap();
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
