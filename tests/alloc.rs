//! A training step allocates nothing once the first batch has gone through: every layer
//! keeps its buffers, the loss keeps its own, and SGD updates in place.

use backprop::{Affine, Matrix, Network, Relu, Sgd, Sigmoid, SoftmaxWithLoss};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// The book's net, one random batch of 100 and its labels, and a loss; `step` runs
/// one training step (gradient and SGD update) on them.
struct BookStep {
    net: (Affine<784, 50>, Relu, Affine<50, 10>),
    x: Matrix<100, 784>,
    labels: [usize; 100],
    loss: SoftmaxWithLoss<100, 10>,
}

impl BookStep {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        Self {
            net: (
                Affine::random(0.01, &mut rng),
                Relu::new(),
                Affine::random(0.01, &mut rng),
            ),
            x: Matrix::from_fn(|_, _| rng.random()),
            labels: std::array::from_fn(|i| i % 10),
            loss: SoftmaxWithLoss::new(),
        }
    }

    fn step(&mut self) {
        let Self {
            net,
            x,
            labels,
            loss,
        } = self;
        net.gradient(loss, x, labels).unwrap();
        Sgd::new(0.1).step(net);
    }
}

#[test]
fn a_training_step_allocates_nothing_after_the_first() {
    let mut book = BookStep::new(0);
    let mut step = || book.step();
    let first = allocation_counter::measure(&mut step);
    assert!(
        first.count_total > 0,
        "the first step creates the layers' buffers"
    );
    let later = allocation_counter::measure(|| {
        for _ in 0..10 {
            step();
        }
    });
    assert_eq!(
        later.count_total, 0,
        "allocations in 10 steps after the first: {later:?}"
    );
}

type Net = (
    Affine<8, 16, f64>,
    Sigmoid,
    Affine<16, 16, f64>,
    Relu,
    Affine<16, 4, f64>,
);

/// Forward, loss, the full backward (input gradient included) and an SGD update.
fn full_step(net: &mut Net, loss: &mut SoftmaxWithLoss<5, 4, f64>, x: &Matrix<5, 8, f64>) {
    use backprop::Layer;
    net.loss(loss, x, &[0, 1, 2, 3, 0]).unwrap();
    net.backward(x, loss.backward());
    Sgd::new(0.1).step(net);
}

#[test]
fn backward_through_every_layer_kind_allocates_nothing_after_the_first() {
    let mut rng = StdRng::seed_from_u64(1);
    let mut net: Net = (
        Affine::random(0.1, &mut rng),
        Sigmoid::new(),
        Affine::random(0.1, &mut rng),
        Relu::new(),
        Affine::random(0.1, &mut rng),
    );
    let x = Matrix::<5, 8, f64>::from_fn(|_, _| rng.random());
    let mut loss = SoftmaxWithLoss::new();
    full_step(&mut net, &mut loss, &x);
    let later = allocation_counter::measure(|| {
        for _ in 0..10 {
            full_step(&mut net, &mut loss, &x);
        }
    });
    assert_eq!(later.count_total, 0, "{later:?}");
    // Switching batch size makes new buffers once, then none again.
    let one = Matrix::<1, 8, f64>::zeros();
    let first = allocation_counter::measure(|| {
        net.predict(&one);
    });
    assert!(first.count_total > 0);
    let again = allocation_counter::measure(|| {
        net.predict(&one);
    });
    assert_eq!(again.count_total, 0, "{again:?}");
    // Each layer keeps the buffers of its last two batch sizes: alternating training
    // steps on 5 rows with predictions on 1 (an epoch's evaluation) allocates nothing.
    let alternating = allocation_counter::measure(|| {
        for _ in 0..3 {
            full_step(&mut net, &mut loss, &x);
            net.predict(&one);
        }
    });
    assert_eq!(alternating.count_total, 0, "{alternating:?}");
}

/// With the large products split across two threads, a step still allocates nothing
/// on the calling thread once the first steps have sized every buffer (the workers'
/// packing buffers are sized by their own first products).
#[test]
fn a_step_on_two_threads_allocates_nothing_after_the_first() {
    let mut book = BookStep::new(2);
    let later = backprop::threads::with_threads(2, || {
        for _ in 0..5 {
            book.step();
        }
        allocation_counter::measure(|| {
            for _ in 0..10 {
                book.step();
            }
        })
    })
    .unwrap();
    assert_eq!(later.count_total, 0, "{later:?}");
}
