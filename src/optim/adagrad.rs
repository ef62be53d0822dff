//! AdaGrad (section 6.1.5).

use super::state::State;
use crate::{Float, Optimizer, Params};

/// AdaGrad: each value's step shrinks with the sum `h` of its squared gradients so far,
/// so values that have moved a lot move less:
///
/// `h ← h + (∂L/∂W)²;  W ← W − η·∂L/∂W / (√h + ε)`  (`h` starts at 0; `ε` keeps a
/// value whose gradients were all 0 from dividing 0 by 0).
///
/// ```
/// use backprop::{AdaGrad, Affine, Layer, Matrix, Optimizer};
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// let mut adagrad = AdaGrad::new(0.1);
/// adagrad.step(&mut layer); // h = 4, W = 1 − 0.1·2/2 = 0.9
/// adagrad.step(&mut layer); // h = 8, W = 0.9 − 0.1·2/√8 = 0.9 − 0.0707107 = 0.8292893
/// assert!((layer.w[(0, 0)] - 0.8292893).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AdaGrad<T = f32> {
    /// The learning rate η (the book's default 0.01).
    pub lr: f64,
    /// The `ε` added to `√h` (the book's 1e-7).
    pub eps: f64,
    /// The sum `h` of squared gradients of each parameter.
    h: State<T, 1>,
}

impl<T: Float> AdaGrad<T> {
    /// AdaGrad with learning rate `lr` and the book's `ε = 1e-7`.
    ///
    /// ```
    /// let a = backprop::AdaGrad::<f32>::new(0.1);
    /// assert_eq!((a.lr, a.eps), (0.1, 1e-7));
    /// ```
    pub fn new(lr: f64) -> Self {
        Self {
            lr,
            eps: 1e-7,
            h: State::new(),
        }
    }
}

/// The book's defaults: η = 0.01, ε = 1e-7.
///
/// ```
/// let a = backprop::AdaGrad::<f64>::default();
/// assert_eq!((a.lr, a.eps), (0.01, 1e-7));
/// ```
impl<T: Float> Default for AdaGrad<T> {
    fn default() -> Self {
        Self::new(0.01)
    }
}

impl<T: Float> Optimizer<T> for AdaGrad<T> {
    fn step(&mut self, params: &mut dyn Params<T>) {
        let (lr, eps) = (T::from_f64(self.lr), T::from_f64(self.eps));
        self.h.visit("AdaGrad", params, |w, grad, [h]| {
            for ((w, &g), h) in w.iter_mut().zip(grad).zip(h.iter_mut()) {
                *h += g * g;
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
