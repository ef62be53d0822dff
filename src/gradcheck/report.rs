//! The report of a gradient check: one row a parameter, printed as a table, and the
//! relative error it is judged by.

use std::fmt;

use super::NumericalGradient;

/// The relative error of backprop's `a` against the numerical `b`, net of the
/// numerical gradient's rounding noise `η` ([`GradientCheck::noise`]):
///
/// ```text
/// rel(a, b) = max(|a − b| − η, 0) / (|a| + |b|)        (0 when |a − b| ≤ η)
/// ```
///
/// A plain `|a − b| / (|a| + |b|)` turns rounding noise into large ratios on elements
/// whose gradients are themselves small: on the book's MNIST net in `f64`, an element
/// of size 6e-8 off by 2.7e-12 (about `ε·|L|/h`) gives 2.3e-5, and a fixed floor under
/// the denominator only moves the problem. Subtracting `η` first makes `rel` the
/// smallest `tol` with `|a − b| ≤ η + tol·(|a| + |b|)`, the test [`GradientCheck::passes`]
/// applies. It lies in `[0, 1)`: near 1 for opposite signs or a zero against a
/// gradient well above `η`. It is NaN when either is NaN, so a NaN fails every
/// tolerance.
///
/// ```
/// use backprop::gradcheck::relative_error;
/// assert_eq!(relative_error(0.0, 0.0, 0.0), 0.0);
/// assert_eq!(relative_error(1e-8, 1e-8 + 1e-12, 2e-11), 0.0); // within the noise
/// assert!((relative_error(1.0, 1.000001, 0.0) - 5e-7).abs() < 1e-12);
/// assert!(relative_error(1.0, -1.0, 2e-11) > 0.999_999); // a sign error
/// assert!(relative_error(f64::NAN, 1.0, 0.0).is_nan());
/// ```
pub fn relative_error(a: f64, b: f64, noise: f64) -> f64 {
    let excess = (a - b).abs() - noise;
    if excess.is_nan() {
        f64::NAN
    } else if excess <= 0.0 {
        0.0
    } else {
        excess / (a.abs() + b.abs())
    }
}

/// How backprop's gradient of one parameter compares with the numerical one.
///
/// ```
/// use backprop::{Affine, Matrix, SoftmaxWithLoss, gradient_check};
/// let mut layer = Affine::<2, 3, f64>::new(Matrix::filled(0.5), Matrix::zeros());
/// let report = gradient_check(&mut layer, &mut SoftmaxWithLoss::new(), &Matrix::new([[1.0, 2.0]]), &[1])?;
/// let w = &report.params[0];
/// assert_eq!((w.name.as_str(), w.len, w.above_noise), ("w", 6, 6));
/// assert!(w.mean_abs_diff < 1e-9 && w.max_rel_err < 1e-6);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ParamCheck {
    /// The parameter's name (`0.w`, `2.b`, ..., or `x` for an input check).
    pub name: String,
    /// Its number of elements.
    pub len: usize,
    /// How many elements have `|a| + |b| > η`: the ones whose gradient the check can
    /// tell from rounding noise. An error in the others cannot be seen.
    pub above_noise: usize,
    /// The book's figure: `(1/n) Σ_k |backprop_k − numerical_k|`.
    pub mean_abs_diff: f64,
    /// The largest [`relative_error`] over the elements.
    pub max_rel_err: f64,
    /// The row-major index of the element with that error; among equal errors (all 0
    /// when every difference is within the noise), the one with the largest
    /// `|backprop − numerical|`.
    pub worst_index: usize,
    /// Backprop's gradient at that element.
    pub backprop: f64,
    /// The numerical gradient at that element.
    pub numerical: f64,
}

impl ParamCheck {
    /// Compares backprop's gradient with the numerical one, element by element, net of
    /// the rounding noise `noise` (η).
    ///
    /// # Panics
    /// If the two differ in length: they must describe the same parameter.
    ///
    /// ```
    /// use backprop::gradcheck::{NumericalGradient, ParamCheck};
    /// let numerical = NumericalGradient { name: "w".into(), values: vec![1.0, 2.0, 1e-13] };
    /// let check = ParamCheck::compare(&[1.0, -2.0, 0.0], &numerical, 1e-11);
    /// assert_eq!((check.worst_index, check.backprop, check.above_noise), (1, -2.0, 2));
    /// assert!(check.max_rel_err > 0.99); // a sign error
    /// ```
    pub fn compare(backprop: &[f64], numerical: &NumericalGradient, noise: f64) -> Self {
        assert_eq!(
            backprop.len(),
            numerical.values.len(),
            "gradient check: backprop and numerical gradients of {} differ in length",
            numerical.name
        );
        let (mut sum, mut above_noise) = (0.0, 0);
        let (mut max_rel_err, mut worst_diff, mut worst_index) = (0.0_f64, 0.0, 0);
        for (k, (&a, &b)) in backprop.iter().zip(&numerical.values).enumerate() {
            let diff = (a - b).abs();
            sum += diff;
            above_noise += usize::from(a.abs() + b.abs() > noise);
            let rel = relative_error(a, b, noise);
            // A NaN is the worst there is, and stays the worst; among equal relative
            // errors (all 0 when every difference is noise) the largest difference.
            let worse = !max_rel_err.is_nan()
                && (rel.is_nan() || rel > max_rel_err || (rel == max_rel_err && diff > worst_diff));
            if worse {
                (max_rel_err, worst_diff, worst_index) = (rel, diff, k);
            }
        }
        let len = backprop.len();
        Self {
            name: numerical.name.clone(),
            len,
            above_noise,
            mean_abs_diff: if len == 0 { 0.0 } else { sum / len as f64 },
            max_rel_err,
            worst_index,
            backprop: backprop.get(worst_index).copied().unwrap_or(0.0),
            numerical: numerical.values.get(worst_index).copied().unwrap_or(0.0),
        }
    }
}

/// The result of a gradient check: one [`ParamCheck`] a parameter, in visiting order.
///
/// Printed, it is an aligned table (here the book's MNIST net in f64, from
/// `examples/gradient_check.rs`):
///
/// ```text
/// gradient check, f64, h = 1e-4, rounding noise η = 2.05e-11, rel err = max(|a − b| − η, 0) / (|a| + |b|)
/// parameter  elements  above η  mean |diff|  max rel err  worst at      backprop     numerical
/// 0.w           39200     8757     2.35e-13       0.00e0     12158  -1.521465e-3  -1.521465e-3
/// 0.b              50       39     1.20e-12       0.00e0        15  -1.097456e-3  -1.097456e-3
/// 2.w             500      390     8.39e-13       0.00e0       252   2.132669e-2   2.132669e-2
/// 2.b              10       10     1.21e-10     5.15e-10         9   1.003210e-1   1.003210e-1
/// ```
///
/// ```
/// use backprop::{Affine, Matrix, Relu, SoftmaxWithLoss, gradient_check};
/// let mut net = (Affine::<2, 3, f64>::new(Matrix::filled(0.5), Matrix::zeros()), Relu::new());
/// let report = gradient_check(&mut net, &mut SoftmaxWithLoss::new(), &Matrix::new([[1.0, 2.0]]), &[1])?;
/// assert!(report.passes(1e-6));
/// assert!(report.to_string().lines().nth(2).unwrap().starts_with("0.w"));
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GradientCheck {
    /// The element type of the network, `"f32"` or `"f64"`.
    pub float: &'static str,
    /// The central-difference step `h`.
    pub h: f64,
    /// The rounding noise of a numerical gradient, `η = 4·ε·max(1, |L|, max |score|)/h`
    /// with `ε` the machine epsilon of the element type: each loss is rounded by about
    /// `ε` times the largest number that goes into it, and the difference quotient
    /// divides that by `2h`. (Measured on the book's MNIST net in `f64`, differences
    /// from rounding reach about `1.0·ε·|L|/h`; the factor 4 is the margin.)
    /// Differences below `η` say nothing about the backward.
    pub noise: f64,
    /// One row a parameter.
    pub params: Vec<ParamCheck>,
}

impl GradientCheck {
    /// Whether every element of every parameter satisfies
    /// `|a − b| ≤ η + tol·(|a| + |b|)`, i.e. every [`max_rel_err`](ParamCheck) is at
    /// most `tol` (and there is at least one parameter: a check of nothing proves
    /// nothing).
    ///
    /// In `f64` with `h = 1e-4`, a correct backward typically stays below 1e-7 (the
    /// truncation error `(h²/6)·f‴`, which `η` does not cover, is what remains); a
    /// wrong one gives errors near 1. `1e-6` is a tight and safe tolerance.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, SoftmaxWithLoss, gradient_check};
    /// let mut layer = Affine::<2, 2, f64>::new(Matrix::filled(0.3), Matrix::zeros());
    /// let report = gradient_check(&mut layer, &mut SoftmaxWithLoss::new(), &Matrix::new([[1.0, -1.0]]), &[0])?;
    /// assert!(report.passes(1e-6));
    /// assert!(!report.passes(-1.0)); // no error is below a negative tolerance
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn passes(&self, tol: f64) -> bool {
        !self.params.is_empty() && self.params.iter().all(|p| p.max_rel_err <= tol)
    }

    /// The parameter with the largest relative error (a NaN counts as the largest; the
    /// first of equals), or `None` if nothing was checked.
    ///
    /// ```
    /// use backprop::gradcheck::{GradientCheck, NumericalGradient, ParamCheck};
    /// let row = |name: &str, b: f64| {
    ///     ParamCheck::compare(&[1.0], &NumericalGradient { name: name.into(), values: vec![b] }, 0.0)
    /// };
    /// let report = GradientCheck { float: "f64", h: 1e-4, noise: 0.0, params: vec![row("0.w", 1.0), row("1.w", -1.0)] };
    /// assert_eq!(report.worst().unwrap().name, "1.w");
    /// ```
    pub fn worst(&self) -> Option<&ParamCheck> {
        self.params.iter().reduce(|worst, p| {
            let worse = !worst.max_rel_err.is_nan()
                && (p.max_rel_err.is_nan() || p.max_rel_err > worst.max_rel_err);
            if worse { p } else { worst }
        })
    }

    /// The book's figure for the whole network: the largest per-parameter mean
    /// `|backprop − numerical|` (NaN if any is NaN; 0 if nothing was checked).
    ///
    /// ```
    /// use backprop::{Affine, Matrix, SoftmaxWithLoss, gradient_check};
    /// let mut layer = Affine::<3, 2, f64>::new(Matrix::filled(0.1), Matrix::zeros());
    /// let report = gradient_check(&mut layer, &mut SoftmaxWithLoss::new(), &Matrix::new([[1.0, 0.5, 0.25]]), &[1])?;
    /// assert!(report.max_mean_abs_diff() < 1e-9);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn max_mean_abs_diff(&self) -> f64 {
        self.params.iter().fold(0.0, |m, p| {
            if m.is_nan() || p.mean_abs_diff.is_nan() {
                f64::NAN
            } else {
                m.max(p.mean_abs_diff)
            }
        })
    }
}

impl fmt::Display for GradientCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "gradient check, {}, h = {:e}, rounding noise η = {:.2e}, \
             rel err = max(|a − b| − η, 0) / (|a| + |b|)",
            self.float, self.h, self.noise
        )?;
        const HEADER: [&str; 8] = [
            "parameter",
            "elements",
            "above η",
            "mean |diff|",
            "max rel err",
            "worst at",
            "backprop",
            "numerical",
        ];
        let rows: Vec<[String; 8]> = self
            .params
            .iter()
            .map(|p| {
                [
                    p.name.clone(),
                    p.len.to_string(),
                    p.above_noise.to_string(),
                    format!("{:.2e}", p.mean_abs_diff),
                    format!("{:.2e}", p.max_rel_err),
                    p.worst_index.to_string(),
                    format!("{:.6e}", p.backprop),
                    format!("{:.6e}", p.numerical),
                ]
            })
            .collect();
        let mut widths = HEADER.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        // The name is left-aligned, the numbers right-aligned.
        let line = |f: &mut fmt::Formatter<'_>, cells: [&str; 8]| {
            write!(f, "{:<w$}", cells[0], w = widths[0])?;
            for (cell, &w) in cells.iter().zip(&widths).skip(1) {
                write!(f, "  {cell:>w$}")?;
            }
            writeln!(f)
        };
        line(f, HEADER)?;
        for row in &rows {
            line(f, row.each_ref().map(String::as_str))?;
        }
        Ok(())
    }
}
