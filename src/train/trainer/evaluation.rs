//! The trainer's measurements: a whole dataset, or the first rows of each split after
//! each epoch, in blocks of [`EVAL_ROWS`] through a workspace made on first use, or in
//! training batches through the training workspace.

use super::Trainer;
use crate::data::{Dataset, EVAL_ROWS, Metric};
use crate::train::{evaluate_in_batches, evaluate_with};
use crate::{Error, Float, Layer, Matrix, Optimizer, Params};

/// The workspace of a block, and a block for a dataset's last rows.
pub(super) struct Eval<Net, const I: usize, const O: usize, T>
where
    T: Float,
    Net: Layer<Matrix<EVAL_ROWS, I, T>, Out = Matrix<EVAL_ROWS, O, T>>,
{
    pub work: Net::Workspace,
    pub tail: Option<Matrix<EVAL_ROWS, I, T>>,
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
    /// The same trainer, with [`train`](Trainer::train) measuring only the first `rows`
    /// samples of each split after each epoch (all of a smaller split), the book's
    /// `evaluate_sample_num_per_epoch`: its SimpleConvNet measures 1,000 a split, since
    /// a convolution's evaluation of all of them takes as long as the epoch's training.
    /// Without it, every sample, every epoch. [`evaluate`](Trainer::evaluate) always
    /// measures all of a dataset. (`0` is taken as 1: an epoch measured on nothing would
    /// have no accuracy.)
    ///
    /// ```
    /// use backprop::data::{Dataset, Labels, Splits};
    /// use backprop::train::{BatchSize, TrainConfig, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let xs = vec![vec![1.0], vec![-1.0], vec![2.0], vec![-2.0], vec![0.5]];
    /// let set = Dataset::<1, Labels<2>>::classification(xs, vec![0, 1, 1, 1, 0])?;
    /// let data = Splits { train: set.clone(), test: set.clone() };
    /// let mut trainer = Trainer::new((Affine::<1, 2>::zeros(),), SoftmaxWithLoss::new(), Sgd::new(0.5), BatchSize::<5>)
    ///     .with_epoch_rows(2);
    /// let history = trainer.train(&data, &TrainConfig { iters: 3, seed: 0 }, |_| {}, |_| {})?;
    /// let first_two = trainer.evaluate(&set.take(2))?;
    /// assert_eq!(history.last().unwrap().test_metric, first_two);
    /// assert_ne!(first_two, trainer.evaluate(&set)?); // the first two are right, not all five
    /// # Ok::<(), backprop::Error>(())
    /// ```
    pub fn with_epoch_rows(mut self, rows: usize) -> Self {
        self.epoch_rows = Some(rows.max(1));
        self
    }

    /// The same trainer, measuring ([`evaluate`](Trainer::evaluate), and
    /// [`train`](Trainer::train) after each epoch) in batches of the training size `N`
    /// through the training workspace, each batch's rows copied in, instead of in
    /// blocks of [`EVAL_ROWS`] through a second workspace made for them. For networks
    /// whose activations are large: the SimpleConvNet's workspace for 1,000 digits is
    /// about 400 MB, and its layers' passes over it run from memory rather than the
    /// cache. The metric is the same either way: each row's scores are computed from
    /// that row alone (to the bit, unless a product is small enough for the crate's
    /// plain loop at one of the two sizes and not at the other).
    ///
    /// ```
    /// use backprop::data::Mnist;
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Relu, Sgd, SoftmaxWithLoss};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mnist: Mnist = Mnist::load_default()?;
    /// let mut rng = StdRng::seed_from_u64(0);
    /// let net = (Affine::<784, 20>::he(&mut rng), Relu::new(), Affine::<20, 10>::he(&mut rng));
    /// let new = |net| Trainer::new(net, SoftmaxWithLoss::<10>::new(), Sgd::new(0.1), BatchSize::<64>);
    /// let in_blocks = new(net.clone()).evaluate(&mnist.test)?;
    /// let mut trainer = new(net).with_batch_evaluation();
    /// assert!(trainer.batch_evaluation());
    /// assert_eq!(trainer.evaluate(&mnist.test)?, in_blocks); // 10,000 = 156 × 64 + 16
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_batch_evaluation(mut self) -> Self {
        self.batch_evaluation = true;
        self
    }

    /// Whether the trainer measures in training batches
    /// ([`with_batch_evaluation`](Trainer::with_batch_evaluation)) rather than in
    /// blocks of [`EVAL_ROWS`].
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// assert!(!trainer.batch_evaluation());
    /// ```
    pub fn batch_evaluation(&self) -> bool {
        self.batch_evaluation
    }

    /// How many samples of each split [`train`](Trainer::train) measures after each
    /// epoch: `None` for all of them.
    ///
    /// ```
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let trainer = Trainer::new((Affine::<2, 2>::zeros(),), SoftmaxWithLoss::<2>::new(), Sgd::new(0.1), BatchSize::<4>);
    /// assert_eq!(trainer.epoch_rows(), None);
    /// ```
    pub fn epoch_rows(&self) -> Option<usize> {
        self.epoch_rows
    }

    /// The dataset's metric over the whole of `data` (as [`evaluate`](crate::train::evaluate)),
    /// through the trainer's evaluation workspace (or its training workspace, under
    /// [`with_batch_evaluation`](Trainer::with_batch_evaluation)).
    ///
    /// # Errors
    /// [`Error::EmptySplit`] for a dataset with no samples.
    ///
    /// ```
    /// use backprop::data::Mnist;
    /// use backprop::train::{BatchSize, Trainer};
    /// use backprop::{Affine, Sgd, SoftmaxWithLoss};
    /// let mnist: Mnist = Mnist::load_default()?;
    /// let mut trainer = Trainer::new((Affine::<784, 10>::zeros(),), SoftmaxWithLoss::<10>::new(), Sgd::new(0.1), BatchSize::<100>);
    /// let zeros = mnist.test.labels().iter().filter(|&&t| t == 0).count();
    /// assert_eq!(trainer.evaluate(&mnist.test)?, zeros as f64 / 10_000.0); // always class 0
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate<Y: Metric<O, T>>(&mut self, data: &Dataset<I, Y, T>) -> Result<f64, Error> {
        self.evaluate_split(data, "evaluated", None)
    }

    /// The metric over the first `rows` samples of `data` (all of them for `None`).
    pub(super) fn evaluate_split<Y: Metric<O, T>>(
        &mut self,
        data: &Dataset<I, Y, T>,
        split: &'static str,
        rows: Option<usize>,
    ) -> Result<f64, Error> {
        let rows = rows.map_or(data.len(), |rows| rows.min(data.len()));
        if self.batch_evaluation {
            return evaluate_in_batches(&self.net, data, split, rows, &mut self.work, &mut self.x);
        }
        let eval = self.eval.get_or_insert_with(|| {
            Box::new(Eval {
                work: Default::default(),
                tail: None,
            })
        });
        evaluate_with(&self.net, data, split, rows, &mut eval.work, &mut eval.tail)
    }
}
