//! The GEMM kernels against a naive triple loop.

use super::*;

/// The layouts products use: plain, `A` read transposed (`Aᵀ·B`), `B` read
/// transposed (`A·Bᵀ`), and both.
const LAYOUTS: [(bool, bool); 4] = [(false, false), (true, false), (false, true), (true, true)];

/// Small multiples of 1/4, so that every product and partial sum is exact in `f32`
/// and any summation order gives the same bits.
fn values<T: Float>(len: usize, seed: usize) -> Vec<T> {
    (0..len)
        .map(|i| T::from_f64(((i * 7 + seed * 13) % 9) as f64 / 4.0 - 1.0))
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

type Kernel<T> = fn((usize, usize, usize), Operand<'_, T>, Operand<'_, T>, &mut [T], bool);

fn portable<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    with_packs(|packs: &mut Packs<T>| packed_body::<T, false>(shape, a, b, c, accumulate, packs));
}

fn dispatched<T: Float>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    with_packs(|packs: &mut Packs<T>| packed(shape, a, b, c, accumulate, packs));
}

/// Every kernel against a naive triple loop, for every layout, with and without
/// accumulation; without it, the output starts as NaN to show it is never read.
fn agrees_with_naive<T: Float>((m, k, n): (usize, usize, usize)) {
    let kernels: [(&str, Kernel<T>); 4] = [
        ("gemm", gemm::<T>),
        ("plain", plain::<T>),
        ("packed portable", portable::<T>),
        ("packed dispatched", dispatched::<T>),
    ];
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
    // 1×1 and 3×5·5×7 are below SMALL, 17×33·33×9 above it; 37×300·300×21 has
    // two blocks along k and partial panels on both edges.
    for shape in [(1, 1, 1), (3, 5, 7), (17, 33, 9), (37, 300, 21)] {
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
