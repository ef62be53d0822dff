//! ReLU (section 5.5).

use crate::cache::Cache;
use crate::summary::SummaryRow;
use crate::{Float, Layer, Matrix, Param, Params};

/// The rectified linear unit, element-wise:
///
/// ```text
/// forward:  y = x if x > 0, else 0
/// backward: ∂L/∂x = ∂L/∂y if x > 0, else 0
/// ```
///
/// Forward keeps the mask of the elements where `x ≤ 0` (as the book does); backward
/// writes the zeroed gradient into a buffer of its own and leaves the caller's
/// gradient untouched.
///
/// ```
/// use backprop::{Layer, Matrix, Relu};
/// let mut relu = Relu::new();
/// let x = Matrix::new([[1.0, -0.5], [-2.0, 3.0]]);
/// assert_eq!(relu.forward(&x), &Matrix::new([[1.0, 0.0], [0.0, 3.0]]));
/// let dout = Matrix::new([[10.0, 10.0], [10.0, 10.0]]);
/// assert_eq!(relu.backward(&dout), &Matrix::new([[10.0, 0.0], [0.0, 10.0]]));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Relu {
    cache: Cache,
}

impl Relu {
    /// A ReLU layer (it has no parameters).
    ///
    /// ```
    /// let relu = backprop::Relu::new();
    /// # let _ = relu;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

struct Buffers<const N: usize, const C: usize, T> {
    mask: Box<[bool]>,
    out: Matrix<N, C, T>,
    dx: Matrix<N, C, T>,
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Relu {
    type Out = Matrix<N, C, T>;

    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf = self.cache.for_forward(|| Buffers {
            mask: vec![false; N * C].into_boxed_slice(),
            out: Matrix::zeros(),
            dx: Matrix::zeros(),
        });
        let out = buf.out.as_mut_slice();
        for ((o, m), &v) in out.iter_mut().zip(buf.mask.iter_mut()).zip(x.as_slice()) {
            *m = v <= T::ZERO;
            *o = if *m { T::ZERO } else { v };
        }
        &buf.out
    }

    fn backward(&mut self, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf: &mut Buffers<N, C, T> = self.cache.for_backward(&"Relu");
        let dx = buf.dx.as_mut_slice();
        for ((d, &m), &g) in dx.iter_mut().zip(buf.mask.iter()).zip(dout.as_slice()) {
            *d = if m { T::ZERO } else { g };
        }
        &buf.dx
    }

    fn summarize(&self, rows: &mut Vec<SummaryRow>) {
        rows.push(SummaryRow {
            layer: "Relu".into(),
            output: (N, C),
            params: 0,
        });
    }
}

/// ReLU has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Relu {
    fn visit_params(&mut self, _f: &mut dyn FnMut(Param<'_, T>)) {}
}
