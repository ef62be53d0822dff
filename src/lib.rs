#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![deny(unsafe_code)]

mod clock;
pub mod cpu;
pub mod data;
mod error;
mod float;
pub mod gradcheck;
pub mod graph;
mod images;
mod layer;
mod layers;
mod loss;
mod matrix;
mod network;
pub mod optim;
mod params;
mod summary;
pub mod threads;
pub mod train;
pub mod weights;

#[doc = include_str!("../docs/shape_errors.md")]
pub mod shape_errors {}

pub use cpu::gemm_kernel;
pub use error::Error;
pub use float::Float;
pub use gradcheck::{CentralDifference, GradientCheck, gradient_check, numerical_gradient};
pub use images::Images;
pub use layer::{Buffers, Layer, Named, Shape};
pub use layers::{
    Affine, BatchNorm, BatchNormKeep, Conv2d, ConvReluPool, Dropout, DropoutMask, Flatten, Im2col,
    MaxPool2d, PoolArgmax, Relu, Sigmoid, SizedIm2col, Unflatten,
};
pub use loss::{Loss, MeanSquaredError, SoftmaxWithLoss, Targets, softmax};
pub use matrix::{HasCols, HasRows, Matrix};
pub use network::Network;
pub use optim::{AdaGrad, Adam, Momentum, Nesterov, Optimizer, RmsProp, Sgd};
pub use params::{Param, ParamRef, Params};
pub use summary::{Summary, SummaryRow};
