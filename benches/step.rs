//! One training step of the book's net (784-50-10, batch 100, SGD) and inference on
//! 10,000 images, f32 and f64; and the f32 step with its large products on two
//! threads (`backprop::threads`).
//!
//!     cargo bench --bench step
//!
//! Every buffer is made once, outside the timed loop: a step is `Network::gradient`'s
//! work (forward, the loss and ∂L/∂scores, backward without the first layer's input
//! gradient) on a workspace and a ∂L/∂scores made beforehand, then SGD's update;
//! inference is `Network::correct`'s work on a workspace for the 10,000 rows.

use std::hint::black_box;
use std::time::Instant;

use backprop::{Affine, Float, Layer, Loss, Matrix, Network, Params, Relu, Sgd, SoftmaxWithLoss};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng, rngs::StdRng};

type Net<T> = (Affine<784, 50, T>, Relu, Affine<50, 10, T>);

fn net<T: Float>(rng: &mut StdRng) -> Net<T> {
    (
        Affine::random(0.01, rng),
        Relu::new(),
        Affine::random(0.01, rng),
    )
}

/// The buffers of a training step, made once: the network's workspace for a batch of
/// 100 and ∂L/∂scores.
struct StepBuffers<T: Float> {
    work: <Net<T> as Layer<Matrix<100, 784, T>>>::Workspace,
    dscores: Matrix<100, 10, T>,
}

impl<T: Float> StepBuffers<T> {
    fn new(net: &Net<T>) -> Self {
        Self {
            work: net.workspace::<Matrix<100, 784, T>>(),
            dscores: Matrix::zeros(),
        }
    }
}

/// One training step, allocating nothing: `Network::gradient`'s work (forward, the
/// loss, backward without ∂L/∂X for the first layer) on `buffers`, then the SGD
/// update. Returns the loss, as `gradient` does.
fn step<T: Float>(
    net: &mut Net<T>,
    buffers: &mut StepBuffers<T>,
    loss: &SoftmaxWithLoss<10, T>,
    sgd: &Sgd,
    x: &Matrix<100, 784, T>,
    labels: &[usize; 100],
) -> T {
    let scores = net.forward(x, &mut buffers.work);
    let value = loss.backward(scores, labels, &mut buffers.dscores).unwrap();
    net.backward_params(x, &buffers.dscores, &mut buffers.work);
    let value = value + T::from_f64(net.penalty());
    sgd.step(net);
    value
}

fn training_step<T: Float>(c: &mut Criterion, name: &str) {
    let mut rng = StdRng::seed_from_u64(0);
    let mut net = net::<T>(&mut rng);
    let x = Matrix::<100, 784, T>::from_fn(|_, _| T::from_f64(rng.random()));
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    let mut buffers = StepBuffers::new(&net);
    c.bench_function(name, |b| {
        b.iter(|| step(&mut net, &mut buffers, &loss, &sgd, black_box(&x), &labels))
    });
}

/// The f32 step inside a pool of `threads` threads; each batch of iterations is timed
/// inside the pool, so no sample pays for entering it.
fn training_step_threads(c: &mut Criterion, threads: usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a small thread pool");
    let mut rng = StdRng::seed_from_u64(0);
    let mut net = net::<f32>(&mut rng);
    let x = Matrix::<100, 784>::from_fn(|_, _| rng.random());
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    let mut buffers = StepBuffers::new(&net);
    c.bench_function(&format!("train_step_f32_{threads}_threads"), |b| {
        b.iter_custom(|iters| {
            pool.install(|| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(step(
                        &mut net,
                        &mut buffers,
                        &loss,
                        &sgd,
                        black_box(&x),
                        &labels,
                    ));
                }
                start.elapsed()
            })
        })
    });
}

/// The index of a row's largest score, the first of equals (as `Network::correct`).
fn argmax<T: Float>(row: &[T]) -> usize {
    (1..row.len()).fold(0, |best, j| if row[j] > row[best] { j } else { best })
}

fn inference_10k<T: Float>(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let net = net::<T>(&mut rng);
    let x = Matrix::<10_000, 784, T>::from_fn(|_, _| T::from_f64(rng.random()));
    let labels: Box<[usize; 10_000]> = vec![0; 10_000].into_boxed_slice().try_into().unwrap();
    // Made once: `Network::correct` would make (and zero) one at every call.
    let mut work = net.workspace::<Matrix<10_000, 784, T>>();
    let mut group = c.benchmark_group(format!("inference_10k_{}", T::NAME));
    group.sample_size(20);
    group.bench_function("accuracy", |b| {
        b.iter(|| {
            // `Network::correct` on the workspace above.
            let scores = net.infer(black_box(&x), &mut work);
            scores
                .rows()
                .zip(labels.iter())
                .filter(|(row, label)| argmax(row) == **label)
                .count()
        })
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    training_step::<f32>(c, "train_step_f32");
    training_step::<f64>(c, "train_step_f64");
    training_step_threads(c, 2);
    inference_10k::<f32>(c);
    inference_10k::<f64>(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
