//! One training step of the book's SimpleConvNet (section 7.5): a digit's 784 pixels as
//! a 1×28×28 image, conv 30×5×5, ReLU, max pooling 2×2 stride 2, affine 4320→100,
//! ReLU, affine 100→10, Softmax-with-Loss and Adam (η = 0.001), batch 100, on one
//! fixed random batch.
//!
//! Its products, 2 FLOP a multiply-add: the convolution's `W·colᵀ` and `∂L/∂Y·col`
//! (30 filters × 25 weights × 576 positions × 100 images each), the 4320→100 affine's
//! forward, `dW` and `dX` (100 × 4320 × 100 each), and the 100→10 affine's three
//! (100 × 100 × 10 each): 432.6 MFLOP. Not the convolution's input gradient: its
//! input is the data, and the step skips it (`Layer::backward_params`).

use backprop::{Adam, Float, Layer, Loss, Matrix, Network, Optimizer, Params, SoftmaxWithLoss};
use rand::{Rng, SeedableRng, rngs::StdRng};

#[path = "../common/simple_convnet_net.rs"]
mod simple_convnet_net;

/// Multiply-adds of the step's products (see the module documentation).
pub const MULTIPLY_ADDS: usize =
    2 * (30 * 25 * 576 * 100) + 3 * (100 * 4320 * 100) + 3 * (100 * 100 * 10);

/// Times `reps` repetitions of `steps` steps after `warmup` untimed ones; µs a step.
pub fn run<T: Float>(warmup: usize, reps: usize, steps: usize) -> Vec<f64> {
    let mut net = simple_convnet_net::random::<T>(0.01, 0);
    let mut rng = StdRng::seed_from_u64(1);
    let x = Matrix::<100, 784, T>::from_fn(|_, _| T::from_f64(rng.random::<f64>()));
    let labels: [usize; 100] = std::array::from_fn(|_| rng.random_range(0..10));
    let loss = SoftmaxWithLoss::new();
    let mut adam = Adam::<T>::new(0.001);
    // The step's buffers, made once: the network's workspace and ∂L/∂scores.
    let mut work = net.workspace::<Matrix<100, 784, T>>();
    let mut dscores = Matrix::<100, 10, T>::zeros();
    let mut step = || {
        let scores = net.forward(&x, &mut work);
        let value = loss
            .backward(scores, &labels, &mut dscores)
            .expect("labels are below 10 by construction");
        net.backward_params(&x, &dscores, &mut work);
        adam.step(&mut net);
        value + T::from_f64(net.penalty())
    };
    super::time(&mut step, warmup, reps, steps)
}
