//! Convolution, ReLU and max pooling as one layer (sections 7.4–7.5), image by image.

use super::conv2d::Geometry;
use crate::{Buffers, Conv2d, Float, Images, Layer, MaxPool2d, Named, Param, ParamRef, Params};
use crate::{PoolArgmax, SizedIm2col};

/// `Conv2d → Relu → MaxPool2d`, the block a CNN repeats (the book's Fig. 7-23), as one
/// layer that computes the same numbers as the three in a row, bit for bit, whenever
/// the convolution's output has no NaN:
///
/// ```text
/// forward:  Y_n = conv(X_n)                        one image at a time
///           out_n = pool(relu(Y_n)) = relu(pool(Y_n))
/// backward: ∂L/∂Y_n = ∂L/∂out_n at each window's maximum where out_n > 0, else 0
///           (summed where windows overlap and share a maximum)
///           ∂L/∂W, ∂L/∂b, ∂L/∂X_n from ∂L/∂Y_n, as Conv2d's
/// ```
///
/// ReLU and the maximum commute (ReLU never changes which of two values is larger,
/// and a window's first maximum is the same pixel before and after it whenever the
/// maximum is positive; when it is not, the window's gradient is 0 either way), so the
/// ReLU runs on the pooled output (a quarter of the pixels for 2×2 windows with stride
/// 2) and its mask is `out > 0`. Working image by image, the convolution's output and
/// its gradient stay in the cache (69 KB an image in `f32` for the SimpleConvNet,
/// against 6.9 MB for a batch of 100 that each of the three layers would write and
/// read again); the workspace keeps only the pooled output and where each maximum was.
/// `new` takes any two values, but the block is a [`Layer`] for a [`Conv2d`] followed
/// by a [`MaxPool2d`] only.
///
/// ```
/// use backprop::{Conv2d, ConvReluPool, Images, Layer, Matrix, MaxPool2d, Relu};
/// // One 2×2 filter of ones (bias −1.5) over a 3×3 image, then 2×2 pooling.
/// let conv = Conv2d::<1, 1, 2, 2, 2, 2>::new(Images::filled(1.0), Matrix::new([[-1.5]]));
/// let x = Images::<1, 1, 3, 3>::from_slice(&[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 2.0])?;
/// let mut block = ConvReluPool::new(conv.clone(), MaxPool2d::<2, 2, 1, 1>::new());
/// let mut work = Default::default();
/// assert_eq!(block.forward(&x, &mut work).as_slice(), &[1.5]); // 1 + 2 − 1.5 at the bottom right
/// // The same as the three layers in a row:
/// let mut three = (conv, Relu, MaxPool2d::<2, 2, 1, 1>::new());
/// let mut work3 = Default::default();
/// assert_eq!(three.forward(&x, &mut work3), block.forward(&x, &mut work));
/// let dout = Images::filled(1.0);
/// assert_eq!(three.backward(&x, &dout, &mut work3), block.backward(&x, &dout, &mut work));
/// assert_eq!(three.0.dw(), block.conv.dw());
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConvReluPool<Conv, Pool> {
    /// The convolution, with the block's parameters.
    pub conv: Conv,
    /// The pooling (it has no parameters).
    pub pool: Pool,
}

impl<Conv, Pool> ConvReluPool<Conv, Pool> {
    /// The block `conv → ReLU → pool`.
    ///
    /// ```
    /// use backprop::{Conv2d, ConvReluPool, MaxPool2d, Params};
    /// let block = ConvReluPool::new(Conv2d::<1, 30, 5, 5, 24, 24>::zeros(), MaxPool2d::<2, 2, 12, 12>::new());
    /// assert_eq!(Params::<f32>::param_count(&block), 30 * 25 + 30);
    /// ```
    pub fn new(conv: Conv, pool: Pool) -> Self {
        Self { conv, pool }
    }
}

/// On a batch of images, one image at a time.
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
    const PH: usize,
    const PW: usize,
    const QH: usize,
    const QW: usize,
    const PS: usize,
    T: Float,
> Layer<Images<N, C, H, W, T>>
    for ConvReluPool<Conv2d<C, FN, FH, FW, OH, OW, S, P, T>, MaxPool2d<PH, PW, QH, QW, PS>>
{
    type Out = Images<N, FN, QH, QW, T>;
    /// Kept besides the output and `∂L/∂X`: the convolution's buffers for one image,
    /// one image's convolution output (the forward's, then its gradient in the
    /// backward), and where the maximum of each of the batch's windows was.
    type Workspace = Buffers<
        Images<N, FN, QH, QW, T>,
        Images<N, C, H, W, T>,
        (
            SizedIm2col<C, FH, FW, OH, OW, T>,
            Images<1, FN, OH, OW, T>,
            PoolArgmax<N, FN, QH, QW>,
        ),
    >;

    fn output(work: &Self::Workspace) -> &Images<N, FN, QH, QW, T> {
        &work.out
    }

    /// `out_n = relu(pool(conv(X_n)))`, image by image.
    fn infer<'w>(
        &self,
        x: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, FN, QH, QW, T> {
        let g = const { Self::geometry::<H, W>() };
        let (im2col, y, argmax) = &mut work.keep;
        for (n, argmax) in argmax.0.chunks_exact_mut(FN * QH * QW).enumerate() {
            let y = y.as_mut_slice();
            self.conv.forward_image(&g, x.image(n), y, &mut im2col.0);
            let out = work.out.image_mut(n);
            let channels = y.chunks_exact(OH * OW).zip(out.chunks_exact_mut(QH * QW));
            for ((y, out), argmax) in channels.zip(argmax.chunks_exact_mut(QH * QW)) {
                MaxPool2d::<PH, PW, QH, QW, PS>::pool_channel::<T, OH, OW>(y, out, argmax);
            }
            for v in out {
                *v = if *v > T::ZERO { *v } else { T::ZERO };
            }
        }
        &work.out
    }

    /// `∂L/∂W`, `∂L/∂b` and `∂L/∂X`, image by image.
    fn backward<'w>(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, FN, QH, QW, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        self.gradients(x, dout, work, true);
        &work.dx
    }

    /// `∂L/∂W` and `∂L/∂b` only (nothing in front has parameters).
    fn backward_params(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, FN, QH, QW, T>,
        work: &mut Self::Workspace,
    ) {
        self.gradients(x, dout, work, false);
    }
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
    const PH: usize,
    const PW: usize,
    const QH: usize,
    const QW: usize,
    const PS: usize,
    T: Float,
> ConvReluPool<Conv2d<C, FN, FH, FW, OH, OW, S, P, T>, MaxPool2d<PH, PW, QH, QW, PS>>
{
    /// The convolution's geometry for `H × W` images, after the checks of both layers'
    /// sizes (evaluated in a `const` block, so that a wrong size stops the build).
    const fn geometry<const H: usize, const W: usize>() -> Geometry {
        let g = Conv2d::<C, FN, FH, FW, OH, OW, S, P, T>::geometry::<H, W>();
        MaxPool2d::<PH, PW, QH, QW, PS>::check_sizes::<OH, OW>();
        assert!(FN > 0, "ConvReluPool: the convolution has no filters");
        g
    }

    /// For each image: `∂L/∂Y_n` (each pooled gradient where the pooled output is
    /// positive, routed to its window's maximum), then the filters' gradients from it
    /// (summed over the batch) and, when `input`, `∂L/∂X_n`.
    fn gradients<const N: usize, const H: usize, const W: usize>(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, FN, QH, QW, T>,
        work: &mut <Self as Layer<Images<N, C, H, W, T>>>::Workspace,
        input: bool,
    ) {
        let g = const { Self::geometry::<H, W>() };
        let tiled = const { MaxPool2d::<PH, PW, QH, QW, PS>::tiles(OH, OW) };
        let (im2col, dy, argmax) = &mut work.keep;
        let dy = dy.as_mut_slice();
        for (n, argmax) in argmax.0.chunks_exact(FN * QH * QW).enumerate() {
            // ∂L/∂Y_n: 0, but at each window's maximum where the pooled value is
            // positive, the pooled gradient (added up where windows overlap and share
            // a maximum, which then has one sign for all of them).
            let per_channel = (dout.image(n).chunks_exact(QH * QW))
                .zip(work.out.image(n).chunks_exact(QH * QW))
                .zip(argmax.chunks_exact(QH * QW));
            for (dy, ((grads, pooled), argmax)) in dy.chunks_exact_mut(OH * OW).zip(per_channel) {
                if tiled {
                    // A row of windows covers `PH` whole rows of `Y` and no other
                    // window has their places: each such band is cleared just before
                    // its maxima are stored, while it is in the cache, and storing the
                    // 0 a place holds already spares a branch on the output's sign.
                    let rows = (grads.chunks_exact(QW).zip(pooled.chunks_exact(QW)))
                        .zip(argmax.chunks_exact(QW));
                    for (first, (band, ((grads, pooled), argmax))) in (0..)
                        .step_by(PH * OW)
                        .zip(dy.chunks_exact_mut(PH * OW).zip(rows))
                    {
                        band.fill(T::ZERO);
                        for ((&g, &out), &at) in grads.iter().zip(pooled).zip(argmax) {
                            band[at as usize - first] = if out > T::ZERO { g } else { T::ZERO };
                        }
                    }
                } else {
                    dy.fill(T::ZERO);
                    for ((&g, &out), &at) in grads.iter().zip(pooled).zip(argmax) {
                        if out > T::ZERO {
                            dy[at as usize] += g;
                        }
                    }
                }
            }
            let im2col = &mut im2col.0;
            self.conv
                .filter_gradient_image(&g, x.image(n), dy, im2col, n > 0);
            if input {
                let dx = work.dx.image_mut(n);
                self.conv.input_gradient_image(&g, dy, dx, im2col);
            }
        }
    }
}

/// Named `ConvReluPool<Conv2d<…>, MaxPool2d<…>>`.
impl<Conv: Named, Pool: Named> Named for ConvReluPool<Conv, Pool> {
    fn name(&self) -> String {
        format!("ConvReluPool<{}, {}>", self.conv.name(), self.pool.name())
    }
}

/// The convolution's parameters, under the block's name (`w`, `b`), and all else the
/// convolution says about them (state, weight decay).
impl<T: Float, Conv: Params<T>, Pool> Params<T> for ConvReluPool<Conv, Pool> {
    fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
        self.conv.visit_params(f);
    }

    fn inspect_params(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
        self.conv.inspect_params(f);
    }

    fn visit_state(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
        self.conv.visit_state(f);
    }

    fn inspect_state(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
        self.conv.inspect_state(f);
    }

    fn set_weight_decay(&mut self, lambda: f64) {
        self.conv.set_weight_decay(lambda);
    }

    fn penalty(&self) -> f64 {
        self.conv.penalty()
    }
}
