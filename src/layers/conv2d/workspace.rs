//! What a convolution keeps between its passes over one batch: `col` for every image
//! and one image's `∂L/∂col`.

use crate::Float;

/// What a [`Conv2d`](crate::Conv2d) keeps in its workspace: the batch laid out by
/// im2col (for `dW`), and one image's `∂L/∂col` (for `∂L/∂X`).
#[derive(Debug, Clone, PartialEq)]
pub struct Im2col<T> {
    /// `N × (C·FH·FW) × (OH·OW)`: each image's `col`, one row a filter weight, one
    /// column a position.
    pub col: Vec<T>,
    /// `(C·FH·FW) × (OH·OW)`: one image's gradient of `col`.
    pub dcol: Vec<T>,
}

/// A workspace part that knows its size from its type: [`Im2col`] for the geometry of
/// one convolution and batch.
pub struct SizedIm2col<
    const N: usize,
    const C: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    T,
>(pub Im2col<T>);

impl<
    const N: usize,
    const C: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    T: Float,
> Default for SizedIm2col<N, C, FH, FW, OH, OW, T>
{
    fn default() -> Self {
        let k = C * FH * FW;
        let pixels = OH * OW;
        Self(Im2col {
            col: vec![T::ZERO; N * k * pixels],
            dcol: vec![T::ZERO; k * pixels],
        })
    }
}
