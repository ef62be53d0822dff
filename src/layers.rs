//! The layers of sections 5.5, 5.6 and 6.3–6.4, one a file, and the element-wise plumbing the
//! activations share.

mod affine;
mod batch_norm;
mod dropout;
mod elementwise;
mod relu;
mod sigmoid;

pub use affine::Affine;
pub use batch_norm::BatchNorm;
pub use dropout::Dropout;
pub use elementwise::Elementwise;
pub use relu::Relu;
pub use sigmoid::Sigmoid;
