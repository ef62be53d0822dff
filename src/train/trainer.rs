//! [`Trainer`]: a network with everything a training step needs, stepped by hand or
//! run as the book's loop.

use rand::{Rng, SeedableRng, rngs::StdRng};

mod evaluation;

use evaluation::Eval;

use super::draw::{Draw, Shuffled};
use super::step::step;
use super::{EpochStats, History, TrainConfig};
use crate::clock::Stopwatch;
use crate::data::{Dataset, EVAL_ROWS, Metric, Splits, TargetSet};
use crate::{Error, Float, Layer, Loss, Matrix, Optimizer, Params};

/// The training batch size `N`, stated once where a [`Trainer`] is made:
/// `Trainer::new(net, loss, optimizer, BatchSize::<100>)`.
///
/// ```
/// use backprop::train::BatchSize;
/// assert_eq!(BatchSize::<100>.rows(), 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchSize<const N: usize>;

impl<const N: usize> BatchSize<N> {
    /// `N`.
    ///
    /// ```
    /// assert_eq!(backprop::train::BatchSize::<7>.rows(), 7);
    /// ```
    pub fn rows(self) -> usize {
        N
    }
}

/// A network being trained on batches of `N` inputs `I` wide into `O` scores, with
/// its loss, its optimizer and every buffer a step needs: the network's workspace for
/// a batch, the batch itself, ∂L/∂scores, and (from the first evaluation on, unless it
/// measures in training batches) a workspace for blocks of [`EVAL_ROWS`]. A step
/// allocates nothing.
///
/// - [`step`](Trainer::step): one forward pass, the loss, one backward pass and one
///   update, on a batch you give; [`step_random`](Trainer::step_random) draws it first;
/// - [`evaluate`](Trainer::evaluate): the dataset's metric over a whole split, in
///   inference, in blocks of [`EVAL_ROWS`] (or in training batches:
///   [`with_batch_evaluation`](Trainer::with_batch_evaluation));
/// - [`train`](Trainer::train): the book's loop over both (the [module
///   documentation](super) gives it).
///
/// The dataset's targets, the loss and the network's output must agree on the class
/// count (or output width): training `Labels<2>` with a network that ends in
/// `Affine<8, 3>` does not compile.
///
/// ```
/// use backprop::data::{Dataset, Labels};
/// use backprop::train::{BatchSize, Trainer};
/// use backprop::{Affine, Matrix, Sgd, SoftmaxWithLoss};
/// // One input, two classes: class 1 where x > 0.
/// let set = Dataset::<1, Labels<2>, f64>::classification(vec![vec![-1.0], vec![1.0]], vec![0, 1])?;
/// let net = (Affine::<1, 2, f64>::zeros(),);
/// let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), Sgd::new(0.5), BatchSize::<2>);
/// let x = Matrix::new([[-1.0], [1.0]]);
/// let first = trainer.step(&x, &[0, 1])?;
/// assert_eq!(first, 2f64.ln()); // zero weights: 50/50
/// assert!(trainer.step(&x, &[0, 1])? < first);
/// assert_eq!(trainer.evaluate(&set)?, 1.0);
/// assert_eq!(trainer.steps(), 2);
/// # Ok::<(), backprop::Error>(())
/// ```
pub struct Trainer<Net, L, Opt, const N: usize, const I: usize, const O: usize, T = f32>
where
    T: Float,
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, O, T>>
        + Layer<Matrix<EVAL_ROWS, I, T>, Out = Matrix<EVAL_ROWS, O, T>>,
{
    net: Net,
    loss: L,
    optimizer: Opt,
    work: <Net as Layer<Matrix<N, I, T>>>::Workspace,
    /// ∂L/∂scores of the last step.
    dscores: Matrix<N, O, T>,
    /// The batch [`step_random`](Trainer::step_random) draws into.
    x: Matrix<N, I, T>,
    /// For evaluation, made on its first call: the workspace of a block, and a block
    /// for a dataset's last rows.
    eval: Option<Box<Eval<Net, I, O, T>>>,
    steps: usize,
    draw: Draw,
    /// How many rows of each split `train` measures after each epoch (all: `None`).
    epoch_rows: Option<usize>,
    /// Whether evaluation runs in training batches through `work` and `x`.
    batch_evaluation: bool,
}

impl<Net, L, Opt, const N: usize, const I: usize, const O: usize, T>
    Trainer<Net, L, Opt, N, I, O, T>
where
    T: Float,
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, O, T>>
        + Layer<Matrix<EVAL_ROWS, I, T>, Out = Matrix<EVAL_ROWS, O, T>>
        + Params<T>,
    Opt: Optimizer<T>,
{
    /// A trainer for `net` on batches of `N`, with `loss` and `optimizer`; its buffers
    /// are made here, once.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Relu, Sgd, SoftmaxWithLoss};
    /// let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<50, 10>::zeros());
    /// let trainer = Trainer::new(net, SoftmaxWithLoss::<10>::new(), Sgd::new(0.1), BatchSize::<100>);
    /// assert_eq!(trainer.steps(), 0);
    /// assert_eq!(trainer.net().2.w.as_slice().len(), 500);
    /// ```
    pub fn new(net: Net, loss: L, optimizer: Opt, _batch: BatchSize<N>) -> Self {
        Self {
            net,
            loss,
            optimizer,
            work: Default::default(),
            dscores: Matrix::zeros(),
            x: Matrix::zeros(),
            eval: None,
            steps: 0,
            draw: Draw::WithReplacement,
            epoch_rows: None,
            batch_evaluation: false,
        }
    }

    /// The same trainer, with [`train`](Trainer::train) drawing its batches as `draw`
    /// says (with replacement, the book's way, unless told otherwise).
    ///
    /// ```
    /// use backprop::train::{BatchSize, Draw, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>)
    ///     .with_draw(Draw::ShuffledEpochs);
    /// assert_eq!(trainer.draw(), Draw::ShuffledEpochs);
    /// ```
    pub fn with_draw(mut self, draw: Draw) -> Self {
        self.draw = draw;
        self
    }

    /// How [`train`](Trainer::train) draws its batches.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Draw, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// assert_eq!(trainer.draw(), Draw::WithReplacement);
    /// ```
    pub fn draw(&self) -> Draw {
        self.draw
    }

    /// The network.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Named, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// assert_eq!(trainer.net().name(), "(Affine<2, 2>,)");
    /// ```
    pub fn net(&self) -> &Net {
        &self.net
    }

    /// The network, to change by hand (set weights, weight decay, freeze dropout).
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let mut trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// trainer.net_mut().0.b[(0, 1)] = 1.0;
    /// assert_eq!(trainer.net().0.b.sum(), 1.0);
    /// ```
    pub fn net_mut(&mut self) -> &mut Net {
        &mut self.net
    }

    /// The trained network, the trainer's buffers dropped.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// let (layer,) = trainer.into_net();
    /// assert_eq!(layer.w.sum(), 0.0);
    /// ```
    pub fn into_net(self) -> Net {
        self.net
    }

    /// The optimizer (to change its learning rate, or replace it).
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let mut trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// trainer.optimizer_mut().lr = 0.01;
    /// assert_eq!(trainer.optimizer_mut().lr, 0.01);
    /// ```
    pub fn optimizer_mut(&mut self) -> &mut Opt {
        &mut self.optimizer
    }

    /// The number of steps taken so far.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// assert_eq!(trainer.steps(), 0);
    /// ```
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// One step on a batch: a training pass, the loss, backward through every layer
    /// (no gradient for the input), one update. Returns the loss (with the network's
    /// [penalty](Params::penalty)).
    ///
    /// # Errors
    /// A target the loss rejects, as the loss reports it; [`Error::NotFinite`] when
    /// the loss is NaN or infinite (e.g. from a learning rate far too large), with
    /// `what` naming the step (`"loss at iteration 7"`, counting the trainer's steps
    /// from 1). The network is not updated then.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Error, Matrix, Sgd, SoftmaxWithLoss};
    /// let mut trainer = Trainer::new((Affine::<1, 2, f64>::zeros(),), SoftmaxWithLoss::new(), Sgd::new(0.5), BatchSize::<1>);
    /// let err = trainer.step(&Matrix::new([[1.0]]), &[2]).unwrap_err();
    /// assert_eq!(err, Error::Label { row: 0, label: 2, classes: 2 });
    /// assert_eq!(trainer.steps(), 0);
    /// ```
    pub fn step<Y: ?Sized>(&mut self, x: &Matrix<N, I, T>, targets: &Y) -> Result<T, Error>
    where
        L: Loss<N, O, T, Y>,
    {
        let Self {
            net,
            loss,
            optimizer,
            work,
            dscores,
            steps,
            ..
        } = self;
        step(net, loss, optimizer, work, dscores, steps, x, targets)
    }

    /// One [`step`](Trainer::step) on `N` samples of `data` drawn uniformly with
    /// replacement by `rng` into the trainer's own batch (as
    /// [`Dataset::random_batch_into`]).
    ///
    /// # Errors
    /// [`Error::EmptySplit`] for an empty dataset; then as [`step`](Trainer::step).
    ///
    /// ```
    /// use backprop::data::Mnist;
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mnist: Mnist = Mnist::load_default()?;
    /// let mut trainer = Trainer::new((Affine::<784, 10>::zeros(),), SoftmaxWithLoss::new(), Sgd::new(0.1), BatchSize::<100>);
    /// let loss = trainer.step_random(&mnist.train, &mut StdRng::seed_from_u64(0))?;
    /// assert!((loss - 10f32.ln()).abs() < 1e-5); // zero weights: every class 1/10
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn step_random<Y>(
        &mut self,
        data: &Dataset<I, Y, T>,
        rng: &mut (impl Rng + ?Sized),
    ) -> Result<T, Error>
    where
        Y: TargetSet<T>,
        L: Loss<N, O, T, Y::Batch<N>>,
    {
        let mut targets = Y::zero_batch::<N>();
        self.step_random_with(data, rng, &mut targets)
    }

    /// [`step_random`](Trainer::step_random) with the caller's target buffer.
    fn step_random_with<Y>(
        &mut self,
        data: &Dataset<I, Y, T>,
        rng: &mut (impl Rng + ?Sized),
        targets: &mut Y::Batch<N>,
    ) -> Result<T, Error>
    where
        Y: TargetSet<T>,
        L: Loss<N, O, T, Y::Batch<N>>,
    {
        if data.is_empty() {
            return Err(Error::EmptySplit { split: "training" });
        }
        data.random_batch_into(rng, &mut self.x, targets);
        self.step_own_batch(targets)
    }

    /// A [`step`](Trainer::step) on the trainer's own batch, which the caller has just
    /// filled.
    fn step_own_batch<Y: ?Sized>(&mut self, targets: &Y) -> Result<T, Error>
    where
        L: Loss<N, O, T, Y>,
    {
        let Self {
            net,
            loss,
            optimizer,
            work,
            dscores,
            x,
            steps,
            ..
        } = self;
        step(net, loss, optimizer, work, dscores, steps, x, targets)
    }

    /// Trains on `data.train` for `config.iters` steps on random batches, measuring both
    /// splits after every epoch (the [module documentation](super) gives the loop and
    /// its math), calling `on_iteration(i)` after each update `i` (counting from 1) and
    /// `on_epoch` after each epoch's evaluation.
    ///
    /// # Errors
    /// [`Error::EmptySplit`] when either split has no samples, before any step; then
    /// as [`step`](Trainer::step): the run stops at the first step whose loss is not
    /// finite, with the network as that step found it.
    ///
    /// ```
    /// use backprop::data::{Dataset, Labels, Splits};
    /// use backprop::train::{BatchSize, TrainConfig, Trainer};
    /// use backprop::{Affine, Error, Sgd, SoftmaxWithLoss};
    /// let set = Dataset::<1, Labels<2>>::classification(vec![vec![-1.0], vec![1.0]], vec![0, 1])?;
    /// let data = Splits { train: set.clone(), test: set.take(0) };
    /// let mut trainer = Trainer::new((Affine::<1, 2>::zeros(),), SoftmaxWithLoss::new(), Sgd::new(0.5), BatchSize::<2>);
    /// let err = trainer.train(&data, &TrainConfig::default(), |_| {}, |_| {}).unwrap_err();
    /// assert_eq!(err, Error::EmptySplit { split: "test" });
    /// assert_eq!(trainer.steps(), 0);
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn train<Y>(
        &mut self,
        data: &Splits<I, Y, T>,
        config: &TrainConfig,
        mut on_epoch: impl FnMut(&EpochStats),
        mut on_iteration: impl FnMut(usize),
    ) -> Result<History, Error>
    where
        Y: Metric<O, T>,
        L: Loss<N, O, T, Y::Batch<N>>,
    {
        for (split, set) in [("training", &data.train), ("test", &data.test)] {
            if set.is_empty() {
                return Err(Error::EmptySplit { split });
            }
        }
        let start = Stopwatch::start();
        let iters_per_epoch = (data.train.len() / N).max(1);
        let mut epochs = Vec::with_capacity(config.iters.div_ceil(iters_per_epoch));
        let mut rng = StdRng::seed_from_u64(config.seed);
        let mut targets = Y::zero_batch::<N>();
        let mut order = Shuffled::new(data.train.len(), self.draw);
        let (mut loss_sum, mut loss_count) = (0.0, 0_usize);
        for i in 1..=config.iters {
            let value = match &mut order {
                None => self.step_random_with(&data.train, &mut rng, &mut targets)?,
                Some(order) => {
                    let indices = order.next_batch::<N>(&mut rng);
                    data.train.gather_into(&indices, &mut self.x, &mut targets);
                    self.step_own_batch(&targets)?
                }
            };
            loss_sum += value.to_f64();
            loss_count += 1;
            on_iteration(i);
            if i % iters_per_epoch == 0 || i == config.iters {
                let stats = EpochStats {
                    epoch: epochs.len() + 1,
                    iteration: i,
                    metric: Y::METRIC,
                    train_metric: self.evaluate_split(&data.train, "training", self.epoch_rows)?,
                    test_metric: self.evaluate_split(&data.test, "test", self.epoch_rows)?,
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
}
