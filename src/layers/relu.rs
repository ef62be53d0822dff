//! ReLU (section 5.5).

use crate::{Buffers, Float, Images, Layer, Matrix, Named, Params};

/// The rectified linear unit, element-wise:
///
/// ```text
/// forward:  y = x if x > 0, else 0
/// backward: ∂L/∂x = ∂L/∂y if x > 0, else 0
/// ```
///
/// The book keeps a mask of where `x ≤ 0`; here backward is handed `x` itself and
/// reads the mask off it. Backward writes the zeroed gradient into the workspace's
/// `dx` and leaves the caller's gradient untouched.
///
/// ```
/// use backprop::{Layer, Matrix, Relu};
/// let mut relu = Relu::new();
/// let mut work = Default::default();
/// let x = Matrix::new([[1.0, -0.5], [-2.0, 3.0]]);
/// assert_eq!(relu.forward(&x, &mut work), &Matrix::new([[1.0, 0.0], [0.0, 3.0]]));
/// let dout = Matrix::new([[10.0, 10.0], [10.0, 10.0]]);
/// assert_eq!(relu.backward(&x, &dout, &mut work), &Matrix::new([[10.0, 0.0], [0.0, 10.0]]));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relu;

impl Relu {
    /// A ReLU layer (it has no parameters).
    ///
    /// ```
    /// use backprop::{Matrix, Network, Params, Relu};
    /// let relu = Relu::new();
    /// assert_eq!(Params::<f32>::param_count(&relu), 0);
    /// assert_eq!(relu.predict(&Matrix::new([[-1.0, 1.0]])).as_slice(), &[0.0, 1.0]);
    /// ```
    pub fn new() -> Self {
        Self
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Relu {
    type Out = Matrix<N, C, T>;
    type Workspace = Buffers<Matrix<N, C, T>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Matrix<N, C, T> {
        &work.out
    }

    fn infer<'w>(&self, x: &Matrix<N, C, T>, work: &'w mut Self::Workspace) -> &'w Matrix<N, C, T> {
        // y = x if x > 0, else 0, through the kernel compiled in this crate.
        T::relu(x.as_slice(), work.out.as_mut_slice());
        &work.out
    }

    fn backward<'w>(
        &mut self,
        x: &Matrix<N, C, T>,
        dout: &Matrix<N, C, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, C, T> {
        T::relu_grad(x.as_slice(), dout.as_slice(), work.dx.as_mut_slice());
        &work.dx
    }
}

/// The same on a batch of images, element by element (after a convolution).
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float>
    Layer<Images<N, C, H, W, T>> for Relu
{
    type Out = Images<N, C, H, W, T>;
    type Workspace = Buffers<Images<N, C, H, W, T>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Images<N, C, H, W, T> {
        &work.out
    }

    fn infer<'w>(
        &self,
        x: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        T::relu(x.as_slice(), work.out.as_mut_slice());
        &work.out
    }

    fn backward<'w>(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        T::relu_grad(x.as_slice(), dout.as_slice(), work.dx.as_mut_slice());
        &work.dx
    }
}

impl Named for Relu {}

/// ReLU has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Relu {}
