//! Fig. 7-24 as an SVG written by hand: the first layer's 5×5 filters before and after
//! training, side by side, one grey square a weight.
//!
//! Each filter is scaled to its own minimum and maximum, as the book's pictures are:
//! its smallest weight is white, its largest black (the book's reversed grey map), so
//! every tile uses the whole range and shows its pattern, whatever its scale. A filter
//! whose weights are all equal is mid-grey. (The random filters before training are
//! about a hundredth in size; scaled to a common range with the trained ones they
//! would all be one flat grey.)

use std::fmt::Write as _;
use std::path::Path;

/// Filters a row of a grid.
const COLUMNS: usize = 10;
/// The side of one weight's square, in pixels.
const CELL: usize = 8;
/// The gap between two filters, in pixels.
const GAP: usize = 8;
/// The margin around each grid, in pixels.
const MARGIN: usize = 24;
/// The height of the label above each grid, in pixels.
const LABEL: usize = 28;

/// One grid: its label and `count` filters of `fh × fw` weights, back to back, each
/// row-major.
pub struct Grid<'a> {
    /// The text above the grid.
    pub label: &'a str,
    /// The weights, `count · fh · fw` of them.
    pub weights: &'a [f32],
}

/// Writes `grids` side by side to `path` (an SVG file), creating its directory. Each
/// grid shows `weights.len() / (fh · fw)` filters of `fh × fw`, `COLUMNS` a row; a
/// square is a `<rect>` with a grey `fill`, and nothing else in the file is a `<rect>`
/// but the white background.
pub fn write(
    path: &Path,
    title: &str,
    grids: &[Grid],
    fh: usize,
    fw: usize,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, svg(title, grids, fh, fw))
}

/// The SVG text of [`write`].
fn svg(title: &str, grids: &[Grid], fh: usize, fw: usize) -> String {
    let size = fh * fw;
    let filters = grids
        .iter()
        .map(|g| g.weights.len() / size)
        .max()
        .unwrap_or(0);
    let rows = filters.div_ceil(COLUMNS).max(1);
    let columns = filters.clamp(1, COLUMNS);
    let grid_w = columns * fw * CELL + (columns - 1) * GAP;
    let grid_h = rows * fh * CELL + (rows - 1) * GAP;
    let width = grids.len() * (grid_w + 2 * MARGIN);
    let top = 2 * MARGIN;
    let height = top + LABEL + grid_h + MARGIN;

    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="{width}" height="{height}" fill="white"/>"#
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" font-family="sans-serif" font-size="18" text-anchor="middle">{}</text>"#,
        width / 2,
        MARGIN + 6,
        escape(title)
    );
    for (g, grid) in grids.iter().enumerate() {
        let left = g * (grid_w + 2 * MARGIN) + MARGIN;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" font-family="sans-serif" font-size="16" text-anchor="middle">{}</text>"#,
            left + grid_w / 2,
            top + LABEL - 10,
            escape(grid.label)
        );
        let _ = writeln!(s, r#"<g shape-rendering="crispEdges">"#);
        for (k, filter) in grid.weights.chunks_exact(size).enumerate() {
            let x0 = left + (k % COLUMNS) * (fw * CELL + GAP);
            let y0 = top + LABEL + (k / COLUMNS) * (fh * CELL + GAP);
            let (low, high) = filter
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            for (i, &v) in filter.iter().enumerate() {
                let grey = grey(v, low, high);
                let _ = writeln!(
                    s,
                    r##"<rect x="{}" y="{}" width="{CELL}" height="{CELL}" fill="#{grey:02x}{grey:02x}{grey:02x}"/>"##,
                    x0 + (i % fw) * CELL,
                    y0 + (i / fw) * CELL
                );
            }
        }
        let _ = writeln!(s, "</g>");
    }
    s.push_str("</svg>\n");
    s
}

/// The grey level of `v` in a filter whose weights span `low..=high`: 255 (white) at
/// `low`, 0 (black) at `high`, 128 when the span is empty.
fn grey(v: f32, low: f32, high: f32) -> u8 {
    if high > low {
        (255.0 * (high - v) / (high - low))
            .round()
            .clamp(0.0, 255.0) as u8
    } else {
        128
    }
}

/// `text` with the characters XML reserves escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
