//! The checks every user-built dataset passes once, so that no batch has to check
//! again: each row as wide as its type says, every value a finite number.

use crate::{Error, Float};

/// The rows concatenated into one flat vector, row after row, when each holds exactly
/// `width` values; otherwise [`Error::RowLength`] for the first row that does not.
pub(super) fn flatten<T: Float>(
    rows: Vec<Vec<T>>,
    width: usize,
    part: &'static str,
) -> Result<Vec<T>, Error> {
    if let Some((row, values)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
        return Err(Error::RowLength {
            part,
            row,
            expected: width,
            actual: values.len(),
        });
    }
    Ok(rows.concat())
}

/// The number of rows of `width` values in a flat vector of `len` values, or
/// [`Error::RowLength`] for its last, incomplete row when `width` does not divide `len`.
pub(super) fn count_rows(len: usize, width: usize, part: &'static str) -> Result<usize, Error> {
    match len % width {
        0 => Ok(len / width),
        actual => Err(Error::RowLength {
            part,
            row: len / width,
            expected: width,
            actual,
        }),
    }
}

/// [`Error::NotFiniteData`] for the first NaN or ±∞ in `flat` (rows of `width`), naming
/// its row and its element within the row.
pub(super) fn check_finite<T: Float>(
    flat: &[T],
    width: usize,
    part: &'static str,
) -> Result<(), Error> {
    match flat.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(k) => Err(Error::NotFiniteData {
            part,
            row: k / width,
            element: k % width,
            value: flat[k].to_f64(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_row_or_value_is_named() {
        let ragged = vec![vec![1.0_f32, 2.0], vec![3.0], vec![4.0, 5.0, 6.0]];
        assert_eq!(
            flatten(ragged, 2, "input"),
            Err(Error::RowLength {
                part: "input",
                row: 1,
                expected: 2,
                actual: 1
            })
        );
        assert_eq!(
            flatten(vec![vec![1.0_f64, 2.0], vec![3.0, 4.0]], 2, "target"),
            Ok(vec![1.0, 2.0, 3.0, 4.0])
        );
        assert_eq!(count_rows(9, 3, "input"), Ok(3));
        // 10 values in rows of 3: rows 0–2 are whole, row 3 holds 1 value.
        assert_eq!(
            count_rows(10, 3, "input"),
            Err(Error::RowLength {
                part: "input",
                row: 3,
                expected: 3,
                actual: 1
            })
        );
        let err = check_finite(&[0.0_f32, 1.0, 2.0, f32::INFINITY, f32::NAN], 2, "target");
        assert_eq!(
            err,
            Err(Error::NotFiniteData {
                part: "target",
                row: 1,
                element: 1,
                value: f64::INFINITY
            })
        );
        assert_eq!(check_finite(&[0.0_f64; 4], 2, "input"), Ok(()));
    }
}
