//! Stochastic gradient descent (section 6.1.2).

use crate::{Float, Optimizer, Params};

/// Stochastic gradient descent: `W ← W − η·∂L/∂W` for every parameter.
///
/// It keeps no state, so one `Sgd` serves networks of any element type.
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Sgd};
/// let mut layer = Affine::new(Matrix::new([[1.0_f32]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// Sgd::new(0.1).step(&mut layer);
/// assert!((layer.w[(0, 0)] - 0.8).abs() < 1e-7);
/// assert!((layer.b[(0, 0)] + 0.1).abs() < 1e-7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sgd {
    /// The learning rate η: 0.01 by default, as in the book's `common/optimizer.py`
    /// (its chapter-5 training script uses 0.1).
    pub lr: f64,
}

impl Sgd {
    /// SGD with learning rate `lr`.
    ///
    /// ```
    /// assert_eq!(backprop::Sgd::new(0.1).lr, 0.1);
    /// ```
    pub fn new(lr: f64) -> Self {
        Self { lr }
    }

    /// One update of every parameter of `net` with the gradients of its last backward
    /// pass. The same as [`Optimizer::step`], callable through a shared reference and
    /// without importing the trait.
    ///
    /// ```
    /// use backprop::{Affine, Relu, Sgd};
    /// let mut net = (Affine::<2, 2>::zeros(), Relu::new());
    /// Sgd::new(0.5).step(&mut net); // zero gradients: nothing moves
    /// assert_eq!(net.0.w.sum(), 0.0);
    /// ```
    pub fn step<T: Float, P: Params<T> + ?Sized>(&self, net: &mut P) {
        // w − η·g as w + (−η)·g: the same bits, through the kernel compiled in this
        // crate (see `Float`'s GEMM note).
        let minus_lr = -T::from_f64(self.lr);
        net.visit_params(&mut |p| T::axpy(minus_lr, p.grad, p.values));
    }
}

/// The book's default: η = 0.01.
///
/// ```
/// assert_eq!(backprop::Sgd::default().lr, 0.01);
/// ```
impl Default for Sgd {
    fn default() -> Self {
        Self::new(0.01)
    }
}

/// `W ← W − η·∂L/∂W`, through the trait.
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Optimizer, Sgd};
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// let mut opt: Box<dyn Optimizer<f64>> = Box::new(Sgd::default());
/// opt.set_learning_rate(0.25);
/// opt.step(&mut layer);
/// assert_eq!((layer.w[(0, 0)], layer.b[(0, 0)]), (0.5, -0.25));
/// ```
impl<T: Float> Optimizer<T> for Sgd {
    fn step(&mut self, params: &mut dyn Params<T>) {
        Sgd::step(self, params);
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }
}
