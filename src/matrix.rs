//! [`Matrix<R, C, T>`](Matrix): a dense row-major matrix whose shape is in its type.
//!
//! The data lives on the heap in one boxed slice of exactly `R · C` elements; the shape
//! lives only in the type, so a product of mismatched matrices does not compile:
//!
//! ```compile_fail
//! use backprop::Matrix;
//! let a = Matrix::<2, 3>::zeros();
//! let b = Matrix::<2, 3>::zeros();
//! let c = a.matmul(&b); // (2×3)·(2×3): the inner dimensions differ
//! ```

pub(crate) mod gemm;
mod ops;
mod product;

pub(crate) use ops::argmax;
pub use product::{HasCols, HasRows};

use std::fmt;
use std::ops::{Index, IndexMut};

use rand::Rng;
use rand_distr::{Distribution, Normal};

use crate::{Error, Float};

/// An `R × C` matrix of `T` (`f32` unless said otherwise), stored row-major on the heap.
///
/// ```
/// use backprop::Matrix;
/// let x = Matrix::new([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
/// assert_eq!(x[(1, 2)], 6.0);
/// assert_eq!(x.row(0), &[1.0, 2.0, 3.0]);
/// assert_eq!(Matrix::<2, 3>::SHAPE, (2, 3));
/// ```
#[derive(PartialEq)]
pub struct Matrix<const R: usize, const C: usize, T = f32> {
    data: Box<[T]>,
}

impl<const R: usize, const C: usize, T: Float> Matrix<R, C, T> {
    /// `(rows, columns)`.
    pub const SHAPE: (usize, usize) = (R, C);
    /// The number of elements, `R · C`.
    pub const LEN: usize = R * C;

    /// A matrix of zeros.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let z = Matrix::<2, 2, f64>::zeros();
    /// assert!(z.as_slice().iter().all(|&v| v == 0.0));
    /// ```
    pub fn zeros() -> Self {
        Self::filled(T::ZERO)
    }

    /// A matrix with every element equal to `value`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert_eq!(Matrix::<1, 3>::filled(7.0).as_slice(), &[7.0, 7.0, 7.0]);
    /// ```
    pub fn filled(value: T) -> Self {
        Self {
            data: vec![value; R * C].into_boxed_slice(),
        }
    }

    /// A matrix whose element `(i, j)` is `f(i, j)`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let eye = Matrix::<3, 3>::from_fn(|i, j| if i == j { 1.0 } else { 0.0 });
    /// assert_eq!(eye[(1, 1)], 1.0);
    /// assert_eq!(eye[(1, 2)], 0.0);
    /// ```
    pub fn from_fn(mut f: impl FnMut(usize, usize) -> T) -> Self {
        let data = (0..R * C).map(|k| f(k / C, k % C)).collect();
        Self { data }
    }

    /// A matrix from nested arrays, one inner array a row.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(m.as_slice(), &[1.0, 2.0, 3.0, 4.0]);
    /// ```
    pub fn new(rows: [[T; C]; R]) -> Self {
        Self {
            data: rows.iter().flatten().copied().collect(),
        }
    }

    /// A matrix from a row-major vector of exactly `R · C` elements.
    ///
    /// # Errors
    /// [`Error::Length`] naming both lengths when `data.len() != R · C`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::<2, 2>::from_vec(vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(m[(1, 0)], 3.0);
    /// let err = Matrix::<2, 2>::from_vec(vec![1.0; 3]).unwrap_err();
    /// assert_eq!(err.to_string(), "a 2×2 matrix needs 4 elements, got 3");
    /// ```
    pub fn from_vec(data: Vec<T>) -> Result<Self, Error> {
        Self::check_len(data.len())?;
        Ok(Self {
            data: data.into_boxed_slice(),
        })
    }

    /// A matrix copied from a row-major slice of exactly `R · C` elements.
    ///
    /// # Errors
    /// [`Error::Length`] naming both lengths when `data.len() != R · C`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::<1, 3, f64>::from_slice(&[1.0, 2.0, 3.0]).unwrap();
    /// assert_eq!(m[(0, 2)], 3.0);
    /// assert!(Matrix::<1, 3, f64>::from_slice(&[1.0]).is_err());
    /// ```
    pub fn from_slice(data: &[T]) -> Result<Self, Error> {
        Self::check_len(data.len())?;
        Ok(Self { data: data.into() })
    }

    fn check_len(actual: usize) -> Result<(), Error> {
        if actual == R * C {
            Ok(())
        } else {
            Err(Error::Length {
                rows: R,
                cols: C,
                expected: R * C,
                actual,
            })
        }
    }

    /// Samples every element from a normal distribution N(0, std²) with the caller's RNG
    /// (the book initialises weights with `std = 0.01`).
    ///
    /// # Panics
    /// If `std` is negative or not finite: a standard deviation is the caller's own
    /// constant, and a wrong one is a bug, not data.
    ///
    /// ```
    /// use backprop::Matrix;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut rng = StdRng::seed_from_u64(42);
    /// let w = Matrix::<784, 50>::random_normal(0.01, &mut rng);
    /// let mean = w.as_slice().iter().sum::<f32>() / 39200.0;
    /// assert!(mean.abs() < 1e-3);
    /// ```
    pub fn random_normal<G: Rng + ?Sized>(std: f64, rng: &mut G) -> Self {
        let normal = Normal::new(0.0, std)
            .unwrap_or_else(|e| panic!("random_normal: bad standard deviation {std}: {e}"));
        let data = (0..R * C)
            .map(|_| T::from_f64(normal.sample(rng)))
            .collect();
        Self { data }
    }

    /// Row `i` as a slice of `C` elements.
    ///
    /// # Panics
    /// If `i >= R`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// assert_eq!(m.row(1), &[3.0, 4.0]);
    /// ```
    pub fn row(&self, i: usize) -> &[T] {
        assert!(i < R, "row {i} out of range for a {R}×{C} matrix");
        &self.data[i * C..(i + 1) * C]
    }

    /// Row `i` as a mutable slice of `C` elements.
    ///
    /// # Panics
    /// If `i >= R`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut m = Matrix::<2, 2>::zeros();
    /// m.row_mut(0).copy_from_slice(&[5.0, 6.0]);
    /// assert_eq!(m[(0, 1)], 6.0);
    /// ```
    pub fn row_mut(&mut self, i: usize) -> &mut [T] {
        assert!(i < R, "row {i} out of range for a {R}×{C} matrix");
        &mut self.data[i * C..(i + 1) * C]
    }

    /// The rows, top to bottom, each a slice of `C` elements.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let m = Matrix::new([[1.0, 2.0], [3.0, 4.0]]);
    /// let sums: Vec<f32> = m.rows().map(|r| r.iter().sum()).collect();
    /// assert_eq!(sums, [3.0, 7.0]);
    /// ```
    pub fn rows(&self) -> std::slice::ChunksExact<'_, T> {
        self.data.chunks_exact(C.max(1))
    }

    /// The rows as mutable slices.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut m = Matrix::<2, 2>::zeros();
    /// for (i, row) in m.rows_mut().enumerate() {
    ///     row[0] = i as f32;
    /// }
    /// assert_eq!(m[(1, 0)], 1.0);
    /// ```
    pub fn rows_mut(&mut self) -> std::slice::ChunksExactMut<'_, T> {
        self.data.chunks_exact_mut(C.max(1))
    }

    /// `(rows, columns)`, the same as [`Matrix::SHAPE`], from a value.
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert_eq!(Matrix::<3, 4>::zeros().shape(), (3, 4));
    /// ```
    pub fn shape(&self) -> (usize, usize) {
        (R, C)
    }

    /// All elements, row-major.
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert_eq!(Matrix::new([[1.0], [2.0]]).as_slice(), &[1.0, 2.0]);
    /// ```
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// All elements, row-major, mutable.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mut m = Matrix::<1, 2>::zeros();
    /// m.as_mut_slice()[1] = 3.0;
    /// assert_eq!(m[(0, 1)], 3.0);
    /// ```
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// The elements as a row-major vector.
    ///
    /// ```
    /// use backprop::Matrix;
    /// assert_eq!(Matrix::new([[1.0, 2.0]]).into_vec(), vec![1.0, 2.0]);
    /// ```
    pub fn into_vec(self) -> Vec<T> {
        self.data.into_vec()
    }
}

/// `clone_from` copies into the existing buffer: a layer caching its input this way
/// allocates nothing after the first batch.
///
/// ```
/// use backprop::Matrix;
/// let mut cache = Matrix::<1, 2>::zeros();
/// cache.clone_from(&Matrix::new([[1.0, 2.0]]));
/// assert_eq!(cache.as_slice(), &[1.0, 2.0]);
/// ```
impl<const R: usize, const C: usize, T: Clone> Clone for Matrix<R, C, T> {
    fn clone(&self) -> Self {
        Self {
            data: self.data.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.data.clone_from_slice(&source.data);
    }
}

impl<const R: usize, const C: usize, T: Float> Default for Matrix<R, C, T> {
    fn default() -> Self {
        Self::zeros()
    }
}

impl<const R: usize, const C: usize, T: Float> Index<(usize, usize)> for Matrix<R, C, T> {
    type Output = T;
    fn index(&self, (i, j): (usize, usize)) -> &T {
        assert!(
            i < R && j < C,
            "index ({i}, {j}) out of range for a {R}×{C} matrix"
        );
        &self.data[i * C + j]
    }
}

impl<const R: usize, const C: usize, T: Float> IndexMut<(usize, usize)> for Matrix<R, C, T> {
    fn index_mut(&mut self, (i, j): (usize, usize)) -> &mut T {
        assert!(
            i < R && j < C,
            "index ({i}, {j}) out of range for a {R}×{C} matrix"
        );
        &mut self.data[i * C + j]
    }
}

/// Prints like NumPy: one bracketed row a line, columns aligned, and `...` in the middle
/// of a matrix too large to show whole.
///
/// ```
/// use backprop::Matrix;
/// let m = Matrix::new([[1.0, -2.5], [30.0, 4.0]]);
/// assert_eq!(m.to_string(), "[[ 1.  -2.5]\n [30.   4. ]]");
/// ```
impl<const R: usize, const C: usize, T: Float> fmt::Display for Matrix<R, C, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const EDGE: usize = 3;
        let shown = |n: usize| -> Vec<Option<usize>> {
            if n > 2 * EDGE + 1 {
                (0..EDGE)
                    .map(Some)
                    .chain(std::iter::once(None))
                    .chain((n - EDGE..n).map(Some))
                    .collect()
            } else {
                (0..n).map(Some).collect()
            }
        };
        let (rows, cols) = (shown(R), shown(C));
        let cell = |v: T| format_number(v.to_f64(), f.precision());
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                cols.iter()
                    .map(|c| match (r, c) {
                        (Some(i), Some(j)) => cell(self.data[i * C + j]),
                        _ => "...".to_string(),
                    })
                    .collect()
            })
            .collect();
        // NumPy aligns on the decimal point: pad the integer part left, the fraction right.
        let split = |s: &str| s.find('.').unwrap_or(s.len());
        let int_w = cells.iter().flatten().map(|s| split(s)).max().unwrap_or(0);
        let frac_w = cells
            .iter()
            .flatten()
            .map(|s| s.len() - split(s))
            .max()
            .unwrap_or(0);
        write!(f, "[")?;
        for (n, row) in cells.iter().enumerate() {
            if n > 0 {
                write!(f, "\n ")?;
            }
            write!(f, "[")?;
            for (m, s) in row.iter().enumerate() {
                if m > 0 {
                    write!(f, " ")?;
                }
                let d = split(s);
                write!(
                    f,
                    "{:>iw$}{:<fw$}",
                    &s[..d],
                    &s[d..],
                    iw = int_w,
                    fw = frac_w
                )?;
            }
            write!(f, "]")?;
        }
        write!(f, "]")
    }
}

fn format_number(v: f64, precision: Option<usize>) -> String {
    if let Some(p) = precision {
        return format!("{v:.p$}");
    }
    if v.is_finite() && v == v.trunc() && v.abs() < 1e16 {
        return format!("{v:.0}.");
    }
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0');
    s.to_string()
}

/// The shape, then the rows: `Matrix<2, 2> [[1.0, 2.0], [3.0, 4.0]]`.
impl<const R: usize, const C: usize, T: fmt::Debug> fmt::Debug for Matrix<R, C, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Matrix<{R}, {C}> ")?;
        f.debug_list().entries(self.data.chunks(C.max(1))).finish()
    }
}
