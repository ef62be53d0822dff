//! What a convolution works in: one image's `col` and one image's `∂L/∂col`.

use crate::Float;

/// What a [`Conv2d`](crate::Conv2d) works in, image by image: one image laid out by
/// im2col (made by the forward, and again by the backward for `dW`: copying an image
/// out again costs less than keeping the whole batch's `col`, which leaves the cache),
/// and one image's `∂L/∂col` (for `∂L/∂X`).
///
/// ```
/// use backprop::{Conv2d, Images, Layer};
/// // A 2×2 filter over 3×3 images, a batch of 4: col is one image's 4 × 4.
/// let conv = Conv2d::<1, 1, 2, 2, 2, 2>::zeros();
/// let mut work = Default::default();
/// conv.infer(&Images::<4, 1, 3, 3>::filled(1.0), &mut work);
/// assert_eq!(work.keep.0.col.len(), 4 * 4);
/// assert_eq!(work.keep.0.dcol.len(), 4 * 4);
/// ```
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
///
/// ```
/// use backprop::SizedIm2col;
/// // One channel, 3×3 filters, 2×2 outputs: (1·3·3) × (2·2).
/// let part = SizedIm2col::<1, 3, 3, 2, 2, f32>::default();
/// assert_eq!((part.0.col.len(), part.0.dcol.len()), (36, 36));
/// ```
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
