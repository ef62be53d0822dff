//! How the training examples (`train`, `simple_convnet`) report a run: a data error in
//! one line, one line an epoch, the progress bar, the plot's title.

use std::path::Path;

use backprop::data::DataError;
use backprop::train::{EpochStats, History};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A data error in one line, with where to get data when the message lacks it.
pub fn data_message(e: DataError) -> String {
    match e {
        // Its message already says where to get the data.
        DataError::Missing { .. } => e.to_string(),
        other => format!(
            "{other}; the directory needs the four MNIST files, raw or .gz \
             (the shipped subset is in {}; Fashion-MNIST: apt-get install dataset-fashion-mnist, \
             then --data /usr/share/datasets/fashion-mnist)",
            backprop::data::DEFAULT_DIR
        ),
    }
}

/// `epoch   1  iter    100  train_acc=…  test_acc=…  loss=…  elapsed=…s`.
pub fn epoch_line(e: &EpochStats) -> String {
    format!(
        "epoch {:>3}  iter {:>6}  train_acc={:.4}  test_acc={:.4}  loss={:.4}  elapsed={:.1}s",
        e.epoch,
        e.iteration,
        e.train_metric,
        e.test_metric,
        e.mean_loss,
        e.elapsed.as_secs_f64()
    )
}

/// A bar of `iters` iterations, drawn on stdout.
pub fn progress_bar(iters: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(iters as u64), ProgressDrawTarget::stdout());
    let style = ProgressStyle::with_template(
        "{bar:40.cyan/blue} {pos:>6}/{len} iterations  {elapsed_precise}  eta {eta}",
    )
    .expect("the progress template is valid");
    bar.set_style(style);
    bar
}

/// `<net> on <data directory's name>: final test accuracy <a>`.
pub fn plot_title(net: &str, data: &Path, history: &History) -> String {
    let name = data.file_name().map_or_else(
        || data.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let test = history.last().map_or(f64::NAN, |e| e.test_metric);
    format!("{net} on {name}: final test accuracy {test:.4}")
}
