//! What a convolution works in: one image, padded, or its `col`, and one image's
//! `∂L/∂col`.

use crate::Float;

/// What a [`Conv2d`](crate::Conv2d) works in, image by image (made by the forward,
/// and again by the backward for `dW`: copying an image out again costs less than
/// keeping the whole batch's, which leaves the cache): with stride 1 in `f32`, the image
/// with its padding, which the products read `col` from; otherwise (a larger stride, or
/// `f64`) the image laid out by im2col. And one image's `∂L/∂col` (for `∂L/∂X`). `image`
/// and `col` grow on first use (only one of them is used); after that no step
/// allocates.
///
/// ```
/// use backprop::{Conv2d, Images, Layer};
/// // A 2×2 filter over 3×3 images, a batch of 4: col is one image's 4 × 4.
/// let mut work = Default::default();
/// Conv2d::<1, 1, 2, 2, 2, 2>::zeros().infer(&Images::<4, 1, 3, 3>::filled(1.0), &mut work);
/// assert_eq!(work.keep.0.dcol.len(), 4 * 4);
/// // Stride 1 in f32: the image with its padding (none here) and room past it, no col.
/// assert!(work.keep.0.image.len() >= 3 * 3 && work.keep.0.col.is_empty());
/// // Stride 2 (one 2×2 output from a 4×4 image): col, 4 × 4.
/// let mut work = Default::default();
/// Conv2d::<1, 1, 2, 2, 2, 2, 2>::zeros().infer(&Images::<4, 1, 4, 4>::filled(1.0), &mut work);
/// assert_eq!(work.keep.0.col.len(), 4 * 4);
/// assert!(work.keep.0.image.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Im2col<T> {
    /// `(C·FH·FW) × (OH·OW)`: one image's `col`, one row a filter weight, one column a
    /// position (empty with stride 1 in `f32`).
    pub col: Vec<T>,
    /// `(C·FH·FW) × (OH·OW)`: one image's gradient of `col`.
    pub dcol: Vec<T>,
    /// `C × (H + 2P) × (W + 2P)` and a few zeros: one image with its padding, which a
    /// stride-1 convolution in `f32` reads `col` from (empty otherwise).
    pub image: Vec<T>,
}

/// A workspace part that knows its size from its type: [`Im2col`] for the geometry of
/// one convolution (of any batch size: it holds one image), its `dcol` made to size
/// (`image` and `col` grow on first use: which one a convolution uses depends on its
/// stride).
///
/// ```
/// use backprop::SizedIm2col;
/// // One channel, 3×3 filters, 2×2 outputs: (1·3·3) × (2·2).
/// let part = SizedIm2col::<1, 3, 3, 2, 2, f32>::default();
/// assert_eq!(part.0.dcol.len(), 36);
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
            col: Vec::new(),
            dcol: vec![T::ZERO; k * pixels],
            image: Vec::new(),
        })
    }
}
