//! Section 6.2.4's experiment (the book's `weight_init_compare.py`, Fig. 6-15): three
//! copies of the five-layer net 784-100-100-100-100-10 with ReLU learn MNIST side by
//! side on the same minibatches with plain SGD (η = 0.01), differing only in their
//! initial weights — drawn from N(0, 0.01²), Xavier's N(0, 1/n) and He's N(0, 2/n),
//! n the layer's inputs; the biases start at zero. The book's finding: with std 0.01
//! the net does not learn at all (the activations shrink towards zero layer by layer,
//! so do the gradients); He learns fastest, Xavier close behind.
//!
//!     cargo run --release --example weight_init_compare
//!     cargo run --release --example weight_init_compare -- --iters 500 --seed 1
//!
//! As in `optimizer_compare`, it is written out with the library's pieces: each batch
//! is drawn once (`random_batch_into`), then each net's own `backprop::train::Trainer`
//! steps on it (`Trainer::step`: forward, loss, backward, SGD's update).
//!
//! Every 100 iterations it prints the three minibatch losses (the loss of the batch
//! before that iteration's update), writes the smoothed curves to
//! `out/weight_init_compare.svg` (see `--plot`) and ends with
//! `final: std_0.01=<L> xavier=<L> he=<L>`, each the mean loss of the last 100
//! iterations. Measured on the shipped 10,000 training digits with `--release`
//! (2000 iterations, seed 0, one thread of a shared 2-core EPYC, 11.6 s for the loop):
//!
//! ```text
//!  iteration   std_0.01   xavier       he
//!          1     2.3026   2.3032   2.5443
//!        100     2.3019   2.2578   1.4827
//!        200     2.3026   2.1073   0.7934
//!        500     2.3032   0.8530   0.3701
//!       1000     2.2951   0.3386   0.2315
//!       2000     2.3005   0.2318   0.1580
//! final: std_0.01=2.2999 xavier=0.2681 he=0.1730
//! ```
//!
//! The book's finding holds: std 0.01 stays at ln 10 ≈ 2.30, the loss of a guess of
//! 1/10 for every class, all the way; He falls fastest and Xavier follows some 200
//! iterations behind. Seeds 1 and 2 end at 2.3008 / 0.2750 / 0.1697 and
//! 2.3000 / 0.2950 / 0.1751; after 500 iterations (seeds 0 to 7) std 0.01's mean is
//! 2.301–2.302, Xavier's 0.80–1.31 and He's 0.39–0.45.
//!
//! Exit codes: 0 done, 1 unusable data or a loss that stopped being a number, 2 a bad
//! command line.

#[path = "../common/experiment.rs"]
mod experiment;
mod plot;
use experiment::Args;

use std::process::ExitCode;
use std::time::Instant;

use backprop::data::Mnist;
use backprop::train::{BatchSize, Trainer};
use backprop::{Affine, Error, Matrix, Relu, Sgd, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

/// The book's `batch_size = 128`.
const BATCH: usize = 128;
/// The book's `MultiLayerNet(784, [100, 100, 100, 100], 10)`, ReLU between the layers.
type Net = (
    Affine<784, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 10>,
);
/// How often a line of losses is printed, and how many last iterations `final:` averages.
const EVERY: usize = 100;

const USAGE: &str = "\
usage: cargo run --release --example weight_init_compare -- [--iters N] [--seed N] [--plot PATH]

Trains three copies of the net 784-100-100-100-100-10 (ReLU, SGD with lr 0.01) on the
shipped MNIST on the same batches of 128, their initial weights drawn with std 0.01,
Xavier's and He's, prints their losses every 100 iterations and plots the smoothed
curves (the book's Fig. 6-15).

  --iters N     iterations (default 2000, the book's max_iterations)
  --seed N      seed of the initial weights and of the batches (default 0)
  --plot PATH   the SVG to write (default out/weight_init_compare.svg, or
                $BACKPROP_OUT/weight_init_compare.svg)
  -h, --help    this text";

fn main() -> ExitCode {
    let cli = experiment::Cli {
        usage: USAGE,
        count_flag: "iters",
        default_count: 2000,
        name: "weight_init_compare",
    };
    experiment::main(cli, run)
}

/// A `Net` whose five `Affine` layers are each `$layer` (an expression such as
/// `Affine::he(&mut rng)`, evaluated once per layer, first to last).
macro_rules! net {
    ($layer:expr) => {
        (
            $layer,
            Relu::new(),
            $layer,
            Relu::new(),
            $layer,
            Relu::new(),
            $layer,
            Relu::new(),
            $layer,
        )
    };
}

/// A net trained on batches of `BATCH` with the loss and SGD.
type NetTrainer = Trainer<Net, SoftmaxWithLoss<10>, Sgd, BATCH, 784, 10>;

/// One net (in its trainer) and the loss of every iteration.
struct Contender {
    /// The name in the `final:` line.
    name: &'static str,
    /// The name in the plot's legend, the book's.
    label: &'static str,
    trainer: NetTrainer,
    losses: Vec<f64>,
}

/// Loads, trains the three nets, prints and plots; the error is the one line to print.
fn run(args: &Args) -> Result<(), String> {
    let mnist: Mnist = Mnist::load_default().map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let nets: [(&str, &str, Net); 3] = [
        ("std_0.01", "std=0.01", net!(Affine::random(0.01, &mut rng))),
        ("xavier", "Xavier", net!(Affine::xavier(&mut rng))),
        ("he", "He", net!(Affine::he(&mut rng))),
    ];
    let mut contenders = nets.map(|(name, label, net)| Contender {
        name,
        label,
        trainer: Trainer::new(
            net,
            SoftmaxWithLoss::new(),
            Sgd::new(0.01),
            BatchSize::<BATCH>,
        ),
        losses: Vec::with_capacity(args.count),
    });
    println!(
        "{} iterations of batches of {BATCH} from {} training digits, seed {}; \
         SGD lr 0.01 and the same batches for all three",
        args.count,
        mnist.train.len(),
        args.seed
    );
    println!(
        "{:>9}  {}",
        "iteration",
        contenders
            .each_ref()
            .map(|c| format!("{:>9}", c.name))
            .join("")
    );

    let start = Instant::now();
    let (mut x, mut labels) = (Matrix::<BATCH, 784>::zeros(), [0; BATCH]);
    for i in 1..=args.count {
        mnist.train.random_batch_into(&mut rng, &mut x, &mut labels);
        for c in &mut contenders {
            // A loss that is not a number stops the run, before that net's update.
            let value = match c.trainer.step(&x, &labels) {
                Ok(value) => f64::from(value),
                Err(Error::NotFinite { value, .. }) => {
                    let what = format!("the {} loss at iteration {i}", c.name);
                    return Err(Error::NotFinite { what, value }.to_string());
                }
                Err(e) => return Err(e.to_string()),
            };
            c.losses.push(value);
        }
        if i == 1 || i % EVERY == 0 {
            let cells = contenders
                .each_ref()
                .map(|c| format!("{:>9.4}", c.losses[i - 1]));
            println!("{i:>9}  {}", cells.join(""));
        }
    }
    println!("seconds: {:.1}", start.elapsed().as_secs_f64());

    let curves = contenders
        .each_ref()
        .map(|c| (c.label, c.losses.as_slice()));
    plot::write(&args.plot, &curves)
        .map_err(|e| format!("cannot write the plot {}: {e}", args.plot.display()))?;
    println!("plot: {}", args.plot.display());
    let finals = contenders.each_ref().map(|c| {
        let last = &c.losses[c.losses.len().saturating_sub(EVERY)..];
        let mean = last.iter().sum::<f64>() / last.len() as f64;
        format!("{}={mean:.4}", c.name)
    });
    println!("final: {}", finals.join(" "));
    Ok(())
}
