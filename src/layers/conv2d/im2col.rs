//! im2col and col2im: a batch of images laid out as the rows of one matrix, one row a
//! filter position, so that a convolution is one matrix product (section 7.4.3).
//!
//! For images `N×C×H×W`, filters `FH×FW`, stride `S` and padding `P`, the output is
//! `OH×OW` with `OH = (H + 2P − FH)/S + 1` (and the same for `OW`), and
//!
//! ```text
//! col[(n·OH + i)·OW + j][(c·FH + u)·FW + v] = x[n][c][i·S + u − P][j·S + v − P]
//! ```
//!
//! (0 where the index falls in the padding). Row `(n, i, j)` of `col` is the patch the
//! filter sees at output pixel `(i, j)` of image `n`, in the filters' own `C·FH·FW`
//! order, so `col · Wᵀ` is every filter at every position:
//!
//! ```text
//!   x (1×1×3×3)       col (4 positions × 4 = 2×2 patch)     W (FN filters × 4)
//!   a b c             [a b d e]   ← output (0, 0)
//!   d e f      →      [b c e f]   ← output (0, 1)      ·  Wᵀ  =  one score per
//!   g h i             [d e g h]   ← output (1, 0)                 filter and position
//!                     [e f h i]   ← output (1, 1)
//! ```
//!
//! col2im is its transpose: each element of a `col`-shaped gradient is added back onto
//! the input pixel it was copied from, so a pixel seen by several positions sums their
//! gradients.

use crate::Float;

/// The geometry of one convolution (or pooling) over a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Geometry {
    pub n: usize,
    pub c: usize,
    pub h: usize,
    pub w: usize,
    pub fh: usize,
    pub fw: usize,
    pub oh: usize,
    pub ow: usize,
    pub stride: usize,
    pub pad: usize,
}

impl Geometry {
    /// Rows of `col`: one a position, `N·OH·OW`.
    pub fn rows(&self) -> usize {
        self.n * self.oh * self.ow
    }

    /// Columns of `col`: one a filter weight, `C·FH·FW`.
    pub fn cols(&self) -> usize {
        self.c * self.fh * self.fw
    }

    /// For output `(i, j)` and filter row `u`: the input row the filter row reads, and
    /// the filter columns `v0..v1` that fall inside the image, whose pixels start at
    /// input column `x0` (`j·S + v0 − P`); `None` when the whole filter row is padding.
    #[inline]
    fn span(&self, i: usize, j: usize, u: usize) -> Option<(usize, usize, usize, usize)> {
        let y = (i * self.stride + u).checked_sub(self.pad)?;
        if y >= self.h {
            return None;
        }
        let left = j * self.stride; // input column + P of filter column 0
        let v0 = self.pad.saturating_sub(left);
        let v1 = (self.w + self.pad).saturating_sub(left).min(self.fw);
        (v0 < v1).then(|| (y, left + v0 - self.pad, v0, v1))
    }
}

/// `col = im2col(x)`, overwriting all of `col` (`rows() × cols()`), for filters `FW`
/// wide. Each filter row's pixels are one contiguous run of an input row, copied as
/// an array of `FW` when the whole run is inside the image (a few register moves, not
/// a call to `memcpy` for five numbers), as a slice next to the padding.
pub(crate) fn im2col<T: Float, const FW: usize>(g: &Geometry, x: &[T], col: &mut [T]) {
    assert_eq!(g.fw, FW, "im2col: the geometry's filter width is FW");
    debug_assert_eq!(x.len(), g.n * g.c * g.h * g.w);
    debug_assert_eq!(col.len(), g.rows() * g.cols());
    let mut rows = col.chunks_exact_mut(g.cols());
    for image in x.chunks_exact(g.c * g.h * g.w) {
        for i in 0..g.oh {
            for j in 0..g.ow {
                let row = rows.next().expect("rows() rows");
                for (channel, patch) in image
                    .chunks_exact(g.h * g.w)
                    .zip(row.chunks_exact_mut(g.fh * g.fw))
                {
                    for (u, out) in patch.as_chunks_mut::<FW>().0.iter_mut().enumerate() {
                        match g.span(i, j, u) {
                            Some((y, x0, 0, v1)) if v1 == FW => {
                                let start = y * g.w + x0;
                                *out = channel[start..start + FW]
                                    .try_into()
                                    .expect("a run of FW pixels");
                            }
                            Some((y, x0, v0, v1)) => {
                                out[..v0].fill(T::ZERO);
                                let start = y * g.w + x0;
                                out[v0..v1].copy_from_slice(&channel[start..start + v1 - v0]);
                                out[v1..].fill(T::ZERO);
                            }
                            None => out.fill(T::ZERO),
                        }
                    }
                }
            }
        }
    }
}

/// `dx = col2im(dcol)`: every element of `dcol` added onto the input pixel `im2col`
/// copied it from; `dx` is overwritten.
pub(crate) fn col2im<T: Float>(g: &Geometry, dcol: &[T], dx: &mut [T]) {
    debug_assert_eq!(dx.len(), g.n * g.c * g.h * g.w);
    debug_assert_eq!(dcol.len(), g.rows() * g.cols());
    dx.fill(T::ZERO);
    let mut rows = dcol.chunks_exact(g.cols());
    for image in dx.chunks_exact_mut(g.c * g.h * g.w) {
        for i in 0..g.oh {
            for j in 0..g.ow {
                let row = rows.next().expect("rows() rows");
                for (channel, patch) in image
                    .chunks_exact_mut(g.h * g.w)
                    .zip(row.chunks_exact(g.fh * g.fw))
                {
                    for (u, grads) in patch.chunks_exact(g.fw).enumerate() {
                        if let Some((y, x0, v0, v1)) = g.span(i, j, u) {
                            let start = y * g.w + x0;
                            let pixels = &mut channel[start..start + v1 - v0];
                            for (p, &d) in pixels.iter_mut().zip(&grads[v0..v1]) {
                                *p += d;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(h: usize, w: usize, f: usize, stride: usize, pad: usize) -> Geometry {
        let oh = (h + 2 * pad - f) / stride + 1;
        let ow = (w + 2 * pad - f) / stride + 1;
        Geometry {
            n: 1,
            c: 1,
            h,
            w,
            fh: f,
            fw: f,
            oh,
            ow,
            stride,
            pad,
        }
    }

    #[test]
    fn im2col_lays_each_patch_out_as_a_row() {
        // The picture in the module documentation, a..i as 1..9.
        let g = geometry(3, 3, 2, 1, 0);
        let x: Vec<f64> = (1..=9).map(f64::from).collect();
        let mut col = vec![0.0; 16];
        im2col::<_, 2>(&g, &x, &mut col);
        assert_eq!(
            col,
            [
                1.0, 2.0, 4.0, 5.0, 2.0, 3.0, 5.0, 6.0, 4.0, 5.0, 7.0, 8.0, 5.0, 6.0, 8.0, 9.0
            ]
        );
    }

    #[test]
    fn padding_reads_zeros_and_stride_skips_positions() {
        let g = geometry(2, 2, 2, 2, 1); // output 2×2, each patch one pixel of x
        let x = [1.0_f32, 2.0, 3.0, 4.0];
        let mut col = vec![9.0; 16];
        im2col::<_, 2>(&g, &x, &mut col);
        assert_eq!(&col[..4], [0.0, 0.0, 0.0, 1.0]);
        assert_eq!(&col[12..], [4.0, 0.0, 0.0, 0.0]);
    }

    /// im2col by its definition, one element at a time.
    fn by_definition(g: &Geometry, x: &[f64]) -> Vec<f64> {
        let mut col = Vec::new();
        for n in 0..g.n {
            for i in 0..g.oh {
                for j in 0..g.ow {
                    for c in 0..g.c {
                        for u in 0..g.fh {
                            for v in 0..g.fw {
                                let y = (i * g.stride + u) as isize - g.pad as isize;
                                let z = (j * g.stride + v) as isize - g.pad as isize;
                                let inside = (0..g.h as isize).contains(&y)
                                    && (0..g.w as isize).contains(&z);
                                col.push(if inside {
                                    x[((n * g.c + c) * g.h + y as usize) * g.w + z as usize]
                                } else {
                                    0.0
                                });
                            }
                        }
                    }
                }
            }
        }
        col
    }

    #[test]
    fn im2col_agrees_with_the_definition_for_every_padding_and_stride() {
        for (h, w, fh, fw, stride, pad) in [
            (5, 4, 3, 2, 2, 1),
            (6, 6, 3, 3, 1, 2),
            (7, 5, 5, 5, 3, 3),
            (4, 4, 1, 1, 1, 0),
            (3, 8, 3, 4, 2, 0),
        ] {
            let (oh, ow) = (
                (h + 2 * pad - fh) / stride + 1,
                (w + 2 * pad - fw) / stride + 1,
            );
            let g = Geometry {
                n: 2,
                c: 3,
                h,
                w,
                fh,
                fw,
                oh,
                ow,
                stride,
                pad,
            };
            let x: Vec<f64> = (0..2 * 3 * h * w).map(|k| k as f64 + 1.0).collect();
            let mut col = vec![f64::NAN; g.rows() * g.cols()];
            match fw {
                1 => im2col::<_, 1>(&g, &x, &mut col),
                2 => im2col::<_, 2>(&g, &x, &mut col),
                3 => im2col::<_, 3>(&g, &x, &mut col),
                4 => im2col::<_, 4>(&g, &x, &mut col),
                5 => im2col::<_, 5>(&g, &x, &mut col),
                _ => unreachable!("the cases above have filters 1 to 5 wide"),
            }
            assert_eq!(col, by_definition(&g, &x), "{g:?}");
        }
    }

    #[test]
    fn col2im_is_the_transpose_of_im2col() {
        // <im2col(x), d> = <x, col2im(d)> for any x and d: the definition of a transpose.
        let g = Geometry {
            n: 2,
            c: 2,
            h: 5,
            w: 4,
            fh: 3,
            fw: 2,
            oh: 2,
            ow: 2,
            stride: 2,
            pad: 1,
        };
        let x: Vec<f64> = (0..2 * 2 * 5 * 4)
            .map(|k| (k as f64 * 0.37).sin())
            .collect();
        let d: Vec<f64> = (0..g.rows() * g.cols())
            .map(|k| (k as f64 * 0.11).cos())
            .collect();
        let mut col = vec![0.0; d.len()];
        im2col::<_, 2>(&g, &x, &mut col);
        let mut back = vec![0.0; x.len()];
        col2im(&g, &d, &mut back);
        let left: f64 = col.iter().zip(&d).map(|(a, b)| a * b).sum();
        let right: f64 = x.iter().zip(&back).map(|(a, b)| a * b).sum();
        assert!((left - right).abs() < 1e-12, "{left} vs {right}");
    }
}
