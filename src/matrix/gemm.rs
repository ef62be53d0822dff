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
//! - above it, the classic packed scheme ([`blocked`]). For each block of at most
//!   [`KC`] steps along `k`, `B` is copied into contiguous, zero-padded panels of `NR`
//!   columns (a last panel of at most `NR / 2` columns half as wide); `A` is read in
//!   place where its rows or columns are contiguous, and
//!   copied into panels of `MR` rows otherwise; a register-blocked micro-kernel
//!   computes each `MR × NR` tile of `C` with `MR·NR` accumulators. The panels live in
//!   thread-local buffers that only grow, so a training loop allocates nothing after
//!   its first step.
//!
//! Inside a rayon thread pool (see [`crate::threads`]) a large product is split by
//! rows of `C` across the pool's threads ([`split`]). Each element of `C` is computed
//! from its row of `A` alone, by the same code in the same order on whichever thread,
//! so the result is exactly that of one thread; the cuts fall on multiples of the tile
//! height only so that no thread computes a partial tile it need not.
//!
//! The packed kernel is safe Rust compiled twice: once for the baseline target and once
//! with AVX2 and FMA enabled; the second runs when the CPU reports both features at run
//! time. Calling it is the crate's only `unsafe` (see [`packed`]).

use std::any::Any;
use std::cell::RefCell;
use std::mem::size_of;

use crate::Float;
use blocked::blocked;

mod blocked;

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

/// Products with fewer multiply-adds than this use the plain loop: below it, packing
/// costs more than it saves (the measurements are in benches/README.md).
const SMALL: usize = 256;
/// Largest depth of one packed block (a product of depth `k` is cut into
/// `⌈k / KC⌉` equal blocks): a `KC × NR` panel of `B` stays in L1 while the
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
// computed half as wide: the book's 50 columns are 3 panels of 16 and one of 8 (2 of
// its columns used), 56 computed instead of 64.

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
        split((m, k, n), a, b, c, accumulate, pool_threads());
    }
}

/// Products with fewer multiply-adds than this stay on one thread: handing half of it
/// to another thread costs more than it saves.
const PARALLEL: usize = 1 << 19;
/// Rows of `C` are split in multiples of this, the height of both tiles.
const SPLIT_ROWS: usize = 6;
const _: () = assert!(SPLIT_ROWS.is_multiple_of(MR32) && SPLIT_ROWS.is_multiple_of(MR64));

/// The packed product on up to `parts` threads of the current rayon pool: the rows of
/// `C` (and of `A`) are cut in two, in proportion to the threads each side gets, and
/// the sides computed by [`rayon::join`], each with its own thread's packing buffers,
/// until a part would be too small.
fn split<T: Float>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    parts: usize,
) {
    let Some((top_rows, top_parts)) = cut((m, k, n), parts) else {
        with_packs(|packs: &mut Packs<T>| packed((m, k, n), a, b, c, accumulate, packs));
        return;
    };
    let (c_top, c_bottom) = c.split_at_mut(top_rows * n);
    let a_bottom = Operand {
        data: &a.data[top_rows * a.row_stride..],
        ..a
    };
    join(
        || split((top_rows, k, n), a, b, c_top, accumulate, top_parts),
        || {
            split(
                (m - top_rows, k, n),
                a_bottom,
                b,
                c_bottom,
                accumulate,
                parts - top_parts,
            )
        },
    );
}

/// The number of threads of the rayon pool this call runs in; 1 outside a pool, and
/// on WebAssembly, which has no threads.
fn pool_threads() -> usize {
    #[cfg(not(target_family = "wasm"))]
    return rayon::current_thread_index().map_or(1, |_| rayon::current_num_threads());
    #[cfg(target_family = "wasm")]
    return 1;
}

/// Runs both closures, on two threads of the current pool where there are threads.
fn join(a: impl FnOnce() + Send, b: impl FnOnce() + Send) {
    #[cfg(not(target_family = "wasm"))]
    rayon::join(a, b);
    #[cfg(target_family = "wasm")]
    {
        a();
        b();
    }
}

/// Where [`split`] cuts an `m × k · k × n` product for `parts` threads: the rows of `C`
/// above the cut and the threads they get, or `None` to keep it on one thread (one
/// part, too few multiply-adds, or too few rows for a cut at a tile boundary).
fn cut((m, k, n): (usize, usize, usize), parts: usize) -> Option<(usize, usize)> {
    let top_parts = parts / 2;
    let top_rows = (m * top_parts / parts.max(1)).next_multiple_of(SPLIT_ROWS);
    let too_small = m.saturating_mul(k).saturating_mul(n) < PARALLEL;
    (parts >= 2 && !too_small && top_rows > 0 && top_rows < m).then_some((top_rows, top_parts))
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

#[cfg(test)]
mod tests;
