//! Adam (section 6.1.6).

use super::state::State;
use crate::{Float, Optimizer, Params};

/// Adam: Momentum's velocity and RMSprop's squared-gradient mean, as decaying means
/// `m` and `v` of the gradient and its square, with the learning rate at step `t`
/// (`t = 1, 2, …`) corrected for both means starting at 0:
///
/// `ηₜ = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ);  m ← m + (1 − β₁)(∂L/∂W − m);  v ← v + (1 − β₂)((∂L/∂W)² − v);
/// W ← W − ηₜ·m / (√v + ε)`
///
/// On the first step `ηₜ·m/√v = η·sign(∂L/∂W)`: every value with a gradient moves by η.
///
/// ```
/// use backprop::{Adam, Affine, Layer, Matrix, Optimizer};
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[2.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = 2, db = 1
/// let mut adam = Adam::new(0.1);
/// // η₁ = 0.1·√0.001/0.1 = 0.0316228, m = 0.2, v = 0.004, √v = 0.0632456: W = 1 − 0.1 = 0.9
/// adam.step(&mut layer);
/// assert!((layer.w[(0, 0)] - 0.9).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<T = f32> {
    /// The learning rate η (the book's default 0.001).
    pub lr: f64,
    /// The decay `β₁` of the gradient mean `m` (the book's default 0.9).
    pub beta1: f64,
    /// The decay `β₂` of the squared-gradient mean `v` (the book's default 0.999).
    pub beta2: f64,
    /// The `ε` added to `√v` (the book's 1e-7).
    pub eps: f64,
    /// The number of steps taken, `t`.
    t: u64,
    /// The means `m` and `v` of each parameter.
    mv: State<T, 2>,
}

impl<T: Float> Adam<T> {
    /// Adam with learning rate `lr` and the book's `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-7`.
    ///
    /// ```
    /// let a = backprop::Adam::<f32>::new(0.01);
    /// assert_eq!((a.lr, a.beta1, a.beta2, a.eps), (0.01, 0.9, 0.999, 1e-7));
    /// ```
    pub fn new(lr: f64) -> Self {
        Self {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-7,
            t: 0,
            mv: State::new(),
        }
    }

    /// The number of steps taken so far, the `t` of the last step's `ηₜ`.
    ///
    /// ```
    /// use backprop::{Adam, Affine, Optimizer};
    /// let mut adam = Adam::default();
    /// adam.step(&mut Affine::<2, 2>::zeros());
    /// assert_eq!(adam.steps(), 1);
    /// ```
    pub fn steps(&self) -> u64 {
        self.t
    }
}

/// The book's defaults: η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1e-7.
///
/// ```
/// let a = backprop::Adam::<f64>::default();
/// assert_eq!((a.lr, a.beta1, a.beta2, a.eps), (0.001, 0.9, 0.999, 1e-7));
/// ```
impl<T: Float> Default for Adam<T> {
    fn default() -> Self {
        Self::new(0.001)
    }
}

impl<T: Float> Optimizer<T> for Adam<T> {
    fn step(&mut self, params: &mut dyn Params<T>) {
        self.t += 1;
        let t = self.t as f64;
        let lr_t = self.lr * (1.0 - self.beta2.powf(t)).sqrt() / (1.0 - self.beta1.powf(t));
        let (lr_t, eps) = (T::from_f64(lr_t), T::from_f64(self.eps));
        let (keep1, keep2) = (T::from_f64(1.0 - self.beta1), T::from_f64(1.0 - self.beta2));
        // m += (1 − β₁)(g − m), v += (1 − β₂)(g² − v), w −= lr_t · m / (√v + ε), element
        // by element, in the GEMM's build for this CPU (src/matrix/gemm/elementwise.rs).
        self.mv.visit("Adam", params, |w, grad, [m, v]| {
            T::adam(lr_t, eps, (keep1, keep2), w, grad, [m, v]);
        });
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.lr = lr;
    }
}
