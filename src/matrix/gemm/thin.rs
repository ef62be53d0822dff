//! The last few columns of a product, when a panel as wide as the tile's edge would
//! mostly compute zeros: the book's 50 hidden columns are three 16-wide f32 panels and
//! 2 columns left, which an 8-wide panel computes at a quarter of its speed.
//!
//! They are computed over the whole depth with `A` read in place, a pair of columns at
//! a time (and a last single one):
//!
//! - `A` stored by rows (`X` in `X·W`): each element of `C` is a dot product of a row
//!   of `A` and a column of `B` (copied once, `k` long), `L` steps of depth at a time
//!   (`L` lanes: one vector of the AVX2 build, two SSE2 registers in the plain one),
//!   its `L` partial sums added in a fixed tree at the end ([`dots`]);
//! - `A` stored by columns (`Xᵀ` in `Xᵀ·dY`): `3 · NR` rows of `C` at a time (`NR`,
//!   the tile's width, is two vectors), each step of depth adding a piece of a column
//!   of `A` times one element of `B` per column ([`axpys`]).
//!
//! Either way each element of `C` is computed from its row of `A` alone, by the same
//! operations in the same order wherever its block starts, so the thread split still
//! changes no bit of the result.
//!
//! The loops are written for the compiler to keep the accumulators in vector
//! registers: each block's accumulators are returned by value from a function of
//! their own, and updated a whole array at a time with constant indices. (Kept in the
//! caller, or updated through `&mut`, they stayed in memory one lane at a time, several
//! times slower.) No multiply-add sits in a closure: a closure handed to a function
//! that is not inlined is compiled outside the AVX2 build, where `mul_add` is a call
//! to the C library's `fmaf` (the step then took three times as long).

use super::Operand;
use super::blocked::aligned;
use crate::Float;

/// Rows of `C` a block of [`dots`] computes (with 2 columns, 12 vector accumulators).
const DOT_ROWS: usize = 6;
/// Pieces of `NR` rows of `C` a block of [`axpys`] computes (with 2 columns, 12
/// vector accumulators).
const AXPY_PIECES: usize = 3;
const _: () = assert!(
    DOT_ROWS == 6 && AXPY_PIECES == 3,
    "the blocks are written out for 6 rows and 3 pieces"
);

/// Columns `j0..n` of `C` (`c += a·b` when `accumulate`, else `c = a·b`), a pair at a
/// time and a last single one, with `A` read in place: by rows when
/// `a.col_stride == 1`, else by columns (`a.row_stride` must then be 1).
#[inline(always)]
pub(super) fn thin<T: Float, const L: usize, const NR: usize, const FMA: bool>(
    (m, k, n): (usize, usize, usize),
    j0: usize,
    (a, b): (Operand<'_, T>, Operand<'_, T>),
    c: &mut [T],
    accumulate: bool,
    buf: &mut Vec<T>,
) {
    let by_rows = a.col_stride == 1;
    assert!(
        by_rows || a.row_stride == 1,
        "gemm: thin columns need A stored by rows or by columns"
    );
    let out = Out { c, n, accumulate };
    let mut j = j0;
    while j < n {
        let b_j = Operand {
            data: &b.data[j * b.col_stride..],
            ..b
        };
        let job = (
            (m, k),
            a,
            b_j,
            Out {
                c: &mut *out.c,
                ..out
            },
            j,
        );
        if n - j >= 2 {
            match by_rows {
                true => dots::<T, L, 2, FMA>(job, buf),
                false => axpys::<T, NR, 2, FMA>(job),
            }
            j += 2;
        } else {
            match by_rows {
                true => dots::<T, L, 1, FMA>(job, buf),
                false => axpys::<T, NR, 1, FMA>(job),
            }
            j += 1;
        }
    }
}

/// Where the columns go: `C` (`n` columns a row), stored or added to.
struct Out<'c, T> {
    c: &'c mut [T],
    n: usize,
    accumulate: bool,
}

impl<T: Float> Out<'_, T> {
    /// Stores (or adds) `x` as element `(i, j)` of `C`.
    #[inline(always)]
    fn put(&mut self, i: usize, j: usize, x: T) {
        let c_ij = &mut self.c[i * self.n + j];
        *c_ij = if self.accumulate { *c_ij + x } else { x };
    }
}

/// `W` columns of `C` from `j` on: `((m, k), A, B from column j, C, j)`.
type Job<'a, 'c, T> = (
    (usize, usize),
    Operand<'a, T>,
    Operand<'a, T>,
    Out<'c, T>,
    usize,
);

/// `acc + x·y`, fused in the builds with fused multiply-adds.
#[inline(always)]
fn madd<T: Float, const FMA: bool>(x: T, y: T, acc: T) -> T {
    if FMA { x.mul_add(y, acc) } else { x * y + acc }
}

/// `W` columns of `C` as dot products of the rows of `A` (contiguous) with the
/// columns of `B`, copied into `buf` first (`W` lines of `k`).
#[inline(always)]
fn dots<T: Float, const L: usize, const W: usize, const FMA: bool>(
    ((m, k), a, b, mut out, j): Job<'_, '_, T>,
    buf: &mut Vec<T>,
) {
    let cols = aligned(buf, W * k);
    for (w, col) in cols.chunks_exact_mut(k).enumerate() {
        for (p, x) in col.iter_mut().enumerate() {
            *x = b.data[p * b.row_stride + w * b.col_stride];
        }
    }
    let cols: [&[T]; W] = std::array::from_fn(|w| &cols[w * k..][..k]);
    let body = k - k % L;
    for i0 in (0..m).step_by(DOT_ROWS) {
        // Rows past the edge read the last row again; their sums are never stored.
        let rows: [&[T]; DOT_ROWS] =
            std::array::from_fn(|r| &a.data[(i0 + r).min(m - 1) * a.row_stride..][..k]);
        let acc = dot_block::<T, L, W, FMA>(body, rows, cols);
        for (r, acc_r) in acc.iter().enumerate().take(m - i0) {
            for (w, acc_rw) in acc_r.iter().enumerate() {
                let mut sum = tree_sum(*acc_rw);
                for (&x, &y) in rows[r][body..].iter().zip(&cols[w][body..]) {
                    sum = madd::<T, FMA>(x, y, sum);
                }
                out.put(i0 + r, j + w, sum);
            }
        }
    }
}

/// `acc + x · y`, lane by lane.
#[inline(always)]
pub(super) fn lanewise<T: Float, const L: usize, const FMA: bool>(
    mut acc: [T; L],
    x: [T; L],
    y: [T; L],
) -> [T; L] {
    for ((s, &x), &y) in acc.iter_mut().zip(&x).zip(&y) {
        *s = madd::<T, FMA>(x, y, *s);
    }
    acc
}

/// `acc + y · x`, lane by lane.
#[inline(always)]
fn scaled<T: Float, const L: usize, const FMA: bool>(mut acc: [T; L], y: T, x: [T; L]) -> [T; L] {
    for (s, &x) in acc.iter_mut().zip(&x) {
        *s = madd::<T, FMA>(x, y, *s);
    }
    acc
}

/// `line[p..p + L]` as an array.
#[inline(always)]
fn lanes<T: Float, const L: usize>(line: &[T], p: usize) -> &[T; L] {
    line[p..][..L]
        .try_into()
        .expect("gemm: a vector of L lanes")
}

/// The sum of `L` lanes as a balanced tree of pairs (a fixed order).
#[inline(always)]
pub(super) fn tree_sum<T: Float, const L: usize>(mut x: [T; L]) -> T {
    let mut len = L;
    while len > 1 {
        let half = len.div_ceil(2);
        for i in 0..len / 2 {
            x[i] += x[i + half];
        }
        len = half;
    }
    x[0]
}

/// `W` columns of `C`, `AXPY_PIECES · NR` rows at a time (`NR`: the tile's width):
/// each step of depth adds the rows' piece of a column of `A` (contiguous) times one
/// element of `B` per column. The rows left after the last whole block are taken from
/// one more block that ends at the last row (its first rows, computed again to the
/// same bits, are not stored again), or one element at a time when `C` has fewer rows
/// than a block.
#[inline(always)]
fn axpys<T: Float, const NR: usize, const W: usize, const FMA: bool>(
    ((m, k), a, b, mut out, j): Job<'_, '_, T>,
) {
    let height = AXPY_PIECES * NR;
    let full = m - m % height;
    for i0 in (0..full).step_by(height) {
        let acc = axpy_block::<T, NR, W, FMA>(k, (a, i0), b);
        store_block::<T, NR, W>(&acc, (i0, i0), j, &mut out);
    }
    if full < m && m >= height {
        let acc = axpy_block::<T, NR, W, FMA>(k, (a, m - height), b);
        store_block::<T, NR, W>(&acc, (m - height, full), j, &mut out);
    } else {
        for i in full..m {
            for w in 0..W {
                let mut dot = T::ZERO;
                for p in 0..k {
                    let b_pw = b.data[p * b.row_stride + w * b.col_stride];
                    dot = madd::<T, FMA>(a.data[p * a.col_stride + i], b_pw, dot);
                }
                out.put(i, j + w, dot);
            }
        }
    }
}

/// Stores the rows from `from` on of the block of [`axpys`] at row `i0`, columns `j..`.
#[inline(always)]
fn store_block<T: Float, const NR: usize, const W: usize>(
    acc: &[[T; NR]; 2 * AXPY_PIECES],
    (i0, from): (usize, usize),
    j: usize,
    out: &mut Out<'_, T>,
) {
    // With one column, the second is the first again (not stored).
    for (w, acc_w) in acc.chunks_exact(AXPY_PIECES).take(W).enumerate() {
        for (i, &x) in acc_w.as_flattened().iter().enumerate().skip(from - i0) {
            out.put(i0 + i, j + w, x);
        }
    }
}

/// The accumulators of the block of [`axpys`] at row `i0`, returned by value (see the
/// module documentation), column `w`'s piece `v` at `[w · AXPY_PIECES + v]`.
#[inline(always)]
fn axpy_block<T: Float, const NR: usize, const W: usize, const FMA: bool>(
    k: usize,
    (a, i0): (Operand<'_, T>, usize),
    b: Operand<'_, T>,
) -> [[T; NR]; 2 * AXPY_PIECES] {
    let height = AXPY_PIECES * NR;
    let mut acc = [[T::ZERO; NR]; 2 * AXPY_PIECES];
    for p in 0..k {
        let line = &a.data[p * a.col_stride + i0..][..height];
        let b_0 = b.data[p * b.row_stride];
        let b_1 = b.data[p * b.row_stride + (W - 1) * b.col_stride];
        // With one column, `b_1` is `b_0` again.
        macro_rules! pieces {
            ($($v:literal)*) => {$(
                let a_v: [T; NR] = *lanes(line, $v * NR);
                acc[$v] = scaled::<T, NR, FMA>(acc[$v], b_0, a_v);
                if W > 1 {
                    let v1 = AXPY_PIECES + $v;
                    acc[v1] = scaled::<T, NR, FMA>(acc[v1], b_1, a_v);
                }
            )*};
        }
        pieces!(0 1 2);
    }
    acc
}

/// The accumulators of one block of [`dots`] over the first `body` steps of depth
/// (a multiple of `L`), returned by value (see the module documentation).
#[inline(always)]
fn dot_block<T: Float, const L: usize, const W: usize, const FMA: bool>(
    body: usize,
    rows: [&[T]; DOT_ROWS],
    cols: [&[T]; W],
) -> [[[T; L]; W]; DOT_ROWS] {
    let mut acc = [[[T::ZERO; L]; W]; DOT_ROWS];
    let steps = body / L;
    let b_lines: [&[[T; L]]; W] = cols.map(|col| &col.as_chunks::<L>().0[..steps]);
    let a_lines: [&[[T; L]]; DOT_ROWS] = rows.map(|row| &row.as_chunks::<L>().0[..steps]);
    for q in 0..steps {
        // With one column, the second is the first again (its sums are not used).
        let b_p = [b_lines[0][q], b_lines[W - 1][q]];
        macro_rules! rows {
            ($($r:literal)*) => {$(
                let a_p = a_lines[$r][q];
                acc[$r][0] = lanewise::<T, L, FMA>(acc[$r][0], a_p, b_p[0]);
                if W > 1 {
                    acc[$r][1] = lanewise::<T, L, FMA>(acc[$r][1], a_p, b_p[1]);
                }
            )*};
        }
        rows!(0 1 2 3 4 5);
    }
    acc
}
