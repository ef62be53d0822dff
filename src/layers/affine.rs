//! Affine (section 5.6): the fully connected layer.

use rand::Rng;

use super::size_check::flat_width;
use crate::matrix::gemm::{Operand, gemm};
use crate::{Buffers, Float, Images, Layer, Matrix, Named, Params, params};

/// A fully connected layer with `I` inputs and `O` outputs:
///
/// ```text
/// forward:  Y = X·W + b             X: N×I, W: I×O, b: 1×O, Y: N×O
/// backward: ∂L/∂X = ∂L/∂Y · Wᵀ      (N×O)·(O×I) = N×I    matmul_t
///           ∂L/∂W = Xᵀ · ∂L/∂Y      (I×N)·(N×O) = I×O    t_matmul
///           ∂L/∂b = Σ_rows ∂L/∂Y                  1×O    column_sums
/// ```
///
/// Backward is handed `X` again (the caller's batch, or the output the layer to the
/// left left in its workspace), so the layer never copies its input; it stores the
/// parameter gradients in [`dw`](Affine::dw) and [`db`](Affine::db). Its workspace
/// holds `Y` and `∂L/∂X`. Each product's shape is checked by
/// the compiler: written the wrong way round, the backward does not compile.
///
/// ```
/// use backprop::{Affine, Layer, Matrix};
/// let mut affine = Affine::new(Matrix::new([[1.0, 2.0], [3.0, 4.0]]), Matrix::new([[0.5, -0.5]]));
/// let mut work = Default::default();
/// let x = Matrix::new([[1.0, 1.0]]);
/// assert_eq!(affine.forward(&x, &mut work), &Matrix::new([[4.5, 5.5]]));
/// let dx = affine.backward(&x, &Matrix::new([[1.0, 0.0]]), &mut work);
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
    /// The weight decay λ (6.4.2): `½λ·ΣW²` joins the loss and `λW` the gradient `dW`.
    /// 0 by default; the bias is never decayed.
    pub weight_decay: f64,
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
            weight_decay: 0.0,
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

    /// Xavier (Glorot) initialisation, section 6.2: weights from N(0, 1/I), a zero
    /// bias; std = √(1/n) with n = `I` inputs, the book's choice for sigmoid and tanh.
    ///
    /// ```
    /// use backprop::Affine;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let layer = Affine::<400, 100, f64>::xavier(&mut StdRng::seed_from_u64(0));
    /// let w = layer.w.as_slice();
    /// let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
    /// assert!((var - 1.0 / 400.0).abs() < 0.1 / 400.0); // 40,000 draws of N(0, 1/400)
    /// ```
    pub fn xavier<G: Rng + ?Sized>(rng: &mut G) -> Self {
        Self::random((1.0 / I as f64).sqrt(), rng)
    }

    /// He initialisation, section 6.2: weights from N(0, 2/I), a zero bias; std =
    /// √(2/n) with n = `I` inputs, the book's choice for ReLU.
    ///
    /// ```
    /// use backprop::Affine;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let layer = Affine::<400, 100, f64>::he(&mut StdRng::seed_from_u64(0));
    /// let w = layer.w.as_slice();
    /// let var = w.iter().map(|v| v * v).sum::<f64>() / w.len() as f64;
    /// assert!((var - 2.0 / 400.0).abs() < 0.2 / 400.0);
    /// ```
    pub fn he<G: Rng + ?Sized>(rng: &mut G) -> Self {
        Self::random((2.0 / I as f64).sqrt(), rng)
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

impl<const N: usize, const I: usize, const O: usize, T: Float> Layer<Matrix<N, I, T>>
    for Affine<I, O, T>
{
    type Out = Matrix<N, O, T>;
    type Workspace = Buffers<Matrix<N, O, T>, Matrix<N, I, T>>;

    fn output(work: &Self::Workspace) -> &Matrix<N, O, T> {
        &work.out
    }

    /// Y = X·W + b, with b written first and the product accumulated onto it.
    fn infer<'w>(&self, x: &Matrix<N, I, T>, work: &'w mut Self::Workspace) -> &'w Matrix<N, O, T> {
        self.bias_rows(&mut work.out);
        x.matmul_acc(&self.w, &mut work.out);
        &work.out
    }

    /// dW = Xᵀ·dY, db = Σ_rows dY, dX = dY·Wᵀ.
    fn backward<'w>(
        &mut self,
        x: &Matrix<N, I, T>,
        dout: &Matrix<N, O, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, I, T> {
        self.backward_params(x, dout, work);
        dout.matmul_t_into(&self.w, &mut work.dx);
        &work.dx
    }

    /// dW = Xᵀ·dY (+ λW with weight decay), db = Σ_rows dY; no dX.
    fn backward_params(
        &mut self,
        x: &Matrix<N, I, T>,
        dout: &Matrix<N, O, T>,
        _: &mut Self::Workspace,
    ) {
        x.t_matmul_into(dout, &mut self.dw);
        self.bias_and_decay(dout);
    }
}

/// On a batch of images, each image's `C·H·W` values one row of `X`, in place: the
/// book's `Affine` after a convolution, which reshapes its input itself. The same
/// products as on `Matrix<N, I>` (the same bits), with no `Flatten` copying the batch
/// into a matrix on the way in and `∂L/∂X` back into images on the way out; `∂L/∂X` is
/// handed back as images. `I = C·H·W` is checked when the layer is compiled for an
/// input shape (`Affine: C·H·W = 30·12·12 = 4320, the type says 4321`).
///
/// ```
/// use backprop::{Affine, Images, Layer, Matrix};
/// let mut affine = Affine::new(Matrix::new([[1.0], [2.0], [3.0], [4.0]]), Matrix::new([[0.5]]));
/// let x = Images::<1, 1, 2, 2>::from_slice(&[1.0, 0.0, 0.0, 1.0])?;
/// let mut work = Default::default();
/// assert_eq!(affine.forward(&x, &mut work), &Matrix::new([[5.5]])); // 1 + 4 + 0.5
/// let dx = affine.backward(&x, &Matrix::new([[1.0]]), &mut work);
/// assert_eq!(dx.as_slice(), &[1.0, 2.0, 3.0, 4.0]); // dY·Wᵀ, as an image
/// assert_eq!(affine.dw(), &Matrix::new([[1.0], [0.0], [0.0], [1.0]])); // Xᵀ·dY
/// # Ok::<(), backprop::Error>(())
/// ```
// Left out of the help for a network whose widths disagree, which then names the
// matrix the `Affine` takes.
#[diagnostic::do_not_recommend]
impl<
    const N: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const I: usize,
    const O: usize,
    T: Float,
> Layer<Images<N, C, H, W, T>> for Affine<I, O, T>
{
    type Out = Matrix<N, O, T>;
    type Workspace = Buffers<Matrix<N, O, T>, Images<N, C, H, W, T>>;

    fn output(work: &Self::Workspace) -> &Matrix<N, O, T> {
        &work.out
    }

    /// Y = X·W + b, `X` the `N × I` rows of the images.
    fn infer<'w>(
        &self,
        x: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Matrix<N, O, T> {
        const { flat_width("Affine", C, H, W, I) };
        self.bias_rows(&mut work.out);
        let w = Operand::by_rows(self.w.as_slice(), O);
        gemm(
            (N, I, O),
            Operand::by_rows(x.as_slice(), I),
            w,
            work.out.as_mut_slice(),
            true,
        );
        &work.out
    }

    /// dW = Xᵀ·dY, db = Σ_rows dY, dX = dY·Wᵀ (as images).
    fn backward<'w>(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Matrix<N, O, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        self.backward_params(x, dout, work);
        let w_t = Operand::by_rows(self.w.as_slice(), O).t();
        let dy = Operand::by_rows(dout.as_slice(), O);
        gemm((N, O, I), dy, w_t, work.dx.as_mut_slice(), false);
        &work.dx
    }

    /// dW = Xᵀ·dY (+ λW with weight decay), db = Σ_rows dY; no dX.
    fn backward_params(
        &mut self,
        x: &Images<N, C, H, W, T>,
        dout: &Matrix<N, O, T>,
        _: &mut Self::Workspace,
    ) {
        let x_t = Operand::by_rows(x.as_slice(), I).t();
        let dy = Operand::by_rows(dout.as_slice(), O);
        gemm((I, N, O), x_t, dy, self.dw.as_mut_slice(), false);
        self.bias_and_decay(dout);
    }
}

/// What both inputs' passes share.
impl<const I: usize, const O: usize, T: Float> Affine<I, O, T> {
    /// `b` in every row of `y`, for `X·W` to be added to.
    fn bias_rows<const N: usize>(&self, y: &mut Matrix<N, O, T>) {
        for row in y.rows_mut() {
            row.copy_from_slice(self.b.as_slice());
        }
    }

    /// db = Σ_rows dY, and dW += λW with weight decay, once `dW = Xᵀ·dY` is in.
    fn bias_and_decay<const N: usize>(&mut self, dout: &Matrix<N, O, T>) {
        dout.column_sums_into(&mut self.db);
        if self.weight_decay != 0.0 {
            // dW += λW, the gradient of the penalty ½λ·ΣW².
            self.dw.scaled_add(T::from_f64(self.weight_decay), &self.w);
        }
    }
}

/// Named `Affine<I, O>` (the element type is left out).
impl<const I: usize, const O: usize, T> Named for Affine<I, O, T> {
    fn name(&self) -> String {
        format!("Affine<{I}, {O}>")
    }
}

/// Two parameters: `w` (with `dw`) and `b` (with `db`); weight decay on `w`.
impl<const I: usize, const O: usize, T: Float> Params<T> for Affine<I, O, T> {
    params!(T; matrix w => dw, vector b => db);

    fn set_weight_decay(&mut self, lambda: f64) {
        self.weight_decay = lambda;
    }

    /// `½λ·ΣW²` over the weights.
    fn penalty(&self) -> f64 {
        if self.weight_decay == 0.0 {
            return 0.0;
        }
        let squares: f64 = self
            .w
            .as_slice()
            .iter()
            .map(|w| w.to_f64() * w.to_f64())
            .sum();
        0.5 * self.weight_decay * squares
    }
}
