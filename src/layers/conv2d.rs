//! Convolution (section 7.4): im2col plus matrix products through the crate's GEMM.

mod im2col;
mod image;
mod workspace;

pub(crate) use im2col::Geometry;
pub use workspace::{Im2col, SizedIm2col};

use rand::Rng;

use super::size_check::output_size;
use crate::{Buffers, Float, Images, Layer, Matrix, Named, Params, params};

/// A convolution of `C`-channel images with `FN` filters of `FH × FW`, stride `S`
/// (1 by default) and zero padding `P` (0 by default), giving `FN`-channel images of
/// `OH × OW`:
///
/// ```text
/// OH = (H + 2P − FH)/S + 1,   OW = (W + 2P − FW)/S + 1
/// forward:  col_n = im2col(X_n)                      (C·FH·FW) × (OH·OW) for image n
///           Y_n = W·col_n + b                        FN × (OH·OW): one row a channel
/// backward: ∂L/∂W = Σ_n ∂L/∂Y_n · col_nᵀ             FN × (C·FH·FW)
///           ∂L/∂b = Σ_n Σ_pixels ∂L/∂Y_n             FN
///           ∂L/∂X_n = col2im(Wᵀ · ∂L/∂Y_n)
/// ```
///
/// im2col lays every patch a filter sees out as one column of `col_n`, in the
/// filters' own `C·FH·FW` order, so that every filter at every position is one matrix
/// product an image, which comes out one channel a row:
///
/// ```text
///   X (1×1×3×3)     col: one column a position (2×2 filter, stride 1)    W: one row a filter
///   a b c           a b d e                                              [w x y z]
///   d e f     →     b c e f        Y_n = W · col  →  Y[0] = [ aw+bx+dy+ez   bw+cx+ey+fz ]
///   g h i           d e g h                                 [ dw+ex+gy+hz   ew+fx+hy+iz ]
///                   e f h i
/// ```
///
/// (The book lays a patch out as a row and computes `col·Wᵀ`, one row a position;
/// here `col` is that matrix transposed, so the product needs no reordering into
/// channels, and each row of `col` is the image shifted by one filter offset.)
/// A pixel inside several windows is copied into several columns; col2im, im2col's
/// transpose, adds their gradients back onto it. The filters `w` are
/// `Images<FN, C, FH, FW>`, the layout of PyTorch's `Conv2d.weight`, which is also a
/// `FN × (C·FH·FW)` matrix, one filter a row. Each product goes through the crate's GEMM,
/// reading `W` and `col` through strides. The workspace holds one image's `col`
/// ([`Im2col`]): the forward lays each image out in turn, and the backward lays it out
/// again for `dW`, cheaper than keeping the whole batch's `col` (for the SimpleConvNet
/// 5.8 MB, out of the cache by then). With stride 1 in `f32`, im2col is skipped: each
/// row of `col` is the padded image shifted, so the forward copies `col` straight into
/// the GEMM's panels and `dW` reads it from the image (`crate::matrix::gemm::shifted`),
/// the same numbers but for the order of their additions. Only `dW` (not `dX`) is
/// computed when nothing in front of the layer has parameters ([`Layer::HAS_PARAMS`]):
/// the SimpleConvNet's `Unflatten` in front passes on data, which needs no gradient.
///
/// The output size is in the type because stable Rust cannot compute it; it is checked
/// when the layer is compiled for an input shape, and a wrong one stops the build with
/// the formula: `Conv2d: output height is (28 + 2·0 − 5)/1 + 1 = 24, the type says 25`.
///
/// ```
/// use backprop::{Conv2d, Images, Layer, Matrix};
/// // One 3×3 filter of ones over a 4×4 image of ones: 9 at every output pixel.
/// let mut conv = Conv2d::<1, 1, 3, 3, 2, 2>::new(Images::filled(1.0), Matrix::new([[0.5]]));
/// let mut work = Default::default();
/// let x = Images::<1, 1, 4, 4>::filled(1.0);
/// assert_eq!(conv.forward(&x, &mut work).as_slice(), &[9.5; 4]);
/// let dx = conv.backward(&x, &Images::filled(1.0), &mut work);
/// assert_eq!(dx.channel(0, 0)[..4], [1.0, 2.0, 2.0, 1.0]); // how many windows see each pixel
/// assert_eq!(conv.dw().as_slice(), &[4.0; 9]); // each weight met 4 ones
/// assert_eq!(conv.db().as_slice(), &[4.0]);
/// ```
#[derive(Debug, Clone)]
pub struct Conv2d<
    const C: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize = 1,
    const P: usize = 0,
    T = f32,
> {
    /// The filters `W`, `FN × C × FH × FW`.
    pub w: Images<FN, C, FH, FW, T>,
    /// The bias `b`, one per filter.
    pub b: Matrix<1, FN, T>,
    dw: Images<FN, C, FH, FW, T>,
    db: Matrix<1, FN, T>,
}

impl<
    const C: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize,
    const P: usize,
    T: Float,
> Conv2d<C, FN, FH, FW, OH, OW, S, P, T>
{
    /// A layer with the given filters and bias.
    ///
    /// ```
    /// use backprop::{Conv2d, Images, Matrix};
    /// let conv = Conv2d::<1, 2, 3, 3, 26, 26>::new(Images::zeros(), Matrix::new([[1.0, 2.0]]));
    /// assert_eq!(conv.b[(0, 1)], 2.0);
    /// ```
    pub fn new(w: Images<FN, C, FH, FW, T>, b: Matrix<1, FN, T>) -> Self {
        Self {
            w,
            b,
            dw: Images::zeros(),
            db: Matrix::zeros(),
        }
    }

    /// Filters drawn from N(0, std²) and a zero bias: the book's SimpleConvNet uses
    /// `std = 0.01`.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let conv = backprop::Conv2d::<1, 30, 5, 5, 24, 24>::random(0.01, &mut StdRng::seed_from_u64(0));
    /// assert!(conv.w.as_slice().iter().all(|w| w.abs() < 0.1));
    /// ```
    pub fn random<G: Rng + ?Sized>(std: f64, rng: &mut G) -> Self {
        Self::new(Images::random_normal(std, rng), Matrix::zeros())
    }

    /// He initialisation (6.2) with the fan-in of a filter, `n = C·FH·FW`: filters from
    /// N(0, 2/n), a zero bias; for ReLU.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let conv = backprop::Conv2d::<4, 50, 5, 5, 24, 24, 1, 0, f64>::he(&mut StdRng::seed_from_u64(0));
    /// let w = conv.w.as_slice();
    /// let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
    /// assert!((var - 2.0 / 100.0).abs() < 0.1 * 2.0 / 100.0); // 5,000 draws of N(0, 2/100)
    /// ```
    pub fn he<G: Rng + ?Sized>(rng: &mut G) -> Self {
        Self::random((2.0 / (C * FH * FW) as f64).sqrt(), rng)
    }

    /// Xavier initialisation (6.2) with the fan-in of a filter, `n = C·FH·FW`: filters
    /// from N(0, 1/n), a zero bias; for sigmoid and tanh.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let conv = backprop::Conv2d::<4, 50, 5, 5, 24, 24, 1, 0, f64>::xavier(&mut StdRng::seed_from_u64(0));
    /// let w = conv.w.as_slice();
    /// let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
    /// assert!((var - 1.0 / 100.0).abs() < 0.1 / 100.0);
    /// ```
    pub fn xavier<G: Rng + ?Sized>(rng: &mut G) -> Self {
        Self::random((1.0 / (C * FH * FW) as f64).sqrt(), rng)
    }

    /// A layer whose filters and bias are all zero.
    ///
    /// ```
    /// let conv = backprop::Conv2d::<1, 2, 3, 3, 2, 2>::zeros();
    /// assert_eq!(conv.w.as_slice(), &[0.0; 18]);
    /// ```
    pub fn zeros() -> Self {
        Self::new(Images::zeros(), Matrix::zeros())
    }

    /// ∂L/∂W from the last backward pass (zeros before the first).
    ///
    /// ```
    /// let conv = backprop::Conv2d::<1, 2, 3, 3, 2, 2>::zeros();
    /// assert_eq!(conv.dw().as_slice(), &[0.0; 18]);
    /// ```
    pub fn dw(&self) -> &Images<FN, C, FH, FW, T> {
        &self.dw
    }

    /// ∂L/∂b from the last backward pass (zeros before the first).
    ///
    /// ```
    /// let conv = backprop::Conv2d::<1, 2, 3, 3, 2, 2>::zeros();
    /// assert_eq!(conv.db().as_slice(), &[0.0; 2]);
    /// ```
    pub fn db(&self) -> &Matrix<1, FN, T> {
        &self.db
    }
}

/// The geometry of a convolution of one image of `Images<_, C, H, W>` (the layer works
/// image by image), after checking that the type's output size is the formula's.
const fn geometry<const C: usize, const H: usize, const W: usize>(
    (fh, fw, oh, ow, stride, pad): (usize, usize, usize, usize, usize, usize),
) -> Geometry {
    output_size("Conv2d", "height", H, pad, fh, stride, oh);
    output_size("Conv2d", "width", W, pad, fw, stride, ow);
    Geometry {
        n: 1,
        c: C,
        h: H,
        w: W,
        fh,
        fw,
        oh,
        ow,
        stride,
        pad,
    }
}

/// The workspace of a `Conv2d` on `Images<N, C, H, W>`.
type Work<
    const N: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    T,
> = Buffers<Images<N, FN, OH, OW, T>, Images<N, C, H, W, T>, SizedIm2col<C, FH, FW, OH, OW, T>>;

impl<
    const N: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize,
    const P: usize,
    T: Float,
> Layer<Images<N, C, H, W, T>> for Conv2d<C, FN, FH, FW, OH, OW, S, P, T>
{
    type Out = Images<N, FN, OH, OW, T>;
    type Workspace = Work<N, C, H, W, FN, FH, FW, OH, OW, T>;

    fn output(work: &Self::Workspace) -> &Images<N, FN, OH, OW, T> {
        &work.out
    }

    /// col_n = im2col(X_n); Y_n = W·col_n + b, image by image.
    fn infer<'w>(
        &self,
        x: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, FN, OH, OW, T> {
        let g = const { geometry::<C, H, W>((FH, FW, OH, OW, S, P)) };
        for n in 0..N {
            self.forward_image(&g, x.image(n), work.out.image_mut(n), &mut work.keep.0);
        }
        &work.out
    }

    /// ∂L/∂W = Σ_n ∂L/∂Y_n·col_nᵀ, ∂L/∂b = Σ ∂L/∂Y, ∂L/∂X_n = col2im(Wᵀ·∂L/∂Y_n).
    fn backward<'w>(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, FN, OH, OW, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        self.backward_params(x, dout, work);
        let g = const { geometry::<C, H, W>((FH, FW, OH, OW, S, P)) };
        for n in 0..N {
            let dx = work.dx.image_mut(n);
            self.input_gradient_image(&g, dout.image(n), dx, &mut work.keep.0);
        }
        &work.dx
    }

    /// ∂L/∂W = Σ_n ∂L/∂Y_n·col_nᵀ, ∂L/∂b = Σ ∂L/∂Y; no ∂L/∂X. Each `col_n` is made
    /// again from `X_n`, as the forward made it (with stride 1 in `f32`, `X_n` padded
    /// again, which the products read `col_n` from).
    fn backward_params(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, FN, OH, OW, T>,
        work: &mut Self::Workspace,
    ) {
        let g = const { geometry::<C, H, W>((FH, FW, OH, OW, S, P)) };
        for n in 0..N {
            let (x, dy) = (x.image(n), dout.image(n));
            self.filter_gradient_image(&g, x, dy, &mut work.keep.0, n > 0);
        }
    }
}

/// Named `Conv2d<C, FN, FH, FW, OH, OW, S, P>` (the element type is left out).
impl<
    const C: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize,
    const P: usize,
    T,
> Named for Conv2d<C, FN, FH, FW, OH, OW, S, P, T>
{
    fn name(&self) -> String {
        format!("Conv2d<{C}, {FN}, {FH}, {FW}, {OH}, {OW}, {S}, {P}>")
    }
}

/// Two parameters: `w` (with `dw`), saved as `[FN, C, FH, FW]`, and `b` (with `db`).
impl<
    const C: usize,
    const FN: usize,
    const FH: usize,
    const FW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize,
    const P: usize,
    T: Float,
> Params<T> for Conv2d<C, FN, FH, FW, OH, OW, S, P, T>
{
    params!(T; images w => dw, vector b => db);
}
