//! What a convolution works in: one image's `col` and one image's `∂L/∂col`.

use crate::Float;

/// What a [`Conv2d`](crate::Conv2d) works in, image by image: one image laid out by
/// im2col (made by the forward, and again by the backward for `dW`: copying an image
/// out again costs less than keeping the whole batch's `col`, which leaves the cache),
/// and one image's `∂L/∂col` (for `∂L/∂X`).
#[derive(Debug, Clone, PartialEq)]
pub struct Im2col<T> {
    /// `(C·FH·FW) × (OH·OW)`: one image's `col`, one row a filter weight, one column a
    /// position.
    pub col: Vec<T>,
    /// `(C·FH·FW) × (OH·OW)`: one image's gradient of `col`.
    pub dcol: Vec<T>,
}

/// A workspace part that knows its size from its type: [`Im2col`] for the geometry of
/// one convolution (of any batch size: it holds one image).
pub struct SizedIm2col<
    const C: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    T,
>(pub Im2col<T>);

impl<const C: usize, const FH: usize, const FW: usize, const OH: usize, const OW: usize, T: Float>
    Default for SizedIm2col<C, FH, FW, OH, OW, T>
{
    fn default() -> Self {
        let k = C * FH * FW;
        let pixels = OH * OW;
        Self(Im2col {
            col: vec![T::ZERO; k * pixels],
            dcol: vec![T::ZERO; k * pixels],
        })
    }
}
