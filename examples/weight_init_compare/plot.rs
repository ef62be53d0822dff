//! The picture of Fig. 6-15: each net's loss per iteration, smoothed as the book does.

use std::error::Error;
use std::path::Path;

use plotters::prelude::*;

/// matplotlib's first three colours, the book's figure's.
const COLORS: [RGBColor; 3] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
];
/// The book's `plt.ylim(0, 2.5)`.
const Y_TOP: f64 = 2.5;

/// Writes the smoothed curves `(label, loss of each iteration)` to `path` (an SVG
/// file), creating its directory. Stretches above 2.5 (a bad start's first
/// iterations) are left out, as matplotlib's `ylim` hides them.
pub fn write(path: &Path, curves: &[(&str, &[f64])]) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let iters = curves.iter().map(|c| c.1.len()).max().unwrap_or(0);
    let root = SVGBackend::new(path, (800, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "initial weights on MNIST, 784-100-100-100-100-10, SGD (the book's Fig. 6-15)",
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..iters.max(1) as f64, 0.0..Y_TOP)?;
    chart
        .configure_mesh()
        .x_desc("iterations")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_desc("loss")
        .y_label_formatter(&|v| format!("{v:.1}"))
        .draw()?;
    for (&(label, losses), &color) in curves.iter().zip(&COLORS) {
        let style = color.stroke_width(2);
        // The runs of consecutive points on the chart; the last one, even if empty,
        // keeps the legend entry of a curve wholly above the chart.
        let (mut runs, mut run) = (Vec::new(), Vec::new());
        for (i, y) in smooth_curve(losses).into_iter().enumerate() {
            if y <= Y_TOP {
                run.push((i as f64, y));
            } else if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
        }
        runs.push(run);
        for (k, run) in runs.into_iter().enumerate() {
            let series = chart.draw_series(LineSeries::new(run, style))?;
            if k == 0 {
                series
                    .label(label)
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
            }
        }
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 16))
        .border_style(BLACK)
        .background_style(WHITE.mix(0.9))
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    root.present()?;
    Ok(())
}

/// The book's `smooth_curve`: each point replaced by the mean of the 11 around it,
/// weighted by a Kaiser window with β = 2, the series mirrored at both ends (about the
/// first point at the start, repeating the last point at the end).
fn smooth_curve(xs: &[f64]) -> Vec<f64> {
    const WINDOW: usize = 11;
    // Kaiser weights I₀(β·√(1 − r²)), r from −1 to 1; I₀(x) = Σ_j ((x/2)^j / j!)².
    let i0 = |x: f64| {
        let (mut term, mut sum) = (1.0, 1.0);
        for j in 1..=20 {
            term *= x / 2.0 / j as f64;
            sum += term * term;
        }
        sum
    };
    let weights: [f64; WINDOW] = std::array::from_fn(|k| {
        let r = 2.0 * k as f64 / (WINDOW - 1) as f64 - 1.0;
        i0(2.0 * (1.0 - r * r).sqrt())
    });
    let total: f64 = weights.iter().sum();
    let n = xs.len() as isize;
    let at = |p: isize| {
        let i = if p < 0 {
            -p
        } else if p >= n {
            2 * n - 1 - p
        } else {
            p
        };
        xs[i.clamp(0, n - 1) as usize]
    };
    (0..n)
        .map(|i| {
            let sum: f64 = (0..WINDOW as isize)
                .map(|k| weights[k as usize] * at(i + k - WINDOW as isize / 2))
                .sum();
            sum / total
        })
        .collect()
}
