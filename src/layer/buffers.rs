//! [`Buffers`]: the workspace most layers declare.

use crate::Shape;

/// A layer's workspace for one batch type: its output `out`, the gradient of its input
/// `dx`, and whatever else its backward needs (`keep`: dropout's mask, batch norm's
/// x̂; nothing for most layers). Made zeroed by `Default`, once per batch size.
///
/// `Affine<I, O>` on `Matrix<N, I>` declares `Buffers<Matrix<N, O>, Matrix<N, I>>`;
/// an element-wise activation `Buffers<Matrix<N, C>>`, for which
/// [`map`](Buffers::map) and [`map_grad`](Buffers::map_grad) are the whole forward and
/// backward pass, so that a new activation is its two formulas (the `custom_layer`
/// example writes `Tanh` this way):
///
/// ```text
/// forward:  y_k = f(x_k)                         into out
/// backward: ∂L/∂x_k = g(x_k, y_k, ∂L/∂y_k)        into dx; usually ∂L/∂y_k · f′(x_k)
/// ```
///
/// ```
/// use backprop::{Buffers, Matrix};
/// let mut square = Buffers::<Matrix<1, 2, f64>>::default();
/// let x = Matrix::new([[3.0, -2.0]]);
/// assert_eq!(square.map(&x, |v| v * v).as_slice(), &[9.0, 4.0]);
/// // ∂L/∂x = ∂L/∂y · 2x
/// let dx = square.map_grad(&x, &Matrix::new([[1.0, 0.5]]), |x, _y, g| g * 2.0 * x);
/// assert_eq!(dx.as_slice(), &[6.0, -2.0]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Buffers<Y, X = Y, K = ()> {
    /// The output of the last pass.
    pub out: Y,
    /// ∂L/∂input from the last backward pass.
    pub dx: X,
    /// What else the layer keeps from forward for backward.
    pub keep: K,
}

/// The element-wise passes, for a matrix or a batch of images alike (chapter 7's ReLU
/// after a convolution).
impl<X: Shape, K> Buffers<X, X, K> {
    /// `y_k = f(x_k)` for every element, into `out`.
    ///
    /// ```
    /// use backprop::{Buffers, Images, Matrix};
    /// let mut work = Buffers::<Matrix<1, 1>>::default();
    /// assert_eq!(work.map(&Matrix::new([[1.5]]), |v| 2.0 * v)[(0, 0)], 3.0);
    /// let mut work = Buffers::<Images<1, 1, 1, 2>>::default();
    /// assert_eq!(work.map(&Images::filled(1.5), |v| 2.0 * v).as_slice(), &[3.0, 3.0]);
    /// ```
    pub fn map(&mut self, x: &X, f: impl Fn(X::Elem) -> X::Elem) -> &X {
        for (y, &v) in self.out.as_mut_slice().iter_mut().zip(x.as_slice()) {
            *y = f(v);
        }
        &self.out
    }

    /// `∂L/∂x_k = g(x_k, y_k, ∂L/∂y_k)` for every element, into `dx`, with `x` the
    /// input of the pass that filled `out` and `y` that output.
    ///
    /// ```
    /// use backprop::{Buffers, Matrix};
    /// let mut exp = Buffers::<Matrix<1, 1, f64>>::default();
    /// let x = Matrix::new([[0.0]]);
    /// exp.map(&x, f64::exp);
    /// assert_eq!(exp.map_grad(&x, &Matrix::new([[3.0]]), |_x, y, g| g * y)[(0, 0)], 3.0); // (eˣ)′ = eˣ = y
    /// ```
    pub fn map_grad(
        &mut self,
        x: &X,
        dout: &X,
        g: impl Fn(X::Elem, X::Elem, X::Elem) -> X::Elem,
    ) -> &X {
        let (dx, y) = (self.dx.as_mut_slice(), self.out.as_slice());
        let inputs = x.as_slice().iter().zip(y).zip(dout.as_slice());
        for (d, ((&x, &y), &dy)) in dx.iter_mut().zip(inputs) {
            *d = g(x, y, dy);
        }
        &self.dx
    }
}
