//! The SVG picture of a training run: mean loss per epoch on the left, train and test
//! accuracy per epoch on the right.

use std::error::Error;
use std::path::Path;

use backprop::train::History;
use plotters::prelude::*;

const SIZE: (u32, u32) = (1000, 420);
const TRAIN_COLOR: RGBColor = RGBColor(31, 119, 180);
const TEST_COLOR: RGBColor = RGBColor(214, 39, 40);

/// Writes the two charts of `history` to `path` (an SVG file), creating its directory.
/// An epoch's point sits at `iteration / iters_per_epoch`, so a partial last epoch
/// sits between two whole ones.
pub fn write(path: &Path, title: &str, history: &History) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let per_epoch = history.iters_per_epoch as f64;
    let at = |iteration: usize| iteration as f64 / per_epoch;
    let x_end = history.last().map_or(1.0, |e| at(e.iteration)).max(1.0);
    let loss: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .map(|e| (at(e.iteration), e.mean_loss))
        .collect();
    let train: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .map(|e| (at(e.iteration), e.train_metric))
        .collect();
    let test: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .map(|e| (at(e.iteration), e.test_metric))
        .collect();
    let loss_top = loss.iter().map(|p| p.1).fold(0.0, f64::max).max(0.1) * 1.05;
    // Start the accuracy axis on a tenth a little below the lowest value, so the curves
    // fill the chart without touching its bottom.
    let acc_low = train.iter().chain(&test).map(|p| p.1).fold(1.0, f64::min);
    let acc_bottom = (((acc_low - 0.02) * 10.0).floor() / 10.0).clamp(0.0, 0.9);

    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(title, ("sans-serif", 22))?;
    let (left, right) = root.split_horizontally(SIZE.0 / 2);

    let mut chart = ChartBuilder::on(&left)
        .caption("mean training loss per epoch", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..x_end, 0.0..loss_top)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("loss")
        .y_label_formatter(&|v| format!("{v:.2}"))
        .draw()?;
    chart
        .draw_series(LineSeries::new(loss, TRAIN_COLOR.stroke_width(2)).point_size(2))?
        .label("mean minibatch loss")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], TRAIN_COLOR.stroke_width(2)));
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;

    let mut chart = ChartBuilder::on(&right)
        .caption("accuracy per epoch", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..x_end, acc_bottom..1.0)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("accuracy")
        .y_label_formatter(&|v| format!("{v:.2}"))
        .draw()?;
    for (points, name, color) in [(train, "train", TRAIN_COLOR), (test, "test", TEST_COLOR)] {
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)).point_size(2))?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .position(SeriesLabelPosition::LowerRight)
        .draw()?;
    root.present()?;
    Ok(())
}
