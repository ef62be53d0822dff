//! The layers of sections 5.5 and 5.6, one a file.

mod affine;
mod relu;
mod sigmoid;

pub use affine::Affine;
pub use relu::Relu;
pub use sigmoid::Sigmoid;
