//! Everything the page keeps between calls: the digits once decoded (the training
//! digits the page fetched, with the embedded test digits), the run trained in the
//! page, the shipped (loaded) network and which of the two makes the predictions. One
//! method per stateful export, each answering JSON or a one-line error message;
//! [`abi`](crate::abi) keeps one `Session` in a `thread_local!`.

use backprop::data::Mnist;
use backprop::{Affine, Matrix, Network, Params, Relu};

use crate::draw;
use crate::embedded;
use crate::json::Object;
use crate::trainer::{Net, Trainer};

/// The page's state. A host test makes its own; the exports share one.
#[derive(Default)]
pub struct Session {
    /// The training digits the page fetched and the embedded test digits, once
    /// `bp_train_data` decoded them.
    data: Option<Mnist>,
    trainer: Option<Trainer>,
    /// The network shipped with the page, once `bp_model_load` succeeded.
    shipped: Option<Net>,
    /// The network `bp_use` chose, if it was called.
    chosen: Option<Which>,
}

/// The two networks a prediction can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// The one trained in the page (`bp_use(0)`).
    Trained,
    /// The shipped one, loaded from a file (`bp_use(1)`).
    Shipped,
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

    /// `bp_train_data`: the training digits, from the page's copy of their two files:
    /// `bytes` is the images file (its first `images_len` bytes) followed by the labels
    /// file ([`embedded::TRAINING_FILES`], gzipped or raw). Decoded with the embedded
    /// test digits, once: training and accuracy need them. Answers
    /// `{"train":10000,"test":1000}`, the digits of each split.
    ///
    /// # Errors
    /// `images_len` beyond the bytes, files that are not MNIST training files (the
    /// library's message, naming the file), or digits already loaded.
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// let [images, labels] = backprop_web::embedded::training_files().unwrap();
    /// let both = [images.as_slice(), labels.as_slice()].concat();
    /// assert!(s.train_data(&both, -1).unwrap_err().starts_with("the training images' length"));
    /// assert!(s.train_data(&both, 5).unwrap_err().starts_with("train-images-idx3-ubyte: "));
    /// assert_eq!(s.train_data(&both, images.len() as i32).unwrap(), r#"{"train":10000,"test":1000}"#);
    /// assert_eq!(s.train_data(&both, images.len() as i32).unwrap_err(), "the training digits are loaded already");
    /// ```
    pub fn train_data(&mut self, bytes: &[u8], images_len: i32) -> Result<String, String> {
        if self.data.is_some() {
            return Err("the training digits are loaded already".to_string());
        }
        let split = usize::try_from(images_len)
            .ok()
            .filter(|&n| n <= bytes.len())
            .ok_or_else(|| {
                format!(
                    "the training images' length {images_len} is not within the {} bytes given",
                    bytes.len()
                )
            })?;
        let (images, labels) = bytes.split_at(split);
        let data = embedded::mnist(images, labels).map_err(|e| e.to_string())?;
        let answer = Object::new()
            .number("train", data.train.len())
            .number("test", data.test.len())
            .finish();
        self.data = Some(data);
        Ok(answer)
    }

    /// `bp_train_start`: (re)creates the book's net, seeded by `seed`, with the
    /// optimizer at `optimizer` in `backprop::optim::NAMES` and learning rate `lr`.
    /// Answers `{"iteration":0}`. The training digits may come later
    /// ([`Session::train_data`]), before the first step.
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
        self.trainer = Some(Trainer::new(optimizer, lr, u64::from(seed as u32))?);
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
        let trainer = self.trainer.as_mut().ok_or(NOT_STARTED)?;
        trainer.set_optimizer(optimizer, lr)?;
        Ok(Object::new()
            .number("iteration", trainer.iteration())
            .finish())
    }

    /// `bp_train_steps`: `n` training steps; answers `{"iteration":I,"loss":L}`, `L`
    /// the mean loss of these steps.
    ///
    /// # Errors
    /// No run started, no training digits yet, `n < 1`, or a loss that diverged (the
    /// message says to lower the learning rate).
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert!(s.train_steps(3).unwrap_err().starts_with("the training digits are not loaded yet"));
    /// let [images, labels] = backprop_web::embedded::training_files().unwrap();
    /// s.train_data(&[images.as_slice(), &labels].concat(), images.len() as i32).unwrap();
    /// assert!(s.train_steps(3).unwrap().starts_with(r#"{"iteration":3,"loss":"#));
    /// s.train_set(0, 1e30).unwrap();
    /// assert!(s.train_steps(10).unwrap_err().contains("lower the learning rate"));
    /// assert!(s.train_steps(1).is_err()); // the diverged run is gone: start again
    /// ```
    pub fn train_steps(&mut self, n: i32) -> Result<String, String> {
        let (trainer, data) = self.run()?;
        let steps = trainer.steps(data, n);
        if steps.as_ref().is_err_and(|e| e.contains("diverged")) {
            // Weights past a diverged loss are not a network to draw with: the run ends.
            self.trainer = None;
        }
        steps.map(|s| s.to_json())
    }

    /// `bp_train_eval`: accuracy of the run's network on the first
    /// `samples` digits of each split (at most 10,000 training, 1,000 test); answers
    /// `{"train_acc":a,"test_acc":b,"samples":s}`.
    ///
    /// # Errors
    /// No run started, no training digits yet, or `samples < 1`.
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert!(s.train_eval(100).is_err());
    /// let [images, labels] = backprop_web::embedded::training_files().unwrap();
    /// s.train_data(&[images.as_slice(), &labels].concat(), images.len() as i32).unwrap();
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert!(s.train_eval(100).unwrap().ends_with(r#","samples":100}"#));
    /// ```
    pub fn train_eval(&mut self, samples: i32) -> Result<String, String> {
        let (trainer, data) = self.run()?;
        trainer.accuracy(data, samples).map(|a| a.to_json())
    }

    /// `bp_model_load`: the safetensors file in `bytes` (as the train example saves
    /// it) becomes the shipped network. Answers `{"parameters":P,"summary":"…"}`, the
    /// summary the network's layer table.
    ///
    /// # Errors
    /// The library's [`WeightsError`](backprop::weights::WeightsError) message, naming
    /// "the model file"; the shipped network before, if any, stays.
    ///
    /// ```
    /// use backprop_web::{session::Session, trainer::Trainer};
    /// let mut s = Session::new();
    /// let bytes = backprop::weights::to_bytes(Trainer::new(0, 0.1, 0).unwrap().net()).unwrap();
    /// assert!(s.model_load(&bytes).unwrap().starts_with(r#"{"parameters":39760,"summary":""#));
    /// assert!(s.model_load(b"junk").unwrap_err().starts_with("the model file: not a valid safetensors file"));
    /// ```
    pub fn model_load(&mut self, bytes: &[u8]) -> Result<String, String> {
        let mut net: Net = (Affine::zeros(), Relu::new(), Affine::zeros());
        backprop::weights::from_bytes(&mut net, bytes, "the model file")
            .map_err(|e| e.to_string())?;
        let answer = Object::new()
            .number("parameters", net.param_count())
            .string("summary", &net.summary::<Matrix<1, 784>>().to_string())
            .finish();
        self.shipped = Some(net);
        Ok(answer)
    }

    /// `bp_use`: the network predictions use, `0` the one trained in the page, `1` the
    /// shipped one. Answers `{"using":which}`.
    ///
    /// # Errors
    /// Another number, or a network that does not exist yet (nothing trained, nothing
    /// loaded).
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert_eq!(s.use_network(0).unwrap_err(), "no network trained in the page yet: start training first");
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert_eq!(s.use_network(0).unwrap(), r#"{"using":0}"#);
    /// assert!(s.use_network(1).is_err());
    /// ```
    pub fn use_network(&mut self, which: i32) -> Result<String, String> {
        let which = match which {
            0 if self.trainer.is_some() => Which::Trained,
            0 => return Err(NO_TRAINED.to_string()),
            1 if self.shipped.is_some() => Which::Shipped,
            1 => return Err(NO_SHIPPED.to_string()),
            _ => {
                return Err(format!(
                    "no network {which}: 0 is the one trained here, 1 the shipped one"
                ));
            }
        };
        self.chosen = Some(which);
        Ok(Object::new()
            .number("using", usize::from(which == Which::Shipped))
            .finish())
    }

    /// `bp_predict`: classifies the `width × height` RGBA canvas `rgba` with the
    /// network in use ([`Session::use_network`]; by default the shipped one once
    /// loaded, else the one trained here). Answers
    /// `{"digit":d,"scores":[…],"pixels":[…]}`.
    ///
    /// # Errors
    /// `nothing drawn` for a canvas without ink, no network yet, or a size that does
    /// not match the bytes.
    ///
    /// ```
    /// let mut s = backprop_web::session::Session::new();
    /// assert!(s.predict(1, 1, &[255; 4]).unwrap_err().starts_with("no network yet"));
    /// s.train_start(0, 0.1, 0).unwrap();
    /// assert_eq!(s.predict(1, 1, &[0, 0, 0, 255]).unwrap_err(), "nothing drawn");
    /// ```
    pub fn predict(&self, width: i32, height: i32, rgba: &[u8]) -> Result<String, String> {
        let default = if self.shipped.is_some() {
            Which::Shipped
        } else {
            Which::Trained
        };
        let net = match self.chosen.unwrap_or(default) {
            Which::Shipped => self.shipped.as_ref(),
            Which::Trained => self.trainer.as_ref().map(Trainer::net),
        }
        .ok_or("no network yet: train one or load the shipped model")?;
        draw::predict(net, width, height, rgba).map(|p| p.to_json())
    }

    /// The run (`bp_train_start`) and the data it trains on (`bp_train_data`).
    fn run(&mut self) -> Result<(&mut Trainer, &Mnist), String> {
        match (&mut self.trainer, &self.data) {
            (Some(trainer), Some(data)) => Ok((trainer, data)),
            (None, _) => Err(NOT_STARTED.to_string()),
            (Some(_), None) => Err(NO_DATA.to_string()),
        }
    }
}

/// The error of a training call before `bp_train_start`.
const NOT_STARTED: &str = "no training run yet: start one first";
/// A training step or accuracy before `bp_train_data`.
const NO_DATA: &str =
    "the training digits are not loaded yet: the page loads them when training starts";
/// `bp_use(0)` before `bp_train_start`.
const NO_TRAINED: &str = "no network trained in the page yet: start training first";
/// `bp_use(1)` before `bp_model_load`.
const NO_SHIPPED: &str = "no shipped model loaded yet";
