//! One training step of the book's SimpleConvNet (section 7.5): a digit's 784 pixels as
//! a 1×28×28 image, conv 30×5×5, ReLU, max pooling 2×2 stride 2, affine 4320→100,
//! ReLU, affine 100→10, Softmax-with-Loss and Adam (η = 0.001), batch 100, on one
//! fixed random batch.
//!
//! Its products, 2 FLOP a multiply-add: the convolution's `W·col_n` and `∂L/∂Y_n·col_nᵀ`
//! (30 filters × 25 weights × 576 positions × 100 images each), the 4320→100 affine's
//! forward, `dW` and `dX` (100 × 4320 × 100 each), and the 100→10 affine's three
//! (100 × 100 × 10 each): 432.6 MFLOP. Not the convolution's input gradient: its
//! input is the data, and the step skips it (`Layer::backward_params`).

use backprop::train::{BatchSize, Trainer};
use backprop::{Adam, Float, Matrix, SoftmaxWithLoss};
use rand::{Rng, SeedableRng, rngs::StdRng};

#[path = "../common/simple_convnet_net.rs"]
mod simple_convnet_net;

/// Multiply-adds of the step's products (see the module documentation).
pub const MULTIPLY_ADDS: usize =
    2 * (30 * 25 * 576 * 100) + 3 * (100 * 4320 * 100) + 3 * (100 * 100 * 10);

/// Times `reps` repetitions of `steps` steps after `warmup` untimed ones; µs a step.
/// Each step is `Trainer::step`: forward, the loss and ∂L/∂scores, backward without
/// the convolution's input gradient, Adam's update, through buffers made once.
pub fn run<T: Float>(warmup: usize, reps: usize, steps: usize) -> Vec<f64> {
    let net = simple_convnet_net::random::<T>(0.01, 0);
    let mut rng = StdRng::seed_from_u64(1);
    let x = Matrix::<100, 784, T>::from_fn(|_, _| T::from_f64(rng.random::<f64>()));
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let mut trainer = Trainer::new(
        net,
        SoftmaxWithLoss::new(),
        Adam::<T>::new(0.001),
        BatchSize::<100>,
    );
    let mut step = || {
        trainer
            .step(&x, &labels)
            .expect("a finite loss on a random batch from small weights")
    };
    super::time(&mut step, warmup, reps, steps)
}
