//! ReLU (section 5.5).

use crate::float::sealed::Sealed;
use crate::{Buffers, Float, Layer, Named, Params, Shape};

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
/// use backprop::{Images, Layer, Matrix, Network, Relu};
/// let mut relu = Relu::new();
/// let mut work = Default::default();
/// let x = Matrix::new([[1.0, -0.5], [-2.0, 3.0]]);
/// assert_eq!(relu.forward(&x, &mut work), &Matrix::new([[1.0, 0.0], [0.0, 3.0]]));
/// let dout = Matrix::new([[10.0, 10.0], [10.0, 10.0]]);
/// assert_eq!(relu.backward(&x, &dout, &mut work), &Matrix::new([[10.0, 0.0], [0.0, 10.0]]));
/// // Any `Shape` alike: a batch of images after a convolution.
/// let images = Images::<1, 1, 1, 2>::from_slice(&[-1.0, 2.0])?;
/// assert_eq!(relu.predict(&images).as_slice(), &[0.0, 2.0]);
/// # Ok::<(), backprop::Error>(())
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

/// On a matrix or a batch of images alike (after a convolution), element by element.
impl<X: Shape> Layer<X> for Relu {
    type Out = X;
    type Workspace = Buffers<X>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &X {
        &work.out
    }

    fn infer<'w>(&self, x: &X, work: &'w mut Self::Workspace) -> &'w X {
        // y = x if x > 0, else 0, through the kernel compiled in this crate.
        <X::Elem as Sealed>::relu(x.as_slice(), work.out.as_mut_slice());
        &work.out
    }

    fn backward<'w>(&mut self, x: &X, dout: &X, work: &'w mut Self::Workspace) -> &'w X {
        <X::Elem as Sealed>::relu_grad(x.as_slice(), dout.as_slice(), work.dx.as_mut_slice());
        &work.dx
    }
}

impl Named for Relu {}

/// ReLU has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Relu {}
