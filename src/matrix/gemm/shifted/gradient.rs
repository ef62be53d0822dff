//! `∂L/∂W = ∂L/∂Y·colᵀ` and `∂L/∂b` of a stride-1 convolution, for one image, through
//! the packed product's micro-kernel ([`super::tile`]).
//!
//! `∂L/∂Y` is `FN × P` (`P = OH·OW` output pixels), `colᵀ` is `P × K`
//! (`K = C·FH·FW`): line `q` of `colᵀ` is the patch of the image under output pixel
//! `q`. The micro-kernel takes `MR` filters of `∂L/∂Y` as they are (a filter's row is
//! read along the depth of the product, as the packed product reads the rows of an `A`
//! it does not pack) and `colᵀ` in panels of `NR` filter weights, so that the depth of
//! a tile is pixels and its `MR × NR` sums stay in registers all along:
//!
//! ```text
//!                 panel t of colᵀ, a block of output rows:
//!                 line q = weights t·NR … t·NR + NR − 1 of the patch under pixel q
//!                          ┌──────────── NR ────────────┬───┐
//!                   q = q0 │ x[q0 + off(t·NR)] …        │ 1 │ ← the lane after the
//!                   q0 + 1 │ x[q0 + 1 + off(t·NR)] …    │ 1 │   last weight: ones
//!                          │ …                          │ … │
//!                          └────────────────────────────┴───┘
//! MR filters' ∂L/∂Y[f][q0 …] · panel ──→ MR × NR of ∂L/∂W (and ∂L/∂b), added up
//! ```
//!
//! The panel is built and used a block of output rows at a time (at most
//! [`PANEL_BYTES`]): it stays in L1 while each tile of filters reads it, and the buffer
//! stays small for an image of any size. A line is copied from the image in runs of the
//! filter's width (`FW` neighbouring pixels of one input row), 8 elements at a time: a
//! copy may write past its run, into lanes that a later run then writes (one that would
//! pass the line's end is an exact copy instead), and read past it, into the image's
//! slack ([`super::SLACK`]). When `K` is not a multiple of `NR`, the last panel's lane
//! `K mod NR` holds 1, so that the tile also sums each filter's `∂L/∂Y`: `∂L/∂b`. Other
//! lanes past `K` hold whatever was there and are never stored.

use std::mem::size_of;

use super::{GradientArgs, Shifts, tile};
use crate::Float;
use crate::matrix::gemm::blocked::aligned;

/// Elements one copy of a run writes: a 256-bit vector of `f32`.
const RUN: usize = 8;

/// The most bytes of a block's panel (unless one output row takes more): half the
/// smallest L1 data cache of the CPUs measured (32 KB), leaving room for the rows of
/// `∂L/∂Y`.
const PANEL_BYTES: usize = 16 * 1024;

/// [`super::filter_gradient`] with an `MR × NR` tile, a block's panel of `colᵀ` built in
/// `panels`.
#[inline(always)]
pub(super) fn gradient_tiles<T: Float, const MR: usize, const NR: usize, const FMA: bool>(
    (s, dy, image, (dw, db), accumulate): GradientArgs<'_, T>,
    panels: &mut Vec<T>,
) {
    let (k, filters) = (s.depth(), db.len());
    assert_eq!(dw.len(), filters * k, "conv: dW has the wrong length");
    s.check(image, filters, dy.len());
    const {
        assert!(
            RUN <= super::SLACK,
            "conv: a run's copy reads past the image into its slack only"
        )
    };
    let (oh, ow) = (s.oh(), s.ow());
    let pixels = oh * ow;
    // `∂L/∂b` in the lane after the last filter weight, when there is one: a line of
    // ones there makes the tile sum `∂L/∂Y`'s rows too.
    let strips = k.div_ceil(NR);
    let ones = (k % NR != 0).then_some(k % NR);
    if ones.is_none() {
        for (db_f, row) in db.iter_mut().zip(dy.chunks_exact(pixels)) {
            let sum = row.iter().fold(T::ZERO, |sum, &d| sum + d);
            *db_f = if accumulate { *db_f + sum } else { sum };
        }
    }
    // A block of output rows at a time, its panel in L1 for every tile of filters.
    let block = (PANEL_BYTES / (ow * NR * size_of::<T>())).clamp(1, oh);
    let panel = aligned(panels, block * ow * NR);
    for i0 in (0..oh).step_by(block) {
        let (q0, len) = (i0 * ow, block.min(oh - i0) * ow);
        let add = accumulate || i0 > 0;
        for t in 0..strips {
            // The lane of ones, in the last panel only.
            let ones_here = ones.filter(|_| t + 1 == strips);
            pack_panel::<T, NR>(s, image, (t, i0), panel, ones_here);
            let (p0, width) = (t * NR, NR.min(k - t * NR));
            for f0 in (0..filters).step_by(MR) {
                // Filters past the last repeat it; they are never stored.
                let rows: [&[T]; MR] =
                    std::array::from_fn(|r| &dy[(f0 + r).min(filters - 1) * pixels + q0..][..len]);
                let acc = tile::<T, MR, NR, FMA>(|q, r| rows[r][q], len, &panel[..len * NR]);
                for (r, acc_r) in acc.iter().enumerate().take(filters - f0) {
                    let f = f0 + r;
                    let to = &mut dw[f * k + p0..][..width];
                    for (to, &sum) in to.iter_mut().zip(acc_r) {
                        *to = if add { *to + sum } else { sum };
                    }
                    if let Some(lane) = ones_here {
                        let sum = acc_r[lane];
                        db[f] = if add { db[f] + sum } else { sum };
                    }
                }
            }
        }
    }
}

/// Panel `t` of `colᵀ`: for each output pixel, filter weights `t·NR …` of its patch,
/// copied run by run (see the module's comment) in order, so that a run's copy past
/// its end falls where a later run then writes; a copy that would pass the line's end
/// is an exact one.
#[inline(always)]
fn pack_panel<T: Float, const NR: usize>(
    s: &Shifts,
    image: &[T],
    (t, i0): (usize, usize),
    panel: &mut [T],
    ones: Option<usize>,
) {
    let (k, ow) = (s.depth(), s.ow());
    // The panel's runs: where each goes in a line, where it starts in the image (for
    // output pixel (0, 0)), and how long it is.
    let mut runs = [(0, 0, 0); NR];
    let (first, end) = (t * NR, k.min(t * NR + NR));
    let (mut p, mut count) = (first, 0);
    while p < end {
        let len = (s.fw - p % s.fw).min(end - p).min(RUN);
        runs[count] = (p - first, s.offset(p), len);
        (p, count) = (p + len, count + 1);
    }
    // An output row's lines at a time (in L1 while each run is copied for the row's
    // pixels), in the runs' order.
    let runs = &runs[..count];
    let rows = panel.chunks_exact_mut(ow * NR).zip(i0..s.oh());
    for (lines, i) in rows {
        for &(to, from, len) in runs {
            let row = &image[from + i * s.width..][..ow - 1 + RUN];
            let lines = lines.chunks_exact_mut(NR);
            if to + RUN <= NR {
                for (line, run) in lines.zip(row.windows(RUN)) {
                    let line: &mut [T; RUN] = (&mut line[to..to + RUN])
                        .try_into()
                        .expect("conv: a run's copy of RUN elements");
                    *line = run.try_into().expect("conv: a run's copy of RUN elements");
                }
            } else {
                for (line, run) in lines.zip(row.windows(RUN)) {
                    line[to..to + len].copy_from_slice(&run[..len]);
                }
            }
        }
        if let Some(lane) = ones {
            for line in lines.chunks_exact_mut(NR) {
                line[lane] = T::ONE;
            }
        }
    }
}
