//! The one place every matrix product goes through.
//!
//! `C = A·B` (or `C += A·B`) where `A` and `B` are read through strides, so that the
//! transposed products `A·Bᵀ` and `Aᵀ·B` are the same call with the strides swapped
//! and no transposed copy is ever made.

use crate::Float;

/// A read-only matrix operand: element `(i, j)` is `data[i * row_stride + j * col_stride]`.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a, T> {
    pub data: &'a [T],
    pub row_stride: usize,
    pub col_stride: usize,
}

/// `c = a·b` (`accumulate == false`) or `c += a·b`, with `a` of shape `m × k`,
/// `b` of shape `k × n` and `c` a contiguous row-major `m × n` buffer.
pub(crate) fn gemm<T: Float>(
    (m, k, n): (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    assert_eq!(c.len(), m * n, "gemm: output buffer has the wrong length");
    if !accumulate {
        c.fill(T::ZERO);
    }
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    if b.col_stride == 1 {
        // Rows of B are contiguous: broadcast a(i, p) over row p of B (vectorizes).
        for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
            for p in 0..k {
                let a_ip = a.data[i * a.row_stride + p * a.col_stride];
                let b_row = &b.data[p * b.row_stride..p * b.row_stride + n];
                for (c_ij, &b_pj) in c_row.iter_mut().zip(b_row) {
                    *c_ij += a_ip * b_pj;
                }
            }
        }
    } else if a.col_stride == 1 && b.row_stride == 1 {
        // A·Bᵀ: row i of A and column j of B are both contiguous: dot products.
        for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
            let a_row = &a.data[i * a.row_stride..i * a.row_stride + k];
            for (j, c_ij) in c_row.iter_mut().enumerate() {
                let b_col = &b.data[j * b.col_stride..j * b.col_stride + k];
                *c_ij += a_row.iter().zip(b_col).map(|(&x, &y)| x * y).sum();
            }
        }
    } else {
        for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
            for (j, c_ij) in c_row.iter_mut().enumerate() {
                let mut acc = T::ZERO;
                for p in 0..k {
                    acc += a.data[i * a.row_stride + p * a.col_stride]
                        * b.data[p * b.row_stride + j * b.col_stride];
                }
                *c_ij += acc;
            }
        }
    }
}
