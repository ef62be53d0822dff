//! The blocked product for one tile shape: the loop over depth blocks and panels,
//! packing, and the register-blocked micro-kernel. Everything here is
//! `#[inline(always)]`, so it is compiled into each build of [`super::run_on`] (plain,
//! AVX2+FMA, AVX-512) it runs in, generic over the tile.

use std::mem::size_of;

use super::audited::{store_turned_10x32, tile_8x48};
use super::thin::thin;
use super::{KC, Operand, Packs};
use crate::Float;

/// For each block of depth: pack `B` (and `A`, unless its rows, or its columns when
/// one column of panels covers `C`, can be read in place), then compute every
/// `MR × NR` tile of `C` from one panel of each, storing it (first block, unless
/// accumulating) or adding it. A last panel of at most `NH` columns is computed `NH`
/// wide; up to `TH` columns past it, or past the full panels, are computed by
/// [`thin`] (its dot products `L` lanes wide).
#[inline(always)]
pub(super) fn blocked<
    T: Float,
    const MR: usize,
    const NR: usize,
    const NH: usize,
    const L: usize,
    const TH: usize,
    const FMA: bool,
    const P: u8,
>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    packs: &mut Packs<T>,
) {
    // `A` stored by columns and `B` by rows (`dW = Xᵀ·dY`) may be computed turned
    // round, `Cᵀ = Bᵀ·Aᵀ`, its tiles stored back transposed (see `turns`).
    let turned = turns::<T, MR, NR, NH, L, TH>(n, a, b);
    let ((m, n), a, b) = match turned {
        true => ((n, m), b.t(), a.t()),
        false => ((m, n), a, b),
    };
    let n_thin = if turned {
        0
    } else {
        thin_columns::<T, NR, NH, L, TH>(n, a)
    };
    let n_main = n - n_thin;
    if TH > 0 && n_thin > 0 {
        let ab = (a, b);
        thin::<T, L, NR, FMA>((m, k, n), n_main, ab, c, accumulate, &mut packs.thin);
    }
    // Columns in full-width panels; a rest of at most NH columns goes in one NH-wide
    // panel, a wider rest in one more full-width panel (zero past `n_main`).
    let n_wide = match n_main % NR {
        rest @ 1.. if rest <= NH => n_main - rest,
        _ => n_main,
    };
    // Equal blocks no deeper than KC: 1,300 is 2 × 650, not 1,024 + 276.
    let kc_max = k.div_ceil(k.div_ceil(KC));
    let blocks = if n_main > 0 { k } else { 0 };
    for p0 in (0..blocks).step_by(kc_max) {
        let kc = kc_max.min(k - p0);
        let b_block = |j0: usize, len: usize| Block {
            data: b.data,
            origin: p0 * b.row_stride + j0 * b.col_stride,
            w_stride: b.col_stride,
            p_stride: b.row_stride,
            len,
            kc,
        };
        let b_wide = pack::<T, NR>(&mut packs.b, &b_block(0, n_wide));
        let b_edge = pack::<T, NH>(&mut packs.b_edge, &b_block(n_wide, n_main - n_wide));
        // `A` stored by rows (the batch `X` in `X·W`) is read in place: packing it
        // would gather each element with a strided load. `A` stored by columns (`Hᵀ`
        // in `Hᵀ·dY`) is read in place when one column of panels covers `C`, so each
        // line is read once; packing it pays when the lines are read again for more
        // columns (as for `Xᵀ·dY` with its 50 columns: see benches/README.md).
        let a_panels = if a.col_stride == 1 {
            APanels::Rows { a, p0 }
        } else if a.row_stride == 1 && n_main <= NR {
            APanels::Columns { a, p0 }
        } else {
            APanels::Packed(pack::<T, MR>(
                &mut packs.a,
                &Block {
                    data: a.data,
                    origin: p0 * a.col_stride,
                    w_stride: a.row_stride,
                    p_stride: a.col_stride,
                    len: m,
                    kc,
                },
            ))
        };
        let mut out = Out {
            c: &mut *c,
            m,
            n,
            end: n_main,
            kc,
            // After the first block, C already holds a partial sum to add to.
            add: accumulate || p0 > 0,
            turned,
        };
        // Panel by panel down the rows, in blocks of rows whose lines of `A` fit in
        // L2 ([`A_BLOCK`]): a tall `A` (an evaluation block of 1,000 rows, 3 MB) came
        // from L3 or memory once for each panel. The order of the tiles changes no
        // bit of the result.
        let rows = (A_BLOCK / (kc * size_of::<T>()) / MR * MR).max(MR);
        for r0 in (0..m).step_by(rows) {
            let r1 = m.min(r0 + rows);
            for (jp, b_panel) in b_wide.chunks_exact(kc * NR).enumerate() {
                for i0 in (r0..r1).step_by(MR) {
                    tile_at::<T, MR, NR, FMA, P>(&a_panels, b_panel, (i0, jp * NR), &mut out);
                }
            }
            if n_wide < n_main {
                for i0 in (r0..r1).step_by(MR) {
                    tile_at::<T, MR, NH, FMA, P>(&a_panels, b_edge, (i0, n_wide), &mut out);
                }
            }
        }
    }
}

/// The bytes of `A`'s lines (one block of depth) that one block of rows may span, so
/// that they stay in L2 while every panel of `B` sweeps them: a quarter of the
/// smallest L2 the kernels run on here (Zen 3's 512 KB). On the Ice Lake Xeon the
/// evaluation of the book's network (blocks of 1,000 rows) took 0.92 times as long
/// with 128 KB as without row blocks; 256 and 512 KB gained less (benches/README.md).
const A_BLOCK: usize = 128 * 1024;

/// How many columns past the panels are computed thin (see [`thin`]): up to `TH` left
/// past the full panels, or past them and one narrow panel, when `A` is read in place
/// by rows, or by columns in f32 or in the 512-bit build: 50 = 3 × 16 + 2 on the AVX2
/// f32 tile and the AVX-512 f64 one. (By columns in f64 with narrower vectors the
/// compiler leaves the thin loop scalar, and the narrow panel is faster:
/// benches/README.md.)
#[inline(always)]
fn thin_columns<T, const NR: usize, const NH: usize, const L: usize, const TH: usize>(
    n: usize,
    a: Operand<'_, T>,
) -> usize {
    let by_columns_ok = size_of::<T>() == 4 || L * size_of::<T>() >= 64;
    let thin_ok = a.col_stride == 1 || (a.row_stride == 1 && by_columns_ok);
    match n % NR {
        _ if TH == 0 || !thin_ok => 0,
        rest if rest <= TH => rest,
        rest if rest > NH && rest - NH <= TH => rest - NH,
        _ => 0,
    }
}

/// Whether `C = A·B`, with `A` stored by columns and `B` by rows (`dW = Xᵀ·dY`), is
/// computed turned round as `Cᵀ = Bᵀ·Aᵀ`: when the `n` columns of `C` as rows of
/// `MR`-row tiles are no more work than its panels (each full panel `NR` wide, a
/// narrow one `NH`, thin columns one each). Turned, the side stored by rows (`X`) is
/// packed in contiguous runs instead of the other (`Xᵀ`) being gathered, so a tie
/// turns too. On the AVX-512 tiles the book's 50 columns are 5 tiles of 10 rows, not
/// 64 f32 columns of panels, or 48 f64 ones and 2 thin (benches/README.md). It depends
/// on `n` alone, not on the rows that the thread split cuts, so every part of a
/// product is computed alike; turned, each element of `C` is one chain of
/// multiply-adds along the depth.
#[inline(always)]
pub(super) fn turns<
    T,
    const MR: usize,
    const NR: usize,
    const NH: usize,
    const L: usize,
    const TH: usize,
>(
    n: usize,
    a: Operand<'_, T>,
    b: Operand<'_, T>,
) -> bool {
    let layouts = a.row_stride == 1 && a.col_stride != 1 && b.col_stride == 1;
    let n_thin = thin_columns::<T, NR, NH, L, TH>(n, a);
    let n_main = n - n_thin;
    let panels = match n_main % NR {
        0 => n_main,
        rest if rest <= NH => n_main - rest + NH,
        rest => n_main - rest + NR,
    };
    layouts && n.div_ceil(MR) * MR <= panels + n_thin
}

/// Where the tiles of `A` come from in one block of depth.
enum APanels<'a, T> {
    /// Packed into `MR`-row panels.
    Packed(&'a [T]),
    /// Read in place: `A`'s rows are contiguous along depth, from column `p0`.
    Rows { a: Operand<'a, T>, p0: usize },
    /// Read in place: `A`'s columns are contiguous, so each step of depth from `p0`
    /// reads `MR` neighbours.
    Columns { a: Operand<'a, T>, p0: usize },
}

/// The output of one block of depth: `C` (`m × n`), the block's depth, and whether
/// tiles add to `C` or overwrite it.
struct Out<'c, T> {
    c: &'c mut [T],
    m: usize,
    n: usize,
    /// The columns the panels cover: `0..end` (past it, thin columns).
    end: usize,
    kc: usize,
    add: bool,
    /// Whether this is `Cᵀ` computed turned round: element `(i, j)` is stored at
    /// `c[j·m + i]`.
    turned: bool,
}

/// The `MR × W` tile of `C` at row `i0` and column `j0`.
#[inline(always)]
fn tile_at<T: Float, const MR: usize, const W: usize, const FMA: bool, const P: u8>(
    a_panels: &APanels<'_, T>,
    b_panel: &[T],
    (i0, j0): (usize, usize),
    out: &mut Out<'_, T>,
) {
    let (m, kc) = (out.m, out.kc);
    match *a_panels {
        APanels::Packed(a_pack) => {
            let (lines, _) = a_pack[i0 * kc..][..kc * MR].as_chunks::<MR>();
            let tile = micro::<T, MR, W, FMA, P>(|p, r| lines[p][r], kc, b_panel);
            store::<T, MR, W, P>(&tile, (i0, j0), out);
        }
        APanels::Rows { a, p0 } => {
            // Rows past the edge read the last row again; their results are
            // never stored.
            let row = |r: usize| {
                let i = (i0 + r).min(m - 1);
                &a.data[i * a.row_stride + p0..][..kc]
            };
            let rows: [&[T]; MR] = std::array::from_fn(row);
            let tile = micro::<T, MR, W, FMA, P>(|p, r| rows[r][p], kc, b_panel);
            store::<T, MR, W, P>(&tile, (i0, j0), out);
        }
        APanels::Columns { a, p0 } => {
            // Past the edge, the last row again (never stored).
            let valid = MR.min(m - i0);
            let line = |p: usize| &a.data[(p0 + p) * a.col_stride + i0..][..valid];
            let tile = micro::<T, MR, W, FMA, P>(|p, r| line(p)[r.min(valid - 1)], kc, b_panel);
            store::<T, MR, W, P>(&tile, (i0, j0), out);
        }
    }
}

/// Stores (or adds) the rows and columns of `tile` that lie inside `C`, at row `i0`
/// and column `j0`.
#[inline(always)]
fn store<T: Float, const MR: usize, const W: usize, const P: u8>(
    tile: &[[T; W]; MR],
    (i0, j0): (usize, usize),
    out: &mut Out<'_, T>,
) {
    let cols = W.min(out.end - j0);
    if out.turned {
        let rows = MR.min(out.m - i0);
        // The AVX-512 f32 tile of 10 × 32 in registers (the others one by one, below).
        if T::IS_F32 && MR == 10 && W == 32 {
            let at = (out.m, i0, j0);
            let tile32 = T::as_f32s(tile.as_flattened())
                .and_then(|t| <&[[f32; 32]; 10]>::try_from(t.as_chunks::<32>().0).ok());
            if let (Some(tile32), Some(c)) = (tile32, T::as_f32s_mut(out.c))
                && store_turned_10x32::<P>(tile32, c, at, (rows, cols), out.add)
            {
                return;
            }
        }
        for j in 0..cols {
            let c_col = &mut out.c[(j0 + j) * out.m + i0..][..rows];
            for (c_ij, acc_row) in c_col.iter_mut().zip(tile) {
                *c_ij = if out.add {
                    *c_ij + acc_row[j]
                } else {
                    acc_row[j]
                };
            }
        }
        return;
    }
    for (r, acc_row) in tile.iter().enumerate().take(out.m - i0) {
        let c_row = &mut out.c[(i0 + r) * out.n + j0..][..cols];
        // A whole row as an array: a loop of unknown length that copies was turned
        // into a call to `memcpy` for each row of each tile.
        match <&mut [T; W]>::try_from(&mut *c_row) {
            Ok(c_row) if out.add => {
                for (c_ij, &x) in c_row.iter_mut().zip(acc_row) {
                    *c_ij += x;
                }
            }
            Ok(c_row) => *c_row = *acc_row,
            Err(_) => {
                for (c_ij, &x) in c_row.iter_mut().zip(acc_row) {
                    *c_ij = if out.add { *c_ij + x } else { x };
                }
            }
        }
    }
}

/// A block of an operand to pack: element `(w, p)`, for `w < len` and `p < kc`, is
/// `data[origin + w·w_stride + p·p_stride]`; `w` runs across panels, `p` along depth.
struct Block<'a, T> {
    data: &'a [T],
    origin: usize,
    w_stride: usize,
    p_stride: usize,
    len: usize,
    kc: usize,
}

/// Copies `block` into contiguous panels of `kc × width` (element `(w, p)` at
/// `[w / width][p][w % width]`), zero past `block.len`. Grows `buf` if needed.
#[inline(always)]
fn pack<'b, T: Float, const W: usize>(buf: &'b mut Vec<T>, block: &Block<'_, T>) -> &'b [T] {
    let (kc, width) = (block.kc, W);
    let len = block.len.div_ceil(width) * kc * width;
    let buf = aligned(buf, len);
    if block.w_stride == 1 {
        // Each line is a contiguous run of the source: walk the source one step of
        // depth (one run of `len`) at a time, in order, handing each panel its line.
        for p in 0..kc {
            let src = &block.data[block.origin + p * block.p_stride..][..block.len];
            let (whole, rest) = src.as_chunks::<W>();
            let panels = buf.chunks_exact_mut(kc * width);
            for (panel, run) in panels.zip(whole) {
                // A whole line: a fixed-size copy the compiler keeps in registers.
                let line: &mut [T; W] = (&mut panel[p * width..][..width])
                    .try_into()
                    .expect("gemm: a packed line of W");
                *line = *run;
            }
            if !rest.is_empty() {
                let q = whole.len();
                let line = &mut buf[q * kc * width + p * width..][..width];
                for (w, x) in line.iter_mut().enumerate() {
                    *x = rest.get(w).copied().unwrap_or(T::ZERO);
                }
            }
        }
    } else {
        for (q, panel) in buf.chunks_exact_mut(kc * width).enumerate() {
            let w0 = q * width;
            let valid = width.min(block.len - w0);
            let start = block.origin + w0 * block.w_stride;
            // Walk the source along depth, one `w` at a time: `kc` elements each.
            for w in 0..width {
                let lines = panel.chunks_exact_mut(width);
                if w < valid {
                    let from = start + w * block.w_stride;
                    let last = from + (kc - 1) * block.p_stride;
                    let src = block.data[from..=last].iter().step_by(block.p_stride);
                    lines.zip(src).for_each(|(line, &x)| line[w] = x);
                } else {
                    lines.for_each(|line| line[w] = T::ZERO);
                }
            }
        }
    }
    buf
}

/// `len` elements of `buf` (grown if needed) that start on a 64-byte boundary, so
/// that no 512-bit load of a packed line straddles two cache lines.
#[inline(always)]
pub(super) fn aligned<T: Float>(buf: &mut Vec<T>, len: usize) -> &mut [T] {
    let slack = 64 / size_of::<T>();
    if buf.len() < len + slack {
        buf.resize(len + slack, T::ZERO);
    }
    let skip = (buf.as_ptr() as usize).wrapping_neg() % 64 / size_of::<T>();
    &mut buf[skip..][..len]
}

/// The micro-kernel: the `MR × NR` tile `A_panel · B_panel` over `kc` steps of depth,
/// with element `(r, p)` of `A_panel` read as `a(p, r)`.
///
/// The rows are written out one by one (up to [`MAX_MR`]) rather than looped over:
/// with a loop, the compiler keeps a tile of more than 64 accumulators in memory
/// instead of registers, many times slower (benches/README.md).
#[inline(always)]
pub(super) fn tile<T: Float, const MR: usize, const NR: usize, const FMA: bool>(
    a: impl Fn(usize, usize) -> T,
    kc: usize,
    b_panel: &[T],
) -> [[T; NR]; MR] {
    const { assert!(MR <= MAX_MR, "gemm: tile taller than MAX_MR") };
    let mut acc = [[T::ZERO; NR]; MR];
    for (p, b_p) in b_panel.chunks_exact(NR).take(kc).enumerate() {
        let b_p: &[T; NR] = b_p.try_into().expect("gemm: B panel line of NR");
        macro_rules! rows {
            ($($r:literal)*) => {$(
                if $r < MR {
                    row::<T, NR, FMA>(&mut acc[$r], a(p, $r), b_p);
                }
            )*};
        }
        rows!(0 1 2 3 4 5 6 7 8 9 10 11);
    }
    acc
}

/// The `MR × W` tile of the build `P`: [`tile`], or for the AVX-512 `f32` tile of 8 × 48
/// the same sums in explicit vectors ([`tile_8x48`]; the compiler does not build that
/// one well from [`tile`]).
#[inline(always)]
fn micro<T: Float, const MR: usize, const W: usize, const FMA: bool, const P: u8>(
    a: impl Fn(usize, usize) -> T,
    kc: usize,
    b_panel: &[T],
) -> [[T; W]; MR] {
    if T::IS_F32 && MR == 8 && W == 48 {
        let explicit =
            T::as_f32s(b_panel).and_then(|b| tile_8x48::<P>(|p, r| a(p, r).to_f64() as f32, kc, b));
        if let Some(tile) = explicit {
            return std::array::from_fn(|r| {
                std::array::from_fn(|j| T::from_f64(tile[r][j].into()))
            });
        }
    }
    tile::<T, MR, W, FMA>(a, kc, b_panel)
}

/// Tallest tile [`tile`] unrolls.
const MAX_MR: usize = 12;

/// One row of the tile: `acc += a · b_p`.
#[inline(always)]
fn row<T: Float, const NR: usize, const FMA: bool>(acc: &mut [T; NR], a: T, b_p: &[T; NR]) {
    for (x, &b) in acc.iter_mut().zip(b_p) {
        *x = if FMA { a.mul_add(b, *x) } else { a * b + *x };
    }
}
