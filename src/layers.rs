//! The layers of sections 5.5, 5.6 and 6.3–6.4, one a file.

mod affine;
mod batch_norm;
mod dropout;
mod relu;
mod sigmoid;

pub use affine::Affine;
pub use batch_norm::{BatchNorm, BatchNormKeep};
pub use dropout::{Dropout, DropoutMask};
pub use relu::Relu;
pub use sigmoid::Sigmoid;
