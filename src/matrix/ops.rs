//! Element-wise arithmetic and row operations: what the layers are made of besides GEMM.

use std::ops::{Add, AddAssign, Mul, MulAssign, Sub, SubAssign};

use super::Matrix;
use crate::Float;

impl<const R: usize, const C: usize, T: Float> Matrix<R, C, T> {
    /// A new matrix with `f` applied to every element.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::new([[1.0, -2.0]]).map(|v: f32| v.max(0.0));
    /// assert_eq!(m.as_slice(), &[1.0, 0.0]);
    /// ```
    pub fn map(&self, f: impl FnMut(T) -> T) -> Self {
        let mut out = self.clone();
        out.map_in_place(f);
        out
    }

    /// Applies `f` to every element in place.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut m = Matrix::new([[1.0, 2.0]]);
    /// m.map_in_place(|v| v * 10.0);
    /// assert_eq!(m.as_slice(), &[10.0, 20.0]);
    /// ```
    pub fn map_in_place(&mut self, mut f: impl FnMut(T) -> T) {
        for v in self.as_mut_slice() {
            *v = f(*v);
        }
    }

    /// A new matrix whose elements are `f(a, b)` of the matching elements of `self`
    /// and `other`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let a = Matrix::new([[1.0, 5.0]]);
    /// let b = Matrix::new([[4.0, 2.0]]);
    /// assert_eq!(a.zip_map(&b, f32::max).as_slice(), &[4.0, 5.0]);
    /// ```
    pub fn zip_map(&self, other: &Self, mut f: impl FnMut(T, T) -> T) -> Self {
        let mut out = self.clone();
        for (o, &b) in out.as_mut_slice().iter_mut().zip(other.as_slice()) {
            *o = f(*o, b);
        }
        out
    }

    /// Every element multiplied by `s`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert_eq!(Matrix::new([[1.0, 2.0]]).scale(0.5).as_slice(), &[0.5, 1.0]);
    /// ```
    pub fn scale(&self, s: T) -> Self {
        self.map(|v| v * s)
    }

    /// `self += s · other`, element-wise (BLAS's axpy): a hand-written SGD update
    /// `W ← W − η·dW` on one matrix is `w.scaled_add(-lr, &dw)`. The optimizers walk the
    /// parameter visitor's slices instead, so that one update serves every layer.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut w = Matrix::new([[1.0, 1.0]]);
    /// w.scaled_add(-0.1, &Matrix::new([[10.0, 20.0]]));
    /// assert_eq!(w.as_slice(), &[0.0, -1.0]);
    /// ```
    pub fn scaled_add(&mut self, s: T, other: &Self) {
        for (a, &b) in self.as_mut_slice().iter_mut().zip(other.as_slice()) {
            *a += s * b;
        }
    }

    /// Adds the row vector `bias` to every row: the `X·W + b` broadcast.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let x = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// let b = Matrix::new([[10.0, 20.0]]);
    /// assert_eq!(x.add_row(&b), Matrix::new([[11.0, 22.0], [13.0, 24.0]]));
    /// ```
    pub fn add_row(&self, bias: &Matrix<1, C, T>) -> Self {
        let mut out = self.clone();
        out.add_row_in_place(bias);
        out
    }

    /// Adds the row vector `bias` to every row, in place.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut x = Matrix::<2, 2>::zeros();
    /// x.add_row_in_place(&Matrix::new([[1.0, 2.0]]));
    /// assert_eq!(x.row(1), &[1.0, 2.0]);
    /// ```
    pub fn add_row_in_place(&mut self, bias: &Matrix<1, C, T>) {
        for row in self.rows_mut() {
            for (v, &b) in row.iter_mut().zip(bias.as_slice()) {
                *v += b;
            }
        }
    }

    /// The sum of each column, as a row vector: `db = Σ_rows dY`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let dy = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(dy.column_sums(), Matrix::new([[4.0, 6.0]]));
    /// ```
    pub fn column_sums(&self) -> Matrix<1, C, T> {
        let mut out = Matrix::zeros();
        self.column_sums_into(&mut out);
        out
    }

    /// The sum of each column, written into `out` (which is overwritten).
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut db = Matrix::<1, 2>::filled(9.0);
    /// Matrix::new([[1.0, 2.0], [3.0, 4.0]]).column_sums_into(&mut db);
    /// assert_eq!(db.as_slice(), &[4.0, 6.0]);
    /// ```
    pub fn column_sums_into(&self, out: &mut Matrix<1, C, T>) {
        let acc = out.as_mut_slice();
        acc.fill(T::ZERO);
        T::add_rows(self.as_slice(), C, acc);
    }

    /// The column index of the largest element of each row (the first one on ties):
    /// the predicted class of each sample.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let scores = Matrix::new([[0.1, 0.7, 0.2], [0.5, 0.1, 0.4]]);
    /// assert_eq!(scores.argmax_rows(), vec![1, 0]);
    /// ```
    pub fn argmax_rows(&self) -> Vec<usize> {
        self.rows().map(argmax).collect()
    }

    /// The sum of all elements.
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert_eq!(Matrix::new([[1.0, 2.0], [3.0, 4.0]]).sum(), 10.0);
    /// ```
    pub fn sum(&self) -> T {
        self.as_slice().iter().copied().sum()
    }

    /// Whether every element is finite (no NaN, no ±∞).
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert!(Matrix::new([[1.0, 2.0]]).all_finite());
    /// assert!(!Matrix::new([[1.0, f32::NAN]]).all_finite());
    /// ```
    pub fn all_finite(&self) -> bool {
        self.as_slice().iter().all(|v| v.is_finite())
    }
}

/// The index of the largest value of a row: the first of equals, and NaN never wins.
pub(crate) fn argmax<T: Float>(row: &[T]) -> usize {
    (1..row.len()).fold(0, |best, j| if row[j] > row[best] { j } else { best })
}

macro_rules! elementwise {
    ($Trait:ident, $method:ident, $AssignTrait:ident, $assign:ident, $op:tt, $doc:literal) => {
        #[doc = $doc]
        impl<const R: usize, const C: usize, T: Float> $Trait for &Matrix<R, C, T> {
            type Output = Matrix<R, C, T>;
            fn $method(self, rhs: Self) -> Matrix<R, C, T> {
                self.zip_map(rhs, |a, b| a $op b)
            }
        }

        #[doc = $doc]
        impl<const R: usize, const C: usize, T: Float> $AssignTrait<&Matrix<R, C, T>>
            for Matrix<R, C, T>
        {
            fn $assign(&mut self, rhs: &Matrix<R, C, T>) {
                for (a, &b) in self.as_mut_slice().iter_mut().zip(rhs.as_slice()) {
                    *a = *a $op b;
                }
            }
        }
    };
}

elementwise!(Add, add, AddAssign, add_assign, +,
    "Element-wise sum: `(&a + &b)[(i, j)] = a[(i, j)] + b[(i, j)]`.\n\n```\nuse backprop::Matrix;\nlet a = Matrix::new([[1.0, 2.0]]);\nassert_eq!((&a + &a).as_slice(), &[2.0, 4.0]);\n```");
elementwise!(Sub, sub, SubAssign, sub_assign, -,
    "Element-wise difference.\n\n```\nuse backprop::Matrix;\nlet a = Matrix::new([[3.0, 2.0]]);\nlet mut b = Matrix::new([[1.0, 1.0]]);\nassert_eq!((&a - &b).as_slice(), &[2.0, 1.0]);\nb -= &a;\nassert_eq!(b.as_slice(), &[-2.0, -1.0]);\n```");
elementwise!(Mul, mul, MulAssign, mul_assign, *,
    "Element-wise (Hadamard) product; the matrix product is [`Matrix::matmul`].\n\n```\nuse backprop::Matrix;\nlet a = Matrix::new([[3.0, 2.0]]);\nassert_eq!((&a * &a).as_slice(), &[9.0, 4.0]);\n```");
