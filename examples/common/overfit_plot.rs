//! The pictures of the overfitting experiments (Figs. 6-20/6-21 for weight decay, 6-22/6-23
//! for dropout) side by side: train and test accuracy per epoch. Shared by both examples.

use std::error::Error;
use std::path::Path;

use plotters::prelude::*;

/// matplotlib's first two colours, the book's figures'.
const COLORS: [RGBColor; 2] = [RGBColor(31, 119, 180), RGBColor(255, 127, 14)];

/// One chart: its title and the accuracies `(train, test)` after each epoch.
pub struct Panel<'a> {
    pub title: String,
    pub train: &'a [f64],
    pub test: &'a [f64],
}

/// Writes the panels side by side to `path` (an SVG file) under `caption`, creating
/// its directory; each chart has accuracy 0 to 1 over the epochs, as the book's
/// `plt.ylim(0, 1.0)`, with a marker every 10 epochs.
pub fn write(path: &Path, caption: &str, panels: &[Panel]) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(path, (1100, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(caption, ("sans-serif", 20))?;
    for (area, panel) in root.split_evenly((1, panels.len())).iter().zip(panels) {
        let epochs = panel.train.len().max(2);
        let mut chart = ChartBuilder::on(area)
            .caption(&panel.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(1.0..epochs as f64, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("epochs")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_desc("accuracy")
            .y_label_formatter(&|v| format!("{v:.1}"))
            .draw()?;
        for ((label, values), color) in [("train", panel.train), ("test", panel.test)]
            .into_iter()
            .zip(COLORS)
        {
            let style = color.stroke_width(2);
            let points = values.iter().enumerate().map(|(i, &a)| ((i + 1) as f64, a));
            chart
                .draw_series(LineSeries::new(points.clone(), style))?
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
            chart.draw_series(
                points
                    .step_by(10)
                    .map(|p| Circle::new(p, 3, color.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .label_font(("sans-serif", 16))
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .position(SeriesLabelPosition::LowerRight)
            .draw()?;
    }
    root.present()?;
    Ok(())
}
