//! The thread split: a large product cut by rows of `C` across the threads of the
//! current rayon pool (see [`crate::threads`]).

use super::Operand;
use crate::Float;

/// Products with fewer multiply-adds than this stay on one thread: handing half of it
/// to another thread costs more than it saves.
const PARALLEL: usize = 1 << 19;

/// A product on one thread: `(shape, a, b, c, accumulate)` as [`super::gemm`] takes them.
pub(crate) trait Kernel<T>:
    Fn((usize, usize, usize), Operand<'_, T>, Operand<'_, T>, &mut [T], bool) + Sync
{
}

impl<T, F: ?Sized> Kernel<T> for F where
    F: Fn((usize, usize, usize), Operand<'_, T>, Operand<'_, T>, &mut [T], bool) + Sync
{
}

/// `kernel` on up to `parts` threads of the current rayon pool: the rows of `C` (and
/// of `A`) are cut in two, in proportion to the threads each side gets, at a multiple
/// of the kernel's tile height `mr`, and the sides computed by [`rayon::join`] (each
/// with its own thread's packing buffers), until a part would be too small.
pub(super) fn split<T: Float>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
    (parts, mr, kernel): (usize, usize, &(impl Kernel<T> + ?Sized)),
) {
    let Some((top_rows, top_parts)) = cut((m, k, n), parts, mr) else {
        kernel((m, k, n), a, b, c, accumulate);
        return;
    };
    let (c_top, c_bottom) = c.split_at_mut(top_rows * n);
    let a_bottom = Operand {
        data: &a.data[top_rows * a.row_stride..],
        ..a
    };
    join(
        || {
            split(
                (top_rows, k, n),
                a,
                b,
                c_top,
                accumulate,
                (top_parts, mr, kernel),
            )
        },
        || {
            split(
                (m - top_rows, k, n),
                a_bottom,
                b,
                c_bottom,
                accumulate,
                (parts - top_parts, mr, kernel),
            )
        },
    );
}

/// The number of threads of the rayon pool this call runs in; 1 outside a pool, and
/// on WebAssembly, which has no threads.
pub(super) fn pool_threads() -> usize {
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

/// Where [`split`] cuts an `m × k · k × n` product for `parts` threads, with tiles `mr`
/// rows high: the rows of `C` above the cut and the threads they get, or `None` to keep
/// it on one thread (one part, too few multiply-adds, or too few rows for a cut at a
/// tile boundary).
///
/// The cut changes no bit of the result (each element of `C` is computed from its row
/// of `A` alone, by the same code in the same order wherever its tile starts); it falls
/// on a tile boundary only so that no thread computes a partial tile it need not.
pub(super) fn cut(
    (m, k, n): (usize, usize, usize),
    parts: usize,
    mr: usize,
) -> Option<(usize, usize)> {
    let top_parts = parts / 2;
    let top_rows = (m * top_parts / parts.max(1)).next_multiple_of(mr.max(1));
    let too_small = m.saturating_mul(k).saturating_mul(n) < PARALLEL;
    (parts >= 2 && !too_small && top_rows > 0 && top_rows < m).then_some((top_rows, top_parts))
}
