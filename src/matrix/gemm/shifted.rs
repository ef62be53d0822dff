//! The two products of a stride-1 convolution with `col` read from the padded image:
//! never laid out by im2col and then packed again, as the other products' `B` is.
//!
//! With stride 1 and the padding already in the image (see [`Shifts`]), row
//! `(c, u, v)` of an image's `col` is its channel `c` shifted by `(u, v)`: output
//! pixel `(i, j)` reads input pixel `(i + u, j + v)`. So an `L`-lane piece of a line of
//! `col` (`L` neighbouring output pixels of one output row) is `L` neighbouring input
//! pixels, one vector load from the image at offset `(c·H + i + u)·W + j + v`:
//!
//! - forward, `Y = W·col` ([`forward`]): `col` is copied once, piece by piece, straight
//!   into the panels of the packed product's micro-kernel ([`super::blocked::tile`]),
//!   two pieces a panel line (`⌈OW / L⌉` pieces an output row, the last one's lanes past
//!   the row unused), and every tile of filters runs over every panel, its `MR`
//!   filters packed as the packed product packs `A` (a line of `MR` weights a step of
//!   depth); the bias is added as a tile is stored;
//! - `∂L/∂W = ∂L/∂Y·colᵀ` and `∂L/∂b` ([`filter_gradient`]): the same micro-kernel
//!   with the image's pixels as its depth, `MR` filters of `∂L/∂Y` read in place and
//!   `colᵀ` copied from the image in panels of `NR` filter weights, a block of output
//!   rows at a time (see [`gradient`]); `∂L/∂b` comes out of a lane of ones past the
//!   last weight.
//!
//! A piece that runs past its output row (the row is not a multiple of `L`) reads the
//! next row's pixels, and the last one past the image: the image is given with
//! [`SLACK`] elements after it. What those lanes compute is never stored.
//!
//! The layer runs these in `f32` only ([`crate::Conv2d`]); `f64` convolutions keep
//! im2col. The forward runs on the AVX2+FMA build where the GEMM runs AVX-512
//! ([`conv_path`]); the filter gradient runs on the GEMM's build and tile.

use super::blocked::{aligned, tile};
use super::tile::{TILE32, TILE32_PLAIN, Tile};
use super::{AVX2, Job, PLAIN, Packs, Path, run_on, selected, with_packs};
use crate::Float;

/// The build the convolution's forward runs on: the process's, except that an AVX-512
/// process runs it on the AVX2+FMA build. On the Ice Lake Xeon the AVX-512 build took
/// 1.15–1.2× as long for the SimpleConvNet's forward with 16-lane pieces (its rows of
/// 24 are a 16-lane and an 8-lane piece), and 1.09× with four 8-lane pieces a panel
/// line in the 10 × 32 tile (each tile's 25 steps of depth are too few to pay for its
/// stores), while the GEMM's products keep AVX-512 (benches/README.md); that CPU's
/// clock also drops under 512-bit work (the `peak` probe: 256-bit FMAs at 111 GFLOP/s,
/// 512-bit at 176, not 222).
pub(crate) fn conv_path() -> Path {
    match selected().0 {
        Path::Avx512 => Path::Avx2Fma,
        path => path,
    }
}

/// Runs `$job` on [`conv_path`]'s build, with that build's `f32` tile as `$tile`: the
/// plain and AVX2 builds only (`on_selected_path!` would also compile an AVX-512
/// instance that never runs).
macro_rules! on_conv_path {
    ($tile:ident => $job:expr) => {{
        let ran = match conv_path() {
            Path::Plain => {
                const $tile: Tile = TILE32_PLAIN;
                run_on::<PLAIN, _>($job).is_ok()
            }
            _ => {
                const $tile: Tile = TILE32;
                run_on::<AVX2, _>($job).is_ok()
            }
        };
        assert!(ran, "conv: the selected path is one this CPU supports");
    }};
}

/// Elements after a padded image that the forward may read (and not use): at most one
/// piece less one lane, for the widest tile's 16 lanes (checked at compile time).
pub(crate) const SLACK: usize = 16;

/// A stride-1 convolution of one image already padded: `channels × height × width`
/// (the padding included), filters `fh × fw`, output `oh × ow`
/// (`oh = height − fh + 1`, `ow = width − fw + 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shifts {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
    pub fh: usize,
    pub fw: usize,
}

impl Shifts {
    /// Output rows.
    pub fn oh(&self) -> usize {
        self.height + 1 - self.fh
    }

    /// Output columns.
    pub fn ow(&self) -> usize {
        self.width + 1 - self.fw
    }

    /// Filter weights: rows of `col`, `C·FH·FW`.
    pub fn depth(&self) -> usize {
        self.channels * self.fh * self.fw
    }

    /// The offset in the image of filter weight `p = (c·FH + u)·FW + v`.
    fn offset(&self, p: usize) -> usize {
        let (c, uv) = (p / (self.fh * self.fw), p % (self.fh * self.fw));
        (c * self.height + uv / self.fw) * self.width + uv % self.fw
    }

    /// Panics unless the image, with its slack, and the other buffers have their sizes.
    fn check<T>(&self, image: &[T], filters: usize, dy_len: usize) {
        assert!(
            self.height >= self.fh && self.width >= self.fw,
            "conv: a {}×{} filter over a {}×{} image",
            self.fh,
            self.fw,
            self.height,
            self.width
        );
        let pixels = self.channels * self.height * self.width;
        assert!(
            image.len() >= pixels + SLACK,
            "conv: the padded image has {} elements, fewer than its {pixels} and {SLACK} of slack",
            image.len()
        );
        assert_eq!(
            dy_len,
            filters * self.oh() * self.ow(),
            "conv: the output (or its gradient) has the wrong length"
        );
    }
}

/// `y = W·col + b` for one image: `w` is `FN × (C·FH·FW)` (one filter a row), `bias`
/// `FN` long, `image` padded and followed by [`SLACK`] elements, `y` `FN × (OH·OW)`.
pub(crate) fn forward<T: Float>(s: &Shifts, w: &[T], bias: &[T], image: &[T], y: &mut [T]) {
    T::conv_forward(s, w, bias, image, y)
}

/// `dw = ∂L/∂Y·colᵀ` and `db = Σ_pixels ∂L/∂Y` (or `dw += …`, `db += …` when
/// `accumulate`) for one image: `dy` is `FN × (OH·OW)`, `image` as for [`forward`],
/// `dw` `FN × (C·FH·FW)`, `db` `FN` long.
pub(crate) fn filter_gradient<T: Float>(
    s: &Shifts,
    dy: &[T],
    image: &[T],
    (dw, db): (&mut [T], &mut [T]),
    accumulate: bool,
) {
    T::conv_filter_gradient(s, dy, image, (dw, db), accumulate)
}

/// The arguments of [`forward`].
type ForwardArgs<'a, T> = (&'a Shifts, &'a [T], &'a [T], &'a [T], &'a mut [T]);
/// The arguments of [`filter_gradient`].
type GradientArgs<'a, T> = (
    &'a Shifts,
    &'a [T],
    &'a [T],
    (&'a mut [T], &'a mut [T]),
    bool,
);

/// [`forward`] for one element type, on [`conv_path`]'s build and tile, with this
/// thread's packing buffer for the panels.
pub(crate) fn forward_of<T: Float>(args: ForwardArgs<'_, T>) {
    with_packs(|packs: &mut Packs<T>| {
        let bufs = (&mut packs.a, &mut packs.b);
        on_conv_path!(TILE => Forward::<T, { TILE.mr }, { TILE.nr }, { TILE.lanes }>(args, bufs));
    });
}

/// [`filter_gradient`] for one element type, on the process's build and tile (as the
/// GEMM's products), with this thread's packing buffer for the panels of `colᵀ`.
pub(crate) fn filter_gradient_of<T: Float>(args: GradientArgs<'_, T>) {
    with_packs(|packs: &mut Packs<T>| {
        let panels = &mut packs.b;
        on_selected_path!("conv", TILE => Gradient::<T, { TILE.mr }, { TILE.nr }>(args, panels));
    });
}

/// [`forward`] with an `MR × NR` tile of `L`-lane pieces, as a [`Job`], with this
/// thread's buffers for the packed filters and the panels.
struct Forward<'a, 'p, T, const MR: usize, const NR: usize, const L: usize>(
    ForwardArgs<'a, T>,
    (&'p mut Vec<T>, &'p mut Vec<T>),
);

impl<T: Float, const MR: usize, const NR: usize, const L: usize> Job
    for Forward<'_, '_, T, MR, NR, L>
{
    type Out = ();
    #[inline(always)]
    fn run<const P: u8>(self) {
        if P == PLAIN {
            forward_tiles::<T, MR, NR, L, false>(self.0, self.1);
        } else {
            forward_tiles::<T, MR, NR, L, true>(self.0, self.1);
        }
    }
}

/// [`filter_gradient`] with an `MR × NR` tile, as a [`Job`].
struct Gradient<'a, 'p, T, const MR: usize, const NR: usize>(GradientArgs<'a, T>, &'p mut Vec<T>);

impl<T: Float, const MR: usize, const NR: usize> Job for Gradient<'_, '_, T, MR, NR> {
    type Out = ();
    #[inline(always)]
    fn run<const P: u8>(self) {
        if P == PLAIN {
            gradient::gradient_tiles::<T, MR, NR, false>(self.0, self.1);
        } else {
            gradient::gradient_tiles::<T, MR, NR, true>(self.0, self.1);
        }
    }
}

/// Every `MR × NR` tile of `Y`: `MR` filters by two pieces of `L = NR / 2` output
/// pixels (the pieces of each output row in order, `⌈OW / L⌉` a row, then the next
/// row's). First every pair's `B` panel (`C·FH·FW` lines of `NR`: the two pieces
/// shifted by each filter weight) is copied from the image into `panels` (57.6 KB for
/// the SimpleConvNet); then each tile of filters runs over every panel, so that its
/// stores advance through `MR` channels of `Y` in order (a panel run by every tile of
/// filters before the next was built, L1-resident, spread the stores over all the
/// channels and measured slower: benches/README.md). Filters past the last, and a
/// second piece past the last, repeat the last one; they are never stored.
#[inline(always)]
fn forward_tiles<T: Float, const MR: usize, const NR: usize, const L: usize, const FMA: bool>(
    (s, w, bias, image, y): ForwardArgs<'_, T>,
    (packed_w, panels): (&mut Vec<T>, &mut Vec<T>),
) {
    const { assert!(NR == 2 * L, "conv: a tile is two pieces wide") };
    const {
        assert!(
            L <= SLACK + 1,
            "conv: a piece may read past the image's slack"
        )
    };
    let (k, filters) = (s.depth(), bias.len());
    s.check(image, filters, y.len());
    assert_eq!(
        w.len(),
        filters * k,
        "conv: the filters have the wrong length"
    );
    let (oh, ow) = (s.oh(), s.ow());
    let row_pieces = ow.div_ceil(L);
    let pieces = oh * row_pieces;
    // Piece `q`: output row, first column, and how many of its lanes are output pixels.
    let piece = |q: usize| {
        let (i, j0) = (q / row_pieces, q % row_pieces * L);
        (i, j0, L.min(ow - j0))
    };
    let pairs = pieces.div_ceil(2);
    let panels = aligned(panels, pairs * k * NR);
    for (q0, panel) in (0..pieces).step_by(2).zip(panels.chunks_exact_mut(k * NR)) {
        let pair = [piece(q0), piece((q0 + 1).min(pieces - 1))];
        let starts = [0, 1].map(|h| pair[h].0 * s.width + pair[h].1);
        let mut lines = panel.as_chunks_mut::<NR>().0.iter_mut();
        for c in 0..s.channels {
            for u in 0..s.fh {
                let row = &image[(c * s.height + u) * s.width..];
                for v in 0..s.fw {
                    let line = lines.next().expect("conv: a panel line a filter weight");
                    for (half, &start) in line.as_chunks_mut::<L>().0.iter_mut().zip(&starts) {
                        *half = *<&[T; L]>::try_from(&row[start + v..][..L])
                            .expect("conv: a piece of L lanes");
                    }
                }
            }
        }
    }
    // Each tile's filters interleaved, one line of `MR` weights a filter weight, as the
    // packed product packs `A`: the tile reads one line a step of depth instead of
    // `MR` rows, each bounds-checked and its address kept on the stack.
    packed_w.clear();
    for f0 in (0..filters).step_by(MR) {
        let rows: [&[T]; MR] = std::array::from_fn(|r| &w[(f0 + r).min(filters - 1) * k..][..k]);
        for p in 0..k {
            packed_w.extend(rows.map(|row| row[p]));
        }
    }
    for (f0, lines) in (0..filters).step_by(MR).zip(packed_w.chunks_exact(k * MR)) {
        let (lines, _) = lines.as_chunks::<MR>();
        for (q0, panel) in (0..pieces).step_by(2).zip(panels.chunks_exact(k * NR)) {
            let pair = [piece(q0), piece((q0 + 1).min(pieces - 1))];
            let stored = if q0 + 1 < pieces { 2 } else { 1 };
            let acc = tile::<T, MR, NR, FMA>(|p, r| lines[p][r], k, panel);
            for (r, acc_r) in acc.iter().enumerate().take(filters - f0) {
                let (f, (halves, _)) = (f0 + r, acc_r.as_chunks::<L>());
                let end = (f + 1) * oh * ow;
                for (&(i, j0, valid), half) in pair.iter().zip(halves).take(stored) {
                    let (at, piece) = ((f * oh + i) * ow + j0, half.map(|a| a + bias[f]));
                    if at + L <= end {
                        // All `L` lanes, one vector store, also when the piece ends
                        // before them: the lanes past its row fall on the channel's
                        // next pixels, which a later piece stores (each tile stores
                        // its pieces in order).
                        let out: &mut [T; L] = (&mut y[at..at + L])
                            .try_into()
                            .expect("conv: a piece of L lanes");
                        *out = piece;
                    } else {
                        y[at..at + valid].copy_from_slice(&piece[..valid]);
                    }
                }
            }
        }
    }
}

mod gradient;
#[cfg(test)]
mod tests;
