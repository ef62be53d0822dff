//! Section 6.1.7's experiment (the book's `optimizer_compare_mnist.py`, Fig. 6-9): four
//! copies of one five-layer net, 784-100-100-100-100-10 with ReLU and He initial
//! weights, learn MNIST side by side on the same minibatches, each with another update
//! rule — SGD, Momentum, AdaGrad and Adam, all with the book's defaults (η = 0.01;
//! Adam 0.001). The finding: SGD learns slowest; Momentum, AdaGrad and Adam bring the
//! loss down much faster (AdaGrad a little fastest here, as in the book's figure).
//!
//!     cargo run --release --example optimizer_compare
//!     cargo run --release --example optimizer_compare -- --iters 500 --seed 1
//!
//! It is written out with the library's pieces instead of `Trainer::train`, because
//! all four nets must see each batch: draw a batch once (`random_batch_into`), then
//! step each net's own `backprop::train::Trainer` on it (`Trainer::step`: forward,
//! loss, backward, and the net's update rule).
//!
//! Every 100 iterations it prints the four minibatch losses (the loss of the batch
//! before that iteration's update), writes the smoothed curves to
//! `out/optimizer_compare.svg` (see `--plot`) and ends with
//! `final: sgd=<L> momentum=<L> adagrad=<L> adam=<L>`, each the mean loss of the last
//! 100 iterations. Measured on the shipped 10,000 training digits with `--release`
//! (2000 iterations, seed 0, one thread of a shared 2-core EPYC, 11 s for the loop):
//!
//! ```text
//!  iteration        sgd momentum  adagrad     adam
//!        100     1.5119   0.2797   0.1968   0.1952
//!        500     0.5771   0.1852   0.0763   0.0689
//!       1000     0.1775   0.0474   0.0301   0.0060
//!       2000     0.1603   0.0024   0.0020   0.0043
//! final: sgd=0.1667 momentum=0.0036 adagrad=0.0030 adam=0.0172
//! ```
//!
//! After 300 iterations (seeds 0 to 4) SGD's mean loss is 0.57–0.74, the others'
//! 0.11–0.21. By 2000 the other three fit these batches almost exactly; Adam's mean
//! of the last 100 is lifted by a few spikes (0.04 at iteration 1700), which the
//! smoothed curve shows too. Exit codes: 0 done, 1 unusable data or a
//! loss that stopped being a number, 2 a bad command line.

#[path = "../common/experiment.rs"]
mod experiment;
mod plot;
use experiment::Args;

use std::process::ExitCode;
use std::time::Instant;

use backprop::data::Mnist;
use backprop::train::{BatchSize, Trainer};
use backprop::{AdaGrad, Adam, Affine, Error, Matrix, Momentum, Optimizer, Relu};
use backprop::{Sgd, SoftmaxWithLoss};
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
usage: cargo run --release --example optimizer_compare -- [--iters N] [--seed N] [--plot PATH]

Trains four copies of the net 784-100-100-100-100-10 (ReLU, He init) on the shipped
MNIST with SGD, Momentum, AdaGrad and Adam on the same batches of 128, prints their
losses every 100 iterations and plots the smoothed curves (the book's Fig. 6-9).

  --iters N     iterations (default 2000, the book's max_iterations)
  --seed N      seed of the initial weights (the same for all four) and of the batches
                (default 0)
  --plot PATH   the SVG to write (default out/optimizer_compare.svg, or
                $BACKPROP_OUT/optimizer_compare.svg)
  -h, --help    this text";

fn main() -> ExitCode {
    let cli = experiment::Cli {
        usage: USAGE,
        count_flag: "iters",
        default_count: 2000,
        name: "optimizer_compare",
    };
    experiment::main(cli, run)
}

/// A net trained on batches of `BATCH` with the loss and an update rule of its own.
type NetTrainer = Trainer<Net, SoftmaxWithLoss<10>, Box<dyn Optimizer<f32>>, BATCH, 784, 10>;

/// One net with its update rule (both in its trainer) and the loss of every iteration.
struct Contender {
    /// The name in the `final:` line.
    name: &'static str,
    /// The name in the plot's legend, the book's.
    label: &'static str,
    trainer: NetTrainer,
    losses: Vec<f64>,
}

/// Loads, trains the four nets, prints and plots; the error is the one line to print.
fn run(args: &Args) -> Result<(), String> {
    let mnist: Mnist = Mnist::load_default().map_err(|e| e.to_string())?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let net: Net = (
        Affine::he(&mut rng),
        Relu::new(),
        Affine::he(&mut rng),
        Relu::new(),
        Affine::he(&mut rng),
        Relu::new(),
        Affine::he(&mut rng),
        Relu::new(),
        Affine::he(&mut rng),
    );
    let optimizers: [(&str, &str, Box<dyn Optimizer<f32>>); 4] = [
        ("sgd", "SGD", Box::new(Sgd::default())),
        ("momentum", "Momentum", Box::new(Momentum::default())),
        ("adagrad", "AdaGrad", Box::new(AdaGrad::default())),
        ("adam", "Adam", Box::new(Adam::default())),
    ];
    let mut contenders = optimizers.map(|(name, label, optimizer)| Contender {
        name,
        label,
        trainer: Trainer::new(
            net.clone(),
            SoftmaxWithLoss::new(),
            optimizer,
            BatchSize::<BATCH>,
        ),
        losses: Vec::with_capacity(args.count),
    });
    println!(
        "{} iterations of batches of {BATCH} from {} training digits, seed {}; \
         the same initial weights and batches for all four",
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
