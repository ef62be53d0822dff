//! What a sample's target is: a class label ([`Labels`]) or a few real numbers
//! ([`Values`]), what a batch of them is ([`TargetSet`]) and how a network's scores
//! are measured against them ([`Metric`]).

use std::fmt;

use super::rows::{check_finite, count_rows};
use crate::matrix::argmax;
use crate::{Error, Float, Matrix};

/// How a dataset stores its targets and what a batch of them is: the one thing a
/// [`Dataset`](super::Dataset) does not know by itself.
///
/// The crate implements it for [`Labels<C>`] (classification) and [`Values<O, T>`]
/// (regression); a target set of your own plugs into
/// [`Dataset::new`](super::Dataset::new) the same way.
///
/// ```
/// use backprop::data::{Labels, TargetSet};
/// let labels = Labels::<3>::new(vec![2, 0, 1])?;
/// let mut batch = <Labels<3> as TargetSet<f32>>::zero_batch::<2>();
/// TargetSet::<f32>::copy_into(&labels, 0, &mut batch, 1);
/// assert_eq!(batch, [0, 2]);
/// assert_eq!(<Labels<3> as TargetSet<f32>>::METRIC, "accuracy");
/// # Ok::<(), backprop::Error>(())
/// ```
pub trait TargetSet<T: Float>: Clone {
    /// A batch of `N` targets: `[usize; N]` for [`Labels<C>`], `Matrix<N, O, T>` for
    /// [`Values<O, T>`].
    type Batch<const N: usize>;
    /// The evaluation metric's name: `"accuracy"` (labels) or `"mse"` (values).
    const METRIC: &'static str;
    /// The number of targets.
    fn len(&self) -> usize;
    /// Whether there are no targets.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// A batch to copy targets into, every target zero.
    fn zero_batch<const N: usize>() -> Self::Batch<N>;
    /// Writes sample `sample`'s target into row `row` of `batch`.
    ///
    /// # Panics
    /// If `sample >= len()` or `row >= N`.
    fn copy_into<const N: usize>(&self, sample: usize, batch: &mut Self::Batch<N>, row: usize);
    /// The first `min(n, len())` targets.
    fn take(&self, n: usize) -> Self;
}

/// The evaluation metric of targets against a network's scores `W` wide: the accuracy
/// for [`Labels<C>`] (with `W = C`: one score a class), the mean `½‖y − t‖²` for
/// [`Values<O, T>`] (with `W = O`). A dataset can only be measured with (and so
/// trained on) a network whose output has its width: a mismatch does not compile.
///
/// ```
/// use backprop::{Matrix, data::{Labels, Metric}};
/// let labels = Labels::<2>::new(vec![1, 0, 0])?;
/// let scores = Matrix::new([[0.1, 0.9], [0.8, 0.2]]);
/// assert_eq!(labels.metric_sum(1, &scores, 2), 1.0); // sample 1 right, sample 2 wrong
/// # Ok::<(), backprop::Error>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "targets `{Self}` cannot be measured against {W} scores a sample",
    label = "the network's output width must be the targets' width",
    note = "a dataset of `Labels<C>` needs a network whose last layer gives `C` scores (e.g. `Affine<_, C>`) and `SoftmaxWithLoss<C>`; `Values<O>` needs `O` outputs and `MeanSquaredError<O>`"
)]
pub trait Metric<const W: usize, T: Float>: TargetSet<T> {
    /// `Σ_r m(y_r, t_{start + r})` over the first `rows` rows `y_r` of `scores`, where
    /// the per-sample metric `m` is `[argmax_k y_k = t]` (1 or 0) for labels and
    /// `½‖y − t‖²` for values. Summed over all samples and divided by `len()`, it is
    /// the accuracy, or the mean `MeanSquaredError` loss `(1/M) Σ_m ½‖y_m − t_m‖²`.
    ///
    /// # Panics
    /// If `rows > N` or `start + rows > len()`.
    fn metric_sum<const N: usize>(
        &self,
        start: usize,
        scores: &Matrix<N, W, T>,
        rows: usize,
    ) -> f64;
}

/// Checks the arguments of [`Metric::metric_sum`] against the target set's `len`.
fn check_metric_args(kind: &str, len: usize, batch: usize, start: usize, rows: usize) {
    assert!(
        rows <= batch,
        "{kind}::metric_sum: {rows} rows asked of a batch of {batch}"
    );
    assert!(
        start.checked_add(rows).is_some_and(|end| end <= len),
        "{kind}::metric_sum: samples {start}..{start}+{rows} out of range for {len} targets"
    );
}

/// Class labels in `0..C`, one a sample: the targets of a classification, such as
/// MNIST's `Labels<10>`.
///
/// A batch of them is `[usize; N]`, what `SoftmaxWithLoss` takes; the metric is the
/// accuracy `(1/M) Σ_m [argmax_k y_{m,k} = t_m]`, the fraction of samples whose largest
/// score is in the label's column (the first of equal scores, as
/// [`Matrix::argmax_rows`]).
///
/// ```
/// use backprop::data::Labels;
/// let labels = Labels::<3>::new(vec![2, 0, 1])?;
/// assert_eq!((labels.len(), labels.label(0)), (3, 2));
/// assert_eq!(labels.labels(), [2, 0, 1]);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Labels<const C: usize> {
    labels: Vec<u32>,
}

impl<const C: usize> Labels<C> {
    /// Labels from a vector, each checked to be below `C`.
    ///
    /// # Errors
    /// [`Error::Label`] for the first label `≥ C`, naming its row.
    ///
    /// ```
    /// use backprop::{Error, data::Labels};
    /// assert!(Labels::<10>::new(vec![0, 9]).is_ok());
    /// let err = Labels::<10>::new(vec![0, 9, 10]).unwrap_err();
    /// assert_eq!(err, Error::Label { row: 2, label: 10, classes: 10 });
    /// ```
    ///
    /// `C` must be between 1 and 2³²; `Labels::<0>::new` does not compile.
    pub fn new(labels: Vec<usize>) -> Result<Self, Error> {
        const {
            assert!(
                C > 0 && C as u64 <= 1 << 32,
                "Labels<C>: C must be at least 1 and at most 2^32"
            )
        };
        let labels = labels
            .into_iter()
            .enumerate()
            .map(|(row, label)| {
                // Below C ≤ 2³², so it fits a u32.
                u32::try_from(label)
                    .ok()
                    .filter(|_| label < C)
                    .ok_or(Error::Label {
                        row,
                        label,
                        classes: C,
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { labels })
    }

    /// Labels a loader has already checked to be below `C` (MNIST's, from bytes).
    pub(super) fn from_checked(labels: Vec<u32>) -> Self {
        assert!(
            labels.iter().all(|&l| (l as usize) < C),
            "Labels::from_checked: a label is not below {C}"
        );
        Self { labels }
    }

    /// The number of labels.
    ///
    /// ```
    /// assert_eq!(backprop::data::Labels::<2>::new(vec![1, 1, 0])?.len(), 3);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no labels.
    ///
    /// ```
    /// assert!(backprop::data::Labels::<2>::new(vec![])?.is_empty());
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The label of sample `i`, in `0..C`.
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// assert_eq!(backprop::data::Labels::<4>::new(vec![3, 1])?.label(1), 1);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn label(&self, i: usize) -> usize {
        self.labels[i] as usize
    }

    /// All labels, in sample order.
    ///
    /// ```
    /// assert_eq!(backprop::data::Labels::<4>::new(vec![3, 1])?.labels(), [3, 1]);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }
}

impl<const C: usize, T: Float> TargetSet<T> for Labels<C> {
    type Batch<const N: usize> = [usize; N];
    const METRIC: &'static str = "accuracy";

    fn len(&self) -> usize {
        self.labels.len()
    }

    fn zero_batch<const N: usize>() -> [usize; N] {
        [0; N]
    }

    fn copy_into<const N: usize>(&self, sample: usize, batch: &mut [usize; N], row: usize) {
        batch[row] = self.label(sample);
    }

    fn take(&self, n: usize) -> Self {
        Self {
            labels: self.labels[..n.min(self.labels.len())].to_vec(),
        }
    }
}

impl<const C: usize, T: Float> Metric<C, T> for Labels<C> {
    /// The number of rows whose largest score (the first of equals) is at the label.
    fn metric_sum<const N: usize>(
        &self,
        start: usize,
        scores: &Matrix<N, C, T>,
        rows: usize,
    ) -> f64 {
        check_metric_args("Labels", self.labels.len(), N, start, rows);
        let labels = &self.labels[start..start + rows];
        let correct = scores
            .rows()
            .zip(labels)
            .filter(|&(row, &label)| argmax(row) == label as usize)
            .count();
        correct as f64
    }
}

/// Shows the number of labels, not every label.
impl<const C: usize> fmt::Debug for Labels<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Labels<{C}> {{ len: {} }}", self.labels.len())
    }
}

/// `O` real numbers a sample: the targets of a regression.
///
/// A batch of them is a `Matrix<N, O, T>`, what `MeanSquaredError` takes; the metric is
/// `"mse"`, the mean over samples of `½‖y − t‖² = ½ Σ_k (y_k − t_k)²`.
///
/// ```
/// use backprop::data::Values;
/// let targets = Values::<2, f64>::new(vec![1.0, 2.0, 3.0, 4.0])?;
/// assert_eq!(targets.len(), 2);
/// assert_eq!(targets.target(1), [3.0, 4.0]);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct Values<const O: usize, T = f32> {
    values: Vec<T>,
}

impl<const O: usize, T: Float> Values<O, T> {
    /// Targets from one flat vector of `len · O` values, target after target.
    ///
    /// # Errors
    /// [`Error::RowLength`] (part `"target"`) for the last, incomplete row when `O`
    /// does not divide the length; [`Error::NotFiniteData`] for the first NaN or ±∞.
    ///
    /// ```
    /// use backprop::{Error, data::Values};
    /// let err = Values::<2>::new(vec![1.0, 2.0, 3.0]).unwrap_err();
    /// assert_eq!(err, Error::RowLength { part: "target", row: 1, expected: 2, actual: 1 });
    /// let err = Values::<2>::new(vec![1.0, 2.0, 3.0, f32::NAN]).unwrap_err();
    /// assert!(matches!(err, Error::NotFiniteData { row: 1, element: 1, value, .. } if value.is_nan()));
    /// ```
    ///
    /// `O = 0` does not compile.
    pub fn new(values: Vec<T>) -> Result<Self, Error> {
        const {
            assert!(
                O > 0,
                "Values<O>: a target needs at least one value (O > 0)"
            )
        };
        count_rows(values.len(), O, "target")?;
        check_finite(&values, O, "target")?;
        Ok(Self { values })
    }

    /// The number of targets.
    ///
    /// ```
    /// assert_eq!(backprop::data::Values::<3>::new(vec![0.0; 6])?.len(), 2);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.values.len() / O
    }

    /// Whether there are no targets.
    ///
    /// ```
    /// assert!(backprop::data::Values::<3>::new(vec![])?.is_empty());
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The target of sample `i`: `O` values.
    ///
    /// # Panics
    /// If `i >= len()`.
    ///
    /// ```
    /// let t = backprop::data::Values::<2>::new(vec![1.0, 2.0, 3.0, 4.0])?;
    /// assert_eq!(t.target(0), [1.0, 2.0]);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn target(&self, i: usize) -> &[T] {
        assert!(
            i < self.len(),
            "target {i} out of range for {} targets",
            self.len()
        );
        &self.values[i * O..(i + 1) * O]
    }

    /// All values, `len() · O`, target after target.
    ///
    /// ```
    /// let t = backprop::data::Values::<2>::new(vec![1.0, 2.0, 3.0, 4.0])?;
    /// assert_eq!(t.values(), [1.0, 2.0, 3.0, 4.0]);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn values(&self) -> &[T] {
        &self.values
    }
}

impl<const O: usize, T: Float> TargetSet<T> for Values<O, T> {
    type Batch<const N: usize> = Matrix<N, O, T>;
    const METRIC: &'static str = "mse";

    fn len(&self) -> usize {
        self.values.len() / O
    }

    fn zero_batch<const N: usize>() -> Matrix<N, O, T> {
        Matrix::zeros()
    }

    fn copy_into<const N: usize>(&self, sample: usize, batch: &mut Matrix<N, O, T>, row: usize) {
        batch.row_mut(row).copy_from_slice(self.target(sample));
    }

    fn take(&self, n: usize) -> Self {
        Self {
            values: self.values[..n.min(self.len()) * O].to_vec(),
        }
    }
}

impl<const O: usize, T: Float> Metric<O, T> for Values<O, T> {
    /// `Σ_r ½‖y_r − t_{start + r}‖²`, summed in `f64`.
    fn metric_sum<const N: usize>(
        &self,
        start: usize,
        scores: &Matrix<N, O, T>,
        rows: usize,
    ) -> f64 {
        check_metric_args("Values", self.len(), N, start, rows);
        let targets = &self.values[start * O..(start + rows) * O];
        let squares: f64 = scores.as_slice()[..rows * O]
            .iter()
            .zip(targets)
            .map(|(&y, &t)| (y.to_f64() - t.to_f64()).powi(2))
            .sum();
        0.5 * squares
    }
}

/// Shows the number of targets, not every value.
impl<const O: usize, T> fmt::Debug for Values<O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let element = std::any::type_name::<T>();
        let len = self.values.len() / O;
        write!(f, "Values<{O}, {element}> {{ len: {len} }}")
    }
}
