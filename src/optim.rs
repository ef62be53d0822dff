//! Updating parameters along their gradients (section 5.7, step 3; the optimizers of
//! section 6.1).
//!
//! Every optimizer implements [`Optimizer`]: one [`step`](Optimizer::step) updates
//! every parameter `W` of a network from the gradient `g = ∂L/∂W` its last backward
//! pass left beside it. With learning rate `η` (all arithmetic element by element):
//!
//! | optimizer    | state per parameter | one step                                                           |
//! |--------------|---------------------|--------------------------------------------------------------------|
//! | [`Sgd`]      | none                | `W ← W − η·g`                                                      |
//! | [`Momentum`] | velocity `v`        | `v ← αv − η·g;  W ← W + v`                                         |
//! | [`Nesterov`] | velocity `v`        | `v ← αv − η·g;  W ← W + α²·v − (1 + α)·η·g`                        |
//! | [`AdaGrad`]  | `h`                 | `h ← h + g²;  W ← W − η·g / (√h + ε)`                              |
//! | [`RmsProp`]  | `h`                 | `h ← ρh + (1 − ρ)·g²;  W ← W − η·g / (√h + ε)`                     |
//! | [`Adam`]     | moments `m`, `v`    | `m ← m + (1 − β₁)(g − m);  v ← v + (1 − β₂)(g² − v);  W ← W − ηₜ·m / (√v + ε)`, `ηₜ = η·√(1 − β₂ᵗ) / (1 − β₁ᵗ)` at step `t` |
//!
//! The defaults are the book's (`common/optimizer.py`): `η = 0.01` (Adam `0.001`),
//! `α = 0.9`, `ρ = 0.99`, `β₁ = 0.9`, `β₂ = 0.999`, `ε = 10⁻⁷`. A stateful optimizer
//! creates its state on the first step and reuses it: one optimizer per network.
//!
//! The training loop can pick one at run time:
//!
//! ```
//! use backprop::optim::{NAMES, by_name};
//! use backprop::{Affine, Matrix, Network, Optimizer, Relu, SoftmaxWithLoss};
//! let mut net = (Affine::<2, 3>::zeros(), Relu::new(), Affine::<3, 2>::zeros());
//! let mut opt: Box<dyn Optimizer<f32>> = by_name("adam", None).unwrap();
//! assert_eq!(opt.learning_rate(), 0.001);
//! net.gradient(&SoftmaxWithLoss::new(), &Matrix::new([[1.0, 2.0]]), &[0])?;
//! opt.step(&mut net); // Adam's first step moves each value by about η against sign(g)
//! assert!((net.2.b[(0, 0)] - 0.001).abs() < 1e-6);
//! assert_eq!(NAMES.len(), 6);
//! # Ok::<(), backprop::Error>(())
//! ```

use crate::{Float, Params};

mod adagrad;
mod adam;
mod momentum;
mod nesterov;
mod rmsprop;
mod sgd;
mod state;

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use momentum::Momentum;
pub use nesterov::Nesterov;
pub use rmsprop::RmsProp;
pub use sgd::Sgd;

/// A rule that updates parameters from their gradients.
///
/// A new optimizer is one type implementing these three methods; [`Params`] hands it
/// each parameter's values and gradient in a fixed order, so state kept per parameter
/// can sit in a `Vec` in that order.
///
/// ```
/// use backprop::{Affine, Layer, Matrix, Optimizer, Params};
/// /// Moves every value one step of size η against the sign of its gradient.
/// struct SignDescent(f64);
/// impl Optimizer<f64> for SignDescent {
///     fn step(&mut self, params: &mut dyn Params<f64>) {
///         params.visit_params(&mut |p| {
///             for (w, g) in p.values.iter_mut().zip(p.grad) {
///                 *w -= self.0 * g.signum();
///             }
///         });
///     }
///     fn learning_rate(&self) -> f64 {
///         self.0
///     }
///     fn set_learning_rate(&mut self, lr: f64) {
///         self.0 = lr;
///     }
/// }
/// let mut layer = Affine::new(Matrix::new([[1.0_f64]]), Matrix::new([[0.0]]));
/// let x = Matrix::new([[-3.0]]);
/// let mut work = Default::default();
/// layer.forward(&x, &mut work);
/// layer.backward(&x, &Matrix::new([[1.0]]), &mut work); // dW = −3, db = 1
/// SignDescent(0.25).step(&mut layer);
/// assert_eq!((layer.w[(0, 0)], layer.b[(0, 0)]), (1.25, -0.25));
/// ```
pub trait Optimizer<T: Float> {
    /// One update of every parameter from the gradient its last backward pass left
    /// beside it.
    fn step(&mut self, params: &mut dyn Params<T>);
    /// The learning rate η.
    fn learning_rate(&self) -> f64;
    /// Sets η (for schedules).
    fn set_learning_rate(&mut self, lr: f64);
}

/// A boxed optimizer is one, so that a [`Trainer`](crate::train::Trainer) can hold the
/// one [`by_name`] returns.
///
/// ```
/// use backprop::{Optimizer, optim::by_name};
/// let mut boxed = by_name::<f32>("sgd", Some(0.5)).unwrap();
/// boxed.set_learning_rate(0.25);
/// assert_eq!(Optimizer::learning_rate(&boxed), 0.25);
/// ```
impl<T: Float, O: Optimizer<T> + ?Sized> Optimizer<T> for Box<O> {
    fn step(&mut self, params: &mut dyn Params<T>) {
        (**self).step(params)
    }

    fn learning_rate(&self) -> f64 {
        (**self).learning_rate()
    }

    fn set_learning_rate(&mut self, lr: f64) {
        (**self).set_learning_rate(lr)
    }
}

/// The names [`by_name`] knows, in the order of the table above.
///
/// ```
/// assert_eq!(backprop::optim::NAMES[0], "sgd");
/// ```
pub const NAMES: [&str; 6] = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"];

/// The optimizer called `name` (one of [`NAMES`], lower case) with the book's
/// defaults, and learning rate `lr` if given; `None` for any other name.
///
/// ```
/// use backprop::optim::by_name;
/// let momentum = by_name::<f32>("momentum", None).unwrap();
/// assert_eq!(momentum.learning_rate(), 0.01);
/// assert_eq!(by_name::<f64>("rmsprop", Some(0.5)).unwrap().learning_rate(), 0.5);
/// assert!(by_name::<f32>("lbfgs", None).is_none());
/// ```
pub fn by_name<T: Float>(name: &str, lr: Option<f64>) -> Option<Box<dyn Optimizer<T> + Send>> {
    let mut optimizer: Box<dyn Optimizer<T> + Send> = match name {
        "sgd" => Box::new(Sgd::default()),
        "momentum" => Box::new(Momentum::default()),
        "nesterov" => Box::new(Nesterov::default()),
        "adagrad" => Box::new(AdaGrad::default()),
        "rmsprop" => Box::new(RmsProp::default()),
        "adam" => Box::new(Adam::default()),
        _ => return None,
    };
    if let Some(lr) = lr {
        optimizer.set_learning_rate(lr);
    }
    Some(optimizer)
}
