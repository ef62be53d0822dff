//! The one place every matrix product goes through.
//!
//! `C = A·B` (or `C += A·B`) where `A` and `B` are read through strides, so that the
//! transposed products `A·Bᵀ` and `Aᵀ·B` are the same call with the strides swapped
//! and no transposed copy of an operand is ever made.
//!
//! Two kernels, chosen by size:
//!
//! - below [`SMALL`] multiply-adds, a plain triple loop: nothing to set up, which is
//!   what the book's 2×3 examples want;
//! - above it, the classic packed scheme. For each block of [`KC`] steps along `k`,
//!   `B` is copied into panels of `NR` columns and `A` into panels of `MR` rows (both
//!   contiguous and zero-padded at the edges), and a register-blocked micro-kernel
//!   computes each `MR × NR` tile of `C` with `MR·NR` accumulators. The panels live in
//!   thread-local buffers that only grow, so a training loop allocates nothing after
//!   its first step.
//!
//! Inside a rayon thread pool (see [`crate::threads`]) a large product is split by
//! rows of `C` across the pool's threads ([`split`]); the rows are split at multiples
//! of the tile height, so every element is computed exactly as on one thread.
//!
//! The packed kernel is safe Rust compiled twice: once for the baseline target and once
//! with AVX2 and FMA enabled; the second runs when the CPU reports both features at run
//! time. Calling it is the crate's only `unsafe` (see [`packed`]).

use std::any::Any;
use std::cell::RefCell;
use std::mem::size_of;

use crate::Float;

/// A read-only matrix operand: element `(i, j)` is `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a, T> {
    pub data: &'a [T],
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<T: Copy> Operand<'_, T> {
    /// Element `(i, j)`.
    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> T {
        self.data[i * self.row_stride + j * self.col_stride]
    }

    /// Panics unless every element of a `rows × cols` view lies inside `data`.
    fn check(&self, rows: usize, cols: usize, name: &str) {
        if rows == 0 || cols == 0 {
            return;
        }
        let last = (rows - 1)
            .checked_mul(self.row_stride)
            .zip((cols - 1).checked_mul(self.col_stride))
            .and_then(|(r, c)| r.checked_add(c));
        assert!(
            last.is_some_and(|last| last < self.data.len()),
            "gemm: operand {name} ({rows}×{cols}, strides {}, {}) reaches past its {} elements",
            self.row_stride,
            self.col_stride,
            self.data.len()
        );
    }
}

/// Products with fewer multiply-adds than this use the plain loop. Measured: at
/// 4×4·4×4 the loop takes 0.06 µs (f32) and packing 0.10 µs; at 8×8·8×8, 0.74 against
/// 0.30; at 100×50·50×10, 71 against 6.
const SMALL: usize = 256;
/// Depth of one packed block: a `KC × NR` panel of `B` stays in L1 while the
/// micro-kernel sweeps the panels of `A`.
const KC: usize = 256;
/// Tile of the `f32` micro-kernel: 6 rows × two 8-lane vectors (12 accumulators).
const MR32: usize = 6;
const NR32: usize = 16;
/// Tile of the `f64` micro-kernel: 6 rows × two 4-lane vectors (12 accumulators).
/// Both chosen by measurement on the training step's shapes (Zen 4, AVX2).
const MR64: usize = 6;
const NR64: usize = 8;
// A last panel of `B` with at most half a tile's width of columns left is packed and
// computed half as wide: the book's 50 columns are 3 × 16 + 8, not 4 × 16.

/// `c = a·b` (`accumulate == false`) or `c += a·b`, with `a` of shape `m × k`,
/// `b` of shape `k × n` and `c` a contiguous row-major `m × n` buffer.
pub(crate) fn gemm<T: Float>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    assert_eq!(
        Some(c.len()),
        m.checked_mul(n),
        "gemm: output buffer has the wrong length"
    );
    a.check(m, k, "A");
    b.check(k, n, "B");
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c.fill(T::ZERO);
        }
        return;
    }
    if m.saturating_mul(k).saturating_mul(n) < SMALL {
        plain((m, k, n), a, b, c, accumulate);
    } else {
        // Inside a rayon pool (see `crate::threads`), as many parts as it has threads.
        let parts = rayon::current_thread_index().map_or(1, |_| rayon::current_num_threads());
        split((m, k, n), a, b, c, accumulate, parts);
    }
}

/// Products with fewer multiply-adds than this stay on one thread: handing half of it
/// to another thread costs more than it saves.
const PARALLEL: usize = 1 << 19;
/// Rows of `C` are split in multiples of this, the height of both tiles.
const SPLIT_ROWS: usize = 6;
const _: () = assert!(SPLIT_ROWS.is_multiple_of(MR32) && SPLIT_ROWS.is_multiple_of(MR64));

/// The packed product on up to `parts` threads of the current rayon pool: the rows of
/// `C` (and of `A`) are halved, each half computed by [`rayon::join`] with its own
/// thread's packing buffers, until a part would be too small.
fn split<T: Float>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    parts: usize,
) {
    let half = (m / 2).next_multiple_of(SPLIT_ROWS);
    if parts < 2 || m.saturating_mul(k).saturating_mul(n) < PARALLEL || half >= m {
        with_packs(|packs: &mut Packs<T>| packed((m, k, n), a, b, c, accumulate, packs));
        return;
    }
    let (c_top, c_bottom) = c.split_at_mut(half * n);
    let a_bottom = Operand {
        data: &a.data[half * a.row_stride..],
        ..a
    };
    rayon::join(
        || split((half, k, n), a, b, c_top, accumulate, parts / 2),
        || {
            split(
                (m - half, k, n),
                a_bottom,
                b,
                c_bottom,
                accumulate,
                parts - parts / 2,
            )
        },
    );
}

/// The textbook triple loop, for products too small to be worth packing.
fn plain<T: Float>(
    (_, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
        for (j, c_ij) in c_row.iter_mut().enumerate() {
            let dot = (0..k).fold(T::ZERO, |acc, p| acc + a.at(i, p) * b.at(p, j));
            *c_ij = if accumulate { *c_ij + dot } else { dot };
        }
    }
}

/// The packing buffers of one element type.
struct Packs<T> {
    a: Vec<T>,
    b: Vec<T>,
    b_edge: Vec<T>,
}

impl<T> Packs<T> {
    const fn new() -> Self {
        Packs {
            a: Vec::new(),
            b: Vec::new(),
            b_edge: Vec::new(),
        }
    }
}

thread_local! {
    static PACKS: RefCell<(Packs<f32>, Packs<f64>)> =
        const { RefCell::new((Packs::new(), Packs::new())) };
}

/// Runs `f` with this thread's packing buffers for `T`.
fn with_packs<T: Float, R>(f: impl FnOnce(&mut Packs<T>) -> R) -> R {
    PACKS.with_borrow_mut(|(p32, p64)| {
        let packs = match (p32 as &mut dyn Any).downcast_mut::<Packs<T>>() {
            Some(packs) => packs,
            None => (p64 as &mut dyn Any)
                .downcast_mut::<Packs<T>>()
                .expect("gemm: Float is sealed to f32 and f64"),
        };
        f(packs)
    })
}

/// The packed product, on the fastest code path this CPU runs.
#[allow(unsafe_code)]
fn packed<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    packs: &mut Packs<T>,
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: `packed_avx2_fma` is a safe function (every memory access in it and
        // in what it inlines is a bounds-checked slice access) whose one extra
        // precondition, from `#[target_feature(enable = "avx2,fma")]`, is that the CPU
        // executes AVX2 and FMA instructions. The two run-time checks just above
        // established exactly that.
        unsafe { packed_avx2_fma(shape, a, b, c, accumulate, packs) };
        return;
    }
    packed_body::<T, false>(shape, a, b, c, accumulate, packs);
}

/// [`packed_body`] compiled with AVX2 and FMA: 256-bit vectors and fused multiply-adds.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn packed_avx2_fma<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    packs: &mut Packs<T>,
) {
    packed_body::<T, true>(shape, a, b, c, accumulate, packs);
}

/// The packed product with the tile of `T`. `FMA` selects fused multiply-adds, for the
/// AVX2+FMA build only: without the instruction they are a slow library call.
#[inline(always)]
fn packed_body<T: Float, const FMA: bool>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    packs: &mut Packs<T>,
) {
    if size_of::<T>() == 4 {
        blocked::<T, MR32, NR32, { NR32 / 2 }, FMA>(shape, a, b, c, accumulate, packs);
    } else {
        blocked::<T, MR64, NR64, { NR64 / 2 }, FMA>(shape, a, b, c, accumulate, packs);
    }
}

/// For each block of depth: pack `B` (and `A` unless its rows can be read in place),
/// then compute every `MR × NR` tile of `C` from one panel of each, storing it (first
/// block, unless accumulating) or adding it. A last panel of at most `NH` columns is
/// computed `NH` wide.
#[inline(always)]
fn blocked<T: Float, const MR: usize, const NR: usize, const NH: usize, const FMA: bool>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    packs: &mut Packs<T>,
) {
    // Columns in full-width panels; the rest, if any, go in one NH-wide panel.
    let n_wide = match n % NR {
        rest @ 1.. if rest <= NH => n - rest,
        _ => n,
    };
    // Equal blocks no deeper than KC: 784 is 4 × 196, not 3 × 256 + 16.
    let kc_max = k.div_ceil(k.div_ceil(KC));
    for p0 in (0..k).step_by(kc_max) {
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
        let b_edge = pack::<T, NH>(&mut packs.b_edge, &b_block(n_wide, n - n_wide));
        // `A` stored by rows (the batch `X` in `X·W`) is read in place: packing it
        // would gather each element with a strided load. `A` stored by columns (`Hᵀ`
        // in `Hᵀ·dY`) is read in place when one column of panels covers `C`, so each
        // line is read once; packing it pays when the lines are read again for more
        // columns (measured: `Xᵀ·dY` with its 50 columns, 134 µs packed against 162).
        let a_panels = if a.col_stride == 1 {
            APanels::Rows { a, p0 }
        } else if a.row_stride == 1 && n <= NR {
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
            kc,
            // After the first block, C already holds a partial sum to add to.
            add: accumulate || p0 > 0,
        };
        for (jp, b_panel) in b_wide.chunks_exact(kc * NR).enumerate() {
            column::<T, MR, NR, FMA>(&a_panels, b_panel, jp * NR, &mut out);
        }
        if n_wide < n {
            column::<T, MR, NH, FMA>(&a_panels, b_edge, n_wide, &mut out);
        }
    }
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
    kc: usize,
    add: bool,
}

/// Every tile in one column of `W`-wide tiles, starting at column `j0` of `C`.
#[inline(always)]
fn column<T: Float, const MR: usize, const W: usize, const FMA: bool>(
    a_panels: &APanels<'_, T>,
    b_panel: &[T],
    j0: usize,
    out: &mut Out<'_, T>,
) {
    let (m, n, kc) = (out.m, out.n, out.kc);
    for i0 in (0..m).step_by(MR) {
        let tile = match *a_panels {
            APanels::Packed(a_pack) => {
                let (lines, _) = a_pack[i0 * kc..][..kc * MR].as_chunks::<MR>();
                tile::<T, MR, W, FMA>(|p, r| lines[p][r], kc, b_panel)
            }
            APanels::Rows { a, p0 } => {
                // Rows past the edge read the last row again; their results are
                // never stored.
                let row = |r: usize| {
                    let i = (i0 + r).min(m - 1);
                    &a.data[i * a.row_stride + p0..][..kc]
                };
                let rows: [&[T]; MR] = std::array::from_fn(row);
                tile::<T, MR, W, FMA>(|p, r| rows[r][p], kc, b_panel)
            }
            APanels::Columns { a, p0 } => {
                // Past the edge, the last row again (never stored).
                let valid = MR.min(m - i0);
                let line = |p: usize| &a.data[(p0 + p) * a.col_stride + i0..][..valid];
                tile::<T, MR, W, FMA>(|p, r| line(p)[r.min(valid - 1)], kc, b_panel)
            }
        };
        let cols = W.min(n - j0);
        for (r, acc_row) in tile.iter().enumerate().take(m - i0) {
            let c_row = &mut out.c[(i0 + r) * n + j0..][..cols];
            for (c_ij, &x) in c_row.iter_mut().zip(acc_row) {
                *c_ij = if out.add { *c_ij + x } else { x };
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
    if buf.len() < len {
        buf.resize(len, T::ZERO);
    }
    for (q, panel) in buf[..len].chunks_exact_mut(kc * width).enumerate() {
        let w0 = q * width;
        let valid = width.min(block.len - w0);
        let start = block.origin + w0 * block.w_stride;
        if block.w_stride == 1 {
            // Each line is a contiguous run of the source.
            for (p, line) in panel.chunks_exact_mut(width).enumerate() {
                let src = &block.data[start + p * block.p_stride..][..valid];
                if let (Ok(line), Ok(src)) = (
                    <&mut [T; W]>::try_from(&mut *line),
                    <&[T; W]>::try_from(src),
                ) {
                    // A whole line: a fixed-size copy the compiler keeps in registers.
                    *line = *src;
                } else {
                    for (w, x) in line.iter_mut().enumerate() {
                        *x = src.get(w).copied().unwrap_or(T::ZERO);
                    }
                }
            }
        } else {
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
    &buf[..len]
}

/// The micro-kernel: the `MR × NR` tile `A_panel · B_panel` over `kc` steps of depth,
/// with element `(r, p)` of `A_panel` read as `a(p, r)`.
///
/// The rows are written out one by one (up to [`MAX_MR`]) rather than looped over:
/// with a loop, the compiler keeps a tile of more than 64 accumulators in memory
/// instead of registers (measured: 6 × 16 ran 15 times slower than 4 × 16).
#[inline(always)]
fn tile<T: Float, const MR: usize, const NR: usize, const FMA: bool>(
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

/// Tallest tile [`tile`] unrolls.
const MAX_MR: usize = 12;

/// One row of the tile: `acc += a · b_p`.
#[inline(always)]
fn row<T: Float, const NR: usize, const FMA: bool>(acc: &mut [T; NR], a: T, b_p: &[T; NR]) {
    for (x, &b) in acc.iter_mut().zip(b_p) {
        *x = if FMA { a.mul_add(b, *x) } else { a * b + *x };
    }
}

#[cfg(test)]
mod tests;
