//! The book's SimpleConvNet (section 7.5): the network the `simple_convnet` example
//! trains and saves, and `predict` reads back.
//!
//! Each program that includes this module uses part of it.
#![allow(dead_code)]

use backprop::{Affine, Conv2d, ConvReluPool, Float, MaxPool2d, Relu, Unflatten};
use rand::{SeedableRng, rngs::StdRng};

/// A digit's row as one 28×28 channel, conv (30 filters of 5×5, stride 1, pad 0), ReLU,
/// 2×2 max pooling with stride 2, affine 4320-100, ReLU, affine 100-10
/// (Softmax-with-Loss is the loss), in `T`. The first three are one layer,
/// `ConvReluPool`: the same numbers as `Conv2d`, `Relu` and `MaxPool2d` in a row, bit
/// for bit (tests/conv_relu_pool.rs), in three quarters of the time a step, since it
/// works image by image in the cache. The first `Affine` takes the pooled images as
/// they are, each one row of 30·12·12 = 4320, as the book's `Affine` reshapes its
/// input: the same bits as a `Flatten` in front of it, without its two copies of the
/// batch a step.
pub type SimpleConvNetOf<T> = (
    Unflatten<1, 28, 28>,
    ConvReluPool<Conv2d<1, 30, 5, 5, 24, 24, 1, 0, T>, MaxPool2d<2, 2, 12, 12>>,
    Affine<4320, 100, T>,
    Relu,
    Affine<100, 10, T>,
);

/// The SimpleConvNet in `f32`.
pub type SimpleConvNet = SimpleConvNetOf<f32>;

/// Weights drawn from N(0, std²) by a generator seeded with `seed`: the filters first,
/// then the two affine layers; every bias 0.
pub fn random<T: Float>(std: f64, seed: u64) -> SimpleConvNetOf<T> {
    let mut rng = StdRng::seed_from_u64(seed);
    (
        Unflatten,
        ConvReluPool::new(Conv2d::random(std, &mut rng), MaxPool2d::new()),
        Affine::random(std, &mut rng),
        Relu,
        Affine::random(std, &mut rng),
    )
}

/// Every weight and bias 0: a network to load saved weights into.
pub fn zeros() -> SimpleConvNet {
    (
        Unflatten,
        ConvReluPool::new(Conv2d::zeros(), MaxPool2d::new()),
        Affine::zeros(),
        Relu,
        Affine::zeros(),
    )
}
