//! The book's SimpleConvNet (section 7.5, batch 100, f32, one thread): a whole
//! training step, and each part of it timed alone, so that where a step's time goes
//! can be measured by anyone (the README's "where the time goes" comes from here).
//!
//!     cargo bench --bench convnet
//!
//! The net: a digit's 784 pixels as a 1×28×28 image, `ConvReluPool` (conv 30×5×5,
//! ReLU, max pooling 2×2 stride 2), affine 4320→100, ReLU, affine 100→10,
//! Softmax-with-Loss, Adam (η = 0.001). The parts:
//! - the conv block's forward (`W·col_n + b`, ReLU and pooling, image by image) and
//!   its `backward_params` (routing the pooled gradient to the window maxima, then
//!   `∂L/∂W = ∂L/∂Y·colᵀ` and `∂L/∂b`; no input gradient, as in a step);
//! - the 4320→100 affine's three products: `H·W` (forward), `dW = Hᵀ·dY` and
//!   `dX = dY·Wᵀ`, 86.4 MFLOP each;
//! - Adam's update of the net's 434,000 parameters;
//! - and those parts once each, one after another, as in a step (what each alone
//!   leaves out is the cache the part before it left).
//!
//! Every buffer is made once, outside the timed loop.

use std::hint::black_box;
use std::time::{Duration, Instant};

use backprop::train::{BatchSize, Trainer};
use backprop::{
    Adam, Conv2d, ConvReluPool, Layer, Matrix, MaxPool2d, Network, Optimizer, SoftmaxWithLoss,
    Unflatten,
};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng, rngs::StdRng};

#[path = "../examples/common/simple_convnet_net.rs"]
mod simple_convnet_net;

use simple_convnet_net::{SimpleConvNet, random};

/// The net's first two layers: the digits as images, and the conv block.
type Block = (
    Unflatten<1, 28, 28>,
    ConvReluPool<Conv2d<1, 30, 5, 5, 24, 24, 1, 0>, MaxPool2d<2, 2, 12, 12>>,
);

/// A batch of 100 random "digits" (pixels in [0, 1)) and labels.
fn batch(rng: &mut StdRng) -> (Matrix<100, 784>, [usize; 100]) {
    let x = Matrix::from_fn(|_, _| rng.random());
    (x, std::array::from_fn(|_| rng.random_range(0..10)))
}

/// Steps timed from the same start before the trainer starts again (see [`step`]).
const RUN: u64 = 200;

/// `Trainer::step`: forward, the loss and ∂L/∂scores, backward without the
/// convolution's input gradient, Adam's update (what `step_bench --convnet` times).
///
/// The trainer starts again from the same weights every [`RUN`] steps, untimed, as
/// `step_bench` times 260: trained on for longer on its one batch, the net's loss falls
/// toward 10⁻⁴ and the step slows (on the Ice Lake Xeon from about 10 to 12–14 ms after
/// 600 steps), as some of Adam's moments reach subnormal numbers, which the CPU
/// computes many times slower; a training on ever new batches does not go there.
fn step(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(0);
    let (x, labels) = batch(&mut rng);
    let start: SimpleConvNet = random(0.01, 0);
    let fresh = || {
        let adam = Adam::new(0.001);
        Trainer::new(
            start.clone(),
            SoftmaxWithLoss::new(),
            adam,
            BatchSize::<100>,
        )
    };
    let mut group = c.benchmark_group("convnet_f32");
    group.sample_size(20);
    group.throughput(Throughput::Elements(432_600_000));
    group.bench_function("train_step", |b| {
        b.iter_custom(|iters| {
            let mut timed = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                let mut trainer = fresh();
                let steps = RUN.min(iters - done);
                let clock = Instant::now();
                for _ in 0..steps {
                    black_box(trainer.step(black_box(&x), &labels).expect("a finite loss"));
                }
                timed += clock.elapsed();
                done += steps;
            }
            timed
        })
    });
    group.finish();
}

/// The parts of a step (see the module documentation), each alone.
fn parts(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(0);
    let (x, _) = batch(&mut rng);
    let mut block: Block = (Unflatten, random::<f32>(0.01, 1).1);
    let mut work = block.workspace::<Matrix<100, 784>>();
    // A pooled gradient of the block's own output: routed like a step's.
    let dout = block.forward(&x, &mut work).clone();
    let mut group = c.benchmark_group("convnet_parts_f32");
    group.sample_size(20);
    group.throughput(Throughput::Elements(2 * 30 * 25 * 576 * 100));
    group.bench_function("ConvReluPool forward", |b| {
        b.iter(|| {
            block.forward(black_box(&x), &mut work);
        })
    });
    group.bench_function("ConvReluPool backward_params", |b| {
        b.iter(|| block.backward_params(black_box(&x), &dout, &mut work))
    });
    let uniform = |rng: &mut StdRng| rng.random::<f32>() - 0.5;
    let h = Matrix::<100, 4320>::from_fn(|_, _| uniform(&mut rng));
    let w = Matrix::<4320, 100>::from_fn(|_, _| uniform(&mut rng));
    let dy = Matrix::<100, 100>::from_fn(|_, _| uniform(&mut rng));
    let (mut y, mut dw, mut dx) = (Matrix::zeros(), Matrix::zeros(), Matrix::zeros());
    group.throughput(Throughput::Elements(2 * 100 * 4320 * 100));
    group.bench_function("H·W (100x4320·4320x100)", |b| {
        b.iter(|| black_box(&h).matmul_into(black_box(&w), &mut y))
    });
    group.bench_function("dW = Hᵀ·dY (4320x100·100x100)", |b| {
        b.iter(|| black_box(&h).t_matmul_into(black_box(&dy), &mut dw))
    });
    group.bench_function("dX = dY·Wᵀ (100x100·100x4320)", |b| {
        b.iter(|| black_box(&dy).matmul_t_into(black_box(&w), &mut dx))
    });
    // Adam on the gradients one step left in the net.
    let (x_adam, labels) = batch(&mut rng);
    let adam = Adam::new(0.001);
    let mut trainer = Trainer::new(
        random::<f32>(0.01, 2),
        SoftmaxWithLoss::new(),
        adam,
        BatchSize::<100>,
    );
    trainer.step(&x_adam, &labels).expect("a finite loss");
    let stepped = trainer.into_net();
    let (mut net, mut adam) = (stepped.clone(), Adam::<f32>::new(0.001));
    group.throughput(Throughput::Elements(434_000));
    group.bench_function("Adam update", |b| b.iter(|| adam.step(&mut net)));
    // From the same net and a new Adam again: thousands of updates with one gradient
    // leave moments that slow the next thousands (12.8 against 9.9 ms here).
    let (mut net, mut adam) = (stepped, Adam::<f32>::new(0.001));
    // The same parts once each, in a step's order: each finds in the cache what the
    // part before left there, not its own data of the last iteration.
    group.throughput(Throughput::Elements(5 * 2 * 100 * 4320 * 100));
    group.bench_function("the parts above, one after another", |b| {
        b.iter(|| {
            block.forward(black_box(&x), &mut work);
            block.backward_params(black_box(&x), &dout, &mut work);
            black_box(&h).matmul_into(black_box(&w), &mut y);
            black_box(&h).t_matmul_into(black_box(&dy), &mut dw);
            black_box(&dy).matmul_t_into(black_box(&w), &mut dx);
            adam.step(&mut net);
        })
    });
    group.finish();
}

fn all(c: &mut Criterion) {
    step(c);
    parts(c);
}

criterion_group!(benches, all);
criterion_main!(benches);
