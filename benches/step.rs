//! One training step of the book's net (784-50-10, batch 100, SGD) and inference on
//! 10,000 images, f32 and f64.
//!
//!     cargo bench --bench step

use std::hint::black_box;

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

fn training_step<T: Float>(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(0);
    let mut net = net::<T>(&mut rng);
    let x = Matrix::<100, 784, T>::from_fn(|_, _| T::from_f64(rng.random()));
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(0.1);
    c.bench_function(&format!("train_step_{}", T::NAME), |b| {
        b.iter(|| {
            let l = net.gradient(&mut loss, black_box(&x), &labels).unwrap();
            sgd.step(&mut net);
            l
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
    training_step::<f32>(c);
    training_step::<f64>(c);
    inference_10k::<f32>(c);
    inference_10k::<f64>(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
