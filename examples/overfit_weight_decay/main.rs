//! Section 6.4.2's experiment (the book's `overfit_weight_decay.py`, Figs. 6-20 and
//! 6-21): overfitting made on purpose — a seven-layer net 784-100-100-100-100-100-100-10
//! with ReLU (He's initial weights, the book's `MultiLayerNet` default) learns only
//! the first 300 training digits with plain SGD (η = 0.01, batches of 100, three
//! iterations an epoch) — and weight decay against it: the same net, started from the
//! same weights on the same batches, with λ = 0.1, so the loss gains `½λ·ΣW²` and each
//! `dW` gains `λW` (`Params::set_weight_decay`). The book's finding: without decay the
//! training accuracy reaches 100% while the test accuracy stays far below; with decay
//! the gap narrows (and the training accuracy no longer reaches 100%).
//!
//!     cargo run --release --example overfit_weight_decay
//!     cargo run --release --example overfit_weight_decay -- --epochs 100 --seed 1
//!
//! Both runs go through `backprop::train::Trainer::train`, which measures the accuracy
//! over the 300 training digits and the 10,000 test digits after every epoch. It prints
//! both every 10 epochs, writes the curves to `out/overfit_weight_decay.svg` (see
//! `--plot`) and ends with `final: gap_plain=<g> gap_decay=<g>`, each the last
//! training accuracy minus the last test accuracy. Measured with `--release` (201 epochs, seed 0, a
//! shared 2-core EPYC):
//!
//! ```text
//!  epoch  plain train       test  decay train       test
//!      1       0.0833     0.0839       0.0833     0.0841
//!     21       0.5267     0.3903       0.5067     0.3604
//!     51       0.8800     0.6498       0.6700     0.5043
//!    101       0.9900     0.7322       0.8400     0.6677
//!    131       1.0000     0.7403       0.8433     0.7032
//!    151       1.0000     0.7439       0.8667     0.7166
//!    201       1.0000     0.7502       0.8967     0.7195
//! final: gap_plain=0.2498 gap_decay=0.1772
//! ```
//!
//! The book's finding holds: without decay the training accuracy reaches 1.0 at epoch
//! 131 and stays there while the test accuracy levels off at 0.75, a gap of 0.25;
//! with λ = 0.1 the training accuracy stops short, near 0.90, and the gap is 0.18.
//! After 60 epochs (seeds 0 to 5) the plain gap was 0.19–0.25 and decay's 0.04–0.07
//! smaller. The loop takes 21.3 s for both nets (the evaluations over 10,300 digits
//! after each epoch are most of it).
//!
//! Exit codes: 0 done, 1 unusable data or a loss that stopped being a number, 2 a bad
//! command line.

#[path = "../common/experiment.rs"]
mod experiment;
#[path = "../common/overfit_plot.rs"]
mod plot;
use experiment::Args;

use std::process::ExitCode;
use std::time::Instant;

use backprop::data::Mnist;
use backprop::train::{BatchSize, EpochStats, TrainConfig, Trainer};
use backprop::{Affine, Params, Relu, Sgd, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

/// The book's `batch_size = 100`.
const BATCH: usize = 100;
/// The book's `x_train[:300]`.
const TRAIN: usize = 300;
/// The book's `weight_decay_lambda = 0.1`.
const LAMBDA: f64 = 0.1;
/// A hidden layer of 100 with its ReLU.
type Hidden = (Affine<100, 100>, Relu);
/// The book's `MultiLayerNet(784, [100] * 6, 10)`: seven `Affine`s, ReLU between them
/// (the tuple nested, as a tuple layer holds at most 12).
type Net = (
    Affine<784, 100>,
    Relu,
    Hidden,
    Hidden,
    Hidden,
    Hidden,
    Hidden,
    Affine<100, 10>,
);

const USAGE: &str = "\
usage: cargo run --release --example overfit_weight_decay -- [--epochs N] [--seed N] [--plot PATH]

Trains the net 784-(100x6)-10 (ReLU, He's weights, SGD with lr 0.01, batches of 100)
on the first 300 MNIST training digits, without and with weight decay (lambda 0.1),
prints the training and test accuracy every 10 epochs and plots them per epoch (the
book's Figs. 6-20 and 6-21).

  --epochs N    epochs of 3 iterations (default 201, the book's max_epochs)
  --seed N      seed of the initial weights and of the batches (default 0)
  --plot PATH   the SVG to write (default out/overfit_weight_decay.svg, or
                $BACKPROP_OUT/overfit_weight_decay.svg)
  -h, --help    this text";

fn main() -> ExitCode {
    let cli = experiment::Cli {
        usage: USAGE,
        count_flag: "epochs",
        default_count: 201,
        name: "overfit_weight_decay",
    };
    experiment::main(cli, run)
}

/// A `Net` with He's weights from `seed`: the same seed, the same net.
fn net(seed: u64) -> Net {
    let mut rng = StdRng::seed_from_u64(seed);
    let first = Affine::he(&mut rng);
    let [a, b, c, d, e]: [Hidden; 5] = std::array::from_fn(|_| (Affine::he(&mut rng), Relu::new()));
    (first, Relu::new(), a, b, c, d, e, Affine::he(&mut rng))
}

/// Trains `net` for `iters` iterations; the accuracies `(train, test)` of each epoch.
fn accuracies(
    net: Net,
    mnist: &Mnist,
    iters: usize,
    seed: u64,
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let config = TrainConfig { iters, seed };
    let mut trainer = Trainer::new(
        net,
        SoftmaxWithLoss::new(),
        Sgd::new(0.01),
        BatchSize::<BATCH>,
    );
    let history = trainer
        .train(mnist, &config, |_| {}, |_| {})
        .map_err(|e| e.to_string())?;
    let of = |f: fn(&EpochStats) -> f64| history.epochs.iter().map(f).collect();
    Ok((of(|e| e.train_metric), of(|e| e.test_metric)))
}

/// Loads, trains both nets, prints and plots; the error is the one line to print.
fn run(args: &Args) -> Result<(), String> {
    let full: Mnist = Mnist::load_default().map_err(|e| e.to_string())?;
    let mnist = Mnist {
        train: full.train.take(TRAIN),
        test: full.test,
    };
    let iters = args.count * (TRAIN / BATCH);
    println!(
        "{} epochs ({iters} iterations of batches of {BATCH}) on {} training digits, \
         tested on {}; seed {}, SGD lr 0.01, the same weights and batches for both",
        args.count,
        mnist.train.len(),
        mnist.test.len(),
        args.seed
    );

    let start = Instant::now();
    let plain = accuracies(net(args.seed), &mnist, iters, args.seed)?;
    let mut decayed = net(args.seed);
    Params::<f32>::set_weight_decay(&mut decayed, LAMBDA);
    let decay = accuracies(decayed, &mnist, iters, args.seed)?;

    println!(
        "{:>6}  {:>11} {:>10}  {:>11} {:>10}",
        "epoch", "plain train", "test", "decay train", "test"
    );
    for e in (0..args.count).filter(|e| e % 10 == 0 || e + 1 == args.count) {
        println!(
            "{:>6}  {:>11.4} {:>10.4}  {:>11.4} {:>10.4}",
            e + 1,
            plain.0[e],
            plain.1[e],
            decay.0[e],
            decay.1[e]
        );
    }
    println!("seconds: {:.1}", start.elapsed().as_secs_f64());

    let panels = [
        plot::Panel {
            title: "without weight decay (Fig. 6-20)".into(),
            train: &plain.0,
            test: &plain.1,
        },
        plot::Panel {
            title: format!("weight decay λ = {LAMBDA} (Fig. 6-21)"),
            train: &decay.0,
            test: &decay.1,
        },
    ];
    let caption = "300 MNIST training digits, 784-(100×6)-10 with ReLU, SGD lr 0.01";
    plot::write(&args.plot, caption, &panels)
        .map_err(|e| format!("cannot write the plot {}: {e}", args.plot.display()))?;
    println!("plot: {}", args.plot.display());
    let gap = |(train, test): &(Vec<f64>, Vec<f64>)| train[train.len() - 1] - test[test.len() - 1];
    println!(
        "final: gap_plain={:.4} gap_decay={:.4}",
        gap(&plain),
        gap(&decay)
    );
    Ok(())
}
