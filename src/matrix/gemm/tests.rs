//! The GEMM kernels against a naive triple loop.

use super::split::cut;
use super::*;

/// The layouts products use: plain, `A` read transposed (`Aᵀ·B`), `B` read
/// transposed (`A·Bᵀ`), and both.
const LAYOUTS: [(bool, bool); 4] = [(false, false), (true, false), (false, true), (true, true)];

/// Small multiples of 1/4, so that every product and partial sum is exact in `f32`
/// and any summation order gives the same bits; scrambled by a multiplicative hash, so
/// that no row or column repeats another (a wrong row or column then shows).
pub(super) fn values<T: Float>(len: usize, seed: usize) -> Vec<T> {
    (0..len)
        .map(|i| {
            let h = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            T::from_f64(((h as usize + seed * 13) % 9) as f64 / 4.0 - 1.0)
        })
        .collect()
}

/// A `rows × cols` operand over `data`, stored transposed when `t`.
fn operand<T>(data: &[T], rows: usize, cols: usize, t: bool) -> Operand<'_, T> {
    let (row_stride, col_stride) = if t { (1, rows) } else { (cols, 1) };
    Operand {
        data,
        row_stride,
        col_stride,
    }
}

mod paths;

/// Every kernel against a naive triple loop, for every layout, with and without
/// accumulation; without it, the output starts as NaN to show it is never read: the
/// entry point, the plain loop, the packed product on the selected path, and every
/// build this CPU runs with both its own tile and the other builds' tiles
/// ([`paths::variants`]).
fn agrees_with_naive<T: Float>(shape: (usize, usize, usize)) {
    let mut kernels: Vec<(String, Kernel<'_, T>)> = vec![
        ("gemm".into(), &gemm::<T>),
        ("plain".into(), &plain::<T>),
        ("packed on the selected path".into(), &packed_here::<T>),
    ];
    let variants = paths::variants::<T>();
    kernels.extend(
        variants
            .iter()
            .map(|v| (v.name.clone(), &*v.run as Kernel<'_, T>)),
    );
    check_against_naive(&kernels, shape);
}

type Kernel<'k, T> =
    &'k dyn Fn((usize, usize, usize), Operand<'_, T>, Operand<'_, T>, &mut [T], bool);

fn check_against_naive<T: Float>(
    kernels: &[(String, Kernel<'_, T>)],
    (m, k, n): (usize, usize, usize),
) {
    let (a_data, b_data, c0) = (
        values::<T>(m * k, 1),
        values::<T>(k * n, 2),
        values::<T>(m * n, 3),
    );
    for (at, bt) in LAYOUTS {
        let (a, b) = (operand(&a_data, m, k, at), operand(&b_data, k, n, bt));
        for accumulate in [false, true] {
            let expected: Vec<f64> = (0..m * n)
                .map(|ij| {
                    let (i, j) = (ij / n, ij % n);
                    let dot: f64 = (0..k)
                        .map(|p| a.at(i, p).to_f64() * b.at(p, j).to_f64())
                        .sum();
                    if accumulate {
                        c0[ij].to_f64() + dot
                    } else {
                        dot
                    }
                })
                .collect();
            for (name, kernel) in kernels {
                let mut c = if accumulate {
                    c0.clone()
                } else {
                    vec![T::from_f64(f64::NAN); m * n]
                };
                kernel((m, k, n), a, b, &mut c, accumulate);
                let got: Vec<f64> = c.iter().map(|x| x.to_f64()).collect();
                assert_eq!(
                    got,
                    expected,
                    "{name} {}: {m}×{k}·{k}×{n}, A transposed {at}, B transposed {bt}, accumulate {accumulate}",
                    T::NAME
                );
            }
        }
    }
}

#[test]
fn every_kernel_layout_and_mode_agrees_with_a_naive_loop() {
    // 1×1 and 3×5·5×7 are below SMALL, 17×33·33×9 above it; 37×1300·1300×21 has two blocks
    // along k (of 650) and partial panels on both edges; 37×2100·2100×8 has no full-width
    // panel (only the half-width one, or one panel in f64) and, with A transposed, reads
    // A's columns in place over three depth blocks (of 700). For the AVX-512 tiles (10 × 32
    // f32, 10 × 16 f64, no thin columns): 23×70·70×50 and 100×784·784×50 are the book's
    // hidden layer (two 32-wide panels; three of 16 and an 8-wide one), 21×513·513×17 one
    // column past a half panel, 9×40·40×48 a full and a half panel, and 100×50·50×10 the
    // output layer. Thin columns on the AVX2 tiles (src/matrix/gemm/thin.rs): the 2 past 48
    // of the hidden layer, by dot products (A by rows) and by column updates (A by columns
    // in f32: 100 rows, a last block overlapping the one before); 37×2100·2100×3 all thin
    // in f32 (37 rows: fewer than a block of column updates); ×17 one single column, with
    // an odd depth (96 rows: two whole blocks of column updates, no overlap); ×29 a
    // zero-padded full panel past the others in f32, a narrow panel and 1 thin column in
    // f64. 7×19·19×1030 is wide enough for `gemm` to zero `C` first (`WIDE`, on AMD
    // CPUs), into which the tiles then add: its output starts as NaN, as every output
    // here. Rows are swept in blocks of at most `A_BLOCK` bytes of `A`'s lines: 100×784
    // is 3 blocks in f32 and 5 or 6 in f64 (on the 6-row tiles the last block ends in a
    // partial tile), 37×1300 and 37×2100 two or three in f64.
    for shape in [
        (1, 1, 1),
        (3, 5, 7),
        (17, 33, 9),
        (37, 1300, 21),
        (37, 2100, 3),
        (37, 2100, 8),
        (23, 70, 50),
        (21, 513, 17),
        (9, 40, 48),
        (100, 50, 10),
        (100, 784, 50),
        (96, 40, 17),
        (100, 60, 29),
        (7, 19, 1030),
    ] {
        agrees_with_naive::<f32>(shape);
        agrees_with_naive::<f64>(shape);
    }
}

#[test]
fn empty_shapes_write_zeros_or_leave_the_output() {
    let a = [1.0_f32; 6];
    let mut c = [f32::NAN; 6];
    gemm(
        (2, 0, 3),
        operand(&a, 2, 0, false),
        operand(&a, 0, 3, false),
        &mut c,
        false,
    );
    assert_eq!(c, [0.0; 6]);
    let mut c = [5.0_f32; 6];
    gemm(
        (2, 0, 3),
        operand(&a, 2, 0, false),
        operand(&a, 0, 3, false),
        &mut c,
        true,
    );
    assert_eq!(c, [5.0; 6]);
    gemm(
        (0, 3, 2),
        operand(&a, 0, 3, false),
        operand(&a, 3, 2, false),
        &mut [],
        false,
    );
}

#[test]
#[should_panic(expected = "gemm: operand B (3×2, strides 2, 1) reaches past its 5 elements")]
fn a_short_operand_is_refused_before_any_work() {
    let (a, b) = ([1.0_f64; 6], [1.0_f64; 5]);
    gemm(
        (2, 3, 2),
        operand(&a, 2, 3, false),
        operand(&b, 3, 2, false),
        &mut [0.0; 4],
        false,
    );
}

#[test]
#[should_panic(expected = "gemm: output buffer has the wrong length")]
fn a_wrong_output_length_is_refused() {
    let a = [1.0_f32; 4];
    gemm(
        (2, 2, 2),
        operand(&a, 2, 2, false),
        operand(&a, 2, 2, false),
        &mut [0.0; 3],
        false,
    );
}

/// A rayon pool of `threads` threads, inside which `gemm` splits large products.
fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a test pool of a few threads")
}

/// Split across threads, a product gives exactly the bits it gives on one thread
/// (values with long mantissas, so a changed summation order would show), and the
/// naive loop's value where the sums are exact. Shapes at and above the split size,
/// with row counts that leave partial tiles.
fn threads_change_no_bit<T: Float>((m, k, n): (usize, usize, usize)) {
    let long = |len: usize, seed: f64| -> Vec<T> {
        (0..len)
            .map(|i| T::from_f64((i as f64 * 0.7 + seed).sin()))
            .collect()
    };
    let (a_data, b_data, c0) = (long(m * k, 1.0), long(k * n, 2.0), long(m * n, 3.0));
    for threads in [2, 3] {
        let pool = pool(threads);
        for (at, bt) in LAYOUTS {
            let (a, b) = (operand(&a_data, m, k, at), operand(&b_data, k, n, bt));
            for accumulate in [false, true] {
                let (mut one, mut many) = (c0.clone(), c0.clone());
                gemm((m, k, n), a, b, &mut one, accumulate);
                pool.install(|| gemm((m, k, n), a, b, &mut many, accumulate));
                assert!(
                    one.iter()
                        .zip(&many)
                        .all(|(x, y)| x.to_f64().to_bits() == y.to_f64().to_bits()),
                    "{} {m}×{k}·{k}×{n} on {threads} threads, A transposed {at}, B transposed {bt}, accumulate {accumulate}",
                    T::NAME
                );
            }
        }
    }
    let pool = pool(2);
    let in_pool = |shape, a: Operand<'_, T>, b: Operand<'_, T>, c: &mut [T], accumulate| {
        pool.install(|| gemm(shape, a, b, c, accumulate));
    };
    check_against_naive::<T>(&[("gemm in a pool".into(), &in_pool)], (m, k, n));
}

#[test]
fn splitting_across_threads_changes_no_bit() {
    // 100×784·784×50 is the book's X·W1; with 101 rows the lower part ends in a
    // partial tile; 32×128·128×128 is exactly the split size (2¹⁹ multiply-adds).
    for shape in [(100, 784, 50), (101, 300, 23), (32, 128, 128)] {
        threads_change_no_bit::<f32>(shape);
        threads_change_no_bit::<f64>(shape);
    }
}

/// The cuts the thread split makes: the book's two large products are cut on two
/// threads, in proportion on three, at tile boundaries (6 rows for the AVX2 tile, 10
/// for the AVX-512 one); small products, one thread and too few rows are not cut.
#[test]
fn large_products_are_cut_at_tile_boundaries_in_proportion_to_threads() {
    assert_eq!(cut((100, 784, 50), 2, 6), Some((54, 1)));
    assert_eq!(cut((100, 784, 50), 2, 10), Some((50, 1)));
    assert_eq!(cut((784, 100, 50), 2, 6), Some((396, 1)));
    assert_eq!(cut((784, 100, 50), 2, 10), Some((400, 1)));
    assert_eq!(cut((100, 784, 50), 3, 6), Some((36, 1)));
    assert_eq!(cut((100, 784, 50), 3, 10), Some((40, 1)));
    assert_eq!(cut((64, 784, 50), 2, 6), Some((36, 1)));
    assert_eq!(cut((32, 128, 128), 2, 6), Some((18, 1)));
    assert_eq!(
        cut((32, 128, 127), 2, 6),
        None,
        "one multiply-add short of 2¹⁹"
    );
    assert_eq!(cut((100, 784, 50), 1, 6), None);
    assert_eq!(cut((100, 50, 10), 2, 6), None, "H·W2 stays on one thread");
    assert_eq!(
        cut((6, 100_000, 100), 2, 6),
        None,
        "no tile boundary inside 6 rows"
    );
    assert_eq!(
        cut((10, 100_000, 100), 2, 10),
        None,
        "no tile boundary inside 10 rows"
    );
    assert_eq!(cut((1, 1 << 20, 1), 2, 6), None, "one row cannot be cut");
}

#[test]
fn packing_buffers_start_on_a_cache_line_whatever_the_vec() {
    fn check<T: Float>() {
        // Growing moves the vector (the allocator aligns it to 16 bytes or less).
        let mut buf: Vec<T> = Vec::new();
        for len in [1, 7, 100, 3_000, 50, 20_000] {
            let line = blocked::aligned(&mut buf, len);
            assert_eq!(line.len(), len);
            assert_eq!(line.as_ptr() as usize % 64, 0, "{len} {}", T::NAME);
        }
    }
    check::<f32>();
    check::<f64>();
}

#[test]
fn a_weight_gradient_is_turned_round_where_its_columns_fill_tiles_badly() {
    use tile::{TILE32, TILE32_512, TILE64, TILE64_512};
    macro_rules! turns {
        ($tile:ident, $n:expr, $a:expr, $b:expr) => {
            blocked::turns::<
                _,
                { $tile.mr },
                { $tile.nr },
                { $tile.nh },
                { $tile.lanes },
                { $tile.thin },
            >($n, $a, $b)
        };
    }
    // `dW1 = Xᵀ·dY1` of the book's net: X is 100 × 784, dY1 100 × 50.
    let (x, dy, w) = (
        vec![0.0f32; 100 * 784],
        vec![0.0f32; 100 * 50],
        vec![0.0f32; 784 * 50],
    );
    let (xt, dy) = (operand(&x, 784, 100, true), operand(&dy, 100, 50, false));
    // AVX-512: 50 columns are two panels of 32 (64 computed), or 5 tiles of 10 rows.
    assert!(turns!(TILE32_512, 50, xt, dy));
    // AVX2: 3 panels of 16 and 2 thin columns (50), against 9 tiles of 6 rows (54).
    assert!(!turns!(TILE32, 50, xt, dy));
    // f64: on AVX-512 3 panels of 16 and 2 thin columns against 5 tiles (a tie turns);
    // on AVX2 6 panels of 8 and a last one of 4 (52) against 9 tiles of 6 (54).
    let (x64, dy64) = (vec![0.0f64; 100 * 784], vec![0.0f64; 100 * 50]);
    let (xt64, dy64) = (
        operand(&x64, 784, 100, true),
        operand(&dy64, 100, 50, false),
    );
    assert!(turns!(TILE64_512, 50, xt64, dy64));
    assert!(!turns!(TILE64, 50, xt64, dy64));
    // `X·W1` (`A` stored by rows) is never turned.
    let (x, w) = (operand(&x, 100, 784, false), operand(&w, 784, 50, false));
    assert!(!turns!(TILE32_512, 50, x, w));
}

/// The AVX-512 `f32` tile written with explicit vectors gives the bits of the portable
/// tile it stands for, on values whose sums round (each element is the same chain of
/// fused multiply-adds in the same order), and is declined outside the AVX-512 build.
#[test]
fn the_explicit_avx512_tile_is_the_portable_tile_to_the_bit() {
    let kc = 37;
    let scramble = |i: usize, m: usize| (((i + 1) * 7919) % m) as f32 / 7.3 - 2.9;
    let a: Vec<f32> = (0..kc * 8).map(|i| scramble(i, 113)).collect();
    let b: Vec<f32> = (0..kc * 48).map(|i| scramble(i, 97)).collect();
    let read = |p: usize, r: usize| a[p * 8 + r];
    let portable = blocked::tile::<f32, 8, 48, true>(read, kc, &b);
    let bits = |t: [[f32; 48]; 8]| t.map(|row| row.map(f32::to_bits));
    assert!(audited::tile_8x48::<AVX2>(read, kc, &b).is_none());
    assert!(audited::tile_8x48::<PLAIN>(read, kc, &b).is_none());
    match audited::tile_8x48::<AVX512>(read, kc, &b) {
        Some(explicit) => assert_eq!(bits(explicit), bits(portable)),
        None => println!("SKIPPED: this CPU does not run AVX-512F"),
    }
}
