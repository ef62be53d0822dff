//! The command line of the `train` example.

use std::path::PathBuf;

use backprop::data::DEFAULT_DIR;
use backprop::optim::NAMES;
use backprop::train::TrainConfig;

/// What `--help` prints (and, with an error line first, what a bad flag prints).
pub const USAGE: &str = "\
usage: cargo run --release --example train -- [--data DIR] [--iters N] [--optimizer NAME] [--lr X] [--seed N] [--threads N] [--plot PATH] [--save PATH]

Trains the book's two-layer net (784-50-10, ReLU, init std 0.01) with minibatch SGD
(or another optimizer of section 6.1), prints train/test accuracy and mean loss after
every epoch, and plots them.

  --data DIR    a directory with the four MNIST files (train-images-idx3-ubyte,
                train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
                raw or .gz); default: the shipped subset in data/mnist. For
                Fashion-MNIST: apt-get install dataset-fashion-mnist, then
                --data /usr/share/datasets/fashion-mnist
  --iters N     updates (default 10000, the book's iters_num)
  --optimizer NAME
                sgd, momentum, nesterov, adagrad, rmsprop or adam (default sgd)
  --lr X        learning rate; default: 0.1 for sgd (the book's learning_rate in 5.7),
                the book's defaults of 6.1 for the others (0.01; adam 0.001)
  --seed N      seed of the weight initialization and of the minibatch draws (default 0)
  --threads N   split the large matrix products across N threads (default 1); the
                results are the same bits as on one thread
  --plot PATH   where to write the SVG plot of loss and accuracy per epoch
                (default out/train.svg, or $BACKPROP_OUT/train.svg)
  --save PATH   after training, save the weights as safetensors (names 0.w, 0.b,
                2.w, 2.b; w is [inputs, outputs]); `backprop::weights::load` and the
                predict example read it back
  -h, --help    this text

The batch size (100) and the hidden width (50) are compile-time shapes, not flags:
change them on the `const BATCH` and `const HIDDEN` lines of examples/train/main.rs
(or the `type Net` line, for other layers) and run again.";

/// The parsed command line.
#[derive(Debug)]
pub struct Args {
    /// The data directory.
    pub data: PathBuf,
    /// Iterations and seed.
    pub config: TrainConfig,
    /// The optimizer's name, one of `backprop::optim::NAMES`.
    pub optimizer: String,
    /// The learning rate, if given.
    pub lr: Option<f64>,
    /// The SVG file to write.
    pub plot: PathBuf,
    /// Threads for the large matrix products.
    pub threads: usize,
    /// Where to save the trained weights, if anywhere.
    pub save: Option<PathBuf>,
}

/// What the command line asks for.
pub enum Command {
    /// Train with these arguments.
    Train(Args),
    /// Print the usage and stop.
    Help,
}

/// Parses the process's arguments.
pub fn parse() -> Result<Command, lexopt::Error> {
    use lexopt::prelude::*;
    let out = std::env::var_os("BACKPROP_OUT").map_or_else(|| PathBuf::from("out"), PathBuf::from);
    let mut args = Args {
        data: PathBuf::from(DEFAULT_DIR),
        config: TrainConfig::default(),
        optimizer: "sgd".into(),
        lr: None,
        plot: out.join("train.svg"),
        threads: 1,
        save: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("data") => args.data = parser.value()?.into(),
            Long("iters") => {
                args.config.iters = parser.value()?.parse()?;
                if args.config.iters == 0 {
                    return Err("--iters must be at least 1".into());
                }
            }
            Long("optimizer") => {
                let name: String = parser.value()?.parse()?;
                if !NAMES.contains(&name.as_str()) {
                    return Err(format!("--optimizer must be one of {}", NAMES.join(", ")).into());
                }
                args.optimizer = name;
            }
            Long("lr") => {
                let lr: f64 = parser.value()?.parse()?;
                if !(lr > 0.0 && lr.is_finite()) {
                    return Err("--lr must be a positive finite number".into());
                }
                args.lr = Some(lr);
            }
            Long("seed") => args.config.seed = parser.value()?.parse()?,
            Long("threads") => {
                args.threads = parser.value()?.parse()?;
                if args.threads == 0 {
                    return Err("--threads must be at least 1".into());
                }
            }
            Long("plot") => args.plot = parser.value()?.into(),
            Long("save") => args.save = Some(parser.value()?.into()),
            Short('h') | Long("help") => return Ok(Command::Help),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Train(args))
}

impl Args {
    /// The learning rate to train with: `--lr`, else 0.1 for SGD (the recipe of 5.7,
    /// which this example reproduces), else the optimizer's default from 6.1.
    pub fn learning_rate(&self) -> Option<f64> {
        self.lr
            .or_else(|| (self.optimizer == "sgd").then_some(BOOK_SGD_LR))
    }
}

/// The learning rate of the book's `train_neuralnet.py` (section 5.7).
const BOOK_SGD_LR: f64 = 0.1;
