//! Section 6.3.2's experiment (the book's `batch_norm_test.py`, Figs. 6-18 and 6-19):
//! the net 784-100-100-100-100-100-10 (five hidden layers of 100, ReLU) learns the
//! first 1000 training digits of MNIST twice for each of 16 weight scales — once with
//! a `BatchNorm` after every hidden `Affine`, once without — its initial weights drawn
//! from N(0, w²) for the book's `np.logspace(0, -4, 16)`, w_k = 10^(−4k/15), k = 0..15
//! (the biases start at zero). Both nets start from the same weights and see the same
//! batches of 100 with plain SGD (η = 0.01), 20 epochs of 10 iterations; after each
//! epoch their accuracy on the 1000 training digits is measured (in inference, through
//! `Layer::infer`, so `BatchNorm` uses its running statistics). The book's finding:
//! with batch normalization the net learns, and learns fast, over most of the scales;
//! without it, only a narrow band of scales learns at all — too large a scale and the
//! activations blow up, too small and they (and the gradients) vanish.
//!
//!     cargo run --release --example batch_norm_compare
//!     cargo run --release --example batch_norm_compare -- --epochs 5 --seed 1
//!
//! Each net is trained by the library's loop, `backprop::train::Trainer::train`, with
//! `TrainConfig { iters: epochs · 10, seed }`: the same seed draws the same batches for
//! both nets (and for every scale).
//!
//! It prints one line per scale with both final training accuracies, writes a 4×4 grid
//! of accuracy curves, one chart per scale, batch norm solid and plain dashed, to
//! `out/batch_norm_compare.svg` (see `--plot`) and ends with
//! `final: bn_mean_acc=<a> plain_mean_acc=<b>`, the final training accuracies averaged
//! over the 16 scales. A net whose loss stops being a number (the plain net at the
//! largest scales: its scores overflow) is reported as diverged; its curve goes on
//! with the accuracy of the net as it was left, since it learns no further (the book's
//! NumPy net would turn to NaN and guess class 0). Measured on the first 1000 of the
//! shipped training digits with `--release` (20 epochs, seed 0, one thread of a
//! shared 2-core EPYC, 19.5 s for the 32 runs, 19.9 s wall):
//!
//! ```text
//!  k           w  batch_norm       plain
//!  0        1.00      0.4630      0.1160
//!  1       0.541      0.4460      0.0970  (plain diverged at iteration 5)
//!  2       0.293      0.6400      0.9550
//!  3       0.158      0.7780      0.8660
//!  4      0.0858      0.8920      0.3410
//!  5      0.0464      0.9260      0.1160
//!  6      0.0251      0.9920      0.1160
//!  7      0.0136      1.0000      0.1160
//!  8     0.00736      1.0000      0.1160
//!  9     0.00398      0.9950      0.1160
//! 10     0.00215      0.9900      0.1160
//! 11     0.00117      0.8960      0.1160
//! 12    0.000631      0.7090      0.1160
//! 13    0.000341      0.6350      0.1160
//! 14    0.000185      0.5120      0.1160
//! 15    0.000100      0.4330      0.1160
//! final: bn_mean_acc=0.7692 plain_mean_acc=0.2282
//! ```
//!
//! The book's finding holds: with batch normalization the net reaches 0.89–1.00 from
//! w = 0.0858 down to 0.00117 and learns something at every scale; without it only
//! w = 0.293 and 0.158 (near He's √(2/100) ≈ 0.14) learn — below, the signal dies out
//! through the five layers and the net stays at 0.116, the share of 1s among the 1000
//! digits (it answers 1 to everything); above, it blows up. Batch normalization too is
//! slower at the largest and the smallest scales, within 20 epochs. Seeds 1 and 2 end
//! at 0.7509 / 0.2275 and 0.8119 / 0.2269; after 5 epochs (seeds 0 to 3) the means are
//! 0.548–0.608 with and 0.186–0.191 without, batch normalization ahead at 14 of the 16
//! scales each time.
//!
//! Exit codes: 0 done, 1 unusable data or a plot that cannot be written, 2 a bad
//! command line.

#[path = "../common/experiment.rs"]
mod experiment;
mod plot;
use experiment::Args;

use std::process::ExitCode;
use std::time::Instant;

use backprop::data::{EVAL_ROWS, Mnist};
use backprop::train::{BatchSize, TrainConfig, Trainer};
use backprop::{Affine, BatchNorm, Error, Layer, Matrix, Params, Relu, Sgd, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

/// The book's `batch_size = 100`.
const BATCH: usize = 100;
/// The book's `x_train[:1000]`.
const SAMPLES: usize = 1000;
/// The book's 16 weight scales, `np.logspace(0, -4, num=16)`.
const SCALES: usize = 16;

/// A hidden layer with batch normalization: `Affine`, `BatchNorm`, ReLU (the book's
/// `MultiLayerNetExtend(use_batchnorm=True)`).
type BnHidden<const I: usize> = (Affine<I, 100>, BatchNorm<100>, Relu);
/// The batch-normalized net; tuples nest, so each hidden layer is one member.
type BnNet = (
    BnHidden<784>,
    BnHidden<100>,
    BnHidden<100>,
    BnHidden<100>,
    BnHidden<100>,
    Affine<100, 10>,
);
/// The same net without batch normalization.
type PlainNet = (
    Affine<784, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 100>,
    Relu,
    Affine<100, 10>,
);

const USAGE: &str = "\
usage: cargo run --release --example batch_norm_compare -- [--epochs N] [--seed N] [--plot PATH]

Trains the net 784-100-100-100-100-100-10 (ReLU, SGD with lr 0.01, batches of 100) on the
first 1000 training digits of the shipped MNIST with and without batch normalization,
for each of the 16 weight scales logspace(0, -4, 16), prints both final training
accuracies per scale and plots the accuracy curves (the book's Fig. 6-19).

  --epochs N    epochs of 10 iterations (default 20, the book's max_epochs)
  --seed N      seed of the initial weights and of the batches (default 0)
  --plot PATH   the SVG to write (default out/batch_norm_compare.svg, or
                $BACKPROP_OUT/batch_norm_compare.svg)
  -h, --help    this text";

fn main() -> ExitCode {
    let cli = experiment::Cli {
        usage: USAGE,
        count_flag: "epochs",
        default_count: 20,
        name: "batch_norm_compare",
    };
    experiment::main(cli, run)
}

/// A hidden layer with batch normalization, its weights drawn with std `scale`.
fn bn_hidden<const I: usize>(scale: f64, rng: &mut StdRng) -> BnHidden<I> {
    (Affine::random(scale, rng), BatchNorm::new(), Relu::new())
}

/// The batch-normalized net, its weights drawn with std `scale` from `seed`.
fn bn_net(scale: f64, seed: u64) -> BnNet {
    let rng = &mut StdRng::seed_from_u64(seed);
    (
        bn_hidden(scale, rng),
        bn_hidden(scale, rng),
        bn_hidden(scale, rng),
        bn_hidden(scale, rng),
        bn_hidden(scale, rng),
        Affine::random(scale, rng),
    )
}

/// The plain net, its weights drawn with std `scale` from `seed`: the same weights as
/// `bn_net(scale, seed)`'s, drawn in the same order.
fn plain_net(scale: f64, seed: u64) -> PlainNet {
    let rng = &mut StdRng::seed_from_u64(seed);
    (
        Affine::random(scale, rng),
        Relu::new(),
        Affine::random(scale, rng),
        Relu::new(),
        Affine::random(scale, rng),
        Relu::new(),
        Affine::random(scale, rng),
        Relu::new(),
        Affine::random(scale, rng),
        Relu::new(),
        Affine::random(scale, rng),
    )
}

/// Trains `net` with SGD (η = 0.01) by a `Trainer`, returning its training accuracy
/// after each epoch and, when its loss stopped being a number, the iteration where it
/// did. A net that diverged stays as the trainer left it (the update that blew up
/// skipped), and its curve goes on with that net's accuracy, measured once: it learns
/// no further.
fn learn<Net>(
    net: Net,
    data: &Mnist,
    config: &TrainConfig,
) -> Result<(Vec<f64>, Option<usize>), String>
where
    Net: Layer<Matrix<BATCH, 784>, Out = Matrix<BATCH, 10>>
        + Layer<Matrix<EVAL_ROWS, 784>, Out = Matrix<EVAL_ROWS, 10>>
        + Params<f32>,
{
    let epochs = config.iters.div_ceil((data.train.len() / BATCH).max(1));
    let mut curve = Vec::with_capacity(epochs);
    let mut done = 0;
    let mut trainer = Trainer::new(
        net,
        SoftmaxWithLoss::new(),
        Sgd::new(0.01),
        BatchSize::<BATCH>,
    );
    let result = trainer.train(
        data,
        config,
        |stats| curve.push(stats.train_metric),
        |i| done = i,
    );
    match result {
        Ok(_) => Ok((curve, None)),
        Err(Error::NotFinite { .. }) => {
            let accuracy = trainer.evaluate(&data.train).map_err(|e| e.to_string())?;
            curve.resize(epochs, accuracy);
            Ok((curve, Some(done + 1)))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Loads, trains both nets at each scale, prints and plots; the error is the one line
/// to print.
fn run(args: &Args) -> Result<(), String> {
    let mnist: Mnist = Mnist::load_default().map_err(|e| e.to_string())?;
    let small = mnist.train.take(SAMPLES);
    let iters_per_epoch = (small.len() / BATCH).max(1);
    let data = Mnist {
        train: small.clone(),
        test: small,
    };
    let config = TrainConfig {
        iters: args.count * iters_per_epoch,
        seed: args.seed,
    };
    println!(
        "{} epochs of {iters_per_epoch} iterations on {} training digits, batches of \
         {BATCH}, SGD lr 0.01, seed {}; training accuracy after the last epoch",
        args.count,
        data.train.len(),
        args.seed
    );
    println!(
        "{:>2}  {:>10}  {:>10}  {:>10}",
        "k", "w", "batch_norm", "plain"
    );

    let start = Instant::now();
    let mut charts = Vec::with_capacity(SCALES);
    for k in 0..SCALES {
        let scale = 10f64.powf(-4.0 * k as f64 / (SCALES - 1) as f64);
        // One seed per scale for the weights, the same for both nets.
        let weights_seed = args.seed.wrapping_mul(SCALES as u64).wrapping_add(k as u64);
        let (bn_curve, bn_diverged) = learn(bn_net(scale, weights_seed), &data, &config)?;
        let (plain_curve, plain_diverged) = learn(plain_net(scale, weights_seed), &data, &config)?;
        let chart = plot::Chart {
            scale,
            bn: bn_curve,
            plain: plain_curve,
        };
        let note = |name: &str, diverged: Option<usize>| {
            diverged.map_or_else(String::new, |i| {
                format!("  ({name} diverged at iteration {i})")
            })
        };
        println!(
            "{k:>2}  {:>10}  {:>10.4}  {:>10.4}{}{}",
            plot::three_digits(scale),
            chart.bn.last().copied().unwrap_or(f64::NAN),
            chart.plain.last().copied().unwrap_or(f64::NAN),
            note("batch norm", bn_diverged),
            note("plain", plain_diverged),
        );
        charts.push(chart);
    }
    println!("seconds: {:.1}", start.elapsed().as_secs_f64());

    plot::write(&args.plot, &charts)
        .map_err(|e| format!("cannot write the plot {}: {e}", args.plot.display()))?;
    println!("plot: {}", args.plot.display());
    let mean = |f: fn(&plot::Chart) -> &[f64]| {
        charts
            .iter()
            .map(|c| f(c).last().copied().unwrap_or(f64::NAN))
            .sum::<f64>()
            / charts.len() as f64
    };
    println!(
        "final: bn_mean_acc={:.4} plain_mean_acc={:.4}",
        mean(|c| &c.bn),
        mean(|c| &c.plain)
    );
    Ok(())
}
