//! Momentum (section 6.1.4).

use super::state::State;
use crate::{Float, Optimizer, Params};

/// Momentum: a velocity `v` per parameter, decayed by `α` and pushed by the gradient,
/// moves the parameter:
///
/// `v ← αv − η·∂L/∂W;  W ← W + v`  (`v` starts at 0).
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Momentum, Optimizer};
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// let mut momentum = Momentum::new(0.1);
/// momentum.step(&mut layer); // v = −0.2, W = 1 − 0.2 = 0.8
/// momentum.step(&mut layer); // same gradient: v = 0.9·(−0.2) − 0.2 = −0.38, W = 0.42
/// assert!((layer.w[(0, 0)] - 0.42).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Momentum<T = f32> {
    /// The learning rate η (the book's default 0.01).
    pub lr: f64,
    /// The decay `α` of the velocity (the book's default 0.9).
    pub momentum: f64,
    /// The velocity `v` of each parameter.
    v: State<T, 1>,
}

impl<T: Float> Momentum<T> {
    /// Momentum with learning rate `lr` and the book's `α = 0.9`.
    ///
    /// ```
    /// let m = backprop::Momentum::<f32>::new(0.1);
    /// assert_eq!((m.lr, m.momentum), (0.1, 0.9));
    /// ```
    pub fn new(lr: f64) -> Self {
        Self {
            lr,
            momentum: 0.9,
            v: State::new(),
        }
    }
}

/// The book's defaults: η = 0.01, α = 0.9.
///
/// ```
/// let m = backprop::Momentum::<f64>::default();
/// assert_eq!((m.lr, m.momentum), (0.01, 0.9));
/// ```
impl<T: Float> Default for Momentum<T> {
    fn default() -> Self {
        Self::new(0.01)
    }
}

impl<T: Float> Optimizer<T> for Momentum<T> {
    fn step(&mut self, params: &mut dyn Params<T>) {
        let (lr, alpha) = (T::from_f64(self.lr), T::from_f64(self.momentum));
        self.v.visit("Momentum", params, |w, grad, [v]| {
            for ((w, &g), v) in w.iter_mut().zip(grad).zip(v.iter_mut()) {
                *v = alpha * *v - lr * g;
                *w += *v;
            }
        });
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }
}
