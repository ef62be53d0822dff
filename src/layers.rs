//! The layers of sections 5.5 and 5.6, one a file, and the element-wise plumbing the
//! activations share.

mod affine;
mod elementwise;
mod relu;
mod sigmoid;

pub use affine::Affine;
pub use elementwise::Elementwise;
pub use relu::Relu;
pub use sigmoid::Sigmoid;
