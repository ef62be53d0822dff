//! The picture of Fig. 6-9: each optimizer's loss per iteration, smoothed.

use std::error::Error;
use std::path::Path;

use plotters::prelude::*;

const SIZE: (u32, u32) = (800, 520);
/// matplotlib's first four colours, the book's figure's.
const COLORS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
];
/// The book's `plt.ylim(0, 1)`.
const Y_TOP: f64 = 1.0;

/// Writes the smoothed curves `(label, loss of each iteration)` to `path` (an SVG
/// file), creating its directory. As in the book the loss axis stops at 1: the first
/// iterations' losses (about ln 10 ≈ 2.3) leave the chart at its top.
pub fn write(path: &Path, curves: &[(&str, &[f64])]) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let iters = curves.iter().map(|c| c.1.len()).max().unwrap_or(0);
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "optimizers on MNIST, 784-100-100-100-100-10 (the book's Fig. 6-9)",
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
        let mut runs = on_chart_runs(&smooth_curve(losses));
        if runs.is_empty() {
            runs.push(Vec::new()); // a curve wholly above the chart keeps its legend entry
        }
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

/// The stretches of `ys` (as points `(iteration, y)`) that the chart shows, each with
/// one point beyond each end so that it runs to the chart's top edge: plotters would
/// draw a point above the chart on its top edge, so the parts above are left out
/// instead, as matplotlib's `ylim` hides them.
fn on_chart_runs(ys: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let shown = |i: usize| {
        ys[i.saturating_sub(1)..(i + 2).min(ys.len())]
            .iter()
            .any(|&y| y <= Y_TOP)
    };
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    for (i, &y) in ys.iter().enumerate() {
        if !shown(i) {
            continue;
        }
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|p| p.0 as usize + 1 == i) => {
                run.push((i as f64, y))
            }
            _ => runs.push(vec![(i as f64, y)]),
        }
    }
    runs
}

/// The window of the book's `smooth_curve`: 11 points.
const WINDOW: usize = 11;
/// The shape β of its Kaiser window.
const BETA: f64 = 2.0;

/// The book's `smooth_curve`: each point replaced by the mean of the 11 points around
/// it, weighted by a Kaiser window with β = 2 (the weights `w_k` below, divided by
/// their sum), the series mirrored at both ends to fill the window. The mirrors are the
/// book's: at the start the first point is the mirror's axis (…, x₂, x₁, x₀, x₁, …),
/// at the end the last point is repeated (…, x₋₂, x₋₁, x₋₁, x₋₂, …).
pub fn smooth_curve(xs: &[f64]) -> Vec<f64> {
    let n = xs.len();
    let weights = kaiser_window();
    let total: f64 = weights.iter().sum();
    let half = (WINDOW / 2) as isize;
    let mirrored = |p: isize| -> f64 {
        let i = if p < 0 {
            -p
        } else if p >= n as isize {
            2 * n as isize - 1 - p
        } else {
            p
        };
        // Series shorter than half a window mirror past their other end: clamp.
        xs[i.clamp(0, n as isize - 1) as usize]
    };
    (0..n as isize)
        .map(|i| {
            let sum: f64 = (0..WINDOW as isize)
                .map(|k| weights[k as usize] * mirrored(i + k - half))
                .sum();
            sum / total
        })
        .collect()
}

/// The Kaiser window of `WINDOW` points, `w_k = I₀(β·√(1 − (2k/(M − 1) − 1)²))` for
/// `k = 0, …, M − 1` (up to the factor `1/I₀(β)`, which the normalisation removes).
fn kaiser_window() -> [f64; WINDOW] {
    std::array::from_fn(|k| {
        let r = 2.0 * k as f64 / (WINDOW - 1) as f64 - 1.0;
        bessel_i0(BETA * (1.0 - r * r).sqrt())
    })
}

/// The modified Bessel function of the first kind, order 0:
/// `I₀(x) = Σ_j ((x/2)^j / j!)²`, summed until the terms stop mattering (for the
/// `x ≤ 2` used here, 20 terms are far past f64 precision).
fn bessel_i0(x: f64) -> f64 {
    let mut term = 1.0; // (x/2)^j / j!
    let mut sum = 1.0;
    for j in 1..=20 {
        term *= x / 2.0 / j as f64;
        sum += term * term;
    }
    sum
}
