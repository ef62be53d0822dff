//! A dataset's inputs cut into whole matrices of [`EVAL_ROWS`] rows, so that a network
//! is measured on them without copying each block.

use std::sync::OnceLock;

use crate::{Float, Matrix};

/// The rows of one evaluation block: the batch size at which a trainer measures a
/// whole dataset. Larger than a training batch, so that each product is closer to the
/// kernel's peak; small enough that a block's workspace stays a few megabytes.
pub const EVAL_ROWS: usize = 1000;

/// The inputs as consecutive whole `Matrix<EVAL_ROWS, I, T>` blocks (the rows past
/// the last whole block are not in any); made on first use, and kept.
///
/// Evaluating a network over a whole dataset after every epoch otherwise copies each
/// block into a matrix first: in the book's training that is gigabytes of copying.
/// The price is a second copy of the inputs, held from the first evaluation on.
pub(super) struct Blocks<const I: usize, T>(OnceLock<Vec<Matrix<EVAL_ROWS, I, T>>>);

impl<const I: usize, T> Default for Blocks<I, T> {
    fn default() -> Self {
        Self(OnceLock::new())
    }
}

impl<const I: usize, T: Float> Blocks<I, T> {
    /// The whole blocks of `inputs`, made on the first call.
    pub(super) fn get(&self, inputs: &[T]) -> &[Matrix<EVAL_ROWS, I, T>] {
        self.0.get_or_init(|| {
            inputs
                .chunks_exact(EVAL_ROWS * I)
                .map(Matrix::from_slice)
                .collect::<Result<_, _>>()
                .expect("a chunk of EVAL_ROWS · I values makes a block")
        })
    }
}

/// A clone starts empty: the blocks are a cache, made again on first use.
impl<const I: usize, T> Clone for Blocks<I, T> {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A cache says nothing about the data: any two are equal.
impl<const I: usize, T> PartialEq for Blocks<I, T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blocks_hold_the_whole_blocks_of_inputs_in_order() {
        let inputs: Vec<f64> = (0..(2 * EVAL_ROWS + 3) * 2).map(|v| v as f64).collect();
        let blocks = Blocks::<2, f64>::default();
        let got = blocks.get(&inputs);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].row(0), &[2000.0, 2001.0]);
        assert_eq!(got[1].row(EVAL_ROWS - 1), &[3998.0, 3999.0]);
        // made once
        assert!(std::ptr::eq(got, blocks.get(&inputs)));
    }
}
