//! Affine (section 5.6): the fully connected layer.

use rand::Rng;

use crate::cache::Cache;
use crate::summary::SummaryRow;
use crate::{Float, Layer, Matrix, Param, Params};

/// A fully connected layer with `I` inputs and `O` outputs:
///
/// ```text
/// forward:  Y = X·W + b             X: N×I, W: I×O, b: 1×O, Y: N×O
/// backward: ∂L/∂X = ∂L/∂Y · Wᵀ      (N×O)·(O×I) = N×I    matmul_t
///           ∂L/∂W = Xᵀ · ∂L/∂Y      (I×N)·(N×O) = I×O    t_matmul
///           ∂L/∂b = Σ_rows ∂L/∂Y                  1×O    column_sums
/// ```
///
/// Forward keeps a copy of `X` (backward needs it for ∂L/∂W; `forward_borrowed` does
/// not, and `backward_params_borrowed` is given `X` again); backward stores the
/// parameter gradients in [`dw`](Affine::dw) and [`db`](Affine::db). Each product's
/// shape is checked by the compiler: written the wrong way round, the backward does
/// not compile.
///
/// ```
/// use backprop::{Affine, Layer, Matrix};
/// let mut affine = Affine::new(Matrix::new([[1.0, 2.0], [3.0, 4.0]]), Matrix::new([[0.5, -0.5]]));
/// let x = Matrix::new([[1.0, 1.0]]);
/// assert_eq!(affine.forward(&x), &Matrix::new([[4.5, 5.5]]));
/// let dx = affine.backward(&Matrix::new([[1.0, 0.0]]));
/// assert_eq!(dx, &Matrix::new([[1.0, 3.0]])); // dY·Wᵀ
/// assert_eq!(affine.dw(), &Matrix::new([[1.0, 0.0], [1.0, 0.0]])); // Xᵀ·dY
/// assert_eq!(affine.db(), &Matrix::new([[1.0, 0.0]]));
/// ```
#[derive(Debug, Clone)]
pub struct Affine<const I: usize, const O: usize, T = f32> {
    /// The weights `W`, `I × O`.
    pub w: Matrix<I, O, T>,
    /// The bias `b`, one row of `O`.
    pub b: Matrix<1, O, T>,
    dw: Matrix<I, O, T>,
    db: Matrix<1, O, T>,
    cache: Cache,
}

struct Buffers<const N: usize, const I: usize, const O: usize, T> {
    x: Matrix<N, I, T>,
    /// Whether `x` holds the last forward's input (not after `forward_borrowed`).
    x_kept: bool,
    out: Matrix<N, O, T>,
    dx: Matrix<N, I, T>,
}

impl<const I: usize, const O: usize, T: Float> Affine<I, O, T> {
    /// A layer with the given weights and bias.
    ///
    /// ```
    /// use backprop::{Affine, Matrix};
    /// let layer = Affine::new(Matrix::<3, 2>::zeros(), Matrix::new([[1.0, 2.0]]));
    /// assert_eq!(layer.b[(0, 1)], 2.0);
    /// ```
    pub fn new(w: Matrix<I, O, T>, b: Matrix<1, O, T>) -> Self {
        Self {
            w,
            b,
            dw: Matrix::zeros(),
            db: Matrix::zeros(),
            cache: Cache::default(),
        }
    }

    /// A layer with weights drawn from N(0, std²) and a zero bias: the book uses
    /// `std = 0.01` (`weight_init_std`).
    ///
    /// ```
    /// use backprop::Affine;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let layer = Affine::<784, 50>::random(0.01, &mut StdRng::seed_from_u64(0));
    /// assert!(layer.w.as_slice().iter().all(|w| w.abs() < 0.1));
    /// assert_eq!(layer.b.sum(), 0.0);
    /// ```
    pub fn random<G: Rng + ?Sized>(std: f64, rng: &mut G) -> Self {
        Self::new(Matrix::random_normal(std, rng), Matrix::zeros())
    }

    /// A layer whose weights and bias are all zero.
    ///
    /// ```
    /// let layer = backprop::Affine::<2, 2>::zeros();
    /// assert_eq!(layer.w.sum(), 0.0);
    /// ```
    pub fn zeros() -> Self {
        Self::new(Matrix::zeros(), Matrix::zeros())
    }

    /// ∂L/∂W from the last backward pass (zeros before the first).
    ///
    /// ```
    /// let layer = backprop::Affine::<2, 3>::zeros();
    /// assert_eq!(layer.dw().as_slice().len(), 6);
    /// ```
    pub fn dw(&self) -> &Matrix<I, O, T> {
        &self.dw
    }

    /// ∂L/∂b from the last backward pass (zeros before the first).
    ///
    /// ```
    /// let layer = backprop::Affine::<2, 3>::zeros();
    /// assert_eq!(layer.db().as_slice().len(), 3);
    /// ```
    pub fn db(&self) -> &Matrix<1, O, T> {
        &self.db
    }
}

/// The parameter half of backward, shared by the three backward methods:
/// dW = Xᵀ·dY and db = Σ_rows dY, with `X` the kept copy unless the caller lends it.
/// Returns the buffers, where `backward` puts dX.
fn param_grads<'a, const N: usize, const I: usize, const O: usize, T: Float>(
    cache: &'a mut Cache,
    dw: &mut Matrix<I, O, T>,
    db: &mut Matrix<1, O, T>,
    lent: Option<&Matrix<N, I, T>>,
    dout: &Matrix<N, O, T>,
) -> &'a mut Buffers<N, I, O, T> {
    let buf: &mut Buffers<N, I, O, T> = cache.for_backward(&format_args!("Affine<{}, {}>", I, O));
    let x = lent.unwrap_or_else(|| {
        assert!(
            buf.x_kept,
            "Affine<{I}, {O}>: backward after forward_borrowed, which kept no copy of the \
             input; call backward_params_borrowed with that input instead"
        );
        &buf.x
    });
    x.t_matmul_into(dout, dw);
    dout.column_sums_into(db);
    buf
}

impl<const I: usize, const O: usize, T: Float> Affine<I, O, T> {
    /// Y = X·W + b into the layer's output buffer; keeps a copy of `X` when `keep`.
    fn forward_into<const N: usize>(
        &mut self,
        x: &Matrix<N, I, T>,
        keep: bool,
    ) -> &Matrix<N, O, T> {
        let buf = self.cache.for_forward(|| Buffers {
            x: Matrix::zeros(),
            x_kept: false,
            out: Matrix::zeros(),
            dx: Matrix::zeros(),
        });
        if keep {
            buf.x.clone_from(x);
        }
        buf.x_kept = keep;
        // Y = X·W + b, with b written first and the product accumulated onto it.
        for row in buf.out.rows_mut() {
            row.copy_from_slice(self.b.as_slice());
        }
        x.matmul_acc(&self.w, &mut buf.out);
        &buf.out
    }
}

impl<const N: usize, const I: usize, const O: usize, T: Float> Layer<Matrix<N, I, T>>
    for Affine<I, O, T>
{
    type Out = Matrix<N, O, T>;

    fn forward(&mut self, x: &Matrix<N, I, T>) -> &Matrix<N, O, T> {
        self.forward_into(x, true)
    }

    fn backward(&mut self, dout: &Matrix<N, O, T>) -> &Matrix<N, I, T> {
        let buf = param_grads(&mut self.cache, &mut self.dw, &mut self.db, None, dout);
        dout.matmul_t_into(&self.w, &mut buf.dx);
        &buf.dx
    }

    fn backward_params(&mut self, dout: &Matrix<N, O, T>) {
        param_grads(&mut self.cache, &mut self.dw, &mut self.db, None, dout);
    }

    fn forward_borrowed(&mut self, x: &Matrix<N, I, T>) -> &Matrix<N, O, T> {
        self.forward_into(x, false)
    }

    fn backward_params_borrowed(&mut self, x: &Matrix<N, I, T>, dout: &Matrix<N, O, T>) {
        param_grads(&mut self.cache, &mut self.dw, &mut self.db, Some(x), dout);
    }

    fn summarize(&self, rows: &mut Vec<SummaryRow>) {
        rows.push(SummaryRow {
            layer: format!("Affine<{I}, {O}>"),
            output: (N, O),
            params: I * O + O,
        });
    }
}

/// Two parameters: `w` (with `dw`) and `b` (with `db`).
impl<const I: usize, const O: usize, T: Float> Params<T> for Affine<I, O, T> {
    fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
        f(Param {
            name: &"w",
            values: self.w.as_mut_slice(),
            grad: self.dw.as_slice(),
        });
        f(Param {
            name: &"b",
            values: self.b.as_mut_slice(),
            grad: self.db.as_slice(),
        });
    }
}
