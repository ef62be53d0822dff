//! The matrix products of one training step of the book's net (batch 100, 784-50-10),
//! in the layouts the layers use, and squares 64–512; f32 and f64.
//!
//!     cargo bench --bench products

use std::hint::black_box;

use backprop::{Float, Matrix};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::{SeedableRng, rngs::StdRng};

fn random<const R: usize, const C: usize, T: Float>(rng: &mut StdRng) -> Matrix<R, C, T> {
    Matrix::random_normal(1.0, rng)
}

fn step_products<T: Float>(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(0);
    let x: Matrix<100, 784, T> = random(&mut rng);
    let w1: Matrix<784, 50, T> = random(&mut rng);
    let h: Matrix<100, 50, T> = random(&mut rng);
    let w2: Matrix<50, 10, T> = random(&mut rng);
    let dy2: Matrix<100, 10, T> = random(&mut rng);
    let dy1: Matrix<100, 50, T> = random(&mut rng);
    let mut group = c.benchmark_group(format!("step_products_{}", T::NAME));

    let mut y1 = Matrix::<100, 50, T>::zeros();
    group.throughput(Throughput::Elements(2 * 100 * 784 * 50));
    group.bench_function("X·W1 (100x784·784x50)", |b| {
        b.iter(|| black_box(&x).matmul_into(black_box(&w1), &mut y1))
    });
    let mut dw1 = Matrix::<784, 50, T>::zeros();
    group.bench_function("Xᵀ·dY1 (784x100·100x50)", |b| {
        b.iter(|| black_box(&x).t_matmul_into(black_box(&dy1), &mut dw1))
    });
    let mut y2 = Matrix::<100, 10, T>::zeros();
    group.throughput(Throughput::Elements(2 * 100 * 50 * 10));
    group.bench_function("H·W2 (100x50·50x10)", |b| {
        b.iter(|| black_box(&h).matmul_into(black_box(&w2), &mut y2))
    });
    let mut dh = Matrix::<100, 50, T>::zeros();
    group.bench_function("dY2·W2ᵀ (100x10·10x50)", |b| {
        b.iter(|| black_box(&dy2).matmul_t_into(black_box(&w2), &mut dh))
    });
    let mut dw2 = Matrix::<50, 10, T>::zeros();
    group.bench_function("Hᵀ·dY2 (50x100·100x10)", |b| {
        b.iter(|| black_box(&h).t_matmul_into(black_box(&dy2), &mut dw2))
    });
    group.finish();
}

fn square<const S: usize, T: Float>(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let a: Matrix<S, S, T> = random(&mut rng);
    let b: Matrix<S, S, T> = random(&mut rng);
    let mut out = Matrix::<S, S, T>::zeros();
    let mut group = c.benchmark_group(format!("square_{}", T::NAME));
    group.throughput(Throughput::Elements(2 * (S * S * S) as u64));
    group.bench_function(BenchmarkId::from_parameter(S), |bench| {
        bench.iter(|| black_box(&a).matmul_into(black_box(&b), &mut out))
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    step_products::<f32>(c);
    step_products::<f64>(c);
    square::<64, f32>(c);
    square::<128, f32>(c);
    square::<256, f32>(c);
    square::<512, f32>(c);
    square::<64, f64>(c);
    square::<256, f64>(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
