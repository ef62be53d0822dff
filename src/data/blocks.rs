//! A dataset's inputs cut into whole batch matrices, so that a network is measured on
//! them without copying each batch.

use std::any::Any;
use std::sync::OnceLock;

use crate::{Float, Matrix};

/// The inputs as consecutive `Matrix<N, I, T>` batches, the last padded with zero
/// rows; made on first use for the first batch size asked for, and kept.
///
/// Evaluating a network over a whole dataset after every epoch otherwise copies each
/// batch into a matrix first: in the book's training that is 6 GB of copying, more
/// than the random batches of the steps themselves. The price is a second copy of
/// the inputs, held from the first evaluation on.
#[derive(Default)]
pub(super) struct Blocks(OnceLock<Box<dyn Any + Send + Sync>>);

impl Blocks {
    /// The batches of `N` for `inputs`, made on the first call; `None` if an earlier
    /// call made them for another `N` (or another element type).
    pub(super) fn get<const N: usize, const I: usize, T: Float>(
        &self,
        inputs: &[T],
    ) -> Option<&[Matrix<N, I, T>]> {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        self.0
            .get_or_init(|| Box::new(cut::<N, I, T>(inputs)))
            .downcast_ref::<Vec<Matrix<N, I, T>>>()
            .map(Vec::as_slice)
    }
}

fn cut<const N: usize, const I: usize, T: Float>(inputs: &[T]) -> Vec<Matrix<N, I, T>> {
    inputs
        .chunks(N * I)
        .map(|chunk| {
            let mut block = Matrix::zeros();
            block.as_mut_slice()[..chunk.len()].copy_from_slice(chunk);
            block
        })
        .collect()
}

/// A clone starts empty: the batches are a cache, made again on first use.
impl Clone for Blocks {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// A cache says nothing about the data: any two are equal.
impl PartialEq for Blocks {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_batches_hold_the_inputs_in_order_and_the_last_is_padded_with_zeros() {
        let inputs: Vec<f64> = (0..10).map(f64::from).collect(); // 5 inputs of 2
        let blocks = Blocks::default();
        let got = blocks.get::<2, 2, f64>(&inputs).unwrap();
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].as_slice(), &[4.0, 5.0, 6.0, 7.0]);
        assert_eq!(got[2].as_slice(), &[8.0, 9.0, 0.0, 0.0]);
        // made once: the same batches again, and none for another batch size
        assert!(std::ptr::eq(got, blocks.get::<2, 2, f64>(&inputs).unwrap()));
        assert!(blocks.get::<3, 2, f64>(&inputs).is_none());
    }
}
