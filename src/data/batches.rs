//! Batches of a [`Dataset`]: random ones to train on, consecutive ones to evaluate.
//!
//! A batch of `N` samples is a `Matrix<N, I, T>` (one input a row) and the targets'
//! [`Batch<N>`](TargetSet::Batch): `[usize; N]` for labels, `Matrix<N, O, T>` for values.

use std::iter::FusedIterator;
use std::ops::Range;

use rand::Rng;

use super::dataset::Dataset;
use super::targets::TargetSet;
use crate::{Float, Matrix};

impl<const I: usize, Y: TargetSet<T>, T: Float> Dataset<I, Y, T> {
    /// Sample `i` as a one-row batch: for the samples a batch size does not divide, see
    /// [`remainder`](Dataset::remainder).
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let (x, t) = mnist.test.sample(3);
    /// assert_eq!(x.row(0), mnist.test.input(3));
    /// assert_eq!(t, [mnist.test.label(3)]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn sample(&self, i: usize) -> (Matrix<1, I, T>, Y::Batch<1>) {
        let x = Matrix::from_slice(self.input(i))
            .unwrap_or_else(|e| panic!("Dataset::sample: an input is not {I} values: {e}"));
        let mut t = Y::zero_batch();
        self.targets().copy_into(i, &mut t, 0);
        (x, t)
    }

    /// `N` samples drawn uniformly with replacement (as the book's
    /// `np.random.choice(train_size, batch_size)`), as a batch matrix (one input a row)
    /// and their targets.
    ///
    /// # Panics
    /// If the dataset is empty. `N = 0` does not compile.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let mut rng = StdRng::seed_from_u64(7);
    /// let (x, t) = mnist.train.random_batch::<100>(&mut rng);
    /// assert_eq!(x.as_slice().len(), 100 * 784);
    /// assert!(t.iter().all(|&label| label < 10));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn random_batch<const N: usize>(
        &self,
        rng: &mut (impl Rng + ?Sized),
    ) -> (Matrix<N, I, T>, Y::Batch<N>) {
        let mut x = Matrix::zeros();
        let mut t = Y::zero_batch();
        self.random_batch_into(rng, &mut x, &mut t);
        (x, t)
    }

    /// [`random_batch`](Dataset::random_batch) into the caller's buffers, allocating
    /// nothing: for a training loop that reuses one batch. Row by row it draws
    /// `rng.random_range(0..len())` once and copies that sample, so the same seed gives
    /// the same batch either way.
    ///
    /// # Panics
    /// If the dataset is empty. `N = 0` does not compile.
    ///
    /// ```
    /// use backprop::Matrix;
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let (mut x, mut t) = (Matrix::<100, 784>::zeros(), [0; 100]);
    /// mnist.train.random_batch_into(&mut StdRng::seed_from_u64(1), &mut x, &mut t);
    /// let (y, u) = mnist.train.random_batch::<100>(&mut StdRng::seed_from_u64(1));
    /// assert!(x == y && t == u);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn random_batch_into<const N: usize>(
        &self,
        rng: &mut (impl Rng + ?Sized),
        x: &mut Matrix<N, I, T>,
        t: &mut Y::Batch<N>,
    ) {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        assert!(
            !self.is_empty(),
            "random_batch: cannot draw from an empty dataset"
        );
        let indices: [usize; N] = std::array::from_fn(|_| rng.random_range(0..self.len()));
        self.gather_into(&indices, x, t);
    }

    /// The samples at `indices` (one a row, in that order) into the caller's buffers,
    /// allocating nothing: for a training loop that draws its own order.
    ///
    /// # Panics
    /// If an index is `>= len()`.
    ///
    /// ```
    /// use backprop::Matrix;
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let (mut x, mut t) = (Matrix::<2, 784>::zeros(), [0; 2]);
    /// mnist.test.gather_into(&[3, 0], &mut x, &mut t);
    /// assert_eq!(t, [mnist.test.label(3), mnist.test.label(0)]);
    /// assert_eq!(x.row(1), mnist.test.input(0));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn gather_into<const N: usize>(
        &self,
        indices: &[usize; N],
        x: &mut Matrix<N, I, T>,
        t: &mut Y::Batch<N>,
    ) {
        for (row, (x_row, &i)) in x.rows_mut().zip(indices).enumerate() {
            x_row.copy_from_slice(self.input(i));
            self.targets().copy_into(i, t, row);
        }
    }

    /// The `N` consecutive samples from `start`, or `None` if fewer than `N` are left.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let (x, t) = mnist.train.batch::<5>(0).unwrap();
    /// assert_eq!(t, [5, 0, 4, 1, 9]);
    /// assert_eq!(x.row(4), mnist.train.input(4));
    /// assert!(mnist.train.batch::<5>(9_996).is_none());
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn batch<const N: usize>(&self, start: usize) -> Option<(Matrix<N, I, T>, Y::Batch<N>)> {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        let end = start.checked_add(N).filter(|&end| end <= self.len())?;
        let x = Matrix::from_slice(&self.inputs()[start * I..end * I])
            .unwrap_or_else(|e| panic!("Dataset::batch: a slice of {N} inputs: {e}"));
        let mut t = Y::zero_batch();
        for row in 0..N {
            self.targets().copy_into(start + row, &mut t, row);
        }
        Some((x, t))
    }

    /// The consecutive full batches of `N`, in order: `len() / N` of them. The
    /// `len() % N` samples left over are [`remainder::<N>()`](Dataset::remainder).
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let batches = mnist.test.batches::<300>();
    /// assert_eq!(batches.len(), 33); // 9,900 samples; 100 remain
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    ///
    /// A batch of no rows is a compile error:
    ///
    /// ```compile_fail
    /// let mnist = backprop::data::Mnist::<f32>::load_default().unwrap();
    /// let batches = mnist.test.batches::<0>();
    /// ```
    pub fn batches<const N: usize>(&self) -> Batches<'_, N, I, Y, T> {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        Batches {
            dataset: self,
            next: 0,
        }
    }

    /// The indices of the samples that [`batches::<N>()`](Dataset::batches) leaves out:
    /// the last `len() % N`, empty when `N` divides `len()`.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.remainder::<300>(), 9_900..10_000);
    /// assert!(mnist.test.remainder::<100>().is_empty());
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn remainder<const N: usize>(&self) -> Range<usize> {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        self.len() - self.len() % N..self.len()
    }
}

/// The iterator of [`Dataset::batches`]: consecutive full batches of `N` samples, each a
/// `Matrix<N, I, T>` and its targets.
///
/// ```
/// let mnist = backprop::data::Mnist::<f32>::load_default()?;
/// let mut batches = mnist.train.batches::<4>();
/// let (_, t) = batches.next().unwrap();
/// assert_eq!(t, [5, 0, 4, 1]);
/// assert_eq!(batches.len(), 2_499);
/// # Ok::<(), backprop::data::DataError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Batches<'a, const N: usize, const I: usize, Y, T = f32> {
    dataset: &'a Dataset<I, Y, T>,
    next: usize,
}

impl<const N: usize, const I: usize, Y: TargetSet<T>, T: Float> Batches<'_, N, I, Y, T> {
    /// The indices left out by the full batches, as [`Dataset::remainder`].
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.batches::<3>().remainder(), 9_999..10_000);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn remainder(&self) -> Range<usize> {
        self.dataset.remainder::<N>()
    }
}

impl<const N: usize, const I: usize, Y: TargetSet<T>, T: Float> Iterator
    for Batches<'_, N, I, Y, T>
{
    type Item = (Matrix<N, I, T>, Y::Batch<N>);

    fn next(&mut self) -> Option<Self::Item> {
        let batch = self.dataset.batch::<N>(self.next)?;
        self.next += N;
        Some(batch)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.dataset.len() - self.next) / N;
        (left, Some(left))
    }
}

impl<const N: usize, const I: usize, Y: TargetSet<T>, T: Float> ExactSizeIterator
    for Batches<'_, N, I, Y, T>
{
}

impl<const N: usize, const I: usize, Y: TargetSet<T>, T: Float> FusedIterator
    for Batches<'_, N, I, Y, T>
{
}
