//! Dropout (section 6.4.3).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{Cache, Float, Layer, Matrix, Mode, Named, Params};

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
/// Backward after an inference-mode forward pass is refused (it panics): the mode is
/// set by [`Network`](crate::Network)'s methods, and a by-hand backward after
/// `predict` would otherwise go through with no mask.
///
/// ```
/// use backprop::{Dropout, Layer, Matrix};
/// let mut dropout = Dropout::new(0.5, 0);
/// let x = Matrix::<1, 1000, f64>::filled(1.0);
/// let kept = dropout.forward(&x).sum();
/// assert!((400.0..600.0).contains(&kept)); // about half the units pass
/// let dx = dropout.backward(&x, &Matrix::filled(2.0));
/// assert_eq!(dx.sum(), 2.0 * kept); // the gradient passes where the units did
/// ```
#[derive(Debug, Clone)]
pub struct Dropout {
    ratio: f64,
    rng: StdRng,
    mode: Mode,
    frozen: bool,
    cache: Cache,
}

struct Buffers<const N: usize, const C: usize, T> {
    /// 1 where the unit passed, 0 where it was dropped.
    mask: Matrix<N, C, T>,
    out: Matrix<N, C, T>,
    dx: Matrix<N, C, T>,
    /// The mode of the forward pass that filled `out`.
    mode: Mode,
    /// Whether `mask` has been drawn yet.
    drawn: bool,
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
            mode: Mode::Train,
            frozen: false,
            cache: Cache::new(),
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

    /// With `true`, training-mode forward passes reuse the last mask instead of drawing
    /// a new one (for a gradient check); `false` draws afresh again.
    ///
    /// ```
    /// use backprop::{Dropout, Layer, Matrix};
    /// let mut dropout = Dropout::new(0.5, 3);
    /// let x = Matrix::<2, 8, f64>::filled(1.0);
    /// let first = dropout.forward(&x).clone();
    /// dropout.freeze(true);
    /// assert_eq!(dropout.forward(&x), &first);
    /// ```
    pub fn freeze(&mut self, frozen: bool) {
        self.frozen = frozen;
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Dropout {
    type Out = Matrix<N, C, T>;

    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf: &mut Buffers<N, C, T> = self.cache.for_forward(|| Buffers {
            mask: Matrix::zeros(),
            out: Matrix::zeros(),
            dx: Matrix::zeros(),
            mode: Mode::Train,
            drawn: false,
        });
        buf.mode = self.mode;
        match self.mode {
            Mode::Train => {
                if !(self.frozen && buf.drawn) {
                    for m in buf.mask.as_mut_slice() {
                        let u: f64 = self.rng.random();
                        *m = if u > self.ratio { T::ONE } else { T::ZERO };
                    }
                    buf.drawn = true;
                }
                let pairs = x.as_slice().iter().zip(buf.mask.as_slice());
                for (y, (&v, &m)) in buf.out.as_mut_slice().iter_mut().zip(pairs) {
                    *y = v * m;
                }
            }
            Mode::Infer => {
                let keep = T::from_f64(1.0 - self.ratio);
                for (y, &v) in buf.out.as_mut_slice().iter_mut().zip(x.as_slice()) {
                    *y = v * keep;
                }
            }
        }
        &buf.out
    }

    fn output(&self) -> &Matrix<N, C, T> {
        &self.cache.last::<Buffers<N, C, T>>(&"Dropout").out
    }

    /// # Panics
    /// If the last forward pass ran in inference mode.
    fn backward(&mut self, _x: &Matrix<N, C, T>, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf: &mut Buffers<N, C, T> = self.cache.for_backward(&"Dropout");
        assert!(
            buf.mode == Mode::Train,
            "Dropout: backward after a forward pass in inference mode (predict sets it); \
             run the forward pass through Network::loss or Network::gradient"
        );
        let pairs = dout.as_slice().iter().zip(buf.mask.as_slice());
        for (d, (&g, &m)) in buf.dx.as_mut_slice().iter_mut().zip(pairs) {
            *d = g * m;
        }
        &buf.dx
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }
}

impl Named for Dropout {}

/// Dropout has no parameters.
impl<T: Float> Params<T> for Dropout {}
