//! One image through a convolution: its forward, its `∂L/∂W` and `∂L/∂b`, its `∂L/∂X`.
//! The layer runs these for each image of a batch in turn (as does
//! [`ConvReluPool`](crate::ConvReluPool), with its ReLU and pooling in between).

use super::im2col::{col2im, im2col, pad};
use super::{Conv2d, Geometry, Im2col, geometry};
use crate::Float;
use crate::float::sealed::Sealed;
use crate::matrix::gemm::{Operand, gemm, shifted};

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
    /// Whether `col` is read straight from the (padded) image rather than laid out by
    /// im2col: with stride 1, in `f32` (see [`crate::matrix::gemm::shifted`]). `f64`,
    /// the gradient checks' type, keeps im2col: there the compiler splits the shifted
    /// products' 256-bit dot products into 128-bit halves.
    const READS_IMAGE: bool = S == 1 && <T as Sealed>::IS_F32;

    /// The filters as a `FN × (C·FH·FW)` operand, one filter a row.
    fn filters(&self) -> Operand<'_, T> {
        Operand {
            data: self.w.as_slice(),
            row_stride: C * FH * FW,
            col_stride: 1,
        }
    }

    /// The geometry of one image of `Images<_, C, H, W>` through this layer, after
    /// checking at compile time that the type's output size is the formula's (the
    /// caller evaluates it in a `const` block, so that a wrong size is reported where
    /// the layer is used).
    pub(crate) const fn geometry<const H: usize, const W: usize>() -> Geometry {
        geometry::<C, H, W>((FH, FW, OH, OW, S, P))
    }

    /// `Y_n = W·col_n + b` for one image `x` (`C × H × W`, of geometry `g`) into `y`
    /// (`FN × OH × OW`).
    pub(crate) fn forward_image(&self, g: &Geometry, x: &[T], y: &mut [T], work: &mut Im2col<T>) {
        if Self::READS_IMAGE {
            pad(g, x, &mut work.image);
            shifted::forward(
                &g.padded(),
                self.w.as_slice(),
                self.b.as_slice(),
                &work.image,
                y,
            );
            return;
        }
        work.col.resize(g.cols() * g.pixels(), T::ZERO);
        im2col(g, x, &mut work.col);
        let col = Operand {
            data: &work.col,
            row_stride: g.pixels(),
            col_stride: 1,
        };
        gemm((FN, g.cols(), g.pixels()), self.filters(), col, y, false);
        // Then the bias, onto the image's output while it is in the cache (writing the
        // bias first and adding the product onto it measured 1.12× slower).
        for (channel, &b) in y.chunks_exact_mut(g.pixels()).zip(self.b.as_slice()) {
            channel.iter_mut().for_each(|v| *v += b);
        }
    }

    /// `∂L/∂W = ∂L/∂Y_n·col_nᵀ` and `∂L/∂b = Σ_pixels ∂L/∂Y_n` for one image (`+=` when
    /// `accumulate`): `col_n` is made again from `x`, as the forward made it (with
    /// stride 1 in `f32`, `x` padded again, which the products read `col_n` from).
    pub(crate) fn filter_gradient_image(
        &mut self,
        g: &Geometry,
        x: &[T],
        dy: &[T],
        work: &mut Im2col<T>,
        accumulate: bool,
    ) {
        let (k, pixels) = (g.cols(), g.pixels());
        if Self::READS_IMAGE {
            pad(g, x, &mut work.image);
            let grads = (self.dw.as_mut_slice(), self.db.as_mut_slice());
            shifted::filter_gradient(&g.padded(), dy, &work.image, grads, accumulate);
            return;
        }
        if !accumulate {
            self.db.as_mut_slice().fill(T::ZERO);
        }
        for (db, channel) in self
            .db
            .as_mut_slice()
            .iter_mut()
            .zip(dy.chunks_exact(pixels))
        {
            *db += sum(channel);
        }
        work.col.resize(k * pixels, T::ZERO);
        im2col(g, x, &mut work.col);
        let dy = Operand {
            data: dy,
            row_stride: pixels,
            col_stride: 1,
        };
        let col_t = Operand {
            data: &work.col,
            row_stride: 1,
            col_stride: pixels,
        };
        gemm(
            (FN, pixels, k),
            dy,
            col_t,
            self.dw.as_mut_slice(),
            accumulate,
        );
    }

    /// `∂L/∂X_n = col2im(Wᵀ·∂L/∂Y_n)` for one image, into `dx` (`C × H × W`).
    pub(crate) fn input_gradient_image(
        &self,
        g: &Geometry,
        dy: &[T],
        dx: &mut [T],
        work: &mut Im2col<T>,
    ) {
        let (k, pixels) = (g.cols(), g.pixels());
        let filters_t = Operand {
            data: self.w.as_slice(),
            row_stride: 1,
            col_stride: k,
        };
        let dy = Operand {
            data: dy,
            row_stride: pixels,
            col_stride: 1,
        };
        // ∂L/∂col_n = Wᵀ · ∂L/∂Y_n: (C·FH·FW × FN)·(FN × OH·OW).
        gemm((k, FN, pixels), filters_t, dy, &mut work.dcol, false);
        col2im(g, &work.dcol, dx);
    }
}

/// `Σ xs`, eight running sums side by side (one sum in order would be a chain of
/// dependent additions the compiler may not reorder).
fn sum<T: Float>(xs: &[T]) -> T {
    let (eights, rest) = xs.as_chunks::<8>();
    let lanes = eights.iter().fold([T::ZERO; 8], |mut acc, eight| {
        for (a, &x) in acc.iter_mut().zip(eight) {
            *a += x;
        }
        acc
    });
    lanes
        .into_iter()
        .chain(rest.iter().copied())
        .fold(T::ZERO, |a, x| a + x)
}
