//! What a training run reports: one [`EpochStats`] per epoch, gathered in a [`History`].

use std::time::Duration;

/// What one epoch of training reached, measured right after its last iteration.
///
/// ```
/// use backprop::data::{Dataset, Labels, Splits};
/// use backprop::train::{BatchSize, TrainConfig, Trainer};
/// use backprop::{Affine, Sgd, SoftmaxWithLoss};
/// // One input, two classes: class 1 where x > 0.
/// let points = vec![vec![-2.0], vec![-1.0], vec![1.0], vec![2.0]];
/// let set = Dataset::<1, Labels<2>, f64>::classification(points, vec![0, 0, 1, 1])?;
/// let data = Splits { train: set.clone(), test: set };
/// let net = (Affine::<1, 2, f64>::zeros(),);
/// // batches of 2: 2 iterations an epoch
/// let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), Sgd::new(0.5), BatchSize::<2>);
/// let config = TrainConfig { iters: 20, seed: 0 };
/// let history = trainer.train(&data, &config, |_| {}, |_| {})?;
/// let e = history.last().unwrap();
/// assert_eq!((e.epoch, e.iteration, e.metric), (10, 20, "accuracy"));
/// assert_eq!(e.train_metric, 1.0); // all four on the right side of 0
/// assert!(e.mean_loss < 2f64.ln() && e.elapsed <= history.elapsed);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochStats {
    /// The epoch's number, counting from 1.
    pub epoch: usize,
    /// The number of iterations done so far (the epoch's last iteration, counting
    /// from 1).
    pub iteration: usize,
    /// What the metric measures: `"accuracy"` (class labels) or `"mse"` (values),
    /// [`TargetSet::METRIC`](crate::data::TargetSet::METRIC).
    pub metric: &'static str,
    /// The metric over the training split: the fraction classified right, or the mean
    /// `½‖y − t‖²`; over all of it unless the trainer measures fewer rows an epoch
    /// ([`Trainer::with_epoch_rows`](super::Trainer::with_epoch_rows)).
    pub train_metric: f64,
    /// The metric over the test split (all of it, or as many rows as the training).
    pub test_metric: f64,
    /// The mean of the minibatch losses of this epoch's iterations.
    pub mean_loss: f64,
    /// Wall-clock time since training began, evaluations included (zero on
    /// `wasm32-unknown-unknown`, which has no clock).
    pub elapsed: Duration,
}

/// The record of a training run: one [`EpochStats`] per epoch, the last one for the
/// final network.
///
/// ```
/// use backprop::train::History;
/// use std::time::Duration;
/// let h = History { epochs: Vec::new(), iters_per_epoch: 100, elapsed: Duration::from_millis(1500) };
/// assert!(h.last().is_none());
/// assert_eq!(h.seconds(), 1.5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The epochs in order; the last may be partial (fewer than `iters_per_epoch`
    /// iterations) when the iterations do not fill it.
    pub epochs: Vec<EpochStats>,
    /// Iterations per epoch, `max(train_len / N, 1)`.
    pub iters_per_epoch: usize,
    /// Wall-clock time of the whole run, evaluations included (zero on
    /// `wasm32-unknown-unknown`, which has no clock).
    pub elapsed: Duration,
}

impl History {
    /// The last epoch's stats: those of the final network (`None` after 0 iterations).
    ///
    /// ```
    /// use backprop::train::{EpochStats, History};
    /// use std::time::Duration;
    /// let e = EpochStats { epoch: 1, iteration: 5, metric: "accuracy", train_metric: 0.5, test_metric: 0.4, mean_loss: 1.0, elapsed: Duration::ZERO };
    /// let h = History { epochs: vec![e], iters_per_epoch: 5, elapsed: Duration::ZERO };
    /// assert_eq!(h.last(), Some(&e));
    /// ```
    pub fn last(&self) -> Option<&EpochStats> {
        self.epochs.last()
    }

    /// The whole run's wall-clock time in seconds.
    ///
    /// ```
    /// use backprop::train::History;
    /// use std::time::Duration;
    /// let h = History { epochs: Vec::new(), iters_per_epoch: 1, elapsed: Duration::from_secs(3) };
    /// assert_eq!(h.seconds(), 3.0);
    /// ```
    pub fn seconds(&self) -> f64 {
        self.elapsed.as_secs_f64()
    }
}
