//! RMSprop (section 6.1.5, after AdaGrad).

use super::state::State;
use crate::{Float, Optimizer, Params};

/// RMSprop: AdaGrad with a sum `h` that forgets, decaying by `ρ` each step, so the
/// steps do not shrink to nothing:
///
/// `h ← ρh + (1 − ρ)·(∂L/∂W)²;  W ← W − η·∂L/∂W / (√h + ε)`  (`h` starts at 0).
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Optimizer, RmsProp};
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// let mut rmsprop = RmsProp::new(0.1);
/// rmsprop.step(&mut layer); // h = 0.01·4 = 0.04, W = 1 − 0.1·2/0.2 = 0
/// assert!(layer.w[(0, 0)].abs() < 1e-5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RmsProp<T = f32> {
    /// The learning rate η (the book's default 0.01).
    pub lr: f64,
    /// The decay `ρ` of `h` (the book's `decay_rate`, default 0.99).
    pub decay_rate: f64,
    /// The `ε` added to `√h` (the book's 1e-7).
    pub eps: f64,
    /// The decaying mean `h` of squared gradients of each parameter.
    h: State<T, 1>,
}

impl<T: Float> RmsProp<T> {
    /// RMSprop with learning rate `lr` and the book's `ρ = 0.99`, `ε = 1e-7`.
    ///
    /// ```
    /// let r = backprop::RmsProp::<f32>::new(0.1);
    /// assert_eq!((r.lr, r.decay_rate, r.eps), (0.1, 0.99, 1e-7));
    /// ```
    pub fn new(lr: f64) -> Self {
        Self {
            lr,
            decay_rate: 0.99,
            eps: 1e-7,
            h: State::new(),
        }
    }
}

/// The book's defaults: η = 0.01, ρ = 0.99, ε = 1e-7.
///
/// ```
/// let r = backprop::RmsProp::<f64>::default();
/// assert_eq!((r.lr, r.decay_rate, r.eps), (0.01, 0.99, 1e-7));
/// ```
impl<T: Float> Default for RmsProp<T> {
    fn default() -> Self {
        Self::new(0.01)
    }
}

impl<T: Float> Optimizer<T> for RmsProp<T> {
    fn step(&mut self, params: &mut dyn Params<T>) {
        let (lr, eps) = (T::from_f64(self.lr), T::from_f64(self.eps));
        let (rho, fresh) = (
            T::from_f64(self.decay_rate),
            T::from_f64(1.0 - self.decay_rate),
        );
        self.h.visit("RmsProp", params, |w, grad, [h]| {
            for ((w, &g), h) in w.iter_mut().zip(grad).zip(h.iter_mut()) {
                *h = rho * *h + fresh * g * g;
                *w -= lr * g / (h.sqrt() + eps);
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
