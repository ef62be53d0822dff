//! One training step of the book's net (784-50-10, batch 100, SGD) and inference on
//! 10,000 images, f32 and f64; and the f32 step with its large products on two
//! threads (`backprop::threads`).
//!
//!     cargo bench --bench step

use std::hint::black_box;
use std::time::Instant;

use backprop::{Affine, Float, Matrix, Network, Relu, Sgd, SoftmaxWithLoss};
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

fn training_step<T: Float>(c: &mut Criterion, name: &str) {
    let mut rng = StdRng::seed_from_u64(0);
    let mut net = net::<T>(&mut rng);
    let x = Matrix::<100, 784, T>::from_fn(|_, _| T::from_f64(rng.random()));
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    c.bench_function(name, |b| {
        b.iter(|| {
            let l = net.gradient(&mut loss, black_box(&x), &labels).unwrap();
            sgd.step(&mut net);
            l
        })
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
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    c.bench_function(&format!("train_step_f32_{threads}_threads"), |b| {
        b.iter_custom(|iters| {
            pool.install(|| {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(net.gradient(&mut loss, black_box(&x), &labels).unwrap());
                    sgd.step(&mut net);
                }
                start.elapsed()
            })
        })
    });
}

fn inference_10k<T: Float>(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let mut net = net::<T>(&mut rng);
    let x = Matrix::<10_000, 784, T>::from_fn(|_, _| T::from_f64(rng.random()));
    let labels: Box<[usize; 10_000]> = vec![0; 10_000].into_boxed_slice().try_into().unwrap();
    let mut group = c.benchmark_group(format!("inference_10k_{}", T::NAME));
    group.sample_size(20);
    group.bench_function("accuracy", |b| {
        b.iter(|| net.correct(black_box(&x), &labels))
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
