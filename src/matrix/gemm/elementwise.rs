//! The element-wise passes of a training step (the SGD and Adam updates, a bias
//! gradient, ReLU both ways), compiled in each build of [`super::run_on`] like the
//! products and run on the path this process chose, so that on an AVX-512 CPU they
//! move 512-bit vectors instead of the baseline's 128-bit ones.
//!
//! Each is additions, multiplications, divisions, square roots and comparisons one
//! element at a time, each rounded once (the compiler never fuses a multiply and an
//! add): every build gives the same bits.

use super::Job;
use crate::Float;

/// One element-wise pass over slices of `T`.
pub(crate) enum Elementwise<'a, T> {
    /// `y += a·x` (the SGD update, `W ← W − η·∂L/∂W` with `a = −η`).
    Axpy { a: T, x: &'a [T], y: &'a mut [T] },
    /// `acc += Σ_rows row`, over the rows of `width` in `rows` (a bias gradient).
    AddRows {
        rows: &'a [T],
        width: usize,
        acc: &'a mut [T],
    },
    /// `y = x if x > 0, else 0` (ReLU's forward pass).
    Relu { x: &'a [T], y: &'a mut [T] },
    /// `dx = dy where x > 0, else 0` (ReLU's backward pass).
    ReluGrad {
        x: &'a [T],
        dy: &'a [T],
        dx: &'a mut [T],
    },
    /// One Adam update of the weights `w` with gradient `g` and moments `m`, `v`:
    /// `m += (1 − β₁)(g − m)`, `v += (1 − β₂)(g² − v)`, `w −= lr_t · m / (√v + ε)`,
    /// with `keep = (1 − β₁, 1 − β₂)`.
    Adam {
        lr_t: T,
        eps: T,
        keep: (T, T),
        w: &'a mut [T],
        g: &'a [T],
        m: &'a mut [T],
        v: &'a mut [T],
    },
}

impl<T: Float> Elementwise<'_, T> {
    /// Runs the pass in the build of the path this process runs.
    pub(crate) fn run(self) {
        on_selected_path!("elementwise", _TILE => self);
    }
}

impl<T: Float> Job for Elementwise<'_, T> {
    type Out = ();
    #[inline(always)]
    fn run<const P: u8>(self) {
        match self {
            Elementwise::Axpy { a, x, y } => {
                for (y, &x) in y.iter_mut().zip(x) {
                    *y += a * x;
                }
            }
            Elementwise::AddRows { rows, width, acc } => {
                for row in rows.chunks_exact(width) {
                    for (a, &v) in acc.iter_mut().zip(row) {
                        *a += v;
                    }
                }
            }
            Elementwise::Relu { x, y } => {
                for (y, &x) in y.iter_mut().zip(x) {
                    *y = if x > T::ZERO { x } else { T::ZERO };
                }
            }
            Elementwise::ReluGrad { x, dy, dx } => {
                for ((d, &x), &g) in dx.iter_mut().zip(x).zip(dy) {
                    *d = if x > T::ZERO { g } else { T::ZERO };
                }
            }
            Elementwise::Adam {
                lr_t,
                eps,
                keep: (keep1, keep2),
                w,
                g,
                m,
                v,
            } => {
                for (((w, &g), m), v) in w.iter_mut().zip(g).zip(m).zip(v) {
                    *m += keep1 * (g - *m);
                    *v += keep2 * (g * g - *v);
                    *w -= lr_t * *m / (v.sqrt() + eps);
                }
            }
        }
    }
}
