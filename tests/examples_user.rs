//! The two examples written as a user outside the crate would write them: `regression`
//! (sin x from the user's own vectors) and `custom_layer` (Tanh and Scale layers of
//! the user's own). Each runs as a binary; its last line carries the number it
//! promises.

use crate::common;

use std::process::Output;

use common::{TempDir, run_example, text};

/// Runs the example `name` with `args`, writing into `out` (`BACKPROP_OUT`) when given.
fn example(name: &str, args: &[&str], out: Option<&TempDir>) -> Output {
    run_example(name, args, out.map(TempDir::path))
}

/// The value after `prefix` on the last line of `stdout`.
fn last_value(stdout: &str, prefix: &str) -> f64 {
    let last = stdout.lines().last().unwrap_or("");
    last.strip_prefix(prefix)
        .unwrap_or_else(|| panic!("the last line is not `{prefix}<v>`: {last:?}"))
        .parse()
        .unwrap_or_else(|e| panic!("{last:?}: {e}"))
}

#[test]
fn regression_fits_sin_to_a_test_mse_below_a_hundredth_and_plots_it() {
    let dir = TempDir::new("regression");
    let out = example("regression", &[], Some(&dir));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let mse = last_value(&stdout, "final: mse=");
    assert!((0.0..=0.01).contains(&mse), "{stdout}");
    let epochs = stdout.lines().filter(|l| l.starts_with("epoch ")).count();
    assert!(epochs > 1, "{stdout}");

    // The default plot path is $BACKPROP_OUT/regression.svg.
    let plot = dir.path().join("regression.svg");
    assert!(
        stdout.contains(&format!("plot: {}", plot.display())),
        "{stdout}"
    );
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg"));
    for label in ["training points", "sin x", "network"] {
        assert!(svg.contains(label), "the plot lacks {label:?}");
    }
}

#[test]
fn regression_with_a_bad_flag_prints_the_usage_and_exits_2() {
    for args in [
        &["--bogus"][..],
        &["--iters", "many"],
        &["--iters", "0"],
        &["--seed"],
    ] {
        let out = example("regression", args, None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: "), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let help = example("regression", &["-h"], None);
    assert_eq!(help.status.code(), Some(0));
    let usage = text(&help.stdout);
    for flag in ["--iters", "--seed", "--plot"] {
        assert!(usage.contains(flag), "-h lacks {flag}: {usage}");
    }
}

#[test]
fn custom_layers_train_show_in_the_summary_and_pass_the_gradient_check() {
    let out = example("custom_layer", &[], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The summary names the custom layers, with their parameter counts.
    let row = |name: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("no summary row for {name}: {stdout}"))
            .split_whitespace()
            .last()
            .unwrap()
            .to_owned()
    };
    assert_eq!(row("Tanh"), "0");
    assert_eq!(row("Scale<16>"), "16");

    let accuracy = stdout
        .lines()
        .find_map(|l| l.strip_prefix("accuracy: "))
        .unwrap_or_else(|| panic!("no accuracy line: {stdout}"));
    let test: f64 = accuracy.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(test > 0.8, "{accuracy}"); // chance is 1/3

    // Scale's parameter is in the check.
    assert!(stdout.lines().any(|l| l.starts_with("2.s ")), "{stdout}");
    let diff = last_value(&stdout, "gradient check: max mean |diff| = ");
    assert!((0.0..=1e-8).contains(&diff), "{stdout}");
}
