//! Your own digit, as MNIST would have it: an image of any size turned into the 784
//! values a network trained on MNIST expects ([`digit_from_rgba`] lists the steps).
//! Each step is a small function below, in the order they run; the web page calls
//! [`digit_from_rgba`] on a canvas's pixels, the `predict` example on a decoded file.

use super::{COLS, PIXELS, ROWS};
use crate::{Error, Matrix};

/// The side of the box a digit is scaled to fit, MNIST's 20.
const FIT: usize = 20;

/// Ink above this (on a scale of 0, paper, to 1, full ink) counts for the bounding
/// box (step 2 of [`digit_from_rgba`]). Low enough to keep the soft edges of MNIST's own strokes (its digits' boxes at
/// this level are at most 20 pixels, as they were made), high enough to leave out
/// JPEG noise on the paper.
///
/// ```
/// use backprop::data::{INK_THRESHOLD, digit_from_gray};
/// // A dim dot amid black paper: just under the threshold it is no ink at all.
/// let dot = |v: f32| [0.0, 0.0, 0.0, 0.0, v, 0.0, 0.0, 0.0, 0.0];
/// assert!(digit_from_gray(3, 3, &dot(INK_THRESHOLD * 0.9)).is_err());
/// assert!(digit_from_gray(3, 3, &dot(INK_THRESHOLD * 1.1)).is_ok());
/// ```
pub const INK_THRESHOLD: f32 = 0.1;

/// A grid of values, row after row: ink, or luma.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plane {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) values: Vec<f32>,
}

impl Plane {
    fn at(&self, x: usize, y: usize) -> f32 {
        self.values[y * self.width + x]
    }
}

/// The rectangle `x0..x1` × `y0..y1` (ends excluded) of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub(crate) x0: usize,
    pub(crate) y0: usize,
    pub(crate) x1: usize,
    pub(crate) y1: usize,
}

/// A digit as MNIST has it, from an image's RGBA bytes (4 a pixel, row after row, as
/// a web canvas's `getImageData` and most image decoders give them): the 784 values in
/// `[0, 1]` of a 28×28 image, white ink on black, ready for a network trained on MNIST.
///
/// MNIST's digits were made this way (LeCun et al.): scaled to fit a 20×20 box keeping
/// their aspect ratio, then placed in a 28×28 frame with their centre of mass at its
/// centre. A picture of a digit, dark ink on paper or a stroke on a transparent canvas,
/// goes through the same steps:
///
/// 1. **Ink**: one value a pixel in `[0, 1]`, 0 the paper and 1 full ink. An image
///    with any pixel not fully opaque (alpha < 255) is ink on a transparent
///    background: the ink is the alpha, whatever the colour. An opaque image is read
///    through its luma (Rec. 601, `(0.299 R + 0.587 G + 0.114 B) / 255`), and the mean
///    luma of its border is the paper: light paper (≥ 0.5) means dark ink, so the image
///    is inverted; the paper's level becomes 0 and the far end (black or white) 1, so
///    gray paper and JPEG noise fade out.
/// 2. **Crop** to the bounding box of the pixels whose ink is above
///    [`INK_THRESHOLD`]; none at all is a blank image.
/// 3. **Fit** into 20×20 keeping the aspect ratio (the longer side 20, the shorter in
///    proportion, rounded), by area averaging: each new pixel is the mean of the old
///    ones it covers, weighted by the area covered. Shrinking averages, enlarging
///    repeats pixels (blending the two old pixels a new one straddles). Then divided by
///    its maximum, so that the strongest ink is 1, as in nearly every MNIST digit.
/// 4. **Centre** in 28×28: shifted by whole pixels so that its centre of mass, in pixel
///    indices, comes nearest (14, 14), where MNIST's are; the shift is clamped so that
///    no ink leaves the frame.
///
/// # Errors
/// [`Error::ImageLength`] when `rgba` is not `width · height · 4` bytes,
/// [`Error::EmptyImage`] when a side is 0, [`Error::BlankImage`] when no pixel holds
/// ink.
///
/// ```
/// use backprop::data::digit_from_rgba;
/// // A "1": a black bar, 4 pixels wide and 30 tall, on a white 60×40 canvas.
/// let (width, height) = (60, 40);
/// let mut rgba = vec![255u8; width * height * 4];
/// for y in 5..35 {
///     for x in 40..44 {
///         rgba[(y * width + x) * 4..][..3].copy_from_slice(&[0, 0, 0]);
///     }
/// }
/// let digit = digit_from_rgba(width, height, &rgba)?;
/// let ink = digit.as_slice();
/// // Scaled to 20 pixels tall, about 3 wide, and centred: row 14 is inked at column 14.
/// assert_eq!(ink.iter().cloned().fold(0.0, f32::max), 1.0);
/// assert!(ink[14 * 28 + 14] > 0.5);
/// assert_eq!(ink[14 * 28 + 20], 0.0);
/// assert_eq!(ink.iter().filter(|&&v| v > 0.0).count() % 20, 0); // 20 rows of the bar
///
/// let err = digit_from_rgba(2, 2, &[0; 15]).unwrap_err();
/// assert_eq!(err.to_string(), "a 2×2 RGBA image needs 16 values (4 a pixel), got 15");
/// # Ok::<(), backprop::Error>(())
/// ```
pub fn digit_from_rgba(
    width: usize,
    height: usize,
    rgba: &[u8],
) -> Result<Matrix<1, PIXELS>, Error> {
    check_size(width, height, rgba.len(), "RGBA", 4)?;
    digit_from_ink(&ink_from_rgba(width, height, rgba))
}

/// A digit as MNIST has it, from a grayscale image: one value a pixel, row after row,
/// 0 black to 1 white. As [`digit_from_rgba`] for an opaque image.
///
/// # Errors
/// [`Error::ImageLength`] when `gray` is not `width · height` values,
/// [`Error::EmptyImage`] when a side is 0, [`Error::Pixel`] for a value outside
/// `[0, 1]` or NaN, [`Error::BlankImage`] when no pixel holds ink.
///
/// ```
/// use backprop::{Error, data::digit_from_gray};
/// // A dark dot on gray paper, off in a corner of an 8×8 image.
/// let mut gray = vec![0.8; 64];
/// gray[9] = 0.0;
/// let digit = digit_from_gray(8, 8, &gray)?;
/// // One pixel, scaled up to fill 20×20, centred: its centre of mass 9.5 is moved to
/// // 14 by 4.5, rounded to 5, so the square covers rows and columns 5 to 24.
/// assert_eq!(digit[(0, 5 * 28 + 5)], 1.0);
/// assert_eq!(digit[(0, 24 * 28 + 24)], 1.0);
/// assert_eq!(digit[(0, 4 * 28 + 5)], 0.0);
/// assert_eq!(digit.sum(), 400.0);
///
/// assert_eq!(digit_from_gray(8, 8, &[0.8; 64]).unwrap_err(), Error::BlankImage);
/// assert!(matches!(digit_from_gray(0, 8, &[]), Err(Error::EmptyImage { .. })));
/// # Ok::<(), backprop::Error>(())
/// ```
pub fn digit_from_gray(
    width: usize,
    height: usize,
    gray: &[f32],
) -> Result<Matrix<1, PIXELS>, Error> {
    check_size(width, height, gray.len(), "grayscale", 1)?;
    if let Some(k) = gray.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(Error::Pixel {
            x: k % width,
            y: k / width,
            value: f64::from(gray[k]),
        });
    }
    digit_from_ink(&ink_from_luma(Plane {
        width,
        height,
        values: gray.to_vec(),
    }))
}

fn check_size(
    width: usize,
    height: usize,
    actual: usize,
    format: &'static str,
    per_pixel: usize,
) -> Result<(), Error> {
    if width == 0 || height == 0 {
        return Err(Error::EmptyImage { width, height });
    }
    // Compared in u128: the product of two usizes and 4 cannot overflow it.
    let expected = width as u128 * height as u128 * per_pixel as u128;
    if actual as u128 != expected {
        return Err(Error::ImageLength {
            width,
            height,
            format,
            per_pixel,
            actual,
        });
    }
    Ok(())
}

/// Steps 2 to 4 on an ink plane.
fn digit_from_ink(ink: &Plane) -> Result<Matrix<1, PIXELS>, Error> {
    let bounds = bounding_box(ink, INK_THRESHOLD).ok_or(Error::BlankImage)?;
    Ok(centre(&fit(&crop(ink, bounds), FIT)))
}

/// The luma of an sRGB pixel in `[0, 1]`, with the Rec. 601 weights that JPEG and
/// most image libraries use for grayscale: `(0.299 R + 0.587 G + 0.114 B) / 255`.
pub(crate) fn luma(r: u8, g: u8, b: u8) -> f32 {
    (0.299 * f32::from(r) + 0.587 * f32::from(g) + 0.114 * f32::from(b)) / 255.0
}

/// Step 1 for RGBA bytes of a checked length. With any pixel not fully opaque
/// (alpha < 255), the image is ink on a transparent background and a pixel's ink is
/// its alpha, whatever its colour (black or white strokes alike). Otherwise the alpha
/// is ignored and the luma goes through `ink_from_luma`.
pub(crate) fn ink_from_rgba(width: usize, height: usize, rgba: &[u8]) -> Plane {
    let pixels = rgba.chunks_exact(4);
    let values = if pixels.clone().any(|p| p[3] < 255) {
        pixels.map(|p| f32::from(p[3]) / 255.0).collect()
    } else {
        return ink_from_luma(Plane {
            width,
            height,
            values: pixels.map(|p| luma(p[0], p[1], p[2])).collect(),
        });
    };
    Plane {
        width,
        height,
        values,
    }
}

/// Step 1 for luma (0 black, 1 white), also of an opaque RGBA image: the mean luma of the border pixels (first and
/// last rows and columns) is the paper. Paper at least 0.5 is light and the ink dark:
/// ink = `(paper − luma) / paper`; darker paper means light ink:
/// ink = `(luma − paper) / (1 − paper)`; both clamped to `[0, 1]`, so that the paper
/// is 0 however gray it is.
/// The values are replaced in place: a large picture's plane is not held twice.
pub(crate) fn ink_from_luma(mut luma: Plane) -> Plane {
    let paper = border_mean(&luma);
    let ink = |v: f32| {
        let ink = if paper >= 0.5 {
            (paper - v) / paper
        } else {
            (v - paper) / (1.0 - paper)
        };
        ink.clamp(0.0, 1.0)
    };
    luma.values.iter_mut().for_each(|v| *v = ink(*v));
    luma
}

/// The mean of the pixels on the plane's border.
fn border_mean(plane: &Plane) -> f32 {
    let (w, h) = (plane.width, plane.height);
    let (mut sum, mut count) = (0.0, 0usize);
    for y in 0..h {
        for x in 0..w {
            if y == 0 || y == h - 1 || x == 0 || x == w - 1 {
                sum += plane.at(x, y);
                count += 1;
            }
        }
    }
    sum / count as f32
}

/// Step 2: the smallest rectangle holding every pixel whose ink is above `threshold`,
/// or `None` when there is none (a blank image).
pub(crate) fn bounding_box(ink: &Plane, threshold: f32) -> Option<Bounds> {
    let mut bounds: Option<Bounds> = None;
    for y in 0..ink.height {
        for x in 0..ink.width {
            if ink.at(x, y) > threshold {
                let b = bounds.get_or_insert(Bounds {
                    x0: x,
                    y0: y,
                    x1: x + 1,
                    y1: y + 1,
                });
                b.x0 = b.x0.min(x);
                b.x1 = b.x1.max(x + 1);
                b.y1 = y + 1;
            }
        }
    }
    bounds
}

/// The pixels of `plane` inside `bounds`.
pub(crate) fn crop(plane: &Plane, b: Bounds) -> Plane {
    let width = b.x1 - b.x0;
    let values = (b.y0..b.y1)
        .flat_map(|y| &plane.values[y * plane.width + b.x0..][..width])
        .copied()
        .collect();
    Plane {
        width,
        height: b.y1 - b.y0,
        values,
    }
}

/// Step 3: scaled so that its longer side is `side` pixels, the shorter one in
/// proportion (rounded, at least 1), by area averaging, then divided by its maximum so
/// that the strongest ink is 1. Shrinking averages the pixels each new one covers;
/// enlarging repeats each pixel, a new pixel that straddles two old ones taking both in
/// proportion.
pub(crate) fn fit(ink: &Plane, side: usize) -> Plane {
    let scale = side as f64 / ink.width.max(ink.height) as f64;
    let new_len = |len: usize| ((len as f64 * scale).round() as usize).clamp(1, side);
    let (width, height) = (new_len(ink.width), new_len(ink.height));
    let columns = area_weights(ink.width, width);
    let rows = area_weights(ink.height, height);
    let mut values = Vec::with_capacity(width * height);
    for row in &rows {
        for column in &columns {
            let mut v = 0.0;
            for &(y, wy) in row {
                for &(x, wx) in column {
                    v += wy * wx * ink.at(x, y);
                }
            }
            values.push(v);
        }
    }
    let max = values.iter().copied().fold(0.0, f32::max);
    if max > 0.0 {
        values.iter_mut().for_each(|v| *v /= max);
    }
    Plane {
        width,
        height,
        values,
    }
}

/// For each of `dst` new pixels along a line of `src` old ones, the old pixels it
/// covers and the share of it each covers (the shares add up to 1). New pixel `i`
/// covers `[i · src/dst, (i + 1) · src/dst)` in old pixels.
pub(crate) fn area_weights(src: usize, dst: usize) -> Vec<Vec<(usize, f32)>> {
    let ratio = src as f64 / dst as f64;
    (0..dst)
        .map(|i| {
            let (start, end) = (i as f64 * ratio, ((i + 1) as f64 * ratio).min(src as f64));
            (start.floor() as usize..end.ceil() as usize)
                .filter_map(|j| {
                    let overlap = end.min(j as f64 + 1.0) - start.max(j as f64);
                    (overlap > 1e-9).then(|| (j, (overlap / ratio) as f32))
                })
                .collect()
        })
        .collect()
}

/// Step 4: the fitted digit placed in the 28×28 frame so that its centre of mass, in
/// pixel indices, is as close as a whole-pixel shift brings it to (14, 14), where
/// MNIST's are (the shipped test set's average is (14.00, 13.99)); the shift is
/// clamped so that the digit stays whole inside the frame.
pub(crate) fn centre(ink: &Plane) -> Matrix<1, PIXELS> {
    let (mut sum, mut sx, mut sy) = (0.0f64, 0.0f64, 0.0f64);
    for y in 0..ink.height {
        for x in 0..ink.width {
            let v = f64::from(ink.at(x, y));
            sum += v;
            sx += x as f64 * v;
            sy += y as f64 * v;
        }
    }
    let offset = |mass: f64, len: usize, frame: usize| {
        let centre = if sum > 0.0 { mass / sum } else { 0.0 };
        let shift = (14.0 - centre).round() as i64;
        shift.clamp(0, frame.saturating_sub(len) as i64) as usize
    };
    let (ox, oy) = (offset(sx, ink.width, COLS), offset(sy, ink.height, ROWS));
    let mut out = Matrix::zeros();
    let frame = out.as_mut_slice();
    for y in 0..ink.height.min(ROWS) {
        for x in 0..ink.width.min(COLS) {
            frame[(oy + y) * COLS + ox + x] = ink.at(x, y);
        }
    }
    out
}

#[cfg(test)]
mod tests;
