//! The command line of the `simple_convnet` example.

use std::path::PathBuf;

use backprop::data::DEFAULT_DIR;
use backprop::train::Draw;

/// What `--help` prints (and, with an error line first, what a bad flag prints).
pub const USAGE: &str = "\
usage: cargo run --release --example simple_convnet -- [--data DIR] [--epochs N] [--draw shuffled|replacement] [--epoch-rows N|all] [--seed N] [--threads N] [--plot PATH] [--filters PATH] [--save PATH]

Trains the book's SimpleConvNet (section 7.5: conv 30 filters 5x5 - ReLU - max pool 2x2 -
affine 4320-100 - ReLU - affine 100-10, weights drawn with std 0.01) with Adam (lr 0.001)
on batches of 100, prints train/test accuracy (on the first 1,000 digits of each split,
as the book does) and mean loss after every epoch, then both accuracies on all digits,
plots them, and draws the 30 first-layer filters before and after training (Fig. 7-24).

  --data DIR    a directory with the four MNIST files (train-images-idx3-ubyte,
                train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
                raw or .gz); default: the shipped subset in data/mnist
  --epochs N    epochs of train_len / 100 iterations each (default 20, the book's
                max_epochs)
  --draw HOW    how batches are drawn: shuffled (default; every digit once an epoch)
                or replacement (the book's np.random.choice, with replacement)
  --epoch-rows N
                how many digits of each split to measure after each epoch (default
                1000, the book's evaluate_sample_num_per_epoch; `all` for every
                digit, which takes about as long as the epoch's training)
  --seed N      seed of the weight initialization and of the batches (default 0)
  --threads N   split the large matrix products across N threads (default 1); the
                results are the same bits as on one thread
  --plot PATH   where to write the SVG plot of loss and accuracy per epoch
                (default out/simple_convnet.svg, or $BACKPROP_OUT/simple_convnet.svg)
  --filters PATH
                where to write the SVG of the first layer's filters before and after
                training (default out/simple_convnet_filters.svg, or
                $BACKPROP_OUT/simple_convnet_filters.svg)
  --save PATH   after training, save the weights as safetensors (names 1.w, 1.b, 3.w,
                3.b, 5.w, 5.b; the filters 1.w are [30, 1, 5, 5], an affine w is
                [inputs, outputs]); `backprop::weights::load` reads it back
  -h, --help    this text

The batch size (100) and the layer shapes are compile-time types, not flags: change
them on the `const BATCH` and `type Net` lines of examples/simple_convnet/main.rs.";

/// The parsed command line.
#[derive(Debug)]
pub struct Args {
    /// The data directory.
    pub data: PathBuf,
    /// Epochs to train (at least 1).
    pub epochs: usize,
    /// How the batches are drawn.
    pub draw: Draw,
    /// Digits of each split measured after each epoch (`None`: all).
    pub epoch_rows: Option<usize>,
    /// Seed of the initial weights and of the batches.
    pub seed: u64,
    /// Threads for the large matrix products.
    pub threads: usize,
    /// The SVG of the curves.
    pub plot: PathBuf,
    /// The SVG of the filters.
    pub filters: PathBuf,
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
        epochs: 20,
        draw: Draw::ShuffledEpochs,
        epoch_rows: Some(1000),
        seed: 0,
        threads: 1,
        plot: out.join("simple_convnet.svg"),
        filters: out.join("simple_convnet_filters.svg"),
        save: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("data") => args.data = parser.value()?.into(),
            Long("epochs") => {
                args.epochs = parser.value()?.parse()?;
                if args.epochs == 0 {
                    return Err("--epochs must be at least 1".into());
                }
            }
            Long("draw") => {
                let how: String = parser.value()?.parse()?;
                args.draw = match how.as_str() {
                    "shuffled" => Draw::ShuffledEpochs,
                    "replacement" => Draw::WithReplacement,
                    _ => return Err("--draw must be shuffled or replacement".into()),
                };
            }
            Long("epoch-rows") => {
                let rows: String = parser.value()?.parse()?;
                args.epoch_rows = match rows.as_str() {
                    "all" => None,
                    n => match n.parse() {
                        Ok(n @ 1..) => Some(n),
                        _ => {
                            return Err(
                                "--epoch-rows must be a number of digits (1 or more) or all".into(),
                            );
                        }
                    },
                };
            }
            Long("seed") => args.seed = parser.value()?.parse()?,
            Long("threads") => {
                args.threads = parser.value()?.parse()?;
                if args.threads == 0 {
                    return Err("--threads must be at least 1".into());
                }
            }
            Long("plot") => args.plot = parser.value()?.into(),
            Long("filters") => args.filters = parser.value()?.into(),
            Long("save") => args.save = Some(parser.value()?.into()),
            Short('h') | Long("help") => return Ok(Command::Help),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Command::Train(args))
}

/// How `draw` reads in the header line.
pub fn draw_name(draw: Draw) -> &'static str {
    match draw {
        Draw::ShuffledEpochs => "shuffled epochs",
        Draw::WithReplacement => "with replacement",
    }
}
