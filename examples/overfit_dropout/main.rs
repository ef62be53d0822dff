//! Section 6.4.3's experiment (the book's `overfit_dropout.py`, Figs. 6-22 and 6-23):
//! the overfitting of `overfit_weight_decay` — a seven-layer net
//! 784-100-100-100-100-100-100-10 with ReLU (He's initial weights) learning only the
//! first 300 training digits with plain SGD (η = 0.01, batches of 100, three
//! iterations an epoch) — and dropout against it: the same net, started from the same
//! weights on the same batches, with `Dropout::new(0.2, …)` after each hidden ReLU
//! (the book's `use_dropout`, `dropout_ratio = 0.2`). In training each dropout layer
//! zeroes a fresh random 20% of its units every forward pass; in the evaluations,
//! which the trainer runs in inference (`Layer::infer`), it passes every unit scaled
//! by 0.8. The book's finding: dropout narrows the gap between training and test
//! accuracy (and the training accuracy no longer reaches 100%).
//!
//!     cargo run --release --example overfit_dropout
//!     cargo run --release --example overfit_dropout -- --epochs 100 --seed 1
//!
//! Both runs go through `backprop::train::Trainer::train`, which measures the accuracy
//! over the 300 training digits and the 10,000 test digits after every epoch. It prints
//! both every 10 epochs, writes the curves to `out/overfit_dropout.svg` (see `--plot`)
//! and ends with `final: gap_plain=<g> gap_dropout=<g>`, each the last training
//! accuracy minus the last test accuracy. Measured with `--release` (301 epochs, seed
//! 0, a shared 2-core EPYC):
//!
//! ```text
//!  epoch  plain train       test  dropout train       test
//!      1       0.0833     0.0839         0.0767     0.0869
//!     21       0.5267     0.3903         0.1967     0.1507
//!     51       0.8800     0.6498         0.3033     0.2559
//!    101       0.9900     0.7322         0.3933     0.3299
//!    151       1.0000     0.7439         0.4200     0.3359
//!    201       1.0000     0.7502         0.4433     0.3633
//!    251       1.0000     0.7517         0.5267     0.4335
//!    301       1.0000     0.7526         0.6133     0.5010
//! final: gap_plain=0.2474 gap_dropout=0.1123
//! ```
//!
//! The book's finding holds: without dropout the training accuracy reaches 1.0 and the
//! test accuracy levels off at 0.75, a gap of 0.25; with dropout both climb slowly and
//! together (0.61 and 0.50 after 301 epochs, a gap of 0.11), more slowly than in the
//! book's Fig. 6-23. After 60 epochs (seeds 0 to 3) the plain gap was 0.22–0.25 and
//! dropout's 0.05–0.09. The loop takes 41.1 s for both nets.
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

use backprop::data::{EVAL_ROWS, Mnist};
use backprop::train::{BatchSize, EpochStats, TrainConfig, Trainer};
use backprop::{Affine, Dropout, Layer, Matrix, Params, Relu, Sgd, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

/// The book's `mini_batch_size = 100`.
const BATCH: usize = 100;
/// The book's `x_train[:300]`.
const TRAIN: usize = 300;
/// The book's `dropout_ratio = 0.2`.
const RATIO: f64 = 0.2;
/// A hidden layer of 100 with its ReLU.
type Hidden = (Affine<100, 100>, Relu);
/// The book's `MultiLayerNetExtend(784, [100] * 6, 10)`: seven `Affine`s, ReLU between
/// them (the tuple nested, as a tuple layer holds at most 12).
type Plain = (
    Affine<784, 100>,
    Relu,
    Hidden,
    Hidden,
    Hidden,
    Hidden,
    Hidden,
    Affine<100, 10>,
);
/// A hidden layer of 100 with its ReLU and dropout.
type HiddenDrop = (Affine<100, 100>, Relu, Dropout);
/// `Plain` with dropout after each hidden ReLU (`use_dropout=True`).
type WithDropout = (
    Affine<784, 100>,
    Relu,
    Dropout,
    HiddenDrop,
    HiddenDrop,
    HiddenDrop,
    HiddenDrop,
    HiddenDrop,
    Affine<100, 10>,
);

const USAGE: &str = "\
usage: cargo run --release --example overfit_dropout -- [--epochs N] [--seed N] [--plot PATH]

Trains the net 784-(100x6)-10 (ReLU, He's weights, SGD with lr 0.01, batches of 100)
on the first 300 MNIST training digits, without and with dropout (ratio 0.2 after each
hidden layer), prints the training and test accuracy every 10 epochs and plots them per
epoch (the book's Figs. 6-22 and 6-23).

  --epochs N    epochs of 3 iterations (default 301, the book's epochs)
  --seed N      seed of the initial weights, the batches and the masks (default 0)
  --plot PATH   the SVG to write (default out/overfit_dropout.svg, or
                $BACKPROP_OUT/overfit_dropout.svg)
  -h, --help    this text";

fn main() -> ExitCode {
    let cli = experiment::Cli {
        usage: USAGE,
        count_flag: "epochs",
        default_count: 301,
        name: "overfit_dropout",
    };
    experiment::main(cli, run)
}

/// A `Plain` net with He's weights from `seed`: the same seed, the same net.
fn plain(seed: u64) -> Plain {
    let mut rng = StdRng::seed_from_u64(seed);
    let first = Affine::he(&mut rng);
    let [a, b, c, d, e]: [Hidden; 5] = std::array::from_fn(|_| (Affine::he(&mut rng), Relu::new()));
    (first, Relu::new(), a, b, c, d, e, Affine::he(&mut rng))
}

/// `plain(seed)`'s layers with dropout after each hidden ReLU, the six layers' masks
/// seeded `seed + 1` to `seed + 6`.
fn with_dropout(seed: u64) -> WithDropout {
    let (first, relu, a, b, c, d, e, last) = plain(seed);
    let drop = |k: u64| Dropout::new(RATIO, seed.wrapping_add(k));
    let hidden = |(affine, relu): Hidden, k| (affine, relu, drop(k));
    (
        first,
        relu,
        drop(1),
        hidden(a, 2),
        hidden(b, 3),
        hidden(c, 4),
        hidden(d, 5),
        hidden(e, 6),
        last,
    )
}

/// Trains `net` for `iters` iterations; the accuracies `(train, test)` of each epoch.
fn accuracies<Net>(
    net: Net,
    mnist: &Mnist,
    iters: usize,
    seed: u64,
) -> Result<(Vec<f64>, Vec<f64>), String>
where
    Net: Layer<Matrix<BATCH, 784>, Out = Matrix<BATCH, 10>>
        + Layer<Matrix<EVAL_ROWS, 784>, Out = Matrix<EVAL_ROWS, 10>>
        + Params<f32>,
{
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
    let plain = accuracies(plain(args.seed), &mnist, iters, args.seed)?;
    let dropout = accuracies(with_dropout(args.seed), &mnist, iters, args.seed)?;

    println!(
        "{:>6}  {:>11} {:>10}  {:>13} {:>10}",
        "epoch", "plain train", "test", "dropout train", "test"
    );
    for e in (0..args.count).filter(|e| e % 10 == 0 || e + 1 == args.count) {
        println!(
            "{:>6}  {:>11.4} {:>10.4}  {:>13.4} {:>10.4}",
            e + 1,
            plain.0[e],
            plain.1[e],
            dropout.0[e],
            dropout.1[e]
        );
    }
    println!("seconds: {:.1}", start.elapsed().as_secs_f64());

    let panels = [
        plot::Panel {
            title: "without dropout (Fig. 6-22)".into(),
            train: &plain.0,
            test: &plain.1,
        },
        plot::Panel {
            title: format!("dropout ratio {RATIO} (Fig. 6-23)"),
            train: &dropout.0,
            test: &dropout.1,
        },
    ];
    let caption = "300 MNIST training digits, 784-(100×6)-10 with ReLU, SGD lr 0.01";
    plot::write(&args.plot, caption, &panels)
        .map_err(|e| format!("cannot write the plot {}: {e}", args.plot.display()))?;
    println!("plot: {}", args.plot.display());
    let gap = |(train, test): &(Vec<f64>, Vec<f64>)| train[train.len() - 1] - test[test.len() - 1];
    println!(
        "final: gap_plain={:.4} gap_dropout={:.4}",
        gap(&plain),
        gap(&dropout)
    );
    Ok(())
}
