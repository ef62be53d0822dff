//! Numbers shown the way the book prints them.

use std::fmt;

/// Displays a number rounded to 10 significant digits, in its shortest form: the float
/// noise of `100.0 * 2.0 * 1.1 = 220.00000000000003` shows as `220`, and `1.1 * 3.0`
/// as `3.3`, while values that differ in their first 10 digits still show apart.
/// Huge and tiny numbers (from 10¹⁵ up, and below 10⁻⁶) are written with an exponent,
/// as JavaScript writes them: `1e+308` instead of 309 digits, `2.2e+99`, `1.25e-7`.
/// Width and alignment flags apply (`{:>8}`).
///
/// Only for display: compare raw values, with a tolerance, in tests.
///
/// ```
/// use backprop::graph::Rounded;
/// assert_eq!(Rounded(100.0 * 2.0 * 1.1).to_string(), "220");
/// assert_eq!(Rounded(1.1 * 3.0).to_string(), "3.3");
/// assert_eq!(Rounded(6.0 + 1e-12).to_string(), "6");
/// assert_eq!(Rounded(-0.0).to_string(), "0");
/// assert_eq!(Rounded(0.000_001_25).to_string(), "0.00000125");
/// assert_eq!(Rounded(1.25e-7).to_string(), "1.25e-7");
/// assert_eq!(Rounded(2.5e14).to_string(), "250000000000000");
/// assert_eq!(Rounded(1e15).to_string(), "1e+15");
/// assert_eq!(Rounded(1e308).to_string(), "1e+308");
/// assert_eq!(Rounded(-1e99 * 2.2).to_string(), "-2.2e+99");
/// assert_eq!(Rounded(f64::MAX).to_string(), "1.797693135e+308");
/// assert_eq!(Rounded(5e-324).to_string(), "5e-324");
/// assert_eq!(format!("[{:>5}]", Rounded(2.2)), "[  2.2]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rounded(pub f64);

/// From this magnitude up, [`Rounded`] writes an exponent.
const HUGE: f64 = 1e15;
/// Below this magnitude (and above 0), [`Rounded`] writes an exponent.
const TINY: f64 = 1e-6;

impl fmt::Display for Rounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.is_finite() {
            return f.pad(&self.0.to_string());
        }
        // Scientific notation with 9 decimals is exactly 10 significant digits; parsing
        // it back gives the nearest f64, which `Display` prints in its shortest form.
        let scientific = format!("{:.9e}", self.0);
        let rounded: f64 = scientific
            .parse()
            .expect("Rounded: Rust's own scientific notation parses as f64");
        // Adding 0.0 turns -0.0 into 0.0, so a vanishing negative value prints as 0.
        let rounded = rounded + 0.0;
        let size = rounded.abs();
        if size >= HUGE || (size < TINY && size > 0.0) {
            // `{:e}` is the shortest form too (`2.2e99`); f64::MAX rounds up past the
            // largest f64, so its 10 digits are written out from `scientific` instead.
            let short = if rounded.is_finite() {
                format!("{rounded:e}")
            } else {
                trim_mantissa(&scientific)
            };
            f.pad(&with_exponent_sign(&short))
        } else {
            f.pad(&rounded.to_string())
        }
    }
}

/// `1.797693135e308` from `1.797693135e308`, `1e5` from `1.000000000e5`: the mantissa
/// without trailing zeros.
fn trim_mantissa(scientific: &str) -> String {
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}e{exponent}")
}

/// `2.2e+99` from `2.2e99`; `1.25e-7` unchanged.
fn with_exponent_sign(short: &str) -> String {
    match short.split_once('e') {
        Some((mantissa, exponent)) if !exponent.starts_with('-') => {
            format!("{mantissa}e+{exponent}")
        }
        _ => short.to_owned(),
    }
}
