//! Everything the page keeps between calls: the embedded data once decoded, the run
//! trained in the page, the shipped (loaded) network and which of the two draws
//! predictions. One method per stateful export, each answering JSON or a one-line
//! error message; [`abi`](crate::abi) keeps one `Session` in a `thread_local!`.

use backprop::data::Mnist;

use crate::embedded;
use crate::json::Object;
use crate::trainer::Trainer;

/// The page's state. A host test makes its own; the exports share one.
#[derive(Default)]
pub struct Session {
    data: Option<Mnist>,
    trainer: Option<Trainer>,
}

impl Session {
    /// A session with nothing trained, loaded or decoded yet.
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert!(s.train_steps(1).is_err()); // no run started
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The embedded MNIST, decoded on first use.
    fn data(&mut self) -> Result<&Mnist, String> {
        if self.data.is_none() {
            self.data = Some(embedded::mnist().map_err(|e| e.to_string())?);
        }
        self.data
            .as_ref()
            .ok_or_else(|| "the embedded MNIST did not load".to_string())
    }

    /// `bp_train_start`: (re)creates the book's net, seeded by `seed`, with the
    /// optimizer at `optimizer` in `backprop::optim::NAMES` and learning rate `lr`.
    /// Answers `{"iteration":0}`.
    ///
    /// # Errors
    /// An optimizer index out of range or a learning rate that is not positive; the
    /// run before, if any, then goes on.
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert_eq!(s.train_start(0, 0.1, 7).unwrap(), r#"{"iteration":0}"#);
    /// assert!(s.train_start(0, f64::NAN, 7).is_err());
    /// ```
    pub fn train_start(&mut self, optimizer: i32, lr: f64, seed: i32) -> Result<String, String> {
        // The seed is the i32's 32 bits, so every value JavaScript passes is its own run.
        let trainer = Trainer::new(optimizer, lr, u64::from(seed as u32))?;
        self.data()?;
        self.trainer = Some(trainer);
        Ok(Object::new().number("iteration", 0_u64).finish())
    }

    /// `bp_train_set`: another optimizer (fresh state) or learning rate for the run;
    /// the weights stay. Answers `{"iteration":I}`.
    ///
    /// # Errors
    /// No run started, an optimizer index out of range or a learning rate that is not
    /// positive (the run is then unchanged).
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert!(s.train_set(5, 0.001).is_err());
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert_eq!(s.train_set(5, 0.001).unwrap(), r#"{"iteration":0}"#);
    /// ```
    pub fn train_set(&mut self, optimizer: i32, lr: f64) -> Result<String, String> {
        let trainer = self.trainer_mut()?;
        trainer.set_optimizer(optimizer, lr)?;
        Ok(Object::new()
            .number("iteration", trainer.iteration())
            .finish())
    }

    /// `bp_train_steps`: `n` training steps; answers `{"iteration":I,"loss":L}`, `L`
    /// the mean loss of these steps.
    ///
    /// # Errors
    /// No run started, `n < 1`, or a loss that diverged (the message says to lower the
    /// learning rate).
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert!(s.train_steps(3).unwrap().starts_with(r#"{"iteration":3,"loss":"#));
    /// s.train_set(0, 1e30).unwrap();
    /// assert!(s.train_steps(10).unwrap_err().contains("lower the learning rate"));
    /// ```
    pub fn train_steps(&mut self, n: i32) -> Result<String, String> {
        let trainer = self.trainer.as_mut().ok_or(NOT_STARTED)?;
        let data = match &self.data {
            Some(data) => data,
            None => return Err(NOT_STARTED.to_string()),
        };
        trainer.steps(data, n).map(|s| s.to_json())
    }

    /// `bp_train_eval`: accuracy of the run's network on the first
    /// `min(samples, 10000)` digits of each split; answers
    /// `{"train_acc":a,"test_acc":b,"samples":s}`.
    ///
    /// # Errors
    /// No run started, or `samples < 1`.
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert!(s.train_eval(100).is_err());
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert!(s.train_eval(100).unwrap().ends_with(r#","samples":100}"#));
    /// ```
    pub fn train_eval(&mut self, samples: i32) -> Result<String, String> {
        let trainer = self.trainer.as_mut().ok_or(NOT_STARTED)?;
        let data = match &self.data {
            Some(data) => data,
            None => return Err(NOT_STARTED.to_string()),
        };
        trainer.accuracy(data, samples).map(|a| a.to_json())
    }

    /// The run trained in the page, if one was started.
    fn trainer_mut(&mut self) -> Result<&mut Trainer, String> {
        self.trainer.as_mut().ok_or_else(|| NOT_STARTED.to_string())
    }
}

/// The error of a training call before `bp_train_start`.
const NOT_STARTED: &str = "no training run yet: start one first";
