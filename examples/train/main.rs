//! Section 5.7's training run: the book's two-layer net (784-50-10, ReLU, weights
//! drawn with std 0.01) learns MNIST by minibatch SGD — 10,000 iterations of batches
//! of 100 at learning rate 0.1 — and reports train and test accuracy after each epoch.
//! `--optimizer` swaps in one of section 6.1's update rules.
//!
//!     cargo run --release --example train
//!     cargo run --release --example train -- --optimizer adam
//!     cargo run --release --example train -- --data /usr/share/datasets/fashion-mnist
//!     cargo run --release --example train -- --save out/model.safetensors
//!     cargo run --release --example train -- --help
//!
//! Prints a header, one line per epoch, and ends with
//! `final: train_acc=<a> test_acc=<b> seconds=<s>` (the seconds of the training loop,
//! evaluations included, loading not). Writes an SVG of the loss and accuracy curves
//! to `out/train.svg` (see `--plot`), and with `--save PATH` the trained weights as
//! safetensors (printing `saved: PATH`). A progress bar is drawn when stdout is a
//! terminal. Exit codes: 0 done, 1 unusable data, a loss that stopped being a
//! number, or a plot or model that could not be written, 2 a bad command line.

mod args;
mod plot;
#[path = "../common/run_report.rs"]
mod run_report;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use backprop::data::Mnist;
use backprop::train::{BatchSize, EpochStats, Trainer};
use backprop::{Affine, Error, Matrix, Network, Relu, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

use args::{Args, Command, USAGE};
use run_report::{data_message, epoch_line, plot_title, progress_bar};

/// The minibatch size (the book's `batch_size = 100`).
const BATCH: usize = 100;
/// The hidden layer's width (the book's `hidden_size = 50`).
const HIDDEN: usize = 50;
/// The book's `TwoLayerNet`: Affine, ReLU, Affine (Softmax-with-Loss is the loss).
type Net = (Affine<784, HIDDEN>, Relu, Affine<HIDDEN, 10>);
/// The standard deviation of the initial weights (the book's `weight_init_std`).
const INIT_STD: f64 = 0.01;

fn main() -> ExitCode {
    match args::parse() {
        Ok(Command::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Train(args)) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Loads, trains, prints and plots; the error is the one line to print.
fn run(args: &Args) -> Result<(), String> {
    let loading = Instant::now();
    let mnist: Mnist = Mnist::load(&args.data).map_err(data_message)?;
    println!(
        "data: {} (train {}, test {}), loaded in {:.2}s",
        args.data.display(),
        mnist.train.len(),
        mnist.test.len(),
        loading.elapsed().as_secs_f64()
    );

    let config = &args.config;
    let mut rng = StdRng::seed_from_u64(config.seed);
    let net: Net = (
        Affine::random(INIT_STD, &mut rng),
        Relu::new(),
        Affine::random(INIT_STD, &mut rng),
    );
    println!("{}", net.summary::<Matrix<BATCH, 784>>());
    let optimizer = backprop::optim::by_name::<f32>(&args.optimizer, args.learning_rate())
        .ok_or_else(|| format!("unknown optimizer {}", args.optimizer))?;
    let per_epoch = (mnist.train.len() / BATCH).max(1);
    println!(
        "training: {} iterations of batches of {BATCH}, {} at lr {}, seed {}, init std {INIT_STD}; \
         an epoch is {per_epoch} iterations",
        config.iters,
        args.optimizer,
        optimizer.learning_rate(),
        config.seed
    );
    let mut trainer = Trainer::new(net, SoftmaxWithLoss::new(), optimizer, BatchSize::<BATCH>);

    let bar = std::io::stdout()
        .is_terminal()
        .then(|| progress_bar(config.iters));
    let on_epoch = |e: &EpochStats| match &bar {
        Some(bar) => bar.println(epoch_line(e)),
        None => println!("{}", epoch_line(e)),
    };
    let on_iteration = |_| {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    let mut training = || trainer.train(&mnist, config, on_epoch, on_iteration);
    let result = if args.threads == 1 {
        training()
    } else {
        backprop::threads::with_threads(args.threads, training).and_then(|r| r)
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let net = trainer.into_net();
    let history = result.map_err(|e| match e {
        Error::NotFinite { .. } => format!("{e}; training stopped (a smaller --lr may help)"),
        other => other.to_string(),
    })?;
    let last = history
        .last()
        .ok_or("no epoch was trained (--iters must be at least 1)")?;

    let plotted = plot::write(
        &args.plot,
        &plot_title(
            &format!("two-layer net 784-{HIDDEN}-10"),
            &args.data,
            &history,
        ),
        &history,
    );
    match &plotted {
        Ok(()) => println!("plot: {}", args.plot.display()),
        Err(e) => eprintln!("error: cannot write the plot {}: {e}", args.plot.display()),
    }
    let saved = match &args.save {
        Some(path) => match backprop::weights::save(&net, path) {
            Ok(()) => {
                println!("saved: {}", path.display());
                Ok(())
            }
            Err(e) => Err(format!("cannot save the model: {e}")),
        },
        None => Ok(()),
    };
    println!(
        "final: train_acc={:.4} test_acc={:.4} seconds={:.1}",
        last.train_metric,
        last.test_metric,
        history.seconds()
    );
    // The results are printed either way; a lost plot or model still fails the run.
    saved?;
    plotted.map_err(|_| "the plot was not written".to_string())
}
