//! Dropout (section 6.4.3).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{Buffers, Float, Layer, Matrix, Named, Params};

/// Dropout, element-wise, with the book's scaling:
///
/// ```text
/// training:  m = [u > ratio] for u ~ U[0, 1) drawn afresh each forward pass
///            y = x ⊙ m,            ∂L/∂x = ∂L/∂y ⊙ m
/// inference: y = x · (1 − ratio)   (every unit, scaled by the fraction kept in training)
/// ```
///
/// This is the book's form (scale at inference), not "inverted" dropout (scale by
/// `1/(1 − ratio)` in training and leave inference alone). The two give the same
/// expected output; the book's is kept so that the chapter's numbers and figures come
/// out as printed. The mask comes from a seeded RNG the layer owns, so a run is
/// reproducible. [`freeze`](Dropout::freeze) keeps reusing the last mask (a gradient
/// check needs the same function at every evaluation).
///
/// `forward` is the training pass (a fresh mask), `infer` the inference pass (the
/// scaling). The mask lives in the workspace ([`DropoutMask`]); backward after an
/// `infer` is refused (it panics), since there is no mask to route the gradient by.
///
/// ```
/// use backprop::{Dropout, Layer, Matrix};
/// let mut dropout = Dropout::new(0.5, 0);
/// let mut work = Default::default();
/// let x = Matrix::<1, 1000, f64>::filled(1.0);
/// let kept = dropout.forward(&x, &mut work).sum();
/// assert!((400.0..600.0).contains(&kept)); // about half the units pass
/// let dx = dropout.backward(&x, &Matrix::filled(2.0), &mut work);
/// assert_eq!(dx.sum(), 2.0 * kept); // the gradient passes where the units did
/// assert_eq!(dropout.infer(&x, &mut work).sum(), 500.0); // every unit, times 1 − 0.5
/// ```
#[derive(Debug, Clone)]
pub struct Dropout {
    ratio: f64,
    rng: StdRng,
    frozen: bool,
}

/// What [`Dropout`] keeps in its workspace between forward and backward.
#[derive(Debug, Clone, PartialEq)]
pub struct DropoutMask<const N: usize, const C: usize, T = f32> {
    /// 1 where the unit passed, 0 where it was dropped.
    pub mask: Matrix<N, C, T>,
    /// Whether the last pass was a training pass (`forward`), whose mask backward uses.
    pub trained: bool,
    /// Whether `mask` has been drawn yet.
    pub drawn: bool,
}

/// Zeroed, before any pass.
impl<const N: usize, const C: usize, T: Float> Default for DropoutMask<N, C, T> {
    fn default() -> Self {
        Self {
            mask: Matrix::zeros(),
            trained: false,
            drawn: false,
        }
    }
}

impl Dropout {
    /// Dropout of the fraction `ratio` of the units (the book's `dropout_ratio`, 0.15
    /// to 0.5 in its experiments), with masks from an RNG seeded with `seed`.
    ///
    /// # Panics
    /// If `ratio` is not in `[0, 1)`: it is the caller's own constant.
    ///
    /// ```
    /// assert_eq!(backprop::Dropout::new(0.2, 0).ratio(), 0.2);
    /// ```
    pub fn new(ratio: f64, seed: u64) -> Self {
        assert!(
            (0.0..1.0).contains(&ratio),
            "Dropout: the ratio must be in [0, 1), got {ratio}"
        );
        Self {
            ratio,
            rng: StdRng::seed_from_u64(seed),
            frozen: false,
        }
    }

    /// The fraction of units dropped in training.
    ///
    /// ```
    /// assert_eq!(backprop::Dropout::new(0.5, 1).ratio(), 0.5);
    /// ```
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// With `true`, training passes reuse the workspace's last mask instead of drawing
    /// a new one (for a gradient check, which runs every pass through one workspace);
    /// `false` draws afresh again. A workspace that has no mask yet draws one.
    ///
    /// ```
    /// use backprop::{Dropout, Layer, Matrix};
    /// let mut dropout = Dropout::new(0.5, 3);
    /// let mut work = Default::default();
    /// let x = Matrix::<2, 8, f64>::filled(1.0);
    /// let first = dropout.forward(&x, &mut work).clone();
    /// dropout.freeze(true);
    /// assert_eq!(dropout.forward(&x, &mut work), &first);
    /// ```
    pub fn freeze(&mut self, frozen: bool) {
        self.frozen = frozen;
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Dropout {
    type Out = Matrix<N, C, T>;
    type Workspace = Buffers<Matrix<N, C, T>, Matrix<N, C, T>, DropoutMask<N, C, T>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Matrix<N, C, T> {
        &work.out
    }

    /// y = x · (1 − ratio).
    fn infer<'w>(&self, x: &Matrix<N, C, T>, work: &'w mut Self::Workspace) -> &'w Matrix<N, C, T> {
        work.keep.trained = false;
        let keep = T::from_f64(1.0 - self.ratio);
        work.map(x, |v| v * keep)
    }

    /// y = x ⊙ m, with m drawn afresh (unless frozen).
    fn forward<'w>(
        &mut self,
        x: &Matrix<N, C, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, C, T> {
        let keep = &mut work.keep;
        if !(self.frozen && keep.drawn) {
            for m in keep.mask.as_mut_slice() {
                let u: f64 = self.rng.random();
                *m = if u > self.ratio { T::ONE } else { T::ZERO };
            }
            keep.drawn = true;
        }
        keep.trained = true;
        let pairs = x.as_slice().iter().zip(keep.mask.as_slice());
        for (y, (&v, &m)) in work.out.as_mut_slice().iter_mut().zip(pairs) {
            *y = v * m;
        }
        &work.out
    }

    /// ∂L/∂x = ∂L/∂y ⊙ m.
    ///
    /// # Panics
    /// If the last pass was `infer`.
    fn backward<'w>(
        &mut self,
        _x: &Matrix<N, C, T>,
        dout: &Matrix<N, C, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, C, T> {
        assert!(
            work.keep.trained,
            "Dropout: backward after an inference pass (infer, predict) or before any \
             training pass; run the training pass (forward, Network::gradient) first"
        );
        let pairs = dout.as_slice().iter().zip(work.keep.mask.as_slice());
        for (d, (&g, &m)) in work.dx.as_mut_slice().iter_mut().zip(pairs) {
            *d = g * m;
        }
        &work.dx
    }
}

impl Named for Dropout {}

/// Dropout has no parameters.
impl<T: Float> Params<T> for Dropout {}
