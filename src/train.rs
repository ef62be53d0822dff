//! The training loop of section 5.7, for any network, loss, optimizer and dataset:
//! minibatch, gradient, update, repeat, run by a [`Trainer`] you can also step by hand.
//!
//! Each iteration `i = 1, 2, …, iters` of [`Trainer::train`]:
//!
//! 1. **minibatch**: draw `N` training samples uniformly with replacement (the book's
//!    `np.random.choice(train_size, batch_size)`), from a [`StdRng`](rand::rngs::StdRng)
//!    seeded with [`TrainConfig::seed`], so a run is reproducible; or, with
//!    [`Draw::ShuffledEpochs`], the next `N` of a shuffle of the training set, so that
//!    every sample is seen once an epoch;
//! 2. **gradient**: forward, the loss (any [`Loss`](crate::Loss): the mean
//!    cross-entropy `L = −(1/N) Σ_n log y_{n,t_n}` of
//!    [`SoftmaxWithLoss`](crate::SoftmaxWithLoss) in the book), and backward, which
//!    leaves `∂L/∂W` beside every parameter `W`;
//! 3. **update**: the optimizer moves every parameter (plain SGD in chapter 5,
//!    `W ← W − η · ∂L/∂W`; the rules of 6.1 through [`Optimizer`](crate::Optimizer));
//! 4. **repeat**.
//!
//! Steps 2 and 3 are [`Trainer::step`]. An *epoch* is `E = max(train_len / N, 1)`
//! iterations (the book's `iter_per_epoch`): as many as one pass over the training set
//! would take. After every `E` iterations, and once more after the last iteration when
//! `iters` is not a multiple of `E`, the dataset's metric is measured over the whole
//! training and test splits ([`Trainer::evaluate`]) — the accuracy
//! `(1/M) Σ_m [argmax_k y_{m,k} = t_m]` for class labels, the mean `½‖y − t‖²` for
//! values — and reported with the mean minibatch loss of that epoch as an
//! [`EpochStats`]. (The book measures after iterations `1, E + 1, 2E + 1, …`, so its
//! last measurement misses the last `E − 1` updates; here the last [`EpochStats`] is
//! always the final network.)
//!
//! ```
//! use backprop::data::Mnist;
//! use backprop::train::{BatchSize, TrainConfig, Trainer};
//! use backprop::{Affine, Relu, Sgd, SoftmaxWithLoss};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let full: Mnist = Mnist::load_default()?;
//! let mnist = Mnist { train: full.train.take(1_000), test: full.test.take(500) };
//! let mut rng = StdRng::seed_from_u64(0);
//! let net = (Affine::<784, 50>::random(0.01, &mut rng), Relu::new(), Affine::<50, 10>::random(0.01, &mut rng));
//! // Batches of 10: an epoch is 1,000 / 10 = 100 iterations, so 25 make one partial epoch.
//! let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), Sgd::new(0.1), BatchSize::<10>);
//! let config = TrainConfig { iters: 25, ..TrainConfig::default() };
//! let history = trainer.train(&mnist, &config, |e| println!("{e:?}"), |_| {})?;
//! assert_eq!(history.epochs.len(), 1);
//! assert_eq!(history.epochs[0].iteration, 25);
//! let last = history.last().unwrap();
//! assert!((0.0..=1.0).contains(&last.test_metric) && last.mean_loss.is_finite());
//! assert_eq!(last.metric, "accuracy");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod draw;
mod history;
mod step;
mod trainer;

pub use draw::Draw;
pub use history::{EpochStats, History};
pub use trainer::{BatchSize, Trainer};

use crate::data::{Dataset, EVAL_ROWS, Metric, TargetSet};
use crate::{Error, Float, Layer, Matrix};

/// The settings of a training run; the batch size `N` and the layer widths are not
/// here because they are compile-time shapes (`BatchSize<100>`, `Affine<784, 50>`),
/// nor is the learning rate, which belongs to the optimizer.
///
/// The default is the book's 10,000 iterations.
///
/// ```
/// use backprop::train::TrainConfig;
/// let config = TrainConfig { iters: 300, ..TrainConfig::default() };
/// assert_eq!((config.iters, config.seed), (300, 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainConfig {
    /// The number of updates (the book's `iters_num = 10000`).
    pub iters: usize,
    /// The seed of the random number generator that draws the minibatches.
    pub seed: u64,
}

impl Default for TrainConfig {
    /// 10,000 iterations, seed 0.
    fn default() -> Self {
        Self {
            iters: 10_000,
            seed: 0,
        }
    }
}

/// The dataset's metric of `net` over the whole of `data`: the accuracy
/// `(1/M) Σ_m [argmax_k y_{m,k} = t_m]` for class labels, the mean `½‖y − t‖²` for
/// values ([`Metric::metric_sum`] over the length), in inference, in blocks of
/// [`EVAL_ROWS`]. The network is only read. (A [`Trainer`] keeps the workspace
/// between evaluations; this makes one for the call.)
///
/// # Errors
/// [`Error::EmptySplit`] for a dataset with no samples (an accuracy of 0/0).
///
/// ```
/// use backprop::data::Mnist;
/// use backprop::train::evaluate;
/// use backprop::Affine;
///
/// let mnist: Mnist = Mnist::load_default()?;
/// let test = mnist.test.take(250);
/// let net = (Affine::<784, 10>::zeros(),); // every score 0: predicts class 0 always
/// let zeros = test.labels().iter().filter(|&&t| t == 0).count();
/// assert_eq!(evaluate(&net, &test)?, zeros as f64 / 250.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn evaluate<Net, const I: usize, const O: usize, T: Float, Y: Metric<O, T>>(
    net: &Net,
    data: &Dataset<I, Y, T>,
) -> Result<f64, Error>
where
    Net: Layer<Matrix<EVAL_ROWS, I, T>, Out = Matrix<EVAL_ROWS, O, T>>,
{
    let mut work = Default::default();
    evaluate_with(net, data, "evaluated", data.len(), &mut work, &mut None)
}

/// [`evaluate`] through the caller's workspace, and a block buffer (made on first
/// need) for the rows past the dataset's last whole block; `split` names the dataset
/// in the error for an empty one.
fn evaluate_with<Net, const I: usize, const O: usize, T: Float, Y: Metric<O, T>>(
    net: &Net,
    data: &Dataset<I, Y, T>,
    split: &'static str,
    rows: usize,
    work: &mut Net::Workspace,
    tail: &mut Option<Matrix<EVAL_ROWS, I, T>>,
) -> Result<f64, Error>
where
    Net: Layer<Matrix<EVAL_ROWS, I, T>, Out = Matrix<EVAL_ROWS, O, T>> + ?Sized,
{
    nonempty(data, split, rows)?;
    debug_assert!(
        rows <= data.len(),
        "evaluate_with: {rows} rows of {}",
        data.len()
    );
    let blocks = data.eval_blocks();
    let whole = rows / EVAL_ROWS;
    let mut sum = 0.0;
    for (k, block) in blocks.iter().enumerate().take(whole) {
        let scores = net.infer(block, work);
        sum += data.targets().metric_sum(k * EVAL_ROWS, scores, EVAL_ROWS);
    }
    let start = whole * EVAL_ROWS;
    if start < rows {
        let x = tail.get_or_insert_with(Matrix::zeros);
        sum += metric_sum_copied(net, data, start..rows, work, x);
    }
    Ok(sum / rows as f64)
}

/// [`evaluate`] in batches of `B` rows copied into `x`, through the caller's workspace
/// for `B` rows (the trainer's own, under [`Trainer::with_batch_evaluation`]).
fn evaluate_in_batches<Net, const B: usize, const I: usize, const O: usize, T, Y>(
    net: &Net,
    data: &Dataset<I, Y, T>,
    split: &'static str,
    rows: usize,
    work: &mut Net::Workspace,
    x: &mut Matrix<B, I, T>,
) -> Result<f64, Error>
where
    T: Float,
    Y: Metric<O, T>,
    Net: Layer<Matrix<B, I, T>, Out = Matrix<B, O, T>> + ?Sized,
{
    nonempty(data, split, rows)?;
    Ok(metric_sum_copied(net, data, 0..rows, work, x) / rows as f64)
}

/// [`Error::EmptySplit`] naming `split` when there is nothing to measure (an accuracy
/// of 0/0).
fn nonempty<const I: usize, T: Float, Y: TargetSet<T>>(
    data: &Dataset<I, Y, T>,
    split: &'static str,
    rows: usize,
) -> Result<(), Error> {
    match data.is_empty() || rows == 0 {
        true => Err(Error::EmptySplit { split }),
        false => Ok(()),
    }
}

/// The sum of the metric over `rows` of `data`, `B` rows at a time copied into the top
/// of `x` (below a last, shorter batch, the stale rows are not counted).
fn metric_sum_copied<Net, const B: usize, const I: usize, const O: usize, T, Y>(
    net: &Net,
    data: &Dataset<I, Y, T>,
    rows: std::ops::Range<usize>,
    work: &mut Net::Workspace,
    x: &mut Matrix<B, I, T>,
) -> f64
where
    T: Float,
    Y: Metric<O, T>,
    Net: Layer<Matrix<B, I, T>, Out = Matrix<B, O, T>> + ?Sized,
{
    let mut sum = 0.0;
    for start in rows.clone().step_by(B) {
        let end = (start + B).min(rows.end);
        let batch = &data.inputs()[start * I..end * I];
        x.as_mut_slice()[..batch.len()].copy_from_slice(batch);
        let scores = net.infer(x, work);
        sum += data.targets().metric_sum(start, scores, end - start);
    }
    sum
}
