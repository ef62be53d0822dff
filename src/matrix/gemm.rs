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
//!   place where its rows or columns are contiguous, and copied into panels of `MR`
//!   rows otherwise; a register-blocked micro-kernel computes each `MR × NR` tile of
//!   `C` with `MR·NR` accumulators. The few columns left over past the panels are
//!   computed thin instead ([`thin`]: dot products or column updates over the whole
//!   depth), not in a panel of mostly zeros. A weight gradient `Xᵀ·dY` whose columns
//!   fill the tiles no better than rows would is computed turned round, as `dYᵀ·X`
//!   stored back transposed ([`blocked`]'s `turns`). The panels live in thread-local
//!   buffers that only grow, so a training loop allocates nothing after its first
//!   step, and start on a 64-byte line, so that no vector load of a panel straddles
//!   two lines.
//!   The tiles of each build are in [`tile`].
//!
//! Inside a rayon thread pool (see [`crate::threads`]) a large product is split by
//! rows of `C` across the pool's threads ([`split`]). Each element of `C` is computed
//! from its row of `A` alone, by the same code in the same order on whichever thread,
//! so the result is exactly that of one thread; the cuts fall on multiples of the tile
//! height only so that no thread computes a partial tile it need not.
//!
//! The packed kernel is safe Rust compiled three times ([`run_on`]): for the baseline
//! target, with AVX2 and FMA, and with AVX-512F, each with its own tile ([`tile::Tile`]).
//! The fastest build the CPU reports at run time runs, unless `BACKPROP_GEMM` caps it
//! ([`path`]; documented in [`crate::cpu`]). The crate's only `unsafe` is in
//! [`audited`]: calling the builds ([`run_on`], which also runs the peak probe
//! ([`peak`]) and the element-wise passes of a step ([`elementwise`]: the SGD update,
//! ReLU, bias sums)), and the one tile the compiler does not build well from the safe
//! code, the AVX-512 `f32` tile of 8 × 48 for `A` read by rows, written with explicit
//! vectors.

use std::cell::RefCell;

use crate::Float;
pub(crate) use audited::run_on;
use blocked::blocked;
pub(crate) use path::{ENV, Path, default_choice, selected};
use split::{pool_threads, split};

/// Runs the [`Job`] `$job` in the build of the path this process runs
/// ([`path::selected`]), with `$tile` naming that path's tile for `T` (in scope at the
/// call) and `$what` naming the caller in the panic of a path the CPU lacks. It
/// `match`es on constants (not `if`), so that each type and path compiles only the tile
/// it runs: the compiler leaves out code under a constant `match` arm never taken.
macro_rules! on_selected_path {
    ($what:literal, $tile:ident => $job:expr) => {{
        use $crate::matrix::gemm::tile::{self, Tile};
        use $crate::matrix::gemm::{AVX2, AVX512, PLAIN, Path, run_on, selected};
        let ran = match selected().0 {
            Path::Plain => match <T as $crate::float::sealed::Sealed>::IS_F32 {
                true => {
                    const $tile: Tile = tile::TILE32_PLAIN;
                    run_on::<PLAIN, _>($job).is_ok()
                }
                false => {
                    const $tile: Tile = tile::TILE64_PLAIN;
                    run_on::<PLAIN, _>($job).is_ok()
                }
            },
            Path::Avx2Fma => match <T as $crate::float::sealed::Sealed>::IS_F32 {
                true => {
                    const $tile: Tile = tile::TILE32;
                    run_on::<AVX2, _>($job).is_ok()
                }
                false => {
                    const $tile: Tile = tile::TILE64;
                    run_on::<AVX2, _>($job).is_ok()
                }
            },
            Path::Avx512 => match <T as $crate::float::sealed::Sealed>::IS_F32 {
                true => {
                    const $tile: Tile = tile::TILE32_512;
                    run_on::<AVX512, _>($job).is_ok()
                }
                false => {
                    const $tile: Tile = tile::TILE64_512;
                    run_on::<AVX512, _>($job).is_ok()
                }
            },
        };
        assert!(
            ran,
            concat!($what, ": the selected path is one this CPU supports")
        );
    }};
}

mod audited;
mod blocked;
pub(crate) mod elementwise;
pub(crate) mod path;
pub(crate) mod peak;
pub(crate) mod shifted;
mod split;
mod thin;
mod tile;

/// A read-only matrix operand: element `(i, j)` is `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a, T> {
    pub data: &'a [T],
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<'a, T: Copy> Operand<'a, T> {
    /// `data` stored by rows of `width`: element `(i, j)` at `i·width + j`.
    pub(crate) fn by_rows(data: &'a [T], width: usize) -> Self {
        Operand {
            data,
            row_stride: width,
            col_stride: 1,
        }
    }

    /// The transposed operand: the same elements, strides swapped.
    #[inline(always)]
    pub(crate) fn t(self) -> Self {
        Operand {
            row_stride: self.col_stride,
            col_stride: self.row_stride,
            ..self
        }
    }

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
/// Columns from which `C` is zeroed before the tiles are added to it on the CPUs of
/// [`zeroes_wide`] (see [`gemm_of`]): on Zen 3 the SimpleConvNet's `dX = dY·Wᵀ`
/// (4,320 columns) ran 0.77–0.81× the time, while zeroing the 100-column `dW = Xᵀ·dY`
/// made it slower (benches/README.md).
const WIDE: usize = 1024;

/// Whether this CPU zeroes a wide `C` first ([`WIDE`]): AMD's do. Zeroing helped on
/// Zen 3 (`avx2+fma`: `dY·Wᵀ` 0.885–0.893× the time, the step 0.988–1.003); on an
/// Intel Ice Lake Xeon it cost time instead (without it, `dY·Wᵀ` took 0.85× the time
/// on `avx512` and 0.95× on `avx2+fma`: benches/README.md), so other CPUs store the
/// tiles straight into `C`. Decided once per process.
fn zeroes_wide() -> bool {
    static ZEROES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ZEROES.get_or_init(|| crate::cpu::amd_family().is_some())
}

/// Largest depth of one packed block (a product of depth `k` is cut into
/// `⌈k / KC⌉` equal blocks). Each block reads and writes all of `C` again, so the
/// book's depth of 784 is one block: its `784 × NR` panels of `B` (50 KB on the
/// AVX2 f32 tile) are read from L2, one line a step of depth, while the micro-kernel sweeps the
/// tiles of their column (benches/README.md).
const KC: usize = 1024;

/// `c = a·b` (`accumulate == false`) or `c += a·b`, with `a` of shape `m × k`,
/// `b` of shape `k × n` and `c` a contiguous row-major `m × n` buffer.
///
/// Generic code calls this from the user's crate, compiled with the user's profile;
/// it hands the product straight to [`Sealed::gemm`], whose `f32` and `f64` bodies are
/// ordinary functions of this crate, compiled once here. So a dependent that builds
/// this crate optimized (`[profile.dev.package.backprop] opt-level = 3`) runs its
/// products at release speed in a debug build.
#[inline]
pub(crate) fn gemm<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    T::gemm(shape, a, b, c, accumulate)
}

/// [`gemm`] for one element type: what `<f32 as Sealed>::gemm` and
/// `<f64 as Sealed>::gemm` run.
pub(crate) fn gemm_of<T: Float>(
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
        // Inside a rayon pool (see `crate::threads`), as many parts as it has threads,
        // cut at multiples of the running kernel's tile height.
        let mr = tile::product_tile::<T>(selected().0, a_by_rows(&a)).mr;
        let parts = (pool_threads(), mr, &packed_here::<T>);
        // On AMD, a wide `C` (rows of at least WIDE columns) is zeroed first, in
        // order, and the tiles added to it: each tile row lands on a line of its own,
        // and there storing into lines not yet in the cache cost more than the pass
        // that brings them in.
        let zeroed = !accumulate && n >= WIDE && zeroes_wide();
        if zeroed {
            c.fill(T::ZERO);
        }
        split((m, k, n), a, b, c, accumulate || zeroed, parts);
    }
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
pub(crate) struct Packs<T> {
    a: Vec<T>,
    b: Vec<T>,
    b_edge: Vec<T>,
    thin: Vec<T>,
}

impl<T> Packs<T> {
    const fn new() -> Self {
        Packs {
            a: Vec::new(),
            b: Vec::new(),
            b_edge: Vec::new(),
            thin: Vec::new(),
        }
    }
}

thread_local! {
    static PACKS: RefCell<(Packs<f32>, Packs<f64>)> =
        const { RefCell::new((Packs::new(), Packs::new())) };
}

/// Runs `f` with this thread's packing buffers for `T`.
fn with_packs<T: Float, R>(f: impl FnOnce(&mut Packs<T>) -> R) -> R {
    PACKS.with_borrow_mut(|both| f(T::packs(both)))
}

/// [`packed`] with this thread's packing buffers.
fn packed_here<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    with_packs(|packs: &mut Packs<T>| packed(shape, a, b, c, accumulate, packs));
}

/// The packed product, on the path [`path::selected`] chose for this process, with
/// that path's tile for `T`.
fn packed<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    packs: &mut Packs<T>,
) {
    let args = (shape, a, b, c, accumulate, packs);
    // The packed product with the tile `$tile`, as a job.
    macro_rules! job {
        ($tile:expr) => {
            PackedJob::<
                '_,
                '_,
                T,
                { $tile.mr },
                { $tile.nr },
                { $tile.nh },
                { $tile.lanes },
                { $tile.thin },
            >(args)
        };
    }
    // `A` read in place by rows may have a tile of its own (`tile::for_product`). Two
    // calls, not one job that is either: where the two tiles are one, both run the
    // same function (the enum slowed the f64 step: benches/README.md).
    if a_by_rows(&a) {
        on_selected_path!("gemm", TILE => job!(tile::for_product(TILE, true)));
    } else {
        on_selected_path!("gemm", TILE => job!(TILE));
    }
}

/// Whether `A` is read in place by rows, which picks the product's tile
/// ([`tile::for_product`]) for the product and for where [`split`] cuts it.
fn a_by_rows<T>(a: &Operand<'_, T>) -> bool {
    a.col_stride == 1
}

/// The arguments of a packed product.
type PackedArgs<'a, 'p, T> = (
    (usize, usize, usize),
    Operand<'a, T>,
    Operand<'a, T>,
    &'a mut [T],
    bool,
    &'p mut Packs<T>,
);

/// [`blocked`] as a [`Job`]: fused multiply-adds in the AVX2 and AVX-512 builds only
/// (without the instruction they are a slow library call).
struct PackedJob<
    'a,
    'p,
    T,
    const MR: usize,
    const NR: usize,
    const NH: usize,
    const L: usize,
    const TH: usize,
>(PackedArgs<'a, 'p, T>);

impl<T: Float, const MR: usize, const NR: usize, const NH: usize, const L: usize, const TH: usize>
    Job for PackedJob<'_, '_, T, MR, NR, NH, L, TH>
{
    type Out = ();
    #[inline(always)]
    fn run<const P: u8>(self) {
        let (shape, a, b, c, accumulate, packs) = self.0;
        if P == PLAIN {
            blocked::<T, MR, NR, NH, L, TH, false, P>(shape, a, b, c, accumulate, packs);
        } else {
            blocked::<T, MR, NR, NH, L, TH, true, P>(shape, a, b, c, accumulate, packs);
        }
    }
}

/// The number of a [`Path`] as a const generic argument of [`Job::run`].
pub(crate) const PLAIN: u8 = 0;
/// See [`PLAIN`].
pub(crate) const AVX2: u8 = 1;
/// See [`PLAIN`].
pub(crate) const AVX512: u8 = 2;

/// Work compiled once for each [`Path`]: `run::<P>` (`P` is [`PLAIN`], [`AVX2`] or
/// [`AVX512`]) is `#[inline(always)]` in every implementation, so that the
/// `#[target_feature]` functions below compile all of it with their features.
pub(crate) trait Job {
    /// What the work returns.
    type Out;
    /// The work, in the build of path `P`.
    fn run<const P: u8>(self) -> Self::Out;
}

#[cfg(test)]
mod tests;
