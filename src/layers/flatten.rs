//! Between images and matrices: `Flatten` before the first `Affine`, `Unflatten` after
//! the data (section 7.5).

use super::size_check::flat_width;
use crate::{Buffers, Float, Images, Layer, Matrix, Named, Params};

/// `Images<N, C, H, W>` as `Matrix<N, F>` with `F = C·H·W`: the same values in the same
/// order, each image one row, for the `Affine` after a convolution. Backward reshapes
/// the gradient back. `F` is checked when the layer is compiled for an input shape
/// (`Flatten: C·H·W = 30·12·12 = 4320, the type says 4321`).
///
/// ```
/// use backprop::{Flatten, Images, Layer, Matrix};
/// let mut work = Default::default();
/// let x = Images::<2, 1, 1, 3>::from_slice(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?;
/// assert_eq!(Flatten::<3>.infer(&x, &mut work).row(1), &[4.0, 5.0, 6.0]);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flatten<const F: usize>;

impl<const N: usize, const C: usize, const H: usize, const W: usize, const F: usize, T: Float>
    Layer<Images<N, C, H, W, T>> for Flatten<F>
{
    type Out = Matrix<N, F, T>;
    type Workspace = Buffers<Matrix<N, F, T>, Images<N, C, H, W, T>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Matrix<N, F, T> {
        &work.out
    }

    fn infer<'w>(
        &self,
        x: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, F, T> {
        const { flat_width("Flatten", C, H, W, F) };
        work.out.as_mut_slice().copy_from_slice(x.as_slice());
        &work.out
    }

    fn backward<'w>(
        &mut self,
        _x: &Images<N, C, H, W, T>,
        dout: &Matrix<N, F, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        work.dx.as_mut_slice().copy_from_slice(dout.as_slice());
        &work.dx
    }
}

/// `Matrix<N, F>` as `Images<N, C, H, W>` with `F = C·H·W`: a dataset's rows (MNIST's
/// 784 pixels) as the images a `Conv2d` takes, at the front of a network.
///
/// ```
/// use backprop::{Layer, Matrix, Unflatten};
/// let mut work = Default::default();
/// let x = Matrix::<1, 4>::new([[1.0, 2.0, 3.0, 4.0]]);
/// let images = Unflatten::<1, 2, 2>.infer(&x, &mut work);
/// assert_eq!(images[(0, 0, 1, 0)], 3.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unflatten<const C: usize, const H: usize, const W: usize>;

impl<const N: usize, const F: usize, const C: usize, const H: usize, const W: usize, T: Float>
    Layer<Matrix<N, F, T>> for Unflatten<C, H, W>
{
    type Out = Images<N, C, H, W, T>;
    type Workspace = Buffers<Images<N, C, H, W, T>, Matrix<N, F, T>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Images<N, C, H, W, T> {
        &work.out
    }

    fn infer<'w>(
        &self,
        x: &Matrix<N, F, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        const { flat_width("Unflatten", C, H, W, F) };
        work.out.as_mut_slice().copy_from_slice(x.as_slice());
        &work.out
    }

    fn backward<'w>(
        &mut self,
        _x: &Matrix<N, F, T>,
        dout: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, F, T> {
        work.dx.as_mut_slice().copy_from_slice(dout.as_slice());
        &work.dx
    }
}

/// Named `Flatten<F>`.
impl<const F: usize> Named for Flatten<F> {
    fn name(&self) -> String {
        format!("Flatten<{F}>")
    }
}

/// Named `Unflatten<C, H, W>`.
impl<const C: usize, const H: usize, const W: usize> Named for Unflatten<C, H, W> {
    fn name(&self) -> String {
        format!("Unflatten<{C}, {H}, {W}>")
    }
}

/// No parameters.
impl<const F: usize, T: Float> Params<T> for Flatten<F> {}

/// No parameters.
impl<const C: usize, const H: usize, const W: usize, T: Float> Params<T> for Unflatten<C, H, W> {}
