//! Matrix products, named after the rule they implement:
//!
//! | method | computes | shapes | used for |
//! |---|---|---|---|
//! | [`matmul`](Matrix::matmul) | A·B | (R×K)·(K×C) → R×C | forward `Y = X·W` |
//! | [`matmul_t`](Matrix::matmul_t) | A·Bᵀ | (R×K)·(C×K)ᵀ → R×C | `dX = dY·Wᵀ` |
//! | [`t_matmul`](Matrix::t_matmul) | Aᵀ·B | (K×R)ᵀ·(K×C) → R×C | `dW = Xᵀ·dY` |
//!
//! All three read their operands through strides in one GEMM kernel; none builds a
//! transposed copy. The `_into` forms write into a buffer the caller owns and reuses.

use super::Matrix;
use super::gemm::{Operand, gemm};
use crate::Float;

/// A right-hand factor with `K` rows: what `A·B` needs when `A` has `K` columns, and
/// what `Aᵀ·B` needs when `A` has `K` rows. Only [`Matrix<K, C, T>`] is one; the trait
/// exists so that a mismatch is explained in words.
///
/// ```
/// use backprop::{HasRows, Matrix};
/// fn rows<const K: usize, const C: usize>(b: &impl HasRows<K, C, f32>) -> usize {
///     b.matrix().as_slice().len() / C
/// }
/// assert_eq!(rows(&Matrix::<3, 2>::zeros()), 3);
/// ```
#[diagnostic::on_unimplemented(
    message = "the right-hand matrix `{Self}` must have {K} rows",
    label = "this matrix needs {K} rows",
    note = "A·B pairs each column of A with a row of B: (R×K)·(K×C) gives R×C, so B needs as many rows as A has columns",
    note = "Aᵀ·B (`t_matmul`, as in dW = Xᵀ·dY) pairs rows with rows: (K×R)ᵀ·(K×C) gives R×C; A·Bᵀ (`matmul_t`, as in dX = dY·Wᵀ) pairs rows of A with rows of B"
)]
pub trait HasRows<const K: usize, const C: usize, T> {
    /// The matrix itself.
    fn matrix(&self) -> &Matrix<K, C, T>;
}

impl<const K: usize, const C: usize, T> HasRows<K, C, T> for Matrix<K, C, T> {
    fn matrix(&self) -> &Matrix<K, C, T> {
        self
    }
}

/// A right-hand factor with `K` columns: what `A·Bᵀ` needs when `A` has `K` columns.
/// Only [`Matrix<C, K, T>`] is one; the trait exists so that a mismatch is explained
/// in words.
///
/// ```
/// use backprop::{HasCols, Matrix};
/// fn cols<const K: usize, const C: usize>(b: &impl HasCols<K, C, f32>) -> usize {
///     b.matrix().as_slice().len() / C
/// }
/// assert_eq!(cols(&Matrix::<3, 2>::zeros()), 2);
/// ```
#[diagnostic::on_unimplemented(
    message = "the right-hand matrix `{Self}` must have {K} columns",
    label = "this matrix needs {K} columns",
    note = "A·Bᵀ (`matmul_t`, as in dX = dY·Wᵀ) pairs each row of A with a row of B: (R×K)·(C×K)ᵀ gives R×C, so B needs as many columns as A",
    note = "A·B (`matmul`) and Aᵀ·B (`t_matmul`, as in dW = Xᵀ·dY) need B's rows to match instead"
)]
pub trait HasCols<const K: usize, const C: usize, T> {
    /// The matrix itself.
    fn matrix(&self) -> &Matrix<C, K, T>;
}

impl<const K: usize, const C: usize, T> HasCols<K, C, T> for Matrix<C, K, T> {
    fn matrix(&self) -> &Matrix<C, K, T> {
        self
    }
}

fn rows<const R: usize, const C: usize, T: Float>(m: &Matrix<R, C, T>) -> Operand<'_, T> {
    Operand::by_rows(m.as_slice(), C)
}

fn transposed<const R: usize, const C: usize, T: Float>(m: &Matrix<R, C, T>) -> Operand<'_, T> {
    rows(m).t()
}

impl<const R: usize, const K: usize, T: Float> Matrix<R, K, T> {
    /// The matrix product `A·B`, (R×K)·(K×C) → R×C.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let a = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// let b = Matrix::new([[5.0, 6.0, 7.0], [8.0, 9.0, 10.0]]);
    /// assert_eq!(a.matmul(&b), Matrix::new([[21.0, 24.0, 27.0], [47.0, 54.0, 61.0]]));
    /// ```
    pub fn matmul<const C: usize>(&self, b: &impl HasRows<K, C, T>) -> Matrix<R, C, T> {
        let mut out = Matrix::zeros();
        self.matmul_into(b, &mut out);
        out
    }

    /// `out = A·B`, overwriting `out`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut out = Matrix::<1, 1>::filled(99.0);
    /// Matrix::new([[1.0, 2.0]]).matmul_into(&Matrix::new([[3.0], [4.0]]), &mut out);
    /// assert_eq!(out[(0, 0)], 11.0);
    /// ```
    pub fn matmul_into<const C: usize>(
        &self,
        b: &impl HasRows<K, C, T>,
        out: &mut Matrix<R, C, T>,
    ) {
        gemm(
            (R, K, C),
            rows(self),
            rows(b.matrix()),
            out.as_mut_slice(),
            false,
        );
    }

    /// `out += A·B`: accumulates onto what `out` holds (Affine's forward writes the
    /// bias first, then adds `X·W` onto it).
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut out = Matrix::<1, 1>::filled(1.0);
    /// Matrix::new([[1.0, 2.0]]).matmul_acc(&Matrix::new([[3.0], [4.0]]), &mut out);
    /// assert_eq!(out[(0, 0)], 12.0);
    /// ```
    pub fn matmul_acc<const C: usize>(&self, b: &impl HasRows<K, C, T>, out: &mut Matrix<R, C, T>) {
        gemm(
            (R, K, C),
            rows(self),
            rows(b.matrix()),
            out.as_mut_slice(),
            true,
        );
    }

    /// `A·Bᵀ`, (R×K)·(C×K)ᵀ → R×C: the input gradient `dX = dY·Wᵀ` of an Affine layer.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let dy = Matrix::new([[1.0, 2.0]]); // 1×2
    /// let w = Matrix::new([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); // 3×2
    /// assert_eq!(dy.matmul_t(&w), Matrix::new([[1.0, 2.0, 3.0]])); // 1×3
    /// ```
    pub fn matmul_t<const C: usize>(&self, b: &impl HasCols<K, C, T>) -> Matrix<R, C, T> {
        let mut out = Matrix::zeros();
        self.matmul_t_into(b, &mut out);
        out
    }

    /// `out = A·Bᵀ`, overwriting `out`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut out = Matrix::<1, 1>::zeros();
    /// Matrix::new([[1.0, 2.0]]).matmul_t_into(&Matrix::new([[3.0, 4.0]]), &mut out);
    /// assert_eq!(out[(0, 0)], 11.0);
    /// ```
    pub fn matmul_t_into<const C: usize>(
        &self,
        b: &impl HasCols<K, C, T>,
        out: &mut Matrix<R, C, T>,
    ) {
        gemm(
            (R, K, C),
            rows(self),
            transposed(b.matrix()),
            out.as_mut_slice(),
            false,
        );
    }
}

impl<const K: usize, const R: usize, T: Float> Matrix<K, R, T> {
    /// `Aᵀ·B`, (K×R)ᵀ·(K×C) → R×C: the weight gradient `dW = Xᵀ·dY` of an Affine layer.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let x = Matrix::new([[1.0, 2.0, 3.0]]); // 1×3
    /// let dy = Matrix::new([[1.0, 10.0]]); // 1×2
    /// assert_eq!(x.t_matmul(&dy), Matrix::new([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]));
    /// ```
    pub fn t_matmul<const C: usize>(&self, b: &impl HasRows<K, C, T>) -> Matrix<R, C, T> {
        let mut out = Matrix::zeros();
        self.t_matmul_into(b, &mut out);
        out
    }

    /// `out = Aᵀ·B`, overwriting `out`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut out = Matrix::<1, 1>::zeros();
    /// Matrix::new([[1.0], [2.0]]).t_matmul_into(&Matrix::new([[3.0], [4.0]]), &mut out);
    /// assert_eq!(out[(0, 0)], 11.0);
    /// ```
    pub fn t_matmul_into<const C: usize>(
        &self,
        b: &impl HasRows<K, C, T>,
        out: &mut Matrix<R, C, T>,
    ) {
        gemm(
            (R, K, C),
            transposed(self),
            rows(b.matrix()),
            out.as_mut_slice(),
            false,
        );
    }

    /// The transpose, as a new matrix. For teaching and printing: the products above
    /// never need it.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::new([[1.0, 2.0, 3.0]]);
    /// assert_eq!(m.transpose(), Matrix::new([[1.0], [2.0], [3.0]]));
    /// ```
    pub fn transpose(&self) -> Matrix<R, K, T> {
        Matrix::from_fn(|i, j| self[(j, i)])
    }
}
