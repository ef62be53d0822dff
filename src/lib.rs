#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod error;
mod float;
pub mod graph;
mod matrix;

pub use error::Error;
pub use float::Float;
pub use matrix::Matrix;
