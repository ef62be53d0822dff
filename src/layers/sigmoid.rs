//! Sigmoid (section 5.5).

use crate::{Buffers, Float, Images, Layer, Matrix, Named, Params};

/// The logistic sigmoid, element-wise:
///
/// ```text
/// forward:  y = 1 / (1 + exp(−x))
/// backward: ∂L/∂x = ∂L/∂y · y · (1 − y)
/// ```
///
/// Backward reads the output `y` the forward pass kept, which is all it needs.
///
/// ```
/// use backprop::{Layer, Matrix, Sigmoid};
/// let mut sigmoid = Sigmoid::new();
/// let mut work = Default::default();
/// let x = Matrix::new([[0.0_f64]]);
/// assert_eq!(sigmoid.forward(&x, &mut work)[(0, 0)], 0.5);
/// let dx = sigmoid.backward(&x, &Matrix::new([[1.0]]), &mut work);
/// assert_eq!(dx[(0, 0)], 0.25); // 0.5 · (1 − 0.5)
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sigmoid;

impl Sigmoid {
    /// A sigmoid layer (it has no parameters).
    ///
    /// ```
    /// use backprop::{Matrix, Network, Params, Sigmoid};
    /// let sigmoid = Sigmoid::new();
    /// assert_eq!(Params::<f64>::param_count(&sigmoid), 0);
    /// assert_eq!(sigmoid.predict(&Matrix::new([[0.0_f64]]))[(0, 0)], 0.5);
    /// ```
    pub fn new() -> Self {
        Self
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Sigmoid {
    type Out = Matrix<N, C, T>;
    type Workspace = Buffers<Matrix<N, C, T>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Matrix<N, C, T> {
        &work.out
    }

    fn infer<'w>(&self, x: &Matrix<N, C, T>, work: &'w mut Self::Workspace) -> &'w Matrix<N, C, T> {
        work.map(x, |v| T::ONE / (T::ONE + (-v).exp()))
    }

    fn backward<'w>(
        &mut self,
        x: &Matrix<N, C, T>,
        dout: &Matrix<N, C, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, C, T> {
        work.map_grad(x, dout, |_x, y, g| g * y * (T::ONE - y))
    }
}

/// The same on a batch of images, element by element (after a convolution).
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float>
    Layer<Images<N, C, H, W, T>> for Sigmoid
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
        work.map(x, |v| T::ONE / (T::ONE + (-v).exp()))
    }

    fn backward<'w>(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        work.map_grad(x, dout, |_x, y, g| g * y * (T::ONE - y))
    }
}

impl Named for Sigmoid {}

/// Sigmoid has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Sigmoid {}
