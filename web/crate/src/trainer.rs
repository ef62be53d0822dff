//! The train panel (section 5.7): the book's two-layer net trained in the page, a
//! slice of steps at a time, so that the page can draw and stay responsive between
//! slices.
//!
//! One step is the library's training loop body: a random minibatch of 100 drawn with
//! replacement (seeded), [`Network::gradient`] (forward, Softmax-with-Loss, backward)
//! and one update by the chosen optimizer. `backprop::train::train` runs a whole run
//! in one call; the page needs slices of a few steps between frames, so it drives the
//! steps itself.

use backprop::data::Mnist;
use backprop::optim::{NAMES, by_name};
use backprop::{Affine, Matrix, Network, Optimizer, Relu, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

use crate::json::Object;

/// The minibatch size (the book's `batch_size = 100`).
pub const BATCH: usize = 100;

/// The book's `TwoLayerNet`: 784 inputs, 50 hidden ReLU units, 10 scores.
pub type Net = (Affine<784, 50>, Relu, Affine<50, 10>);

/// The standard deviation of the initial weights (the book's `weight_init_std`).
const INIT_STD: f64 = 0.01;

/// A training run: the network, its optimizer, the random generator of the batches and
/// the buffers each step reuses.
pub struct Trainer {
    net: Net,
    optimizer: Box<dyn Optimizer<f32> + Send>,
    loss: SoftmaxWithLoss<BATCH, 10>,
    rng: StdRng,
    x: Matrix<BATCH, 784>,
    labels: [usize; BATCH],
    iteration: u64,
}

/// What a slice of steps did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Steps {
    /// Updates made since the run started.
    pub iteration: u64,
    /// The mean minibatch loss of this slice's steps.
    pub loss: f64,
}

/// Accuracy on the first `samples` digits of each split.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accuracy {
    /// On the training split.
    pub train: f64,
    /// On the test split.
    pub test: f64,
    /// How many digits of each split were classified.
    pub samples: usize,
}

/// The optimizer at `index` into [`NAMES`] with learning rate `lr`.
fn optimizer(index: i32, lr: f64) -> Result<Box<dyn Optimizer<f32> + Send>, String> {
    if !(lr.is_finite() && lr > 0.0) {
        return Err(format!(
            "the learning rate must be a positive number, not {lr}"
        ));
    }
    let name = usize::try_from(index)
        .ok()
        .and_then(|i| NAMES.get(i))
        .ok_or_else(|| format!("no optimizer {index}: there are {} (0 is sgd)", NAMES.len()))?;
    by_name(name, Some(lr)).ok_or_else(|| format!("no optimizer called {name}"))
}

impl Trainer {
    /// A new run: the book's net with weights drawn from N(0, 0.01²) and zero biases,
    /// seeded by `seed`, and the optimizer `optimizer` (an index into
    /// `backprop::optim::NAMES`) with learning rate `lr`; iteration 0.
    ///
    /// # Errors
    /// A message for an optimizer index out of range or a learning rate that is not a
    /// positive number.
    ///
    /// ```
    /// use backprop_web::trainer::Trainer;
    /// assert_eq!(Trainer::new(0, 0.1, 1).unwrap().iteration(), 0);
    /// assert_eq!(Trainer::new(6, 0.1, 1).err().unwrap(), "no optimizer 6: there are 6 (0 is sgd)");
    /// assert!(Trainer::new(0, -1.0, 1).is_err());
    /// ```
    pub fn new(optimizer_index: i32, lr: f64, seed: u64) -> Result<Self, String> {
        let optimizer = optimizer(optimizer_index, lr)?;
        let mut rng = StdRng::seed_from_u64(seed);
        let net = (
            Affine::random(INIT_STD, &mut rng),
            Relu::new(),
            Affine::random(INIT_STD, &mut rng),
        );
        Ok(Self {
            net,
            optimizer,
            loss: SoftmaxWithLoss::new(),
            rng,
            x: Matrix::zeros(),
            labels: [0; BATCH],
            iteration: 0,
        })
    }

    /// Updates made so far.
    ///
    /// ```
    /// let t = backprop_web::trainer::Trainer::new(5, 0.001, 0).unwrap();
    /// assert_eq!(t.iteration(), 0);
    /// ```
    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    /// The network being trained.
    ///
    /// ```
    /// use backprop::Params;
    /// let mut t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// assert_eq!(t.net_mut().param_count(), 39_760);
    /// ```
    pub fn net_mut(&mut self) -> &mut Net {
        &mut self.net
    }

    /// Replaces the optimizer (a fresh state: Adam's moments, momentum's velocity start
    /// over) and its learning rate; the weights and the iteration count stay.
    ///
    /// # Errors
    /// As [`Trainer::new`]; the run is then unchanged.
    ///
    /// ```
    /// let mut t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// t.set_optimizer(5, 0.001).unwrap();
    /// assert!(t.set_optimizer(-1, 0.1).is_err());
    /// ```
    pub fn set_optimizer(&mut self, optimizer_index: i32, lr: f64) -> Result<(), String> {
        self.optimizer = optimizer(optimizer_index, lr)?;
        Ok(())
    }

    /// `n` steps on random minibatches of `data.train`.
    ///
    /// # Errors
    /// A message when `n < 1`, or when a minibatch loss is NaN or infinite (the
    /// learning rate is too large): that step's update is skipped, the steps before it
    /// count.
    ///
    /// ```
    /// let mnist = backprop_web::embedded::mnist().unwrap();
    /// let mut t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// let first = t.steps(&mnist, 5).unwrap();
    /// assert_eq!(first.iteration, 5);
    /// assert!((first.loss - 10_f64.ln()).abs() < 0.1); // ten classes, guessed evenly
    /// assert!(t.steps(&mnist, 0).is_err());
    /// ```
    pub fn steps(&mut self, data: &Mnist, n: i32) -> Result<Steps, String> {
        if n < 1 {
            return Err(format!("the number of steps must be at least 1, not {n}"));
        }
        let mut sum = 0.0;
        for _ in 0..n {
            data.train
                .random_batch_into(&mut self.rng, &mut self.x, &mut self.labels);
            let loss = self
                .net
                .gradient(&mut self.loss, &self.x, &self.labels)
                .map_err(|e| e.to_string())?;
            let loss = f64::from(loss);
            if !loss.is_finite() {
                return Err(format!(
                    "the loss diverged to {loss} at iteration {}: lower the learning rate and start again",
                    self.iteration + 1
                ));
            }
            self.optimizer.step(&mut self.net);
            self.iteration += 1;
            sum += loss;
        }
        Ok(Steps {
            iteration: self.iteration,
            loss: sum / f64::from(n),
        })
    }

    /// The accuracy on the first `min(samples, 10000)` digits of the training and the
    /// test split.
    ///
    /// # Errors
    /// A message when `samples < 1`.
    ///
    /// ```
    /// let mnist = backprop_web::embedded::mnist().unwrap();
    /// let mut t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// let a = t.accuracy(&mnist, 250).unwrap();
    /// assert_eq!(a.samples, 250);
    /// assert!(a.test < 0.3); // untrained: about one in ten
    /// assert_eq!(t.accuracy(&mnist, 1 << 30).unwrap().samples, 10_000);
    /// ```
    pub fn accuracy(&mut self, data: &Mnist, samples: i32) -> Result<Accuracy, String> {
        let samples = usize::try_from(samples)
            .ok()
            .filter(|&s| s >= 1)
            .ok_or_else(|| format!("the number of samples must be at least 1, not {samples}"))?;
        let train = accuracy(&mut self.net, &mut self.x, &data.train, samples);
        let test = accuracy(&mut self.net, &mut self.x, &data.test, samples);
        Ok(Accuracy {
            train: train.0,
            test: test.0,
            samples: train.1.min(test.1),
        })
    }
}

/// The accuracy of `net` on the first `samples` digits of `split` (fewer if it is
/// shorter), in batches of [`BATCH`] through the buffer `x`, and how many were counted.
fn accuracy(
    net: &mut Net,
    x: &mut Matrix<BATCH, 784>,
    split: &backprop::data::Split,
    samples: usize,
) -> (f64, usize) {
    let count = samples.min(split.len());
    let inputs = &split.inputs()[..count * 784];
    let mut correct = 0;
    for (k, chunk) in inputs.chunks(BATCH * 784).enumerate() {
        // A short last chunk fills the first rows; the stale rows below get a label no
        // score can have, so `correct` does not count them.
        x.as_mut_slice()[..chunk.len()].copy_from_slice(chunk);
        let rows = chunk.len() / 784;
        let labels: [usize; BATCH] = std::array::from_fn(|row| {
            if row < rows {
                split.label(k * BATCH + row)
            } else {
                usize::MAX
            }
        });
        correct += net.correct(&*x, &labels);
    }
    (correct as f64 / count.max(1) as f64, count)
}

impl Steps {
    /// `{"iteration":I,"loss":L}`, as `bp_train_steps` answers.
    ///
    /// ```
    /// let s = backprop_web::trainer::Steps { iteration: 7, loss: 0.5 };
    /// assert_eq!(s.to_json(), r#"{"iteration":7,"loss":0.5}"#);
    /// ```
    pub fn to_json(&self) -> String {
        Object::new()
            .number("iteration", self.iteration)
            .number("loss", self.loss)
            .finish()
    }
}

impl Accuracy {
    /// `{"train_acc":a,"test_acc":b,"samples":s}`, as `bp_train_eval` answers.
    ///
    /// ```
    /// let a = backprop_web::trainer::Accuracy { train: 0.5, test: 0.25, samples: 4 };
    /// assert_eq!(a.to_json(), r#"{"train_acc":0.5,"test_acc":0.25,"samples":4}"#);
    /// ```
    pub fn to_json(&self) -> String {
        Object::new()
            .number("train_acc", self.train)
            .number("test_acc", self.test)
            .number("samples", self.samples)
            .finish()
    }
}
