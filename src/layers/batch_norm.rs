//! Batch normalization (section 6.3).

use crate::{Buffers, Float, Layer, Matrix, Named, Param, ParamRef, Params, params};

/// Batch normalization over the `N` rows of a batch, feature by feature, with a
/// learned scale `γ` and shift `β`:
///
/// ```text
/// training:  μ = (1/N) Σ_i x_i          σ² = (1/N) Σ_i (x_i − μ)²
///            x̂_i = (x_i − μ) / √(σ² + ε)    y_i = γ ⊙ x̂_i + β
///            running μ ← m·running μ + (1 − m)·μ, and the same for σ² (m = 0.9)
/// inference: x̂ = (x − running μ) / √(running σ² + ε), y = γ ⊙ x̂ + β
///
/// backward (the book's computational graph, Fig. 6-17, node by node):
///   ∂L/∂β = Σ_i ∂L/∂y_i            ∂L/∂γ = Σ_i x̂_i ⊙ ∂L/∂y_i
///   ∂L/∂x̂ = γ ⊙ ∂L/∂y              xc = x − μ,  s = √(σ² + ε)
///   ∂L/∂s = −Σ_i (∂L/∂x̂_i ⊙ xc_i) / s²     ∂L/∂σ² = ½ · ∂L/∂s / s
///   ∂L/∂xc = ∂L/∂x̂ / s + (2/N) · xc ⊙ ∂L/∂σ²
///   ∂L/∂μ = Σ_i ∂L/∂xc_i           ∂L/∂x = ∂L/∂xc − ∂L/∂μ / N
/// ```
///
/// `γ` starts at 1 and `β` at 0, the running statistics at 0 (as the book); `ε =
/// 10⁻⁶` (the book's `10e-7`). The parameters are `gamma` and `beta`; the running
/// statistics are state, not parameters: the optimizer does not move them, the
/// summary counts them apart, and saved weights include them
/// ([`Params::inspect_state`]). `forward` is the training pass, `infer` the inference
/// pass; x̂ and `√(σ² + ε)` live in the workspace ([`BatchNormKeep`]), and backward
/// after an `infer` is refused (it panics).
///
/// ```
/// use backprop::{BatchNorm, Layer, Matrix};
/// let mut bn = BatchNorm::<2, f64>::new();
/// let mut work = Default::default();
/// let x = Matrix::new([[1.0, 10.0], [3.0, 10.0]]);
/// let y = bn.forward(&x, &mut work).clone();
/// // feature 0: μ = 2, σ² = 1 → ±1/√(1 + ε); feature 1: no spread → 0
/// assert!((y[(0, 0)] + 1.0).abs() < 1e-5 && (y[(1, 0)] - 1.0).abs() < 1e-5);
/// assert_eq!(y[(0, 1)], 0.0);
/// assert!((bn.running_mean()[(0, 0)] - 0.2).abs() < 1e-12); // 0.9·0 + 0.1·2
/// ```
#[derive(Debug, Clone)]
pub struct BatchNorm<const C: usize, T = f32> {
    /// The scale `γ`, one per feature.
    pub gamma: Matrix<1, C, T>,
    /// The shift `β`, one per feature.
    pub beta: Matrix<1, C, T>,
    dgamma: Matrix<1, C, T>,
    dbeta: Matrix<1, C, T>,
    running_mean: Matrix<1, C, T>,
    running_var: Matrix<1, C, T>,
    /// `m` in `running ← m·running + (1 − m)·batch` (the book's 0.9).
    pub momentum: f64,
}

/// What [`BatchNorm`] keeps in its workspace between forward and backward.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchNormKeep<const N: usize, const C: usize, T = f32> {
    /// `x − μ`.
    pub xc: Matrix<N, C, T>,
    /// `x̂ = (x − μ)/√(σ² + ε)`.
    pub xn: Matrix<N, C, T>,
    /// `√(σ² + ε)` of the batch (or of the running variance at inference).
    pub std: Matrix<1, C, T>,
    /// Whether the last pass was a training pass (`forward`), whose statistics
    /// backward differentiates.
    pub trained: bool,
}

/// Zeroed, before any pass.
impl<const N: usize, const C: usize, T: Float> Default for BatchNormKeep<N, C, T> {
    fn default() -> Self {
        Self {
            xc: Matrix::zeros(),
            xn: Matrix::zeros(),
            std: Matrix::zeros(),
            trained: false,
        }
    }
}

/// `ε` under the square root (the book's `10e-7`).
const EPS: f64 = 1e-6;

impl<const C: usize, T: Float> Default for BatchNorm<C, T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const C: usize, T: Float> BatchNorm<C, T> {
    /// `γ = 1`, `β = 0`, running statistics 0, momentum 0.9.
    ///
    /// ```
    /// let bn = backprop::BatchNorm::<3>::new();
    /// assert_eq!((bn.gamma.sum(), bn.beta.sum(), bn.momentum), (3.0, 0.0, 0.9));
    /// ```
    pub fn new() -> Self {
        Self {
            gamma: Matrix::filled(T::ONE),
            beta: Matrix::zeros(),
            dgamma: Matrix::zeros(),
            dbeta: Matrix::zeros(),
            running_mean: Matrix::zeros(),
            running_var: Matrix::zeros(),
            momentum: 0.9,
        }
    }

    /// The running mean used at inference.
    ///
    /// ```
    /// assert_eq!(backprop::BatchNorm::<2>::new().running_mean().sum(), 0.0);
    /// ```
    pub fn running_mean(&self) -> &Matrix<1, C, T> {
        &self.running_mean
    }

    /// The running variance used at inference.
    ///
    /// ```
    /// assert_eq!(backprop::BatchNorm::<2>::new().running_var().sum(), 0.0);
    /// ```
    pub fn running_var(&self) -> &Matrix<1, C, T> {
        &self.running_var
    }

    /// ∂L/∂γ from the last backward pass.
    ///
    /// ```
    /// assert_eq!(backprop::BatchNorm::<2>::new().dgamma().sum(), 0.0);
    /// ```
    pub fn dgamma(&self) -> &Matrix<1, C, T> {
        &self.dgamma
    }

    /// ∂L/∂β from the last backward pass.
    ///
    /// ```
    /// assert_eq!(backprop::BatchNorm::<2>::new().dbeta().sum(), 0.0);
    /// ```
    pub fn dbeta(&self) -> &Matrix<1, C, T> {
        &self.dbeta
    }
}

impl<const C: usize, T: Float> BatchNorm<C, T> {
    /// Feature `k` of x̂ and y, for the mean and variance given.
    fn normalize_feature<const N: usize>(
        &self,
        x: &Matrix<N, C, T>,
        work: &mut Buffers<Matrix<N, C, T>, Matrix<N, C, T>, BatchNormKeep<N, C, T>>,
        k: usize,
        (mean, var): (T, T),
    ) {
        let std = (var + T::from_f64(EPS)).sqrt();
        work.keep.std[(0, k)] = std;
        for i in 0..N {
            let xc = x[(i, k)] - mean;
            let xn = xc / std;
            work.keep.xc[(i, k)] = xc;
            work.keep.xn[(i, k)] = xn;
            work.out[(i, k)] = self.gamma[(0, k)] * xn + self.beta[(0, k)];
        }
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for BatchNorm<C, T> {
    type Out = Matrix<N, C, T>;
    type Workspace = Buffers<Matrix<N, C, T>, Matrix<N, C, T>, BatchNormKeep<N, C, T>>;

    fn output(work: &Self::Workspace) -> &Matrix<N, C, T> {
        &work.out
    }

    /// With the running statistics.
    fn infer<'w>(&self, x: &Matrix<N, C, T>, work: &'w mut Self::Workspace) -> &'w Matrix<N, C, T> {
        work.keep.trained = false;
        for k in 0..C {
            let stats = (self.running_mean[(0, k)], self.running_var[(0, k)]);
            self.normalize_feature(x, work, k, stats);
        }
        &work.out
    }

    /// With the batch's statistics, which also move the running ones.
    fn forward<'w>(
        &mut self,
        x: &Matrix<N, C, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, C, T> {
        work.keep.trained = true;
        let inv_n = T::ONE / T::from_f64(N as f64);
        let (m, one_minus_m) = (T::from_f64(self.momentum), T::from_f64(1.0 - self.momentum));
        for k in 0..C {
            let mean = x.rows().map(|r| r[k]).sum::<T>() * inv_n;
            let var = x.rows().map(|r| (r[k] - mean) * (r[k] - mean)).sum::<T>() * inv_n;
            let (rm, rv) = (
                &mut self.running_mean[(0, k)],
                &mut self.running_var[(0, k)],
            );
            *rm = m * *rm + one_minus_m * mean;
            *rv = m * *rv + one_minus_m * var;
            self.normalize_feature(x, work, k, (mean, var));
        }
        &work.out
    }

    /// The book's graph backward (see the type's documentation).
    ///
    /// # Panics
    /// If the last pass was `infer`.
    fn backward<'w>(
        &mut self,
        _x: &Matrix<N, C, T>,
        dout: &Matrix<N, C, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, C, T> {
        let keep = &work.keep;
        assert!(
            keep.trained,
            "BatchNorm<{C}>: backward after an inference pass (infer, predict) or before any \
             training pass; run the training pass (forward, Network::gradient) first"
        );
        let n = T::from_f64(N as f64);
        let two_over_n = T::from_f64(2.0) / n;
        for k in 0..C {
            let (std, gamma) = (keep.std[(0, k)], self.gamma[(0, k)]);
            let (mut dbeta, mut dgamma, mut dstd) = (T::ZERO, T::ZERO, T::ZERO);
            for i in 0..N {
                let g = dout[(i, k)];
                dbeta += g;
                dgamma += keep.xn[(i, k)] * g;
                dstd -= gamma * g * keep.xc[(i, k)] / (std * std);
            }
            let dvar = T::from_f64(0.5) * dstd / std;
            let mut dmu = T::ZERO;
            for i in 0..N {
                let dxc = gamma * dout[(i, k)] / std + two_over_n * keep.xc[(i, k)] * dvar;
                work.dx[(i, k)] = dxc;
                dmu += dxc;
            }
            for i in 0..N {
                work.dx[(i, k)] -= dmu / n;
            }
            self.dbeta[(0, k)] = dbeta;
            self.dgamma[(0, k)] = dgamma;
        }
        &work.dx
    }
}

/// Named `BatchNorm<C>` (the element type is left out).
impl<const C: usize, T> Named for BatchNorm<C, T> {
    fn name(&self) -> String {
        format!("BatchNorm<{C}>")
    }
}

/// Two parameters, `gamma` and `beta`; two vectors of state, `running_mean` and
/// `running_var`.
impl<const C: usize, T: Float> Params<T> for BatchNorm<C, T> {
    params!(T; vector gamma => dgamma, vector beta => dbeta);

    fn visit_state(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
        for (name, values) in [
            (&"running_mean", &mut self.running_mean),
            (&"running_var", &mut self.running_var),
        ] {
            f(Param {
                name,
                values: values.as_mut_slice(),
                grad: &[],
            });
        }
    }

    fn inspect_state(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
        for (name, values) in [
            (&"running_mean", &self.running_mean),
            (&"running_var", &self.running_var),
        ] {
            f(ParamRef {
                name,
                values: values.as_slice(),
                grad: &[],
                shape: &[C],
            });
        }
    }
}
