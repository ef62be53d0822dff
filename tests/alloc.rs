//! A training step allocates nothing once its buffers are made: the network's workspace
//! for the batch size (made once, by hand or by a `Trainer`) holds every layer's
//! buffers, the loss writes ∂L/∂scores into the caller's matrix, and SGD updates in
//! place. A trainer's evaluation allocates nothing after its first call either.

use backprop::data::{Dataset, Labels};
use backprop::train::{BatchSize, Trainer};
use backprop::{
    Adam, Affine, Conv2d, Flatten, Layer, Loss, Matrix, MaxPool2d, Network, Relu, Sgd, Sigmoid,
    SoftmaxWithLoss, Unflatten,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

/// The book's net.
type Book = (Affine<784, 50>, Relu, Affine<50, 10>);

/// Its workspace for batches of 100.
type BookWork = <Book as Layer<Matrix<100, 784>>>::Workspace;

fn book_net(rng: &mut StdRng) -> Book {
    (
        Affine::random(0.01, rng),
        Relu::new(),
        Affine::random(0.01, rng),
    )
}

/// The book's net with its workspace for batches of 100 (made once, in `new`) and
/// ∂L/∂scores, one random batch of 100 and its labels, and a loss; `step` runs one
/// training step (forward, loss, backward, SGD update) on them by hand.
struct BookStep {
    net: Book,
    work: BookWork,
    dscores: Matrix<100, 10>,
    x: Matrix<100, 784>,
    labels: [usize; 100],
    loss: SoftmaxWithLoss<10>,
}

impl BookStep {
    fn new(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let net = book_net(&mut rng);
        Self {
            work: net.workspace::<Matrix<100, 784>>(),
            net,
            dscores: Matrix::zeros(),
            x: Matrix::from_fn(|_, _| rng.random()),
            labels: std::array::from_fn(|i| i % 10),
            loss: SoftmaxWithLoss::new(),
        }
    }

    fn step(&mut self) {
        let Self {
            net,
            work,
            dscores,
            x,
            labels,
            loss,
        } = self;
        let scores = net.forward(x, work);
        loss.backward(scores, labels, dscores).unwrap();
        net.backward_params(x, dscores, work);
        Sgd::new(0.1).step(net);
    }
}

#[test]
fn a_training_step_allocates_nothing_after_the_first() {
    let mut rng = StdRng::seed_from_u64(0);
    let net = book_net(&mut rng);
    // Kept (black_box): an optimizer may leave out an allocation nothing reads, and
    // did in a build without incremental compilation.
    let made = allocation_counter::measure(|| {
        std::hint::black_box(net.workspace::<Matrix<100, 784>>());
    });
    assert!(
        made.count_total > 0,
        "the workspace holds the layers' buffers"
    );
    let mut book = BookStep::new(0);
    let mut step = || book.step();
    allocation_counter::measure(&mut step);
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

/// `rows` random inputs of 784 with labels `i % 10`.
fn random_digits(rows: usize, rng: &mut StdRng) -> Dataset<784, Labels<10>> {
    let inputs = (0..rows * 784).map(|_| rng.random()).collect();
    let labels = (0..rows).map(|i| i % 10).collect();
    Dataset::classification_from_flat(inputs, labels).unwrap()
}

/// The same claim through a [`Trainer`], which makes its buffers in `new`: `step` on a
/// batch, `step_random` drawing one into the trainer's own, and `evaluate` (two
/// whole blocks of 1,000 rows and a partial one) after its first call, which makes
/// the evaluation workspace.
#[test]
fn a_trainer_step_step_random_and_evaluate_allocate_nothing_after_the_first() {
    let mut rng = StdRng::seed_from_u64(3);
    let mut trainer = Trainer::new(
        book_net(&mut rng),
        SoftmaxWithLoss::new(),
        Sgd::new(0.1),
        BatchSize::<100>,
    );
    let data = random_digits(2_500, &mut rng);
    let x = Matrix::<100, 784>::from_fn(|_, _| rng.random());
    let labels: [usize; 100] = std::array::from_fn(|i| i % 10);

    trainer.step(&x, &labels).unwrap();
    let steps = allocation_counter::measure(|| {
        for _ in 0..10 {
            trainer.step(&x, &labels).unwrap();
        }
    });
    assert_eq!(steps.count_total, 0, "10 trainer steps: {steps:?}");

    let mut draw = StdRng::seed_from_u64(4);
    trainer.step_random(&data, &mut draw).unwrap();
    let drawn = allocation_counter::measure(|| {
        for _ in 0..10 {
            trainer.step_random(&data, &mut draw).unwrap();
        }
    });
    assert_eq!(drawn.count_total, 0, "10 random steps: {drawn:?}");

    let mut accuracy = 0.0;
    let first = allocation_counter::measure(|| accuracy = trainer.evaluate(&data).unwrap());
    assert!(
        first.count_total > 0,
        "the first evaluation makes its workspace"
    );
    let again = allocation_counter::measure(|| {
        for _ in 0..3 {
            assert_eq!(trainer.evaluate(&data).unwrap(), accuracy);
        }
    });
    assert_eq!(
        again.count_total, 0,
        "3 evaluations after the first: {again:?}"
    );
    assert_eq!(trainer.steps(), 22);
}

type Net = (
    Affine<8, 16, f64>,
    Sigmoid,
    Affine<16, 16, f64>,
    Relu,
    Affine<16, 4, f64>,
);

/// The network's workspace for batches of `N`.
type Work<const N: usize> = <Net as Layer<Matrix<N, 8, f64>>>::Workspace;

/// Forward, loss, the full backward (input gradient included) and an SGD update,
/// through a workspace and a ∂L/∂scores made once.
fn full_step(
    net: &mut Net,
    work: &mut Work<5>,
    dscores: &mut Matrix<5, 4, f64>,
    x: &Matrix<5, 8, f64>,
) {
    let scores = net.forward(x, work);
    SoftmaxWithLoss::new()
        .backward(scores, &[0, 1, 2, 3, 0], dscores)
        .unwrap();
    net.backward(x, dscores, work);
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
    let mut work = net.workspace::<Matrix<5, 8, f64>>();
    let mut dscores = Matrix::zeros();
    full_step(&mut net, &mut work, &mut dscores, &x);
    let later = allocation_counter::measure(|| {
        for _ in 0..10 {
            full_step(&mut net, &mut work, &mut dscores, &x);
        }
    });
    assert_eq!(later.count_total, 0, "{later:?}");
    // Another batch size takes a workspace of its own, made once, then no allocation
    // again.
    let one = Matrix::<1, 8, f64>::zeros();
    let mut work_one: Option<Work<1>> = None;
    let first = allocation_counter::measure(|| {
        let work_one = work_one.insert(net.workspace::<Matrix<1, 8, f64>>());
        net.infer(&one, work_one);
    });
    assert!(first.count_total > 0);
    let mut work_one = work_one.unwrap();
    let again = allocation_counter::measure(|| {
        net.infer(&one, &mut work_one);
    });
    assert_eq!(again.count_total, 0, "{again:?}");
    // One workspace a batch size: alternating training steps on 5 rows with
    // predictions on 1 (an epoch's evaluation) allocates nothing.
    let alternating = allocation_counter::measure(|| {
        for _ in 0..3 {
            full_step(&mut net, &mut work, &mut dscores, &x);
            net.infer(&one, &mut work_one);
        }
    });
    assert_eq!(alternating.count_total, 0, "{alternating:?}");
}

/// With the large products split across two threads, a step still allocates nothing
/// on the calling thread once the first steps have sized every buffer (the workers'
/// packing buffers are sized by their own first products): by hand, and through a
/// trainer.
#[test]
fn a_step_on_two_threads_allocates_nothing_after_the_first() {
    let mut book = BookStep::new(2);
    let mut trainer = Trainer::new(
        book_net(&mut StdRng::seed_from_u64(5)),
        SoftmaxWithLoss::new(),
        Sgd::new(0.1),
        BatchSize::<100>,
    );
    let (x, labels) = (book.x.clone(), book.labels);
    let (later, later_trainer) = backprop::threads::with_threads(2, || {
        for _ in 0..5 {
            book.step();
            trainer.step(&x, &labels).unwrap();
        }
        (
            allocation_counter::measure(|| {
                for _ in 0..10 {
                    book.step();
                }
            }),
            allocation_counter::measure(|| {
                for _ in 0..10 {
                    trainer.step(&x, &labels).unwrap();
                }
            }),
        )
    })
    .unwrap();
    assert_eq!(later.count_total, 0, "{later:?}");
    assert_eq!(later_trainer.count_total, 0, "{later_trainer:?}");
}

/// A small convolutional net in the SimpleConvNet's form.
type Conv = (
    Unflatten<1, 8, 8>,
    Conv2d<1, 4, 3, 3, 6, 6>,
    Relu,
    MaxPool2d<2, 2, 3, 3>,
    Flatten<36>,
    Affine<36, 3>,
);

/// A convolution step allocates nothing after the first either: through a trainer with
/// Adam (the conv's `dW` only, as for data), and by hand through the full backward,
/// where the convolution computes `dX` by col2im.
#[test]
fn a_convolution_step_allocates_nothing_after_the_first() {
    let mut rng = StdRng::seed_from_u64(5);
    let net: Conv = (
        Unflatten,
        Conv2d::random(0.1, &mut rng),
        Relu,
        MaxPool2d::new(),
        Flatten,
        Affine::random(0.1, &mut rng),
    );
    let x = Matrix::<10, 64>::from_fn(|_, _| rng.random());
    let labels: [usize; 10] = std::array::from_fn(|i| i % 3);
    let mut trainer = Trainer::new(
        net,
        SoftmaxWithLoss::new(),
        Adam::new(0.01),
        BatchSize::<10>,
    );
    trainer.step(&x, &labels).unwrap();
    let steps = allocation_counter::measure(|| {
        for _ in 0..5 {
            trainer.step(&x, &labels).unwrap();
        }
    });
    assert_eq!(steps.count_total, 0, "5 conv trainer steps: {steps:?}");

    let mut net = trainer.into_net();
    let mut work = net.workspace::<Matrix<10, 64>>();
    let mut dscores = Matrix::<10, 3>::zeros();
    let mut full = || {
        let scores = net.forward(&x, &mut work);
        SoftmaxWithLoss::new()
            .backward(scores, &labels, &mut dscores)
            .unwrap();
        net.backward(&x, &dscores, &mut work);
    };
    full();
    let backward = allocation_counter::measure(|| {
        for _ in 0..5 {
            full();
        }
    });
    assert_eq!(
        backward.count_total, 0,
        "5 full conv backward passes: {backward:?}"
    );
}
