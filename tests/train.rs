//! The training loop on the shipped MNIST subset, and the `train` example's command
//! line: its exit codes, its one-line errors and its plot.

use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

use crate::common;

use backprop::data::{DEFAULT_DIR, Metric, Mnist, Split};
use backprop::train::{BatchSize, EpochStats, History, TrainConfig, Trainer, evaluate};
use backprop::{Affine, Error, Matrix, Network, Params, Relu, Sgd, SoftmaxWithLoss, weights};
use common::{TempDir, run_example, text};
use rand::{SeedableRng, rngs::StdRng};

type Net = (Affine<784, 50>, Relu, Affine<50, 10>);

/// The book's net with its loss and SGD, on batches of 100.
type BookTrainer = Trainer<Net, SoftmaxWithLoss<10>, Sgd, 100, 784, 10>;

/// The shipped data, loaded once for all tests of this file.
fn mnist() -> &'static Mnist {
    static MNIST: OnceLock<Mnist> = OnceLock::new();
    MNIST.get_or_init(|| Mnist::load_default().expect("the shipped data/mnist loads"))
}

/// The book's initialization: weights from N(0, 0.01²), zero biases.
fn book_net(seed: u64) -> Net {
    let mut rng = StdRng::seed_from_u64(seed);
    (
        Affine::random(0.01, &mut rng),
        Relu::new(),
        Affine::random(0.01, &mut rng),
    )
}

/// `net` with the book's loss on batches of 100 and its SGD at learning rate 0.1.
fn book_trainer(net: Net) -> BookTrainer {
    Trainer::new(net, SoftmaxWithLoss::new(), Sgd::new(0.1), BatchSize::<100>)
}

fn quiet_train(
    trainer: &mut BookTrainer,
    data: &Mnist,
    config: &TrainConfig,
) -> Result<History, Error> {
    trainer.train(data, config, |_| {}, |_| {})
}

/// Every parameter's name and values, as bits.
fn snapshot(net: &Net) -> Vec<(String, Vec<u32>)> {
    let mut all = Vec::new();
    Params::<f32>::inspect_params(net, &mut |p| {
        all.push((
            p.name.to_string(),
            p.values.iter().map(|v| v.to_bits()).collect(),
        ));
    });
    all
}

/// The accuracy of `net` on `set` measured on batches of `N` through `net.predict`,
/// the last batch padded with zero rows that are not counted.
fn accuracy_by<const N: usize>(net: &Net, set: &Split) -> f64 {
    let inputs = set.inputs();
    let mut correct = 0.0;
    let mut start = 0;
    while start < set.len() {
        let rows = N.min(set.len() - start);
        let mut x = Matrix::<N, 784>::zeros();
        x.as_mut_slice()[..rows * 784].copy_from_slice(&inputs[start * 784..(start + rows) * 784]);
        let scores = net.predict(&x);
        correct += Metric::<10, f32>::metric_sum(set.targets(), start, &scores, rows);
        start += rows;
    }
    correct / set.len() as f64
}

#[test]
fn three_hundred_iterations_climb_far_above_chance() {
    let mut trainer = book_trainer(book_net(0));
    let config = TrainConfig {
        iters: 300,
        ..TrainConfig::default()
    };
    let history = quiet_train(&mut trainer, mnist(), &config).unwrap();
    let last = history.last().unwrap();
    // Chance is 0.1; three epochs of the book's recipe reach about 0.88.
    assert!(last.test_metric > 0.85, "{last:?}");
    assert!(last.train_metric > 0.85, "{last:?}");
    // The mean loss falls from epoch to epoch, from about ln 10 ≈ 2.3 at the start.
    let losses: Vec<f64> = history.epochs.iter().map(|e| e.mean_loss).collect();
    assert!(losses.windows(2).all(|w| w[1] < w[0]), "{losses:?}");
    assert!(losses[0] < 10f64.ln(), "{losses:?}");
}

#[test]
fn epochs_are_train_len_over_batch_iterations_and_the_last_may_be_partial() {
    let data = Mnist {
        train: mnist().train.take(1_000),
        test: mnist().test.take(300),
    };
    let mut trainer = book_trainer(book_net(1));
    let config = TrainConfig {
        iters: 25,
        ..TrainConfig::default()
    };
    let mut seen_epochs = Vec::new();
    let mut seen_iterations = Vec::new();
    let history = trainer
        .train(
            &data,
            &config,
            |e| seen_epochs.push(*e),
            |i| seen_iterations.push(i),
        )
        .unwrap();
    assert_eq!(history.iters_per_epoch, 10); // 1,000 / 100
    let marks: Vec<(usize, usize)> = history
        .epochs
        .iter()
        .map(|e| (e.epoch, e.iteration))
        .collect();
    assert_eq!(marks, [(1, 10), (2, 20), (3, 25)]);
    assert_eq!(seen_epochs, history.epochs);
    assert_eq!(seen_iterations, (1..=25).collect::<Vec<_>>());
    // The last stats are those of the final network.
    let last = history.last().unwrap();
    assert_eq!(
        last.test_metric,
        evaluate(trainer.net(), &data.test).unwrap()
    );
    assert_eq!(
        last.train_metric,
        evaluate(trainer.net(), &data.train).unwrap()
    );
    let times: Vec<_> = history.epochs.iter().map(|e| e.elapsed).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    assert!(history.elapsed >= *times.last().unwrap());
}

#[test]
fn a_training_set_smaller_than_a_batch_still_makes_one_iteration_an_epoch() {
    let data = Mnist {
        train: mnist().train.take(30),
        test: mnist().test.take(30),
    };
    let config = TrainConfig {
        iters: 3,
        ..TrainConfig::default()
    };
    let history = quiet_train(&mut book_trainer(book_net(2)), &data, &config).unwrap();
    assert_eq!(history.iters_per_epoch, 1);
    assert_eq!(history.epochs.len(), 3);
}

#[test]
fn accuracy_does_not_depend_on_the_evaluation_batch_size() {
    let mut trainer = book_trainer(book_net(3));
    let config = TrainConfig {
        iters: 100,
        ..TrainConfig::default()
    };
    quiet_train(&mut trainer, mnist(), &config).unwrap();
    let net = trainer.net();
    // 1,234 samples: 12 full batches of 100 and a partial one of 34 (and for
    // `evaluate`, one full block of 1,000 and a partial one of 234).
    let split = mnist().test.take(1_234);
    let by_100 = accuracy_by::<100>(net, &split);
    let by_1 = accuracy_by::<1>(net, &split);
    let whole = accuracy_by::<1_234>(net, &split);
    assert_eq!(by_100, by_1);
    assert_eq!(by_100, whole);
    assert_eq!(by_100, evaluate(net, &split).unwrap());
    // And one by one through the network's own `correct`.
    let correct: usize = (0..split.len())
        .map(|i| {
            let (x, label) = split.sample(i);
            net.correct(&x, &label)
        })
        .sum();
    assert_eq!(by_100, correct as f64 / 1_234.0);
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_another() {
    let data = Mnist {
        train: mnist().train.take(2_000),
        test: mnist().test.take(500),
    };
    let run = |net_seed, seed| {
        let config = TrainConfig { iters: 40, seed };
        let history = quiet_train(&mut book_trainer(book_net(net_seed)), &data, &config).unwrap();
        let strip = |e: &EpochStats| (e.iteration, e.train_metric, e.test_metric, e.mean_loss);
        history.epochs.iter().map(strip).collect::<Vec<_>>()
    };
    assert_eq!(run(5, 7), run(5, 7));
    assert_ne!(run(5, 7), run(5, 8));
}

/// Splitting the large products across threads changes no bit: the same run on one,
/// two and three threads gives the same losses and accuracies, to the last digit.
#[test]
fn threads_give_the_same_run_as_one_thread() {
    let data = Mnist {
        train: mnist().train.take(2_000),
        test: mnist().test.take(500),
    };
    let config = TrainConfig {
        iters: 40,
        ..TrainConfig::default()
    };
    let run = || {
        let history = quiet_train(&mut book_trainer(book_net(3)), &data, &config).unwrap();
        let strip = |e: &EpochStats| (e.iteration, e.train_metric, e.test_metric, e.mean_loss);
        history.epochs.iter().map(strip).collect::<Vec<_>>()
    };
    let one = run();
    assert_eq!(backprop::threads::with_threads(2, run).unwrap(), one);
    assert_eq!(backprop::threads::with_threads(3, run).unwrap(), one);
}

#[test]
fn a_loss_that_overflows_stops_training_with_the_iteration_named() {
    // The weights grow by 10¹⁰ times their gradient each step until the scores
    // overflow f32 (lr 10⁶ is not enough: its loss stays finite, if huge).
    let mut trainer = Trainer::new(
        book_net(0),
        SoftmaxWithLoss::new(),
        Sgd::new(1e10),
        BatchSize::<100>,
    );
    let config = TrainConfig {
        iters: 100,
        ..TrainConfig::default()
    };
    let mut completed = 0;
    let err = trainer
        .train(mnist(), &config, |_| {}, |i| completed = i)
        .unwrap_err();
    // The failing step updated nothing and is not counted.
    assert_eq!(trainer.steps(), completed);
    let Error::NotFinite { what, value } = &err else {
        panic!("expected NotFinite, got {err:?}");
    };
    assert!(!value.is_finite(), "{value}");
    // The failing iteration is the one after the last completed one.
    assert_eq!(*what, format!("loss at iteration {}", completed + 1));
    assert!(
        err.to_string()
            .starts_with(&format!("loss at iteration {} is ", completed + 1)),
        "{err}"
    );
}

#[test]
fn allocations_do_not_grow_with_iterations_or_epochs() {
    let data = Mnist {
        train: mnist().train.take(200),
        test: mnist().test.take(150), // a partial last evaluation batch
    };
    let mut trainer = book_trainer(book_net(4));
    let mut run = |iters| {
        let config = TrainConfig {
            iters,
            ..TrainConfig::default()
        };
        allocation_counter::measure(|| {
            quiet_train(&mut trainer, &data, &config).unwrap();
        })
        .count_total
    };
    run(1); // the first run creates the trainer's buffers for evaluation
    let one = run(1);
    let many = run(60); // 60 iterations, 30 epochs, 60 evaluations
    assert_eq!(one, many, "allocations of 1 iteration vs 60");
}

/// `Trainer::train` is a loop over `Trainer::step`: the same seeded batches stepped by
/// hand (or drawn by `step_random`) leave the network with the same bits, and the
/// epochs' mean losses are the means of the steps' losses.
#[test]
fn train_is_a_loop_over_step_on_the_same_seeded_batches() {
    let data = Mnist {
        train: mnist().train.take(1_000),
        test: mnist().test.take(300),
    };
    let config = TrainConfig {
        iters: 25,
        ..TrainConfig::default()
    };
    let mut trained = book_trainer(book_net(1));
    let history = quiet_train(&mut trained, &data, &config).unwrap();

    let mut by_hand = book_trainer(book_net(1));
    let mut rng = StdRng::seed_from_u64(config.seed);
    let mut losses = Vec::new();
    for _ in 0..config.iters {
        let (x, t) = data.train.random_batch::<100>(&mut rng);
        losses.push(by_hand.step(&x, &t).unwrap());
    }
    let mut drawn = book_trainer(book_net(1));
    let mut rng = StdRng::seed_from_u64(config.seed);
    for _ in 0..config.iters {
        drawn.step_random(&data.train, &mut rng).unwrap();
    }

    assert_eq!(
        (trained.steps(), by_hand.steps(), drawn.steps()),
        (25, 25, 25)
    );
    let after = snapshot(trained.net());
    assert_ne!(after, snapshot(&book_net(1)), "training changed nothing");
    assert_eq!(snapshot(by_hand.net()), after);
    assert_eq!(snapshot(drawn.net()), after);

    // Epochs of 10, 10 and 5 iterations.
    let means: Vec<f64> = [0..10, 10..20, 20..25]
        .into_iter()
        .map(|r| {
            let n = r.len() as f64;
            losses[r].iter().map(|&l| f64::from(l)).sum::<f64>() / n
        })
        .collect();
    let epoch_losses: Vec<f64> = history.epochs.iter().map(|e| e.mean_loss).collect();
    assert_eq!(epoch_losses, means);
}

/// The trainer's evaluation, the free `evaluate` and the accuracy counted row by row
/// with `predict` agree, on 2,345 samples: two whole blocks of `EVAL_ROWS` and a
/// padded one of 345.
#[test]
fn evaluate_in_blocks_equals_predicting_row_by_row() {
    let mut trainer = book_trainer(book_net(6));
    let config = TrainConfig {
        iters: 100,
        ..TrainConfig::default()
    };
    let data = Mnist {
        train: mnist().train.clone(),
        test: mnist().test.take(100),
    };
    quiet_train(&mut trainer, &data, &config).unwrap();
    let set = mnist().test.take(2_345);
    assert_eq!(set.len() % backprop::data::EVAL_ROWS, 345);

    let by_trainer = trainer.evaluate(&set).unwrap();
    let free = evaluate(trainer.net(), &set).unwrap();
    let net = trainer.net();
    let correct = (0..set.len())
        .filter(|&i| {
            let (x, _) = set.sample(i);
            net.predict(&x).argmax_rows()[0] == set.label(i)
        })
        .count();
    let by_row = correct as f64 / 2_345.0;
    assert_eq!(by_trainer, free);
    assert_eq!(by_trainer, by_row);
    assert!(by_row > 0.5 && by_row < 1.0, "{by_row}");
    // Again through the trainer's kept workspace and tail block: the same.
    assert_eq!(trainer.evaluate(&set).unwrap(), by_trainer);
}

#[test]
fn evaluating_an_empty_dataset_is_an_empty_split_error() {
    let empty = mnist().test.take(0);
    let mut trainer = book_trainer(book_net(0));
    let err = Error::EmptySplit { split: "evaluated" };
    assert_eq!(trainer.evaluate(&empty).unwrap_err(), err);
    assert_eq!(evaluate(trainer.net(), &empty).unwrap_err(), err);
    assert_eq!(trainer.steps(), 0);
}

#[test]
fn an_empty_split_is_an_error_before_any_step() {
    let config = TrainConfig {
        iters: 5,
        ..TrainConfig::default()
    };
    for (data, split) in [
        (
            Mnist {
                train: mnist().train.take(0),
                test: mnist().test.take(100),
            },
            "training",
        ),
        (
            Mnist {
                train: mnist().train.take(100),
                test: mnist().test.take(0),
            },
            "test",
        ),
    ] {
        let mut trainer = book_trainer(book_net(0));
        let mut iterations = 0;
        let err = trainer
            .train(&data, &config, |_| {}, |_| iterations += 1)
            .unwrap_err();
        assert_eq!(err, Error::EmptySplit { split });
        assert_eq!((trainer.steps(), iterations), (0, 0));
        assert_eq!(snapshot(trainer.net()), snapshot(&book_net(0)));
    }
    let mut trainer = book_trainer(book_net(0));
    let err = trainer
        .step_random(&mnist().train.take(0), &mut StdRng::seed_from_u64(0))
        .unwrap_err();
    assert_eq!(err, Error::EmptySplit { split: "training" });
    assert_eq!(trainer.steps(), 0);
}

/// Runs the train example with `args`.
fn example(args: &[&str]) -> Output {
    run_example("train", args, None)
}

#[test]
fn a_bad_flag_prints_the_usage_and_exits_2() {
    for args in [
        &["--bogus"][..],
        &["--iters", "many"],
        &["--lr", "-1"],
        &["--iters"],
        &["--threads", "0"],
        &["--optimizer", "adamw"],
    ] {
        let out = example(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: "), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let help = example(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    let usage = text(&help.stdout);
    for flag in [
        "--data",
        "--iters",
        "--optimizer",
        "adagrad",
        "--lr",
        "--seed",
        "--threads",
        "--plot",
        "--save",
        "const BATCH",
        "const HIDDEN",
    ] {
        assert!(usage.contains(flag), "--help lacks {flag}: {usage}");
    }
}

#[test]
fn a_missing_data_directory_is_one_line_naming_the_file_and_where_to_get_data() {
    let tmp = TempDir::new("missing");
    let dir = tmp.join("nothing-here");
    let out = example(&["--data", dir.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("train-images-idx3-ubyte"), "{stderr}");
    assert!(stderr.contains(dir.to_str().unwrap()), "{stderr}");
    assert!(
        stderr.contains("apt-get install dataset-fashion-mnist"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_malformed_data_file_is_one_line_naming_the_file_and_where_to_get_data() {
    // The shipped files, except that a raw training-image file (read before the .gz
    // one) holds no IDX header.
    let dir = TempDir::new("malformed");
    for name in [
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
    ] {
        std::fs::copy(Path::new(DEFAULT_DIR).join(name), dir.join(name)).unwrap();
    }
    let file = dir.join("train-images-idx3-ubyte");
    std::fs::write(&file, b"not an IDX file").unwrap();
    let out = example(&["--data", dir.path().to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(file.to_str().unwrap()), "{stderr}");
    assert!(
        stderr.contains("apt-get install dataset-fashion-mnist"),
        "{stderr}"
    );
}

#[test]
fn a_diverging_run_ends_with_the_iteration_named_and_exit_1() {
    let dir = TempDir::new("nan");
    let plot = dir.join("nan.svg");
    let out = example(&["--lr", "1e10", "--plot", plot.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: loss at iteration "), "{stderr}");
    assert!(!text(&out.stdout).contains("final:"));
    assert!(!plot.exists());
}

/// `--optimizer` picks one of 6.1's rules with the book's defaults: each one named
/// learns, and says which rule and learning rate it runs.
#[test]
fn each_optimizer_of_6_1_trains_the_example_net() {
    let dir = TempDir::new("optimizers");
    for (name, lr) in [("momentum", "0.01"), ("adam", "0.001"), ("sgd", "0.1")] {
        let plot = dir.join(&format!("{name}.svg"));
        let out = example(&[
            "--optimizer",
            name,
            "--iters",
            "300",
            "--plot",
            plot.to_str().unwrap(),
        ]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(stdout.contains(&format!("{name} at lr {lr},")), "{stdout}");
        let last = stdout.lines().last().unwrap();
        let test_acc: f64 = last
            .split(' ')
            .find_map(|kv| kv.strip_prefix("test_acc="))
            .unwrap_or_else(|| panic!("{last}"))
            .parse()
            .unwrap();
        // Chance is 0.1; three epochs with any of these rules reach far above it.
        assert!(test_acc > 0.7, "{name}: {last}");
    }
}

#[test]
fn the_example_prints_epochs_a_final_line_and_writes_both_curves() {
    let dir = TempDir::new("svg");
    let plot = dir.join("sub").join("curves.svg");
    let out = example(&[
        "--iters",
        "250",
        "--seed",
        "3",
        "--plot",
        plot.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Not a terminal: plain lines, no progress bar.
    assert!(
        !stdout.contains('\r') && !stdout.contains('\u{1b}'),
        "{stdout}"
    );
    let epochs: Vec<&str> = stdout.lines().filter(|l| l.starts_with("epoch ")).collect();
    assert_eq!(epochs.len(), 3, "{stdout}"); // 100, 200 and the partial 250
    assert!(epochs[2].contains("iter    250"), "{stdout}");
    assert!(
        stdout.contains(&format!("plot: {}", plot.display())),
        "{stdout}"
    );

    let last = stdout.lines().last().unwrap();
    let fields: Vec<(&str, &str)> = last
        .strip_prefix("final: ")
        .unwrap_or_else(|| panic!("last line: {last}"))
        .split(' ')
        .map(|kv| kv.split_once('=').unwrap())
        .collect();
    let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
    assert_eq!(names, ["train_acc", "test_acc", "seconds"]);
    assert_eq!(fields[0].1.len(), 6, "4 decimals: {last}");
    let test_acc: f64 = fields[1].1.parse().unwrap();
    assert!(test_acc > 0.85, "{last}");

    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg"));
    // Three curves of one point per epoch (loss, train accuracy, test accuracy), each a
    // polyline, the two accuracies in different colours, and their legends.
    let curves: Vec<&str> = svg
        .lines()
        .filter(|l| l.starts_with("<polyline"))
        .filter(|l| {
            let points = l
                .split("points=\"")
                .nth(1)
                .and_then(|p| p.split('"').next());
            let points = points.unwrap_or_else(|| panic!("a polyline without points: {l}"));
            points.split_whitespace().count() == epochs.len()
        })
        .collect();
    assert_eq!(curves.len(), 3, "{svg}");
    let stroke = |l: &str| {
        l.split("stroke=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_ne!(
        stroke(curves[1]),
        stroke(curves[2]),
        "train and test share a colour"
    );
    for label in ["mean minibatch loss", "train", "test", "epoch", "accuracy"] {
        assert!(
            svg.contains(&format!(">\n{label}\n<")),
            "the plot lacks the text {label:?}"
        );
    }
}

/// The printed value of `key=` on the example's `final:` line.
fn final_value<'a>(stdout: &'a str, key: &str) -> &'a str {
    let last = stdout.lines().last().unwrap_or("");
    last.strip_prefix("final: ")
        .and_then(|rest| rest.split(' ').find_map(|kv| kv.strip_prefix(key)))
        .unwrap_or_else(|| panic!("no {key} on the last line: {stdout}"))
}

#[test]
fn save_writes_a_model_that_loads_into_a_fresh_net_with_the_printed_accuracy() {
    let dir = TempDir::new("save");
    let model = dir.join("out").join("model.safetensors");
    let plot = dir.join("plot.svg");
    let out = example(&[
        "--iters",
        "200",
        "--save",
        model.to_str().unwrap(),
        "--plot",
        plot.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.contains(&format!("saved: {}\n", model.display())),
        "{stdout}"
    );
    let mut net: Net = (Affine::zeros(), Relu::new(), Affine::zeros());
    weights::load(&mut net, &model).unwrap();
    let test_acc = evaluate(&net, &mnist().test).unwrap();
    assert_eq!(format!("{test_acc:.4}"), final_value(&stdout, "test_acc="));
}

#[test]
fn a_model_that_cannot_be_saved_is_one_line_and_exit_1_after_the_results() {
    let dir = TempDir::new("save-fails");
    let not_a_dir = dir.join("file");
    std::fs::write(&not_a_dir, b"").unwrap();
    let model = not_a_dir.join("model.safetensors");
    let plot = dir.join("plot.svg");
    let out = example(&[
        "--iters",
        "20",
        "--save",
        model.to_str().unwrap(),
        "--plot",
        plot.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: cannot save the model: {}: ",
            not_a_dir.display()
        )),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    final_value(&stdout, "test_acc=");
    assert!(!stdout.contains("saved:"), "{stdout}");
}
