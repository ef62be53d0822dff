//! Sigmoid (section 5.5).

use crate::{Elementwise, Float, Layer, Matrix, Named, Params};

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
/// let x = Matrix::new([[0.0_f64]]);
/// assert_eq!(sigmoid.forward(&x)[(0, 0)], 0.5);
/// let dx = sigmoid.backward(&x, &Matrix::new([[1.0]]));
/// assert_eq!(dx[(0, 0)], 0.25); // 0.5 · (1 − 0.5)
/// ```
#[derive(Debug, Clone)]
pub struct Sigmoid(Elementwise);

impl Sigmoid {
    /// A sigmoid layer (it has no parameters).
    ///
    /// ```
    /// use backprop::{Layer, Matrix, Params, Sigmoid};
    /// let mut sigmoid = Sigmoid::new();
    /// assert_eq!(Params::<f64>::param_count(&sigmoid), 0);
    /// assert_eq!(sigmoid.forward(&Matrix::new([[0.0_f64]]))[(0, 0)], 0.5);
    /// ```
    pub fn new() -> Self {
        Self(Elementwise::new("Sigmoid"))
    }
}

impl Default for Sigmoid {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Sigmoid {
    type Out = Matrix<N, C, T>;

    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        self.0.forward(x, |v| T::ONE / (T::ONE + (-v).exp()))
    }

    fn output(&self) -> &Matrix<N, C, T> {
        self.0.output()
    }

    fn backward(&mut self, x: &Matrix<N, C, T>, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        self.0.backward(x, dout, |_x, y, g| g * y * (T::ONE - y))
    }
}

impl Named for Sigmoid {}

/// Sigmoid has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Sigmoid {}
