//! The train panel (section 5.7): the book's two-layer net trained in the page, a
//! slice of steps at a time, so that the page can draw and stay responsive between
//! slices.
//!
//! The run is the library's steppable [`backprop::train::Trainer`]: each step is
//! [`step_random`](backprop::train::Trainer::step_random) (a random minibatch of 100
//! drawn with replacement by the page's seeded generator, forward, Softmax-with-Loss,
//! backward and one update by the chosen optimizer), and the accuracy is its
//! [`evaluate`](backprop::train::Trainer::evaluate) on the first digits of each split.
//! This module adds only what the page needs around it: the optimizer chosen by index,
//! the mean loss of a slice, and its messages.

use backprop::data::{Mnist, Split};
use backprop::optim::{NAMES, by_name};
use backprop::train::BatchSize;
use backprop::{Affine, Error, Optimizer, Relu, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

use crate::json::Object;

/// The minibatch size (the book's `batch_size = 100`).
pub const BATCH: usize = 100;

/// The book's `TwoLayerNet`: 784 inputs, 50 hidden ReLU units, 10 scores.
pub type Net = (Affine<784, 50>, Relu, Affine<50, 10>);

/// The library's trainer as the page runs it: the book's net, Softmax-with-Loss over
/// ten digits, the optimizer the page chose (any of `backprop::optim::NAMES`, so
/// boxed), batches of [`BATCH`] images of 784 pixels.
pub type Run = backprop::train::Trainer<
    Net,
    SoftmaxWithLoss<10>,
    Box<dyn Optimizer<f32> + Send>,
    BATCH,
    784,
    10,
>;

/// The standard deviation of the initial weights (the book's `weight_init_std`).
const INIT_STD: f64 = 0.01;

/// A training run: the library's [`Run`], the random generator of its batches, and
/// the digits its accuracy was last measured on.
pub struct Trainer {
    run: Run,
    rng: StdRng,
    /// The first digits of each split for the last `samples` asked of
    /// [`Trainer::accuracy`], kept until another count is asked.
    first: Option<FirstDigits>,
}

/// The first `samples` digits of each split, as datasets the library's trainer can
/// evaluate; `None` for a split no longer than `samples`, which is then used whole
/// (not copied).
struct FirstDigits {
    samples: usize,
    train: Option<Split>,
    test: Option<Split>,
}

impl FirstDigits {
    /// The first `samples` digits of `data.train` and `data.test`.
    fn new(data: &Mnist, samples: usize) -> Self {
        let first = |split: &Split| (samples < split.len()).then(|| split.take(samples));
        Self {
            samples,
            train: first(&data.train),
            test: first(&data.test),
        }
    }
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
    /// `backprop::optim::NAMES`) with learning rate `lr`; iteration 0. The same
    /// generator, after the weights, draws the minibatches.
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
            run: Run::new(net, SoftmaxWithLoss::new(), optimizer, BatchSize::<BATCH>),
            rng,
            first: None,
        })
    }

    /// Updates made so far.
    ///
    /// ```
    /// let t = backprop_web::trainer::Trainer::new(5, 0.001, 0).unwrap();
    /// assert_eq!(t.iteration(), 0);
    /// ```
    pub fn iteration(&self) -> u64 {
        self.run.steps() as u64
    }

    /// The network being trained.
    ///
    /// ```
    /// use backprop::Params;
    /// let t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// assert_eq!(t.net().param_count(), 39_760);
    /// ```
    pub fn net(&self) -> &Net {
        self.run.net()
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
        *self.run.optimizer_mut() = optimizer(optimizer_index, lr)?;
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
    /// let [images, labels] = backprop_web::embedded::training_files().unwrap();
    /// let mnist = backprop_web::embedded::mnist(&images, &labels).unwrap();
    /// let mut t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// let first = t.steps(&mnist, 5).unwrap();
    /// assert_eq!(first.iteration, 5);
    /// assert!((first.loss - 10_f64.ln()).abs() < 0.1); // ten classes, guessed evenly
    /// assert!(t.steps(&mnist, 0).is_err());
    /// t.set_optimizer(0, 1e30).unwrap();
    /// let diverged = t.steps(&mnist, 10).unwrap_err();
    /// assert!(diverged.starts_with("the loss diverged to NaN at iteration 7"), "{diverged}");
    /// assert!(diverged.ends_with(": lower the learning rate and start again"));
    /// ```
    pub fn steps(&mut self, data: &Mnist, n: i32) -> Result<Steps, String> {
        if n < 1 {
            return Err(format!("the number of steps must be at least 1, not {n}"));
        }
        let mut sum = 0.0;
        for _ in 0..n {
            let loss = self
                .run
                .step_random(&data.train, &mut self.rng)
                .map_err(|e| match e {
                    // The run's steps so far are the iterations before this one.
                    Error::NotFinite { value, .. } => format!(
                        "the loss diverged to {value} at iteration {}: lower the learning rate and start again",
                        self.run.steps() + 1
                    ),
                    other => other.to_string(),
                })?;
            sum += f64::from(loss);
        }
        Ok(Steps {
            iteration: self.iteration(),
            loss: sum / f64::from(n),
        })
    }

    /// The accuracy on the first `min(samples, n)` digits of the training and the test
    /// split (`n`: the split's size; the page has 10,000 training, 1,000 test digits).
    /// The digits are copied out of `data` once and kept for the next call with the
    /// same `samples`, so every call must pass the same data (the page's one MNIST,
    /// decoded once).
    ///
    /// # Errors
    /// A message when `samples < 1`.
    ///
    /// ```
    /// let [images, labels] = backprop_web::embedded::training_files().unwrap();
    /// let mnist = backprop_web::embedded::mnist(&images, &labels).unwrap();
    /// let mut t = backprop_web::trainer::Trainer::new(0, 0.1, 0).unwrap();
    /// let a = t.accuracy(&mnist, 250).unwrap();
    /// assert_eq!(a.samples, 250);
    /// assert!(a.test < 0.3); // untrained: about one in ten
    /// assert_eq!(t.accuracy(&mnist, 1 << 30).unwrap().samples, 1_000); // the test digits
    /// ```
    pub fn accuracy(&mut self, data: &Mnist, samples: i32) -> Result<Accuracy, String> {
        let samples = usize::try_from(samples)
            .ok()
            .filter(|&s| s >= 1)
            .ok_or_else(|| format!("the number of samples must be at least 1, not {samples}"))?;
        let first = match &mut self.first {
            Some(first) if first.samples == samples => first,
            slot => slot.insert(FirstDigits::new(data, samples)),
        };
        let train = first.train.as_ref().unwrap_or(&data.train);
        let test = first.test.as_ref().unwrap_or(&data.test);
        Ok(Accuracy {
            train: self.run.evaluate(train).map_err(|e| e.to_string())?,
            test: self.run.evaluate(test).map_err(|e| e.to_string())?,
            samples: train.len().min(test.len()),
        })
    }
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
