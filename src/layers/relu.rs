//! ReLU (section 5.5).

use crate::{Elementwise, Float, Layer, Matrix, Named, Params};

/// The rectified linear unit, element-wise:
///
/// ```text
/// forward:  y = x if x > 0, else 0
/// backward: ∂L/∂x = ∂L/∂y if x > 0, else 0
/// ```
///
/// The book keeps a mask of where `x ≤ 0`; here backward is handed `x` itself and
/// reads the mask off it. Backward writes the zeroed gradient into a buffer of its
/// own and leaves the caller's gradient untouched.
///
/// ```
/// use backprop::{Layer, Matrix, Relu};
/// let mut relu = Relu::new();
/// let x = Matrix::new([[1.0, -0.5], [-2.0, 3.0]]);
/// assert_eq!(relu.forward(&x), &Matrix::new([[1.0, 0.0], [0.0, 3.0]]));
/// let dout = Matrix::new([[10.0, 10.0], [10.0, 10.0]]);
/// assert_eq!(relu.backward(&x, &dout), &Matrix::new([[10.0, 0.0], [0.0, 10.0]]));
/// ```
#[derive(Debug, Clone)]
pub struct Relu(Elementwise);

impl Relu {
    /// A ReLU layer (it has no parameters).
    ///
    /// ```
    /// use backprop::{Layer, Matrix, Params, Relu};
    /// let mut relu = Relu::new();
    /// assert_eq!(Params::<f32>::param_count(&relu), 0);
    /// assert_eq!(relu.forward(&Matrix::new([[-1.0, 1.0]])).as_slice(), &[0.0, 1.0]);
    /// ```
    pub fn new() -> Self {
        Self(Elementwise::new("Relu"))
    }
}

impl Default for Relu {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Relu {
    type Out = Matrix<N, C, T>;

    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        self.0.forward(x, |v| if v > T::ZERO { v } else { T::ZERO })
    }

    fn output(&self) -> &Matrix<N, C, T> {
        self.0.output()
    }

    fn backward(&mut self, x: &Matrix<N, C, T>, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        self.0
            .backward(x, dout, |x, _y, g| if x > T::ZERO { g } else { T::ZERO })
    }
}

impl Named for Relu {}

/// ReLU has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Relu {}
