//! What a convolution keeps between its passes over one batch: `col`, the rows of the
//! forward product, and one image's `∂L/∂col`.

use crate::Float;

/// What a [`Conv2d`](crate::Conv2d) keeps in its workspace: the batch laid out by im2col (for `dW`),
/// the product of a few images' rows of `col` with the filters, one row a position,
/// before it is turned into channels, and one image's `∂L/∂col` (for `∂L/∂X`).
#[derive(Debug, Clone, PartialEq)]
pub struct Im2col<T> {
    /// `(N·OH·OW) × (C·FH·FW)`, row-major.
    pub col: Vec<T>,
    /// `(images · OH·OW) × FN` for the images of one product (about 2,048 positions).
    pub rows: Vec<T>,
    /// `(OH·OW) × (C·FH·FW)`: one image's gradient of `col`.
    pub dcol: Vec<T>,
}

/// How many images of a batch of `n` go through one product in a forward pass: enough
/// for about 2,048 positions, so that each product is large and its result
/// (`positions × FN`) is still in the cache when it is turned into channels.
pub(crate) const fn images_a_product(n: usize, pixels: usize) -> usize {
    let images = 2048_usize.div_ceil(if pixels == 0 { 1 } else { pixels });
    if images < n { images } else { n }
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
    const FN: usize,
    T,
>(pub Im2col<T>);

impl<
    const N: usize,
    const C: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const FN: usize,
    T: Float,
> Default for SizedIm2col<N, C, FH, FW, OH, OW, FN, T>
{
    fn default() -> Self {
        let k = C * FH * FW;
        let pixels = OH * OW;
        Self(Im2col {
            col: vec![T::ZERO; N * pixels * k],
            rows: vec![T::ZERO; images_a_product(N, pixels) * pixels * FN],
            dcol: vec![T::ZERO; pixels * k],
        })
    }
}
