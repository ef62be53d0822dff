//! The picture of Fig. 6-19: a 4×4 grid of small charts, one per weight scale, each
//! with the training accuracy per epoch of the net with batch normalization (solid)
//! and without (dashed).

use std::error::Error;
use std::path::Path;

use plotters::prelude::*;
use plotters::series::DashedLineSeries;

/// matplotlib's first two colours, the book's figure's.
const BN_COLOR: RGBColor = RGBColor(31, 119, 180);
const PLAIN_COLOR: RGBColor = RGBColor(255, 127, 14);

/// One scale's curves.
pub struct Chart {
    /// The std of the initial weights.
    pub scale: f64,
    /// The training accuracy after each epoch, with batch normalization.
    pub bn: Vec<f64>,
    /// The same without.
    pub plain: Vec<f64>,
}

/// `x` with three significant digits, in plain decimals (`1.00`, `0.541`, `0.000158`).
pub fn three_digits(x: f64) -> String {
    let decimals = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.decimals$}")
}

/// Writes the grid of `charts` (up to 16, row by row) to `path` (an SVG file),
/// creating its directory; the last chart carries the legend, as in the book.
pub fn write(path: &Path, charts: &[Chart]) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(path, (1000, 860)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        "batch normalization on 1000 MNIST digits, 784-100×5-10, SGD (the book's Fig. 6-19)",
        ("sans-serif", 20),
    )?;
    let cells = root.split_evenly((4, 4));
    for (i, (chart, cell)) in charts.iter().zip(&cells).enumerate() {
        let epochs = chart.bn.len().max(chart.plain.len()).max(2);
        let mut ctx = ChartBuilder::on(cell)
            .caption(
                format!("w = {}", three_digits(chart.scale)),
                ("sans-serif", 14),
            )
            .margin(6)
            .x_label_area_size(if i >= 12 { 32 } else { 14 })
            .y_label_area_size(if i % 4 == 0 { 44 } else { 14 })
            .build_cartesian_2d(0.0..(epochs - 1) as f64, 0.0..1.0)?;
        let mut mesh = ctx.configure_mesh();
        mesh.x_labels(5)
            .y_labels(3)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.1}"));
        if i >= 12 {
            mesh.x_desc("epochs");
        } else {
            mesh.x_label_formatter(&|_| String::new());
        }
        if i % 4 == 0 {
            mesh.y_desc("accuracy");
        } else {
            mesh.y_label_formatter(&|_| String::new());
        }
        mesh.draw()?;
        let points = |ys: &[f64]| -> Vec<(f64, f64)> {
            ys.iter()
                .enumerate()
                .map(|(e, &y)| (e as f64, y.clamp(0.0, 1.0)))
                .collect()
        };
        let bn_style = BN_COLOR.stroke_width(2);
        let plain_style = PLAIN_COLOR.stroke_width(2);
        let bn = ctx.draw_series(LineSeries::new(points(&chart.bn), bn_style))?;
        let last = i + 1 == charts.len();
        if last {
            bn.label("Batch Normalization")
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], bn_style));
        }
        let plain = ctx.draw_series(DashedLineSeries::new(
            points(&chart.plain),
            6,
            4,
            plain_style,
        ))?;
        if last {
            plain
                .label("Normal (without BatchNorm)")
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], plain_style));
            ctx.configure_series_labels()
                .label_font(("sans-serif", 11))
                .border_style(BLACK)
                .background_style(WHITE.mix(0.9))
                .position(SeriesLabelPosition::LowerRight)
                .draw()?;
        }
    }
    root.present()?;
    Ok(())
}
