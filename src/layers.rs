//! The layers of sections 5.5, 5.6, 6.3–6.4 and 7.4–7.5, one a file.

mod affine;
mod batch_norm;
mod conv2d;
mod conv_relu_pool;
mod dropout;
mod flatten;
mod max_pool2d;
mod relu;
mod sigmoid;
mod size_check;

pub use affine::Affine;
pub use batch_norm::{BatchNorm, BatchNormKeep};
pub use conv_relu_pool::ConvReluPool;
pub use conv2d::{Conv2d, Im2col, SizedIm2col};
pub use dropout::{Dropout, DropoutMask};
pub use flatten::{Flatten, Unflatten};
pub use max_pool2d::{MaxPool2d, PoolArgmax};
pub use relu::Relu;
pub use sigmoid::Sigmoid;
