//! Sigmoid (section 5.5).

use crate::cache::Cache;
use crate::summary::SummaryRow;
use crate::{Float, Layer, Matrix, Param, Params};

/// The logistic sigmoid, element-wise:
///
/// ```text
/// forward:  y = 1 / (1 + exp(−x))
/// backward: ∂L/∂x = ∂L/∂y · y · (1 − y)
/// ```
///
/// Forward keeps `y`, which is all backward needs.
///
/// ```
/// use backprop::{Layer, Matrix, Sigmoid};
/// let mut sigmoid = Sigmoid::new();
/// let y = sigmoid.forward(&Matrix::new([[0.0_f64]]));
/// assert_eq!(y[(0, 0)], 0.5);
/// let dx = sigmoid.backward(&Matrix::new([[1.0]]));
/// assert_eq!(dx[(0, 0)], 0.25); // 0.5 · (1 − 0.5)
/// ```
#[derive(Debug, Clone, Default)]
pub struct Sigmoid {
    cache: Cache,
}

impl Sigmoid {
    /// A sigmoid layer (it has no parameters).
    ///
    /// ```
    /// let sigmoid = backprop::Sigmoid::new();
    /// # let _ = sigmoid;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

struct Buffers<const N: usize, const C: usize, T> {
    out: Matrix<N, C, T>,
    dx: Matrix<N, C, T>,
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Sigmoid {
    type Out = Matrix<N, C, T>;

    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf = self.cache.for_forward(|| Buffers {
            out: Matrix::zeros(),
            dx: Matrix::zeros(),
        });
        for (y, &v) in buf.out.as_mut_slice().iter_mut().zip(x.as_slice()) {
            *y = T::ONE / (T::ONE + (-v).exp());
        }
        &buf.out
    }

    fn backward(&mut self, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf: &mut Buffers<N, C, T> = self.cache.for_backward(&"Sigmoid");
        let ys = buf.out.as_slice();
        for ((d, &y), &g) in buf
            .dx
            .as_mut_slice()
            .iter_mut()
            .zip(ys)
            .zip(dout.as_slice())
        {
            *d = g * y * (T::ONE - y);
        }
        &buf.dx
    }

    fn summarize(&self, rows: &mut Vec<SummaryRow>) {
        rows.push(SummaryRow {
            layer: "Sigmoid".into(),
            output: (N, C),
            params: 0,
        });
    }
}

/// Sigmoid has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Sigmoid {
    fn visit_params(&mut self, _f: &mut dyn FnMut(Param<'_, T>)) {}
}
