//! [`Split`]: the images and labels of one part of a dataset, and the batches drawn
//! from it.

use std::fmt;
use std::iter::FusedIterator;
use std::ops::Range;

use rand::Rng;

use super::PIXELS;
use crate::{Float, Matrix};

/// The images (each `PIXELS = 784` values in `[0, 1]`, row after row) and labels
/// (0–9) of one split of a dataset, such as [`Mnist::train`](super::Mnist::train).
///
/// Two ways to take batches of `N` images as a `Matrix<N, 784, T>` with their labels:
/// - training: [`random_batch`](Split::random_batch) draws `N` samples uniformly with
///   replacement, like the book's `np.random.choice(train_size, batch_size)`, and
///   [`random_batch_into`](Split::random_batch_into) does the same into buffers the
///   caller keeps, allocating nothing;
/// - evaluating a whole split: [`batches`](Split::batches) yields the consecutive full
///   batches, and [`remainder`](Split::remainder) the indices of the last
///   `len % N` samples, for [`sample`](Split::sample) one at a time.
///
/// ```
/// use backprop::data::{DEFAULT_DIR, Mnist};
/// let mnist: Mnist = Mnist::load(DEFAULT_DIR)?;
/// let test = mnist.test.take(1_000);
/// // every sample exactly once: 7 full batches of 128, then the last 104 one by one
/// let (mut seen, mut label_sum) = (0, 0);
/// for (x, t) in test.batches::<128>() {
///     assert_eq!(x.row(127).len(), 784);
///     seen += t.len();
///     label_sum += t.iter().sum::<usize>();
/// }
/// for i in test.remainder::<128>() {
///     let (x, t) = test.sample(i);
///     assert_eq!(x.as_slice(), test.image(i));
///     seen += 1;
///     label_sum += t;
/// }
/// assert_eq!(seen, 1_000);
/// assert_eq!(label_sum, test.labels().iter().map(|&l| usize::from(l)).sum::<usize>());
/// # Ok::<(), backprop::data::DataError>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Split<T = f32> {
    /// `labels.len() · PIXELS` values, image after image.
    pixels: Vec<T>,
    labels: Vec<u8>,
}

impl<T: Float> Split<T> {
    /// A split from pixels and labels that the loader has already checked.
    pub(super) fn from_checked(pixels: Vec<T>, labels: Vec<u8>) -> Self {
        assert_eq!(
            pixels.len(),
            labels.len() * PIXELS,
            "Split: {} pixel values do not make {} images of {PIXELS}",
            pixels.len(),
            labels.len()
        );
        Self { pixels, labels }
    }

    /// The number of samples.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.len(), 10_000);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no samples (only possible through [`take(0)`](Split::take)).
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert!(!mnist.test.is_empty());
    /// assert!(mnist.test.take(0).is_empty());
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`: 784 values in `[0, 1]`, row after row of the 28×28 picture.
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let image = mnist.train.image(0);
    /// assert_eq!(image.len(), 784);
    /// assert!(image.iter().any(|&p| p == 1.0)); // a full-ink pixel of the first "5"
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn image(&self, i: usize) -> &[T] {
        assert!(
            i < self.len(),
            "image {i} out of range for a split of {}",
            self.len()
        );
        &self.pixels[i * PIXELS..(i + 1) * PIXELS]
    }

    /// The label of sample `i`, a digit 0–9.
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.train.label(0), 5);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn label(&self, i: usize) -> usize {
        usize::from(self.labels[i])
    }

    /// All labels, in file order.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.train.labels()[..5], [5, 0, 4, 1, 9]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// All pixels, `len() · 784` values, image after image.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.pixels().len(), 10_000 * 784);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn pixels(&self) -> &[T] {
        &self.pixels
    }

    /// A new split of the first `min(n, len())` samples, for quick runs and tests.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let small = mnist.train.take(100);
    /// assert_eq!(small.len(), 100);
    /// assert_eq!(small.image(99), mnist.train.image(99));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn take(&self, n: usize) -> Self {
        let n = n.min(self.len());
        Self {
            pixels: self.pixels[..n * PIXELS].to_vec(),
            labels: self.labels[..n].to_vec(),
        }
    }

    /// Sample `i` as a one-row batch and its label: for the samples a batch size does
    /// not divide, see [`remainder`](Split::remainder).
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let (x, t) = mnist.test.sample(3);
    /// assert_eq!(x.row(0), mnist.test.image(3));
    /// assert_eq!(t, mnist.test.label(3));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn sample(&self, i: usize) -> (Matrix<1, PIXELS, T>, usize) {
        let x = Matrix::from_slice(self.image(i))
            .unwrap_or_else(|e| panic!("Split::sample: an image is not {PIXELS} values: {e}"));
        (x, self.label(i))
    }

    /// `N` samples drawn uniformly with replacement (as `np.random.choice`), as a
    /// batch matrix (one image a row) and their labels.
    ///
    /// # Panics
    /// If the split is empty. `N = 0` does not compile.
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
    ) -> (Matrix<N, PIXELS, T>, [usize; N]) {
        let mut x = Matrix::zeros();
        let mut t = [0; N];
        self.random_batch_into(rng, &mut x, &mut t);
        (x, t)
    }

    /// [`random_batch`](Split::random_batch) into the caller's buffers, allocating
    /// nothing: for a training loop that reuses one batch matrix. The same seed gives
    /// the same batch either way.
    ///
    /// # Panics
    /// If the split is empty. `N = 0` does not compile.
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
        x: &mut Matrix<N, PIXELS, T>,
        t: &mut [usize; N],
    ) {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        assert!(
            !self.is_empty(),
            "random_batch: cannot draw from an empty split"
        );
        for (row, label) in x.rows_mut().zip(t.iter_mut()) {
            let i = rng.random_range(0..self.len());
            row.copy_from_slice(self.image(i));
            *label = self.label(i);
        }
    }

    /// The `N` consecutive samples from `start`, or `None` if fewer than `N` are left.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let (x, t) = mnist.train.batch::<5>(0).unwrap();
    /// assert_eq!(t, [5, 0, 4, 1, 9]);
    /// assert_eq!(x.row(4), mnist.train.image(4));
    /// assert!(mnist.train.batch::<5>(9_996).is_none());
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn batch<const N: usize>(
        &self,
        start: usize,
    ) -> Option<(Matrix<N, PIXELS, T>, [usize; N])> {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        let end = start.checked_add(N).filter(|&end| end <= self.len())?;
        let x = Matrix::from_slice(&self.pixels[start * PIXELS..end * PIXELS])
            .unwrap_or_else(|e| panic!("Split::batch: a slice of {N} images: {e}"));
        Some((x, std::array::from_fn(|k| self.label(start + k))))
    }

    /// The consecutive full batches of `N`, in order: `len() / N` of them. The
    /// `len() % N` samples left over are [`remainder::<N>()`](Split::remainder).
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
    pub fn batches<const N: usize>(&self) -> Batches<'_, N, T> {
        const { assert!(N > 0, "a batch needs at least one row (N > 0)") };
        Batches {
            split: self,
            next: 0,
        }
    }

    /// The indices of the samples that [`batches::<N>()`](Split::batches) leaves out:
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

/// Shows the size, not the 784 values of every image.
impl<T> fmt::Debug for Split<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len = self.labels.len();
        let element = std::any::type_name::<T>();
        write!(
            f,
            "Split<{element}> {{ len: {len}, pixels: {PIXELS} each }}"
        )
    }
}

/// The iterator of [`Split::batches`]: consecutive full batches of `N` samples, each a
/// `Matrix<N, 784, T>` and its labels.
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
pub struct Batches<'a, const N: usize, T = f32> {
    split: &'a Split<T>,
    next: usize,
}

impl<const N: usize, T: Float> Batches<'_, N, T> {
    /// The indices left out by the full batches, as [`Split::remainder`].
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.batches::<3>().remainder(), 9_999..10_000);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn remainder(&self) -> Range<usize> {
        self.split.remainder::<N>()
    }
}

impl<const N: usize, T: Float> Iterator for Batches<'_, N, T> {
    type Item = (Matrix<N, PIXELS, T>, [usize; N]);

    fn next(&mut self) -> Option<Self::Item> {
        let batch = self.split.batch::<N>(self.next)?;
        self.next += N;
        Some(batch)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.split.len() - self.next) / N;
        (left, Some(left))
    }
}

impl<const N: usize, T: Float> ExactSizeIterator for Batches<'_, N, T> {}

impl<const N: usize, T: Float> FusedIterator for Batches<'_, N, T> {}
