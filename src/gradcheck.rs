//! The gradient check (section 5.7.3): backprop's gradients against central differences.
//!
//! Backprop and numerical differentiation reach the same derivatives by unrelated
//! routes, so their agreement is evidence that every layer's backward is right:
//!
//! ```text
//! backprop:   ∂L/∂θ from the chain rule, one backward pass, exact up to rounding
//! numerical:  ∂L/∂θ_k ≈ (L(θ + h·e_k) − L(θ − h·e_k)) / 2h,  two forward passes per element
//! ```
//!
//! **How close is close.** Taylor's theorem gives the central difference as
//! `f′(θ) + (h²/6)·f‴(θ) + O(h⁴)`: a truncation error of about `h²/6 · |f‴|`. Each loss
//! is also rounded, with relative error about the machine epsilon `ε`, and the
//! quotient divides that by `2h`: a rounding error of about `ε·|L|/h`. With the book's
//! `h = 1e-4` in `f64` (`ε ≈ 2.2e-16`) the two are ~`1.7e-9·|f‴|` and ~`2e-12·|L|`, so a
//! correct backward agrees to 1e-9 or better. In `f32` (`ε ≈ 1.2e-7`) the rounding term
//! is ~`1e-3·|L|`: an `f32` check measures the float type more than the backward.
//!
//! **The report.** For each parameter, [`GradientCheck`] gives the book's figure, the
//! mean `|backprop − numerical|`, and the largest [relative error](relative_error)
//! net of the rounding noise `η ≈ 4·ε·|L|/h`, `max(|a − b| − η, 0) / (|a| + |b|)`, with
//! the element where it occurs. Subtracting `η` keeps elements whose gradients are
//! ~0, or merely small, from turning rounding noise into large ratios. A correct
//! backward gives relative errors of about 1e-7 or less in `f64`; a wrong one gives
//! errors near 1. In `f32`, `η` (~1e-2 for a loss of 2.3) exceeds most gradients, and
//! the report's "above η" column shows how few elements such a check can see.
//!
//! **Kinks.** The loss of a ReLU network is not differentiable where a pre-activation
//! is exactly 0. If a step of ±h moves one across 0, the difference quotient averages
//! the slopes on both sides while backprop takes one of them: the report then shows a
//! large error at that element which is not a bug in any backward. Inputs and weights
//! away from the kink (pre-activations larger than `h` times the inputs) avoid it.
//!
//! Each element is restored to its saved bits after its two evaluations (never by
//! adding `h` back), so a check leaves the network exactly as
//! [`Network::gradient`](crate::Network::gradient) leaves it.
//!
//! ```
//! use backprop::{Affine, Matrix, Relu, SoftmaxWithLoss, gradient_check};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut net = (Affine::<4, 5, f64>::random(0.5, &mut rng), Relu::new(), Affine::<5, 3, f64>::random(0.5, &mut rng));
//! let x = Matrix::<2, 4, f64>::random_normal(1.0, &mut rng);
//! let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &[0, 2])?;
//! println!("{report}");
//! assert!(report.max_mean_abs_diff() < 1e-9);
//! # Ok::<(), backprop::Error>(())
//! ```

mod numerical;
mod report;

pub use numerical::NumericalGradient;
pub use report::{GradientCheck, ParamCheck, relative_error};

use crate::network::backprop;
use crate::{Error, Float, Layer, Loss, Matrix, Params};

/// The central-difference step and the checks that use it.
///
/// [`CentralDifference::default()`] uses the book's `h = 1e-4`, as do the free
/// functions [`gradient_check`] and [`numerical_gradient`]. A smaller `h` shrinks the
/// truncation error (∝ h²) and grows the rounding error (∝ 1/h); in `f64` the total is
/// smallest near `h ≈ 1e-5`.
///
/// ```
/// use backprop::{Affine, CentralDifference, Matrix, Sigmoid, SoftmaxWithLoss};
/// let mut net = (Affine::<2, 2, f64>::new(Matrix::new([[1.0, -1.0], [0.5, 2.0]]), Matrix::zeros()), Sigmoid::new());
/// let report = CentralDifference::new(1e-5).check(&mut net, &SoftmaxWithLoss::new(), &Matrix::new([[0.3, -0.7]]), &[1])?;
/// assert_eq!(report.h, 1e-5);
/// assert!(report.passes(1e-6));
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CentralDifference {
    h: f64,
}

impl Default for CentralDifference {
    /// The book's step, `h = 1e-4`.
    fn default() -> Self {
        Self::new(Self::BOOK_H)
    }
}

impl CentralDifference {
    /// The book's step, `h = 1e-4` (`numerical_gradient` in `common/gradient.py`).
    ///
    /// ```
    /// use backprop::CentralDifference;
    /// assert_eq!(CentralDifference::default().h(), CentralDifference::BOOK_H);
    /// ```
    pub const BOOK_H: f64 = 1e-4;

    /// Central differences with step `h`: each element `θ_k` is evaluated at `θ_k ± h`.
    ///
    /// # Panics
    /// If `h` is not a positive finite number: the step is the caller's own constant.
    ///
    /// ```
    /// assert_eq!(backprop::CentralDifference::new(1e-5).h(), 1e-5);
    /// ```
    pub fn new(h: f64) -> Self {
        assert!(
            h.is_finite() && h > 0.0,
            "CentralDifference: the step h must be positive and finite, got {h}"
        );
        Self { h }
    }

    /// The step `h`.
    ///
    /// ```
    /// assert_eq!(backprop::CentralDifference::default().h(), 1e-4);
    /// ```
    pub fn h(&self) -> f64 {
        self.h
    }

    /// `∂L/∂θ_k ≈ (L(θ + h·e_k) − L(θ − h·e_k)) / 2h` for every element of every
    /// parameter of `net`, one named [`NumericalGradient`] a parameter, in the
    /// visitor's order. `2h` is the step actually taken, `(θ_k + h) − (θ_k − h)` as
    /// rounded to `T`, so the quotient is the exact slope between the two points.
    ///
    /// Costs two forward passes per parameter element, all through one workspace made
    /// for the call. Each element gets its saved bits back.
    ///
    /// # Errors
    /// A bad target (a label `≥ C`, a row that is not one-hot), reported before any
    /// parameter is touched; [`Error::NotFinite`] if `h` vanishes next to a parameter's
    /// value in `T` (e.g. `1e-4` next to `1e4` in `f32`).
    ///
    /// ```
    /// use backprop::{Affine, CentralDifference, Matrix, Params, SoftmaxWithLoss};
    /// let mut layer = Affine::<1, 2, f64>::new(Matrix::new([[0.25, -0.5]]), Matrix::zeros());
    /// let before = layer.clone();
    /// let x = Matrix::new([[2.0]]);
    /// let grads = CentralDifference::default().numerical_gradient(&mut layer, &SoftmaxWithLoss::new(), &x, &[1])?;
    /// // y = softmax([0.5, −1]); ∂L/∂b = y − t, ∂L/∂w = x·(y − t)
    /// let y0 = 1.0 / (1.0 + (-1.5_f64).exp());
    /// assert!((grads[1].values[0] - y0).abs() < 1e-9); // off by (h²/6)·f‴ ≈ 1.6e-10
    /// assert!((grads[0].values[0] - 2.0 * y0).abs() < 1e-8); // f‴ in w carries x³ = 8
    /// assert_eq!(layer.w, before.w); // the same bits
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn numerical_gradient<
        Net,
        const N: usize,
        const I: usize,
        const C: usize,
        T: Float,
        Y: ?Sized,
    >(
        &self,
        net: &mut Net,
        loss: &impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<Vec<NumericalGradient>, Error>
    where
        Net: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T> + ?Sized,
    {
        numerical::parameter_gradients(net, loss, x, targets, self.h, &mut Default::default())
    }

    /// `∂L/∂x_k ≈ (L(x + h·e_k) − L(x − h·e_k)) / 2h` for every element of the input,
    /// named `x`: the numerical counterpart of `layer.backward`, for layers without
    /// parameters (ReLU, Sigmoid) or to check the gradient a layer passes down.
    ///
    /// # Errors
    /// As [`numerical_gradient`](Self::numerical_gradient).
    ///
    /// ```
    /// use backprop::{CentralDifference, Matrix, Sigmoid, SoftmaxWithLoss};
    /// let dx = CentralDifference::default().input_gradient(&mut Sigmoid::new(), &SoftmaxWithLoss::new(), &Matrix::new([[0.0_f64, 0.0]]), &[0])?;
    /// // both sigmoids are 1/2 with slope 1/4; ∂L/∂y = (softmax(y) − t) = ∓1/2
    /// assert!((dx.values[0] + 0.125).abs() < 1e-9 && (dx.values[1] - 0.125).abs() < 1e-9);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn input_gradient<L, const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &self,
        layer: &mut L,
        loss: &impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<NumericalGradient, Error>
    where
        L: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + ?Sized,
    {
        numerical::input_gradient(layer, loss, x, targets, self.h)
    }

    /// Runs backprop (a training pass, the loss, backward, as
    /// [`Network::gradient`](crate::Network::gradient)) and the
    /// [numerical gradient](Self::numerical_gradient), and compares them parameter by
    /// parameter. Afterwards the network is as `Network::gradient` leaves it: the
    /// same parameters, backprop's gradients beside them.
    ///
    /// # Errors
    /// As [`numerical_gradient`](Self::numerical_gradient).
    ///
    /// ```
    /// use backprop::{Affine, CentralDifference, Error, Matrix, SoftmaxWithLoss};
    /// let mut layer = Affine::<2, 3, f64>::new(Matrix::filled(0.1), Matrix::zeros());
    /// let bad = CentralDifference::default().check(&mut layer, &SoftmaxWithLoss::new(), &Matrix::new([[1.0, 2.0]]), &[3]);
    /// assert_eq!(bad, Err(Error::Label { row: 0, label: 3, classes: 3 }));
    /// ```
    pub fn check<Net, const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &self,
        net: &mut Net,
        loss: &impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<GradientCheck, Error>
    where
        Net: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T> + ?Sized,
    {
        // One workspace for every pass, so that a frozen dropout mask is the same in the
        // numerical gradient and in backprop.
        let mut work = Default::default();
        let numerical = numerical::parameter_gradients(net, loss, x, targets, self.h, &mut work)?;
        let value = backprop(net, loss, x, targets, &mut work, &mut Matrix::zeros())?;
        let max_score = max_abs(Net::output(&work).as_slice());
        let noise = self.noise::<T>(value, max_score);
        let backprop = numerical::stored_gradients(net);
        assert_eq!(
            backprop.len(),
            numerical.len(),
            "gradient check: visit_params yielded a different number of parameters on two visits"
        );
        let params = backprop
            .iter()
            .zip(&numerical)
            .map(|((name, values), n)| {
                assert_eq!(
                    name, &n.name,
                    "gradient check: visit_params yielded parameters in a different order on two visits"
                );
                ParamCheck::compare(values, n, noise)
            })
            .collect();
        Ok(self.report::<T>(noise, params))
    }

    /// Checks `layer.backward`'s input gradient ∂L/∂x against the
    /// [numerical one](Self::input_gradient): a report with one row, `x`. This is how
    /// a layer without parameters is checked on its own.
    ///
    /// # Errors
    /// As [`numerical_gradient`](Self::numerical_gradient).
    ///
    /// ```
    /// use backprop::{CentralDifference, Matrix, Relu, SoftmaxWithLoss};
    /// let x = Matrix::new([[0.5_f64, -1.0, 2.0]]);
    /// let report = CentralDifference::default().check_input(&mut Relu::new(), &SoftmaxWithLoss::new(), &x, &[2])?;
    /// assert_eq!(report.params[0].name, "x");
    /// assert!(report.passes(1e-6));
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn check_input<L, const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &self,
        layer: &mut L,
        loss: &impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<GradientCheck, Error>
    where
        L: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + ?Sized,
    {
        let numerical = self.input_gradient(layer, loss, x, targets)?;
        let mut work = Default::default();
        let mut dscores = Matrix::zeros();
        let scores = layer.forward(x, &mut work);
        let max_score = max_abs(scores.as_slice());
        let noise = self.noise::<T>(loss.backward(scores, targets, &mut dscores)?, max_score);
        let dx = layer.backward(x, &dscores, &mut work);
        let backprop: Vec<f64> = dx.as_slice().iter().map(|v| v.to_f64()).collect();
        let row = ParamCheck::compare(&backprop, &numerical, noise);
        Ok(self.report::<T>(noise, vec![row]))
    }

    /// `η = 4·ε·max(1, |L|, max |score|)/h`: see [`GradientCheck::noise`].
    fn noise<T: Float>(&self, loss: T, max_score: f64) -> f64 {
        let scale = loss.to_f64().abs().max(max_score).max(1.0);
        4.0 * T::EPSILON.to_f64() * scale / self.h
    }

    fn report<T: Float>(&self, noise: f64, params: Vec<ParamCheck>) -> GradientCheck {
        GradientCheck {
            float: T::NAME,
            h: self.h,
            noise,
            params,
        }
    }
}

/// The largest `|v|` (0 for none).
fn max_abs<T: Float>(values: &[T]) -> f64 {
    values.iter().fold(0.0, |m, v| m.max(v.to_f64().abs()))
}

/// The gradient check with the book's `h = 1e-4`:
/// [`CentralDifference::default().check(…)`](CentralDifference::check). Check your
/// own network in three lines:
///
/// ```
/// # use backprop::{Affine, Matrix, Relu, SoftmaxWithLoss, gradient_check};
/// # use rand::{SeedableRng, rngs::StdRng};
/// # let mut rng = StdRng::seed_from_u64(1);
/// # let mut net = (Affine::<6, 4, f64>::random(0.5, &mut rng), Relu::new(), Affine::<4, 3, f64>::random(0.5, &mut rng));
/// # let (x, labels) = (Matrix::<2, 6, f64>::random_normal(1.0, &mut rng), [1, 2]);
/// let report = gradient_check(&mut net, &SoftmaxWithLoss::new(), &x, &labels)?;
/// println!("{report}");
/// assert!(report.passes(1e-6), "worst: {:?}", report.worst());
/// # Ok::<(), backprop::Error>(())
/// ```
///
/// # Errors
/// A bad target, before anything is touched; see
/// [`CentralDifference::numerical_gradient`].
pub fn gradient_check<Net, const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
    net: &mut Net,
    loss: &impl Loss<N, C, T, Y>,
    x: &Matrix<N, I, T>,
    targets: &Y,
) -> Result<GradientCheck, Error>
where
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T> + ?Sized,
{
    CentralDifference::default().check(net, loss, x, targets)
}

/// The numerical gradient of every parameter with the book's `h = 1e-4`:
/// [`CentralDifference::default().numerical_gradient(…)`](CentralDifference::numerical_gradient).
///
/// # Errors
/// A bad target, before anything is touched.
///
/// ```
/// use backprop::{Affine, Matrix, SoftmaxWithLoss, numerical_gradient};
/// let mut net = (Affine::<2, 2, f64>::zeros(),);
/// let grads = numerical_gradient(&mut net, &SoftmaxWithLoss::new(), &Matrix::new([[1.0, 0.0]]), &[0])?;
/// let names: Vec<&str> = grads.iter().map(|g| g.name.as_str()).collect();
/// assert_eq!(names, ["0.w", "0.b"]);
/// assert!((grads[0].values[0] + 0.5).abs() < 1e-9); // x₀·(y₀ − t₀) = 1·(0.5 − 1)
/// assert_eq!(grads[0].values[2], 0.0); // x₁ = 0: the loss does not move at all
/// # Ok::<(), backprop::Error>(())
/// ```
pub fn numerical_gradient<
    Net,
    const N: usize,
    const I: usize,
    const C: usize,
    T: Float,
    Y: ?Sized,
>(
    net: &mut Net,
    loss: &impl Loss<N, C, T, Y>,
    x: &Matrix<N, I, T>,
    targets: &Y,
) -> Result<Vec<NumericalGradient>, Error>
where
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T> + ?Sized,
{
    CentralDifference::default().numerical_gradient(net, loss, x, targets)
}
