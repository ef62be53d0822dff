//! [`Dataset`]: samples, each an input of `I` values and a target, checked once when
//! built; [`Splits`]: a training and a test dataset.

use std::fmt;

use super::blocks::{Blocks, EVAL_ROWS};
use super::rows::{check_finite, count_rows, flatten};
use super::targets::{Labels, TargetSet, Values};
use crate::{Error, Float, Matrix};

/// `len` samples, each an input of `I` values and a target: what a network trains on
/// and is measured on. `Y` says what a target is — [`Labels<C>`] (a class in `0..C`)
/// or [`Values<O, T>`] (`O` numbers) — and `T` is the element type, `f32` unless said
/// otherwise.
///
/// The inputs are one flat vector of `len · I` values, input after input, so input `i`
/// is `inputs[i·I .. (i+1)·I]` and `N` consecutive inputs are one slice that becomes a
/// `Matrix<N, I, T>` as it is. Every constructor checks the data once — each row `I`
/// (or `O`) wide, as many targets as inputs, at least one sample, no NaN or ±∞, labels
/// below `C` — and returns a typed [`Error`] naming the row otherwise, so that no
/// batch needs checking again. Batches: [`random_batch`](Dataset::random_batch),
/// [`batches`](Dataset::batches) and [`remainder`](Dataset::remainder).
///
/// ```
/// use backprop::data::{Dataset, Labels};
/// // XOR: the four corners of the unit square, two classes.
/// let xor = Dataset::<2, Labels<2>>::classification(
///     vec![vec![0.0, 0.0], vec![0.0, 1.0], vec![1.0, 0.0], vec![1.0, 1.0]],
///     vec![0, 1, 1, 0],
/// )?;
/// assert_eq!(xor.len(), 4);
/// assert_eq!(xor.input(2), [1.0, 0.0]);
/// let (x, t) = xor.batch::<4>(0).unwrap();
/// assert_eq!(x.row(1), [0.0, 1.0]);
/// assert_eq!(t, [0, 1, 1, 0]);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Dataset<const I: usize, Y, T = f32> {
    /// `len · I` values, input after input.
    inputs: Vec<T>,
    targets: Y,
    /// The inputs as whole evaluation blocks, for evaluation without copies.
    blocks: Blocks<I, T>,
}

/// The checks on flat inputs for `targets` targets, in order: whole rows of `I`, as
/// many rows as targets, at least one, every value finite.
fn check_inputs<const I: usize, T: Float>(inputs: &[T], targets: usize) -> Result<(), Error> {
    const {
        assert!(
            I > 0,
            "Dataset<I>: an input needs at least one value (I > 0)"
        )
    };
    let rows = count_rows(inputs.len(), I, "input")?;
    if rows != targets {
        return Err(Error::CountMismatch {
            inputs: rows,
            targets,
        });
    }
    if rows == 0 {
        return Err(Error::EmptyDataset);
    }
    check_finite(inputs, I, "input")
}

impl<const I: usize, Y: TargetSet<T>, T: Float> Dataset<I, Y, T> {
    /// A dataset from flat inputs (`len · I` values, input after input) and targets
    /// already built: [`Labels::new`], [`Values::new`], or a [`TargetSet`] of your own.
    ///
    /// # Errors
    /// The first that applies, in this order: [`Error::RowLength`] for the last,
    /// incomplete input when `I` does not divide `inputs.len()`;
    /// [`Error::CountMismatch`] when the inputs and targets differ in number;
    /// [`Error::EmptyDataset`]; [`Error::NotFiniteData`] for the first NaN or ±∞ in
    /// the inputs.
    ///
    /// ```
    /// use backprop::{Error, data::{Dataset, Labels}};
    /// let labels = Labels::<2>::new(vec![1, 0])?;
    /// let d = Dataset::<3, _>::new(vec![0.5; 6], labels.clone())?;
    /// assert_eq!(d.input(1), [0.5; 3]);
    /// let err = Dataset::<3, _>::new(vec![0.5; 9], labels).unwrap_err();
    /// assert_eq!(err, Error::CountMismatch { inputs: 3, targets: 2 });
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn new(inputs: Vec<T>, targets: Y) -> Result<Self, Error> {
        check_inputs::<I, T>(&inputs, targets.len())?;
        Ok(Self::from_checked(inputs, targets))
    }

    /// A dataset from inputs and targets a loader has already checked.
    pub(super) fn from_checked(inputs: Vec<T>, targets: Y) -> Self {
        assert_eq!(
            inputs.len(),
            targets.len() * I,
            "Dataset::from_checked: {} input values do not make {} inputs of {I}",
            inputs.len(),
            targets.len()
        );
        Self {
            inputs,
            targets,
            blocks: Blocks::default(),
        }
    }

    /// The inputs as whole `Matrix<EVAL_ROWS, I, T>` blocks (the last `len %
    /// EVAL_ROWS` samples are in none): made on the first call and kept (a second copy
    /// of the inputs), so that evaluating a network after every epoch copies nothing.
    pub(crate) fn eval_blocks(&self) -> &[Matrix<EVAL_ROWS, I, T>] {
        self.blocks.get(&self.inputs)
    }

    /// The number of samples.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.len(), 10_000);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether there are no samples (only possible through
    /// [`take(0)`](Dataset::take): the constructors reject empty data).
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert!(!mnist.test.is_empty());
    /// assert!(mnist.test.take(0).is_empty());
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.targets.len() == 0
    }

    /// Input `i`: `I` values (for MNIST, the 784 pixels of a 28×28 image in `[0, 1]`,
    /// row after row).
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let image = mnist.train.input(0);
    /// assert_eq!(image.len(), 784);
    /// assert!(image.iter().any(|&p| p == 1.0)); // a full-ink pixel of the first "5"
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn input(&self, i: usize) -> &[T] {
        assert!(
            i < self.len(),
            "input {i} out of range for a dataset of {}",
            self.len()
        );
        &self.inputs[i * I..(i + 1) * I]
    }

    /// All inputs, `len() · I` values, input after input.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.test.inputs().len(), 10_000 * 784);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn inputs(&self) -> &[T] {
        &self.inputs
    }

    /// The targets, one a sample.
    ///
    /// ```
    /// use backprop::data::{Dataset, Values};
    /// let d = Dataset::<1, Values<1>>::regression(vec![vec![1.0], vec![2.0]], vec![vec![2.0], vec![4.0]])?;
    /// assert_eq!(d.targets().values(), [2.0, 4.0]);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn targets(&self) -> &Y {
        &self.targets
    }

    /// A new dataset of the first `min(n, len())` samples, for quick runs and tests.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// let small = mnist.train.take(100);
    /// assert_eq!(small.len(), 100);
    /// assert_eq!(small.input(99), mnist.train.input(99));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn take(&self, n: usize) -> Self {
        let n = n.min(self.len());
        Self::from_checked(self.inputs[..n * I].to_vec(), self.targets.take(n))
    }
}

impl<const I: usize, const C: usize, T: Float> Dataset<I, Labels<C>, T> {
    /// A classification dataset: one input of `I` values and one label in `0..C` a
    /// sample.
    ///
    /// # Errors
    /// The first that applies, in this order: [`Error::RowLength`] for the first input
    /// that is not `I` long; then as [`Dataset::new`] ([`Error::CountMismatch`],
    /// [`Error::EmptyDataset`], [`Error::NotFiniteData`]); then [`Error::Label`] for the
    /// first label `≥ C`.
    ///
    /// ```
    /// use backprop::{Error, data::{Dataset, Labels}};
    /// let err = Dataset::<2, Labels<2>>::classification(vec![vec![0.0, 1.0], vec![1.0]], vec![0, 1])
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "input row 1 has length 1, expected 2");
    /// let err = Dataset::<2, Labels<2>>::classification(vec![vec![0.0, 1.0]], vec![2]).unwrap_err();
    /// assert_eq!(err, Error::Label { row: 0, label: 2, classes: 2 });
    /// ```
    pub fn classification(inputs: Vec<Vec<T>>, labels: Vec<usize>) -> Result<Self, Error> {
        Self::classification_from_flat(flatten(inputs, I, "input")?, labels)
    }

    /// [`classification`](Dataset::classification) from one flat vector of `len · I`
    /// input values, input after input.
    ///
    /// # Errors
    /// As [`Dataset::new`], then [`Error::Label`] for the first label `≥ C`.
    ///
    /// ```
    /// use backprop::{Error, data::{Dataset, Labels}};
    /// let d = Dataset::<2, Labels<3>>::classification_from_flat(vec![1.0, 2.0, 3.0, 4.0], vec![2, 0])?;
    /// assert_eq!((d.input(1), d.label(1)), (&[3.0, 4.0][..], 0));
    /// let err = Dataset::<2, Labels<3>>::classification_from_flat(vec![1.0, 2.0, 3.0], vec![2, 0])
    ///     .unwrap_err();
    /// assert_eq!(err, Error::RowLength { part: "input", row: 1, expected: 2, actual: 1 });
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn classification_from_flat(inputs: Vec<T>, labels: Vec<usize>) -> Result<Self, Error> {
        check_inputs::<I, T>(&inputs, labels.len())?;
        let targets = Labels::new(labels)?;
        Ok(Self::from_checked(inputs, targets))
    }

    /// The label of sample `i`, in `0..C`.
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
        self.targets.label(i)
    }

    /// All labels, in sample order.
    ///
    /// ```
    /// let mnist = backprop::data::Mnist::<f32>::load_default()?;
    /// assert_eq!(mnist.train.labels()[..5], [5, 0, 4, 1, 9]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn labels(&self) -> &[u32] {
        self.targets.labels()
    }
}

impl<const I: usize, const O: usize, T: Float> Dataset<I, Values<O, T>, T> {
    /// A regression dataset: one input of `I` values and one target of `O` values a
    /// sample.
    ///
    /// # Errors
    /// The first that applies, in this order: [`Error::RowLength`] for the first input
    /// that is not `I` long, then for the first target that is not `O` long; then as
    /// [`Dataset::new`] ([`Error::CountMismatch`], [`Error::EmptyDataset`],
    /// [`Error::NotFiniteData`] in the inputs); then [`Error::NotFiniteData`] for the
    /// first NaN or ±∞ in the targets.
    ///
    /// ```
    /// use backprop::{Error, data::{Dataset, Values}};
    /// // y = 2x at three points.
    /// let d = Dataset::<1, Values<1>>::regression(
    ///     vec![vec![0.0], vec![1.0], vec![2.0]],
    ///     vec![vec![0.0], vec![2.0], vec![4.0]],
    /// )?;
    /// assert_eq!(d.target(2), [4.0]);
    /// let err = Dataset::<1, Values<1>>::regression(vec![vec![0.0]], vec![vec![f32::INFINITY]])
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "target row 0, element 0 is inf, not a finite number");
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn regression(inputs: Vec<Vec<T>>, targets: Vec<Vec<T>>) -> Result<Self, Error> {
        let inputs = flatten(inputs, I, "input")?;
        Self::regression_from_flat(inputs, flatten(targets, O, "target")?)
    }

    /// [`regression`](Dataset::regression) from flat vectors: `len · I` input values
    /// and `len · O` target values.
    ///
    /// # Errors
    /// [`Error::RowLength`] (part `"target"`) for the last, incomplete target when `O`
    /// does not divide `targets.len()`; then as [`regression`](Dataset::regression).
    ///
    /// ```
    /// use backprop::{Error, data::{Dataset, Values}};
    /// let d = Dataset::<2, Values<1, f64>, f64>::regression_from_flat(vec![1.0, 2.0, 3.0, 4.0], vec![3.0, 7.0])?;
    /// assert_eq!(d.target(1), [7.0]);
    /// let err = Dataset::<2, Values<1>>::regression_from_flat(vec![1.0, 2.0], vec![3.0, 7.0])
    ///     .unwrap_err();
    /// assert_eq!(err, Error::CountMismatch { inputs: 1, targets: 2 });
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn regression_from_flat(inputs: Vec<T>, targets: Vec<T>) -> Result<Self, Error> {
        check_inputs::<I, T>(&inputs, count_rows(targets.len(), O, "target")?)?;
        let targets = Values::new(targets)?;
        Ok(Self::from_checked(inputs, targets))
    }

    /// The target of sample `i`: `O` values.
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// use backprop::data::{Dataset, Values};
    /// let d = Dataset::<1, Values<2>>::regression(vec![vec![1.0]], vec![vec![0.5, -0.5]])?;
    /// assert_eq!(d.target(0), [0.5, -0.5]);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn target(&self, i: usize) -> &[T] {
        self.targets.target(i)
    }
}

/// Shows the shape and the number of samples, not every value.
impl<const I: usize, Y: fmt::Debug, T> fmt::Debug for Dataset<I, Y, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let element = std::any::type_name::<T>();
        let len = self.inputs.len() / I.max(1);
        write!(
            f,
            "Dataset<{I}, {element}> {{ len: {len}, targets: {:?} }}",
            self.targets
        )
    }
}

/// A training and a test [`Dataset`] of the same kind: what a training run takes. MNIST
/// is one ([`Mnist`](super::Mnist)); your own is two constructor calls.
///
/// ```
/// use backprop::data::{Dataset, Labels, Splits};
/// let train = Dataset::<1, Labels<2>>::classification(vec![vec![-1.0], vec![1.0]], vec![0, 1])?;
/// let test = Dataset::<1, Labels<2>>::classification(vec![vec![0.5]], vec![1])?;
/// let data = Splits { train, test };
/// assert_eq!((data.train.len(), data.test.len()), (2, 1));
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Splits<const I: usize, Y, T = f32> {
    /// The samples to train on.
    pub train: Dataset<I, Y, T>,
    /// The samples to measure on, never trained on.
    pub test: Dataset<I, Y, T>,
}
