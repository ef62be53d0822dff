//! Sigmoid (section 5.5).

use crate::{Buffers, Float, Layer, Named, Params, Shape};

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
/// use backprop::{Images, Layer, Matrix, Sigmoid};
/// let mut sigmoid = Sigmoid::new();
/// let mut work = Default::default();
/// let x = Matrix::new([[0.0_f64]]);
/// assert_eq!(sigmoid.forward(&x, &mut work)[(0, 0)], 0.5);
/// let dx = sigmoid.backward(&x, &Matrix::new([[1.0]]), &mut work);
/// assert_eq!(dx[(0, 0)], 0.25); // 0.5 · (1 − 0.5)
/// // Any `Shape` alike: a batch of images.
/// let images = Images::<1, 1, 1, 1, f64>::filled(0.0);
/// assert_eq!(sigmoid.forward(&images, &mut Default::default()).as_slice(), &[0.5]);
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

/// On a matrix or a batch of images alike, element by element.
impl<X: Shape> Layer<X> for Sigmoid {
    type Out = X;
    type Workspace = Buffers<X>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &X {
        &work.out
    }

    fn infer<'w>(&self, x: &X, work: &'w mut Self::Workspace) -> &'w X {
        let one = X::Elem::ONE;
        work.map(x, |v| one / (one + (-v).exp()))
    }

    fn backward<'w>(&mut self, x: &X, dout: &X, work: &'w mut Self::Workspace) -> &'w X {
        let one = X::Elem::ONE;
        work.map_grad(x, dout, |_x, y, g| g * y * (one - y))
    }
}

impl Named for Sigmoid {}

/// Sigmoid has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Sigmoid {}
