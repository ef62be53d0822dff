//! The training loop of section 5.7, for any network, loss, optimizer and dataset:
//! minibatch, gradient, update, repeat.
//!
//! Each iteration `i = 1, 2, …, iters` of [`train`]:
//!
//! 1. **minibatch**: draw `N` training samples uniformly with replacement (the book's
//!    `np.random.choice(train_size, batch_size)`), from a [`StdRng`] seeded with
//!    [`TrainConfig::seed`], so a run is reproducible;
//! 2. **gradient**: forward, the loss (any [`Loss`]: the mean cross-entropy
//!    `L = −(1/N) Σ_n log y_{n,t_n}` of [`SoftmaxWithLoss`](crate::SoftmaxWithLoss) in the
//!    book), and backward, which leaves `∂L/∂W` beside every parameter `W`;
//! 3. **update**: the optimizer moves every parameter (plain SGD in chapter 5,
//!    `W ← W − η · ∂L/∂W`; the rules of 6.1 through [`Optimizer`]);
//! 4. **repeat**.
//!
//! An *epoch* is `E = max(train_len / N, 1)` iterations (the book's `iter_per_epoch`):
//! as many as one pass over the training set would take. After every `E` iterations,
//! and once more after the last iteration when `iters` is not a multiple of `E`, the
//! dataset's metric is measured over the whole training and test splits — the
//! accuracy `(1/M) Σ_m [argmax_k y_{m,k} = t_m]` for class labels, the mean
//! `½‖y − t‖²` for values — and reported with the mean minibatch loss of that epoch as
//! an [`EpochStats`]. (The book measures after iterations `1, E + 1, 2E + 1, …`, so
//! its last measurement misses the last `E − 1` updates; here the last [`EpochStats`]
//! is always the final network.)
//!
//! ```
//! use backprop::data::Mnist;
//! use backprop::train::{TrainConfig, train};
//! use backprop::{Affine, Relu, Sgd, SoftmaxWithLoss};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let full: Mnist = Mnist::load_default()?;
//! let mnist = Mnist { train: full.train.take(1_000), test: full.test.take(500) };
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut net = (Affine::<784, 50>::random(0.01, &mut rng), Relu::new(), Affine::<50, 10>::random(0.01, &mut rng));
//! // Batches of 10 (the loss's type fixes the batch size): an epoch is 1,000 / 10 =
//! // 100 iterations, so 25 make one partial epoch.
//! let mut loss = SoftmaxWithLoss::<10, 10>::new();
//! let config = TrainConfig { iters: 25, ..TrainConfig::default() };
//! let history = train(&mut net, &mut loss, &mut Sgd::new(0.1), &mnist, &config, |e| println!("{e:?}"), |_| {})?;
//! assert_eq!(history.epochs.len(), 1);
//! assert_eq!(history.epochs[0].iteration, 25);
//! let last = history.last().unwrap();
//! assert!((0.0..=1.0).contains(&last.test_metric) && last.mean_loss.is_finite());
//! assert_eq!(last.metric, "accuracy");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod history;

pub use history::{EpochStats, History};

use crate::clock::Stopwatch;

use rand::{SeedableRng, rngs::StdRng};

use crate::data::{Dataset, Splits, TargetSet};
use crate::{Error, Float, Layer, Loss, Matrix, Network, Optimizer, Params};

/// The settings of a training run; the batch size `N` and the layer widths are not
/// here because they are compile-time shapes (`SoftmaxWithLoss<100, 10>`,
/// `Affine<784, 50>`), nor is the learning rate, which belongs to the optimizer.
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

/// Trains `net` on `data.train` with minibatches of `N`, `loss` and `optimizer` (the
/// module documentation gives the loop and its math), calling `on_iteration(i)` after
/// each update `i` (counting from 1) and `on_epoch` after each epoch's evaluation on
/// `data.train` and `data.test`.
///
/// After the first iteration nothing is allocated, evaluations included (an
/// optimizer's state is made on its first step): the batch, its targets and every
/// layer's buffers are reused, and the metric is measured in batches of the same `N`
/// (the last `len % N` samples in a batch filled only partly), so the layers never
/// switch batch size.
///
/// # Errors
/// [`Error::NotFinite`] when a minibatch loss is NaN or infinite, e.g. from a learning
/// rate far too large: `what` names the iteration (`"loss at iteration 7"`), and the
/// network is left as that iteration found it (its update is skipped). A target the
/// loss rejects, as the loss reports it.
///
/// ```
/// use backprop::data::Mnist;
/// use backprop::train::{TrainConfig, train};
/// use backprop::{Affine, Error, Relu, Sgd, SoftmaxWithLoss};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let full: Mnist = Mnist::load_default()?;
/// let mnist = Mnist { train: full.train.take(500), test: full.test.take(100) };
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net = (Affine::<784, 50>::random(0.01, &mut rng), Relu::new(), Affine::<50, 10>::random(0.01, &mut rng));
///
/// // A learning rate of 10¹⁰ blows the weights up until the scores overflow f32.
/// let config = TrainConfig { iters: 100, seed: 0 };
/// let mut loss = SoftmaxWithLoss::<100, 10>::new();
/// let err = train(&mut net, &mut loss, &mut Sgd::new(1e10), &mnist, &config, |_| {}, |_| {}).unwrap_err();
/// assert!(matches!(&err, Error::NotFinite { what, .. } if what.starts_with("loss at iteration ")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn train<const N: usize, const I: usize, const O: usize, T, Y, Net, L, Opt>(
    net: &mut Net,
    loss: &mut L,
    optimizer: &mut Opt,
    data: &Splits<I, Y, T>,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(&EpochStats),
    mut on_iteration: impl FnMut(usize),
) -> Result<History, Error>
where
    T: Float,
    Y: TargetSet<T>,
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, O, T>> + Params<T>,
    L: Loss<N, O, T, Y::Batch<N>>,
    Opt: Optimizer<T> + ?Sized,
{
    let start = Stopwatch::start();
    let iters_per_epoch = (data.train.len() / N).max(1);
    let mut epochs = Vec::with_capacity(config.iters.div_ceil(iters_per_epoch));
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut x = Matrix::<N, I, T>::zeros();
    let mut targets = Y::zero_batch::<N>();
    let (mut loss_sum, mut loss_count) = (0.0, 0_usize);
    for i in 1..=config.iters {
        data.train.random_batch_into(&mut rng, &mut x, &mut targets);
        let value = net.gradient(loss, &x, &targets)?.to_f64();
        if !value.is_finite() {
            return Err(Error::NotFinite {
                what: format!("loss at iteration {i}"),
                value,
            });
        }
        optimizer.step(net);
        loss_sum += value;
        loss_count += 1;
        on_iteration(i);
        if i % iters_per_epoch == 0 || i == config.iters {
            let stats = EpochStats {
                epoch: epochs.len() + 1,
                iteration: i,
                metric: Y::METRIC,
                train_metric: evaluate_into(net, &data.train, &mut x),
                test_metric: evaluate_into(net, &data.test, &mut x),
                mean_loss: loss_sum / loss_count as f64,
                elapsed: start.elapsed(),
            };
            on_epoch(&stats);
            epochs.push(stats);
            (loss_sum, loss_count) = (0.0, 0);
        }
    }
    Ok(History {
        epochs,
        iters_per_epoch,
        elapsed: start.elapsed(),
    })
}

/// The dataset's metric of `net` over the whole of `data`, computed in batches of `N`
/// (the last one filled only partly when `N` does not divide its length): the
/// accuracy `(1/M) Σ_m [argmax_k y_{m,k} = t_m]` for class labels, the mean
/// `½‖y − t‖²` for values ([`TargetSet::metric_sum`] over the length). Use the batch
/// size the network trains with, so its layers keep their buffers.
///
/// Returns NaN for an empty dataset (0/0).
///
/// ```
/// use backprop::data::Mnist;
/// use backprop::train::evaluate;
/// use backprop::Affine;
///
/// let mnist: Mnist = Mnist::load_default()?;
/// let test = mnist.test.take(250);
/// let mut net = (Affine::<784, 10>::zeros(),); // every score 0: predicts class 0 always
/// let zeros = test.labels().iter().filter(|&&t| t == 0).count();
/// assert_eq!(evaluate::<100, _, _, _, _>(&mut net, &test), zeros as f64 / 250.0);
/// # Ok::<(), backprop::data::DataError>(())
/// ```
pub fn evaluate<const N: usize, const I: usize, const O: usize, T: Float, Y: TargetSet<T>>(
    net: &mut impl Layer<Matrix<N, I, T>, Out = Matrix<N, O, T>>,
    data: &Dataset<I, Y, T>,
) -> f64 {
    evaluate_into(net, data, &mut Matrix::zeros())
}

/// [`evaluate`], straight from the dataset's whole batches (made on its first
/// evaluation), or through the caller's batch buffer `x` when the dataset keeps its
/// batches for another size.
fn evaluate_into<const N: usize, const I: usize, const O: usize, T: Float, Y: TargetSet<T>>(
    net: &mut (impl Layer<Matrix<N, I, T>, Out = Matrix<N, O, T>> + ?Sized),
    data: &Dataset<I, Y, T>,
    x: &mut Matrix<N, I, T>,
) -> f64 {
    let mut sum = 0.0;
    if let Some(batches) = data.input_batches::<N>() {
        for (k, batch) in batches.iter().enumerate() {
            // The last batch's padding rows are not counted.
            let rows = N.min(data.len() - k * N);
            sum += data
                .targets()
                .metric_sum(k * N, net.predict(batch).as_slice(), O, rows);
        }
        return sum / data.len() as f64;
    }
    for (k, inputs) in data.inputs().chunks(N * I).enumerate() {
        // A short last chunk fills the first rows; the stale rows below are not counted.
        x.as_mut_slice()[..inputs.len()].copy_from_slice(inputs);
        let scores = net.predict(x);
        sum += data
            .targets()
            .metric_sum(k * N, scores.as_slice(), O, inputs.len() / I);
    }
    sum / data.len() as f64
}
