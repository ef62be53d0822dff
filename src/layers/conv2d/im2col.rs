//! im2col and col2im: a batch of images laid out as matrices, one column a filter
//! position, so that a convolution is one matrix product an image (section 7.4.3).
//!
//! For images `N×C×H×W`, filters `FH×FW`, stride `S` and padding `P`, the output is
//! `OH×OW` with `OH = (H + 2P − FH)/S + 1` (and the same for `OW`), and for each image
//! `n` a `(C·FH·FW) × (OH·OW)` matrix
//!
//! ```text
//! col_n[(c·FH + u)·FW + v][i·OW + j] = x[n][c][i·S + u − P][j·S + v − P]
//! ```
//!
//! (0 where the index falls in the padding). Column `(i, j)` of `col_n` is the patch
//! the filter sees at output pixel `(i, j)`, in the filters' own `C·FH·FW` order, so
//! `W · col_n` is every filter at every position, already one row a channel:
//!
//! ```text
//!   x (1×1×3×3)       col (2×2 patch × 4 positions)        W (FN filters × 4)
//!   a b c             a b d e    ← patch weight (0, 0)
//!   d e f      →      b c e f    ← (0, 1)          W · col  =  one row a filter,
//!   g h i             d e g h    ← (1, 0)                      one column a position
//!                     e f h i    ← (1, 1)
//!                     ↑ output (0, 0) … (1, 1)
//! ```
//!
//! This is the book's `col` transposed (the book lays a patch out as a row): each
//! row of `col_n` is then the image shifted by one filter offset, `OW` neighbouring
//! pixels copied at a time for stride 1, and the product comes out in channels.
//! col2im is im2col's transpose: each element of a `col`-shaped gradient is added back
//! onto the input pixel it was copied from, so a pixel seen by several positions sums
//! their gradients.

use crate::Float;
use crate::matrix::gemm::shifted::{SLACK, Shifts};

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
    /// Rows of one image's `col`: one a filter weight, `C·FH·FW`.
    pub fn cols(&self) -> usize {
        self.c * self.fh * self.fw
    }

    /// Columns of one image's `col`: one a position, `OH·OW`.
    pub fn pixels(&self) -> usize {
        self.oh * self.ow
    }

    /// A stride-1 convolution's geometry over one image padded by [`pad`].
    pub fn padded(&self) -> Shifts {
        Shifts {
            channels: self.c,
            height: self.h + 2 * self.pad,
            width: self.w + 2 * self.pad,
            fh: self.fh,
            fw: self.fw,
        }
    }

    /// The input row that filter row `u` reads at output row `i`; `None` in the padding.
    #[inline]
    fn input_row(&self, i: usize, u: usize) -> Option<usize> {
        let y = (i * self.stride + u).checked_sub(self.pad)?;
        (y < self.h).then_some(y)
    }

    /// For filter column `v`: the output columns `j0..j1` whose input column
    /// `j·S + v − P` is inside the image (the others read padding), and the input
    /// column of `j0` (`W` when there are none: an empty run at the row's end).
    #[inline]
    fn inside(&self, v: usize) -> (usize, usize, usize) {
        let s = self.stride;
        let j0 = self.pad.saturating_sub(v).div_ceil(s).min(self.ow);
        let j1 = (self.w + self.pad)
            .saturating_sub(v)
            .div_ceil(s)
            .clamp(j0, self.ow);
        let x0 = (j0 * s + v).saturating_sub(self.pad).min(self.w);
        (j0, j1, x0)
    }

    /// Every line of `col`, in order, with its index: output row `i` of row `(c, u, v)`
    /// of an image's `col`, `OW` long, for every channel of every image, with the input
    /// pixels it takes (see [`Line`]). Plain loops calling `f`: an iterator of nested
    /// `flat_map`s cost more than the copies it ordered.
    fn each_line(&self, mut f: impl FnMut(usize, Line)) {
        let g = *self;
        let mut k = 0;
        for channel in 0..g.n * g.c {
            for u in 0..g.fh {
                for v in 0..g.fw {
                    let (j0, j1, x0) = g.inside(v);
                    for i in 0..g.oh {
                        let run = g.input_row(i, u).map(|y| {
                            let row = (channel * g.h + y) * g.w;
                            row + x0..row + g.w
                        });
                        f(
                            k,
                            Line {
                                run,
                                inside: j0..j1,
                            },
                        );
                        k += 1;
                    }
                }
            }
        }
    }
}

/// One line of `col` and where its pixels come from.
struct Line {
    /// The input row it reads, from its first pixel inside the image to the row's end
    /// (indices into the batch), every `S`-th taken; `None` when the filter row is in
    /// the padding.
    run: Option<std::ops::Range<usize>>,
    /// The output columns whose pixel is inside the image (the others are padding).
    inside: std::ops::Range<usize>,
}

/// `col = im2col(x)` for every image, `col` holding the images' matrices one after
/// another (`N × (C·FH·FW) × (OH·OW)`), all of it overwritten. Each line of a row is
/// one run of an input row: copied whole for stride 1, every `S`-th pixel otherwise.
pub(crate) fn im2col<T: Float>(g: &Geometry, x: &[T], col: &mut [T]) {
    debug_assert_eq!(x.len(), g.n * g.c * g.h * g.w);
    debug_assert_eq!(col.len(), g.n * g.cols() * g.pixels());
    g.each_line(|k, Line { run, inside }| {
        let line = &mut col[k * g.ow..][..g.ow];
        let Some(run) = run else {
            line.fill(T::ZERO);
            return;
        };
        line[..inside.start].fill(T::ZERO);
        line[inside.end..].fill(T::ZERO);
        let (run, out) = (&x[run], &mut line[inside]);
        if g.stride == 1 {
            out.copy_from_slice(&run[..out.len()]);
        } else {
            let pixels = run.iter().step_by(g.stride);
            out.iter_mut().zip(pixels).for_each(|(o, &p)| *o = p);
        }
    });
}

/// `dx = col2im(dcol)`: every element of `dcol` (shaped as `col`) added onto the input
/// pixel `im2col` copied it from; `dx` is overwritten.
pub(crate) fn col2im<T: Float>(g: &Geometry, dcol: &[T], dx: &mut [T]) {
    debug_assert_eq!(dx.len(), g.n * g.c * g.h * g.w);
    debug_assert_eq!(dcol.len(), g.n * g.cols() * g.pixels());
    dx.fill(T::ZERO);
    g.each_line(|k, Line { run, inside }| {
        if let Some(run) = run {
            let line = &dcol[k * g.ow..][..g.ow];
            let pixels = dx[run].iter_mut().step_by(g.stride);
            for (p, &d) in pixels.zip(&line[inside]) {
                *p += d;
            }
        }
    });
}

/// `image = x` with `P` zeros around each channel and [`SLACK`] zeros after the last,
/// for a stride-1 convolution to read `col` from (see [`crate::matrix::gemm::shifted`]):
/// `C × (H + 2P) × (W + 2P)`. `image` is zeroed when it is first made (or its size
/// changes); after that only the pixels inside the padding are written.
pub(crate) fn pad<T: Float>(g: &Geometry, x: &[T], image: &mut Vec<T>) {
    debug_assert_eq!(x.len(), g.n * g.c * g.h * g.w);
    let (h, w, pad) = (g.h + 2 * g.pad, g.w + 2 * g.pad, g.pad);
    let len = g.n * g.c * h * w;
    if image.len() != len + SLACK {
        image.clear();
        image.resize(len + SLACK, T::ZERO);
    }
    if pad == 0 {
        image[..len].copy_from_slice(x);
        return;
    }
    let channels = image[..len].chunks_exact_mut(h * w);
    for (channel, rows) in channels.zip(x.chunks_exact(g.h * g.w)) {
        let lines = channel.chunks_exact_mut(w).skip(pad);
        for (line, row) in lines.zip(rows.chunks_exact(g.w)) {
            line[pad..][..g.w].copy_from_slice(row);
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
    fn pad_surrounds_each_channel_with_zeros_and_leaves_slack() {
        let mut g = geometry(2, 3, 1, 1, 1); // 2×3 pixels, padded to 4×5
        g.c = 2;
        let x: Vec<f32> = (1..=12).map(|v| v as f32).collect();
        let mut image = vec![7.0; 3]; // any old contents are replaced
        for _ in 0..2 {
            pad(&g, &x, &mut image);
            #[rustfmt::skip]
            let channel = |a: f32| [
                0.0, 0.0, 0.0, 0.0, 0.0,
                0.0, a, a + 1.0, a + 2.0, 0.0,
                0.0, a + 3.0, a + 4.0, a + 5.0, 0.0,
                0.0, 0.0, 0.0, 0.0, 0.0,
            ];
            assert_eq!(image[..20], channel(1.0));
            assert_eq!(image[20..40], channel(7.0));
            assert_eq!(image[40..], [0.0; SLACK]);
        }
    }

    #[test]
    fn im2col_lays_each_patch_out_as_a_column() {
        // The picture in the module documentation, a..i as 1..9.
        let g = geometry(3, 3, 2, 1, 0);
        let x: Vec<f64> = (1..=9).map(f64::from).collect();
        let mut col = vec![0.0; 16];
        im2col(&g, &x, &mut col);
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
        im2col(&g, &x, &mut col);
        // Filter offset (0, 0) sees a pixel (4) at output (1, 1) only; (1, 1) sees 1
        // at output (0, 0) only.
        assert_eq!(&col[..4], [0.0, 0.0, 0.0, 4.0]);
        assert_eq!(&col[12..], [1.0, 0.0, 0.0, 0.0]);
    }

    /// im2col by its definition, one element at a time.
    fn by_definition(g: &Geometry, x: &[f64]) -> Vec<f64> {
        let mut col = Vec::new();
        for n in 0..g.n {
            for c in 0..g.c {
                for u in 0..g.fh {
                    for v in 0..g.fw {
                        for i in 0..g.oh {
                            for j in 0..g.ow {
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
            // Filter columns that only ever read padding: a filter wider than the
            // image and its padding on one side, a stride past the image.
            (1, 1, 5, 5, 1, 2),
            (1, 1, 3, 3, 3, 1),
            (3, 3, 7, 7, 1, 2),
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
            let mut col = vec![f64::NAN; g.n * g.cols() * g.pixels()];
            im2col(&g, &x, &mut col);
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
        let d: Vec<f64> = (0..g.n * g.cols() * g.pixels())
            .map(|k| (k as f64 * 0.11).cos())
            .collect();
        let mut col = vec![0.0; d.len()];
        im2col(&g, &x, &mut col);
        let mut back = vec![0.0; x.len()];
        col2im(&g, &d, &mut back);
        let left: f64 = col.iter().zip(&d).map(|(a, b)| a * b).sum();
        let right: f64 = x.iter().zip(&back).map(|(a, b)| a * b).sum();
        assert!((left - right).abs() < 1e-12, "{left} vs {right}");
    }
}
