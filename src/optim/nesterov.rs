//! Nesterov's accelerated gradient (the book's section 6.1.7 mentions it; its
//! `common/optimizer.py` implements this form).

use super::state::State;
use crate::{Float, Optimizer, Params};

/// Nesterov's accelerated gradient, in the form of the book's `common/optimizer.py`
/// (Bengio et al., arXiv:1212.0901): the velocity is Momentum's, and the parameter
/// steps to where the velocity is about to take it:
///
/// `v ← αv − η·∂L/∂W;  W ← W + α²·v − (1 + α)·η·∂L/∂W`  (`v` starts at 0).
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Nesterov, Optimizer};
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// let mut nesterov = Nesterov::new(0.1);
/// // v = −0.2;  W = 1 + 0.81·(−0.2) − 1.9·0.1·2 = 1 − 0.162 − 0.38 = 0.458
/// nesterov.step(&mut layer);
/// assert!((layer.w[(0, 0)] - 0.458).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Nesterov<T = f32> {
    /// The learning rate η (the book's default 0.01).
    pub lr: f64,
    /// The decay `α` of the velocity (the book's default 0.9).
    pub momentum: f64,
    /// The velocity `v` of each parameter.
    v: State<T, 1>,
}

impl<T: Float> Nesterov<T> {
    /// Nesterov with learning rate `lr` and the book's `α = 0.9`.
    ///
    /// ```
    /// let n = backprop::Nesterov::<f32>::new(0.1);
    /// assert_eq!((n.lr, n.momentum), (0.1, 0.9));
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
/// let n = backprop::Nesterov::<f64>::default();
/// assert_eq!((n.lr, n.momentum), (0.01, 0.9));
/// ```
impl<T: Float> Default for Nesterov<T> {
    fn default() -> Self {
        Self::new(0.01)
    }
}

impl<T: Float> Optimizer<T> for Nesterov<T> {
    fn step(&mut self, params: &mut dyn Params<T>) {
        let lr = T::from_f64(self.lr);
        let alpha = T::from_f64(self.momentum);
        let (alpha2, lookahead) = (alpha * alpha, (T::ONE + alpha) * lr);
        self.v.visit("Nesterov", params, |w, grad, [v]| {
            for ((w, &g), v) in w.iter_mut().zip(grad).zip(v.iter_mut()) {
                *v = alpha * *v - lr * g;
                *w += alpha2 * *v - lookahead * g;
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
