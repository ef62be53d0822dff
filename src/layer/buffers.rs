//! [`Buffers`]: the workspace most layers declare.

use crate::{Float, Images, Matrix};

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

/// `out_k = f(x_k)` over two slices of the same length.
fn map_into<T: Float>(out: &mut [T], x: &[T], f: impl Fn(T) -> T) {
    for (y, &v) in out.iter_mut().zip(x) {
        *y = f(v);
    }
}

/// `dx_k = g(x_k, y_k, dy_k)` over slices of the same length.
fn map_grad_into<T: Float>(dx: &mut [T], x: &[T], y: &[T], dy: &[T], g: impl Fn(T, T, T) -> T) {
    for (d, ((&x, &y), &dy)) in dx.iter_mut().zip(x.iter().zip(y).zip(dy)) {
        *d = g(x, y, dy);
    }
}

/// The element-wise passes for a batch of images (chapter 7's ReLU after a convolution).
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float, K>
    Buffers<Images<N, C, H, W, T>, Images<N, C, H, W, T>, K>
{
    /// `y_k = f(x_k)` for every element, into `out`.
    ///
    /// ```
    /// use backprop::{Buffers, Images};
    /// let mut work = Buffers::<Images<1, 1, 1, 2>>::default();
    /// assert_eq!(work.map(&Images::filled(1.5), |v| 2.0 * v).as_slice(), &[3.0, 3.0]);
    /// ```
    pub fn map(&mut self, x: &Images<N, C, H, W, T>, f: impl Fn(T) -> T) -> &Images<N, C, H, W, T> {
        map_into(self.out.as_mut_slice(), x.as_slice(), f);
        &self.out
    }

    /// `∂L/∂x_k = g(x_k, y_k, ∂L/∂y_k)` for every element, into `dx`.
    ///
    /// ```
    /// use backprop::{Buffers, Images};
    /// let mut work = Buffers::<Images<1, 1, 1, 1, f64>>::default();
    /// let x = Images::filled(2.0);
    /// work.map(&x, |v| v * v);
    /// assert_eq!(work.map_grad(&x, &Images::filled(1.0), |x, _y, g| 2.0 * x * g).as_slice(), &[4.0]);
    /// ```
    pub fn map_grad(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Images<N, C, H, W, T>,
        g: impl Fn(T, T, T) -> T,
    ) -> &Images<N, C, H, W, T> {
        let (dx, y) = (self.dx.as_mut_slice(), self.out.as_slice());
        map_grad_into(dx, x.as_slice(), y, dout.as_slice(), g);
        &self.dx
    }
}

impl<const N: usize, const C: usize, T: Float, K> Buffers<Matrix<N, C, T>, Matrix<N, C, T>, K> {
    /// `y_k = f(x_k)` for every element, into `out`.
    ///
    /// ```
    /// use backprop::{Buffers, Matrix};
    /// let mut work = Buffers::<Matrix<1, 1>>::default();
    /// assert_eq!(work.map(&Matrix::new([[1.5]]), |v| 2.0 * v)[(0, 0)], 3.0);
    /// ```
    pub fn map(&mut self, x: &Matrix<N, C, T>, f: impl Fn(T) -> T) -> &Matrix<N, C, T> {
        map_into(self.out.as_mut_slice(), x.as_slice(), f);
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
        x: &Matrix<N, C, T>,
        dout: &Matrix<N, C, T>,
        g: impl Fn(T, T, T) -> T,
    ) -> &Matrix<N, C, T> {
        let (dx, y) = (self.dx.as_mut_slice(), self.out.as_slice());
        map_grad_into(dx, x.as_slice(), y, dout.as_slice(), g);
        &self.dx
    }
}
