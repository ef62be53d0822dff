//! Numbers shown the way the book prints them.

use std::fmt;

/// Displays a number rounded to 10 significant digits, in its shortest form: the float
/// noise of `100.0 * 2.0 * 1.1 = 220.00000000000003` shows as `220`, and `1.1 * 3.0`
/// as `3.3`, while values that differ in their first 10 digits still show apart.
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
/// assert_eq!(Rounded(1.25e-7).to_string(), "0.000000125");
/// assert_eq!(format!("[{:>5}]", Rounded(2.2)), "[  2.2]");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rounded(pub f64);

impl fmt::Display for Rounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.0.is_finite() {
            return f.pad(&self.0.to_string());
        }
        // Scientific notation with 9 decimals is exactly 10 significant digits; parsing
        // it back gives the nearest f64, which `Display` prints in its shortest form.
        let rounded: f64 = format!("{:.9e}", self.0)
            .parse()
            .expect("Rounded: Rust's own scientific notation parses as f64");
        // Adding 0.0 turns -0.0 into 0.0, so a vanishing negative value prints as 0.
        f.pad(&(rounded + 0.0).to_string())
    }
}
