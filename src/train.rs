//! The training loop of section 5.7: minibatch, gradient, update, repeat.
//!
//! Each iteration `i = 1, 2, …, iters` of [`train`]:
//!
//! 1. **minibatch**: draw `N` training samples uniformly with replacement (the book's
//!    `np.random.choice(train_size, batch_size)`), from a [`StdRng`] seeded with
//!    [`TrainConfig::seed`], so a run is reproducible;
//! 2. **gradient**: forward, the mean cross-entropy `L = −(1/N) Σ_n log y_{n,t_n}`, and
//!    backward, which leaves `∂L/∂W` beside every parameter `W`;
//! 3. **update**: `W ← W − η · ∂L/∂W` for every parameter ([`Sgd`], `η` =
//!    [`TrainConfig::lr`]);
//! 4. **repeat**.
//!
//! An *epoch* is `E = max(train_len / N, 1)` iterations (the book's `iter_per_epoch`):
//! as many as one pass over the training set would take. After every `E` iterations,
//! and once more after the last iteration when `iters` is not a multiple of `E`, the
//! accuracy `(1/M) Σ_m [argmax_k y_{m,k} = t_m]` is measured over the whole training
//! and test splits, and reported with the mean minibatch loss of that epoch as an
//! [`EpochStats`]. (The book measures after iterations `1, E + 1, 2E + 1, …`, so
//! its last measurement misses the last `E − 1` updates; here the last [`EpochStats`]
//! is always the final network.)
//!
//! ```
//! use backprop::data::Mnist;
//! use backprop::train::{TrainConfig, train};
//! use backprop::{Affine, Relu};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let full: Mnist = Mnist::load_default()?;
//! let mnist = Mnist { train: full.train.take(1_000), test: full.test.take(500) };
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut net = (Affine::<784, 50>::random(0.01, &mut rng), Relu::new(), Affine::<50, 10>::random(0.01, &mut rng));
//! let config = TrainConfig { iters: 25, ..TrainConfig::default() };
//! // Batches of 10: an epoch is 1,000 / 10 = 100 iterations, so 25 make one partial epoch.
//! let history = train::<10, _>(&mut net, &mnist, &config, |e| println!("{e:?}"), |_| {})?;
//! assert_eq!(history.epochs.len(), 1);
//! assert_eq!(history.epochs[0].iteration, 25);
//! let last = history.last().unwrap();
//! assert!((0.0..=1.0).contains(&last.test_acc) && last.mean_loss.is_finite());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::time::{Duration, Instant};

use rand::{SeedableRng, rngs::StdRng};

use crate::data::{CLASSES, Mnist, PIXELS, Split};
use crate::matrix::argmax;
use crate::{Error, Float, Layer, Matrix, Network, Params, Sgd, SoftmaxWithLoss};

/// The settings of a training run; the batch size `N` and the layer widths are not
/// here because they are compile-time shapes (`train::<100, _>`, `Affine<784, 50>`).
///
/// The defaults are the book's: 10,000 iterations at learning rate 0.1.
///
/// ```
/// use backprop::train::TrainConfig;
/// let config = TrainConfig { iters: 300, ..TrainConfig::default() };
/// assert_eq!((config.iters, config.lr, config.seed), (300, 0.1, 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// The number of SGD updates (the book's `iters_num = 10000`).
    pub iters: usize,
    /// The learning rate `η` of `W ← W − η · ∂L/∂W` (the book's `learning_rate = 0.1`).
    pub lr: f64,
    /// The seed of the random number generator that draws the minibatches.
    pub seed: u64,
}

impl Default for TrainConfig {
    /// 10,000 iterations, learning rate 0.1, seed 0.
    fn default() -> Self {
        Self {
            iters: 10_000,
            lr: 0.1,
            seed: 0,
        }
    }
}

/// What one epoch of training reached, measured right after its last iteration.
///
/// ```
/// use backprop::train::EpochStats;
/// use std::time::Duration;
/// let e = EpochStats { epoch: 1, iteration: 100, train_acc: 0.8, test_acc: 0.79, mean_loss: 0.9, elapsed: Duration::from_secs(1) };
/// assert!(e.train_acc > e.test_acc);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochStats {
    /// The epoch's number, counting from 1.
    pub epoch: usize,
    /// The number of iterations done so far (the epoch's last iteration, counting
    /// from 1).
    pub iteration: usize,
    /// The fraction of the whole training split that the network classifies right.
    pub train_acc: f64,
    /// The fraction of the whole test split that the network classifies right.
    pub test_acc: f64,
    /// The mean of the minibatch losses of this epoch's iterations.
    pub mean_loss: f64,
    /// Wall-clock time since training began, evaluations included.
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
    /// Wall-clock time of the whole run, evaluations included.
    pub elapsed: Duration,
}

impl History {
    /// The last epoch's stats: those of the final network (`None` after 0 iterations).
    ///
    /// ```
    /// use backprop::train::{EpochStats, History};
    /// use std::time::Duration;
    /// let e = EpochStats { epoch: 1, iteration: 5, train_acc: 0.5, test_acc: 0.4, mean_loss: 1.0, elapsed: Duration::ZERO };
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

/// Trains `net` on `data.train` with minibatches of `N` and plain SGD (the module
/// documentation gives the loop and its math), calling `on_iteration(i)` after each
/// update `i` (counting from 1) and `on_epoch` after each epoch's evaluation.
///
/// After the first iteration nothing is allocated, evaluations included: the batch,
/// its labels and every layer's buffers are reused, and the accuracy is measured in
/// batches of the same `N` (the last `len % N` samples in a batch filled only partly),
/// so the layers never switch batch size.
///
/// # Errors
/// [`Error::NotFinite`] when a minibatch loss is NaN or infinite, e.g. from a learning
/// rate far too large: `what` names the iteration (`"loss at iteration 7"`), and the
/// network is left as that iteration found it (its update is skipped).
///
/// # Panics
/// If `data.train` or `data.test` is empty (only [`Split::take(0)`](Split::take) makes
/// one; loading rejects empty files).
///
/// ```
/// use backprop::data::Mnist;
/// use backprop::train::{TrainConfig, train};
/// use backprop::{Affine, Error, Relu};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let full: Mnist = Mnist::load_default()?;
/// let mnist = Mnist { train: full.train.take(500), test: full.test.take(100) };
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net = (Affine::<784, 50>::random(0.01, &mut rng), Relu::new(), Affine::<50, 10>::random(0.01, &mut rng));
///
/// // A learning rate of 10¹⁰ blows the weights up until the scores overflow f32.
/// let config = TrainConfig { iters: 100, lr: 1e10, seed: 0 };
/// let err = train::<100, _>(&mut net, &mnist, &config, |_| {}, |_| {}).unwrap_err();
/// assert!(matches!(&err, Error::NotFinite { what, .. } if what.starts_with("loss at iteration ")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn train<const N: usize, T: Float>(
    net: &mut (impl Layer<Matrix<N, PIXELS, T>, Out = Matrix<N, CLASSES, T>> + Params<T>),
    data: &Mnist<T>,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(&EpochStats),
    mut on_iteration: impl FnMut(usize),
) -> Result<History, Error> {
    assert!(
        !data.train.is_empty() && !data.test.is_empty(),
        "train: the training split ({}) and the test split ({}) must both hold samples",
        data.train.len(),
        data.test.len()
    );
    let start = Instant::now();
    let iters_per_epoch = (data.train.len() / N).max(1);
    let mut epochs = Vec::with_capacity(config.iters.div_ceil(iters_per_epoch));
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut x = Matrix::<N, PIXELS, T>::zeros();
    let mut labels = [0; N];
    let mut loss = SoftmaxWithLoss::new();
    let sgd = Sgd::new(config.lr);
    let (mut loss_sum, mut loss_count) = (0.0, 0_usize);
    for i in 1..=config.iters {
        data.train.random_batch_into(&mut rng, &mut x, &mut labels);
        let value = net.gradient(&mut loss, &x, &labels)?.to_f64();
        if !value.is_finite() {
            return Err(Error::NotFinite {
                what: format!("loss at iteration {i}"),
                value,
            });
        }
        sgd.step(net);
        loss_sum += value;
        loss_count += 1;
        on_iteration(i);
        if i % iters_per_epoch == 0 || i == config.iters {
            let stats = EpochStats {
                epoch: epochs.len() + 1,
                iteration: i,
                train_acc: accuracy_into(net, &data.train, &mut x),
                test_acc: accuracy_into(net, &data.test, &mut x),
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

/// The fraction of `split` that `net` classifies right, `(1/M) Σ_m [argmax_k y_{m,k} =
/// t_m]`, computed in batches of `N` (the last one filled only partly when `N` does not
/// divide the split's length). Use the batch size the network trains with, so its
/// layers keep their buffers.
///
/// Returns NaN for an empty split (0/0).
///
/// ```
/// use backprop::data::Mnist;
/// use backprop::train::accuracy;
/// use backprop::{Affine, Network};
///
/// let mnist: Mnist = Mnist::load_default()?;
/// let test = mnist.test.take(250);
/// let mut net = (Affine::<784, 10>::zeros(),); // every score 0: predicts class 0 always
/// let zeros = test.labels().iter().filter(|&&t| t == 0).count();
/// assert_eq!(accuracy::<100, _>(&mut net, &test), zeros as f64 / 250.0);
/// # Ok::<(), backprop::data::DataError>(())
/// ```
pub fn accuracy<const N: usize, T: Float>(
    net: &mut impl Layer<Matrix<N, PIXELS, T>, Out = Matrix<N, CLASSES, T>>,
    split: &Split<T>,
) -> f64 {
    accuracy_into(net, split, &mut Matrix::zeros())
}

/// [`accuracy`] with the caller's batch buffer `x`.
fn accuracy_into<const N: usize, T: Float>(
    net: &mut impl Layer<Matrix<N, PIXELS, T>, Out = Matrix<N, CLASSES, T>>,
    split: &Split<T>,
    x: &mut Matrix<N, PIXELS, T>,
) -> f64 {
    let mut correct = 0;
    let chunks = split
        .inputs()
        .chunks(N * PIXELS)
        .zip(split.labels().chunks(N));
    for (inputs, labels) in chunks {
        // A short last chunk fills the first rows; the stale rows below are not counted.
        x.as_mut_slice()[..inputs.len()].copy_from_slice(inputs);
        let scores = net.forward_borrowed(x);
        correct += scores
            .rows()
            .zip(labels)
            .filter(|&(row, &label)| argmax(row) == label as usize)
            .count();
    }
    correct as f64 / split.len() as f64
}
