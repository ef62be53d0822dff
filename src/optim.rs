//! Updating parameters along their gradients (section 5.7, step 3).

use crate::{Float, Params};

/// Stochastic gradient descent: `W ← W − lr · ∂L/∂W` for every parameter.
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Sgd};
/// let mut layer = Affine::new(Matrix::new([[1.0_f32]]), Matrix::new([[0.0]]));
/// layer.forward(&Matrix::new([[2.0]]));
/// layer.backward(&Matrix::new([[1.0]])); // dW = 2, db = 1
/// Sgd::new(0.1).step(&mut layer);
/// assert!((layer.w[(0, 0)] - 0.8).abs() < 1e-7);
/// assert!((layer.b[(0, 0)] + 0.1).abs() < 1e-7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sgd {
    /// The learning rate (the book's default is 0.1).
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
    /// pass.
    ///
    /// ```
    /// use backprop::{Affine, Relu, Sgd};
    /// let mut net = (Affine::<2, 2>::zeros(), Relu::new());
    /// Sgd::new(0.5).step(&mut net); // zero gradients: nothing moves
    /// assert_eq!(net.0.w.sum(), 0.0);
    /// ```
    pub fn step<T: Float, P: Params<T> + ?Sized>(&self, net: &mut P) {
        let lr = T::from_f64(self.lr);
        net.visit_params(&mut |p| {
            for (v, &g) in p.values.iter_mut().zip(p.grad) {
                *v -= lr * g;
            }
        });
    }
}
