//! The crate's only `unsafe` code, small enough to audit in one sitting: calling the
//! `#[target_feature]` builds of the kernels ([`run_on`]), and the few pieces of the
//! AVX-512 build written with explicit vectors, whose loads and stores take raw
//! pointers: the `f32` tile of 8 × 48 ([`tile_8x48`]) and the store of a turned `f32`
//! tile back transposed ([`store_turned_10x32`]). Each checks at
//! run time that the CPU executes AVX-512F and is sound on its own. Everything else
//! is safe Rust that these builds compile.

#[cfg(target_arch = "x86_64")]
use super::{AVX2, AVX512};
use super::{Job, PLAIN};

/// Runs `job` in the build of path `P`, or hands it back when this CPU lacks the path.
/// (`P` is a constant matched on, so each job compiles only the build it is run in.)
#[allow(unsafe_code)]
pub(crate) fn run_on<const P: u8, J: Job>(job: J) -> Result<J::Out, J> {
    #[cfg(target_arch = "x86_64")]
    use std::arch::is_x86_feature_detected as has;
    match P {
        PLAIN => Ok(job.run::<PLAIN>()),
        #[cfg(target_arch = "x86_64")]
        AVX2 if has!("avx2") && has!("fma") => {
            // SAFETY: `on_avx2_fma` is a safe function (every memory access in it and
            // in what it inlines is a bounds-checked slice access, or one of the
            // functions below, each sound on its own) whose one extra precondition,
            // from `#[target_feature(enable = "avx2,fma")]`, is that the CPU executes
            // AVX2 and FMA instructions. The two run-time checks just above
            // established exactly that.
            Ok(unsafe { on_avx2_fma(job) })
        }
        #[cfg(target_arch = "x86_64")]
        AVX512 if has!("avx512f") && has!("avx2") && has!("fma") => {
            // SAFETY: as above, for `on_avx512`, whose precondition (from
            // `#[target_feature(enable = "avx512f,avx2,fma")]`) is that the CPU
            // executes AVX-512F, AVX2 and FMA instructions: the three checks just
            // above.
            Ok(unsafe { on_avx512(job) })
        }
        _ => Err(job),
    }
}

/// `job` compiled with AVX2 and FMA: 256-bit vectors and fused multiply-adds.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn on_avx2_fma<J: Job>(job: J) -> J::Out {
    job.run::<AVX2>()
}

/// `job` compiled with AVX-512F (and AVX2, FMA): 512-bit vectors, 32 registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn on_avx512<J: Job>(job: J) -> J::Out {
    job.run::<AVX512>()
}

/// The `f32` tile of the AVX-512 build, 8 rows × 48 columns, `A_panel · B_panel` over
/// `kc` steps of depth with element `(r, p)` of `A_panel` read as `a(p, r)` and `B`'s
/// lines of 48 one after another in `b_panel`: what [`super::blocked::tile`] computes,
/// element for element the same chain of fused multiply-adds
/// (`acc ← a(p, r)·b(p, j) + acc` for `p = 0, 1, …`), so the same bits. Three 512-bit
/// vectors a row: 24 accumulators, three lines of `B` and a broadcast of `A` in the 32
/// registers. From the portable code LLVM builds this tile with lanes shuffled across
/// vectors and part of it on the stack (benches/README.md), so it is written with
/// explicit vectors here.
///
/// `None` unless `P` is the AVX-512 build and this CPU executes AVX-512F (then the
/// caller computes the tile itself).
#[inline(always)]
#[allow(unsafe_code)]
pub(super) fn tile_8x48<const P: u8>(
    a: impl Fn(usize, usize) -> f32,
    kc: usize,
    b_panel: &[f32],
) -> Option<[[f32; 48]; 8]> {
    #[cfg(target_arch = "x86_64")]
    if P == AVX512 && std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: `tile_8x48_avx512`'s one precondition beyond its signature, from its
        // `#[target_feature(enable = "avx512f")]`, is that the CPU executes AVX-512F
        // instructions: checked just above. (`P == AVX512` only keeps this code out of
        // the other builds.)
        return Some(unsafe { tile_8x48_avx512(a, kc, b_panel) });
    }
    let _ = (a, kc, b_panel);
    None
}

/// [`tile_8x48`] in AVX-512 instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
#[allow(unsafe_code)]
fn tile_8x48_avx512(a: impl Fn(usize, usize) -> f32, kc: usize, b_panel: &[f32]) -> [[f32; 48]; 8] {
    use std::arch::x86_64::{
        __m512, _mm512_fmadd_ps, _mm512_loadu_ps, _mm512_set1_ps, _mm512_setzero_ps,
        _mm512_storeu_ps,
    };
    let mut acc = [[_mm512_setzero_ps(); 3]; 8];
    for (p, line) in b_panel.chunks_exact(48).take(kc).enumerate() {
        let (pieces, _) = line.as_chunks::<16>();
        // SAFETY: each piece is 16 `f32`s, what one unaligned 512-bit load reads.
        let b: [__m512; 3] =
            std::array::from_fn(|v| unsafe { _mm512_loadu_ps(pieces[v].as_ptr()) });
        for (r, acc_r) in acc.iter_mut().enumerate() {
            let x = _mm512_set1_ps(a(p, r));
            for (acc_v, b_v) in acc_r.iter_mut().zip(b) {
                *acc_v = _mm512_fmadd_ps(x, b_v, *acc_v);
            }
        }
    }
    let mut out = [[0.0; 48]; 8];
    for (out_r, acc_r) in out.iter_mut().zip(acc) {
        for (piece, v) in out_r.as_chunks_mut::<16>().0.iter_mut().zip(acc_r) {
            // SAFETY: `piece` is 16 `f32`s, what one unaligned 512-bit store writes.
            unsafe { _mm512_storeu_ps(piece.as_mut_ptr(), v) };
        }
    }
    out
}

/// Stores (or adds, when `add`) the AVX-512 `f32` tile of 10 × 32 of a product computed
/// turned round ([`super::blocked`]'s `turns`) back transposed: for each of the first
/// `cols` columns `j` of `tile`, its first `rows` rows go to `c[(j0 + j)·m + i0..]`.
/// What the portable loop stores one element at a time, 16 columns at a time here: a
/// 16 × 16 transpose in registers, then one masked store of `rows` lanes a column.
/// `false` (nothing stored) unless `P` is the AVX-512 build and this CPU executes
/// AVX-512F.
#[inline(always)]
#[allow(unsafe_code)]
pub(super) fn store_turned_10x32<const P: u8>(
    tile: &[[f32; 32]; 10],
    c: &mut [f32],
    (m, i0, j0): (usize, usize, usize),
    (rows, cols): (usize, usize),
    add: bool,
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if P == AVX512 && std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: as in `tile_8x48`, for `store_turned_10x32_avx512`.
        unsafe { store_turned_10x32_avx512(tile, c, (m, i0, j0), (rows, cols), add) };
        return true;
    }
    let _ = (tile, c, (m, i0, j0), (rows, cols), add);
    false
}

/// [`store_turned_10x32`] in AVX-512 instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
#[allow(unsafe_code)]
fn store_turned_10x32_avx512(
    tile: &[[f32; 32]; 10],
    c: &mut [f32],
    (m, i0, j0): (usize, usize, usize),
    (rows, cols): (usize, usize),
    add: bool,
) {
    use std::arch::x86_64::{
        __m512, _mm512_add_ps, _mm512_castpd_ps, _mm512_castps_pd, _mm512_loadu_ps,
        _mm512_mask_storeu_ps, _mm512_maskz_loadu_ps, _mm512_setzero_ps, _mm512_shuffle_f32x4,
        _mm512_unpackhi_pd, _mm512_unpackhi_ps, _mm512_unpacklo_pd, _mm512_unpacklo_ps,
    };
    assert!(rows <= 10 && cols <= 32, "gemm: a turned tile is 10 × 32");
    let mask = (1u16 << rows) - 1;
    for half in 0..2 {
        // Row `r` of the 16 × 16 block: lanes `16·half..` of the tile's row `r` (zero
        // past the tile's 10).
        let r: [__m512; 16] = std::array::from_fn(|r| match tile.get(r) {
            // SAFETY: a tile row's 16 `f32`s from lane 16·half, in bounds (32 lanes).
            Some(row) => unsafe { _mm512_loadu_ps(row[16 * half..][..16].as_ptr()) },
            None => _mm512_setzero_ps(),
        });
        // Pairs, then quads of rows within each 128-bit lane: `u[4k + q]` holds, in
        // lane `l`, rows 4k..4k+4 of column 4l + q.
        let t: [__m512; 16] = std::array::from_fn(|i| match i % 2 {
            0 => _mm512_unpacklo_ps(r[i], r[i + 1]),
            _ => _mm512_unpackhi_ps(r[i - 1], r[i]),
        });
        let u: [__m512; 16] = std::array::from_fn(|i| {
            let (k, q) = (i / 4 * 4, i % 4);
            let (a, b) = (
                _mm512_castps_pd(t[k + q / 2]),
                _mm512_castps_pd(t[k + 2 + q / 2]),
            );
            _mm512_castpd_ps(match q % 2 {
                0 => _mm512_unpacklo_pd(a, b),
                _ => _mm512_unpackhi_pd(a, b),
            })
        });
        // Then the 128-bit lanes across the four quads: column 4l + q gathers lane
        // `l` of u[q], u[4 + q], u[8 + q], u[12 + q].
        for q in 0..4 {
            let w0 = _mm512_shuffle_f32x4::<0x44>(u[q], u[4 + q]);
            let w1 = _mm512_shuffle_f32x4::<0xEE>(u[q], u[4 + q]);
            let w2 = _mm512_shuffle_f32x4::<0x44>(u[8 + q], u[12 + q]);
            let w3 = _mm512_shuffle_f32x4::<0xEE>(u[8 + q], u[12 + q]);
            let columns = [
                _mm512_shuffle_f32x4::<0x88>(w0, w2),
                _mm512_shuffle_f32x4::<0xDD>(w0, w2),
                _mm512_shuffle_f32x4::<0x88>(w1, w3),
                _mm512_shuffle_f32x4::<0xDD>(w1, w3),
            ];
            for (l, column) in columns.into_iter().enumerate() {
                let j = 16 * half + 4 * l + q;
                if j >= cols {
                    continue;
                }
                let out = &mut c[(j0 + j) * m + i0..][..rows];
                // SAFETY: the masked load and store touch the first `rows` lanes only,
                // the `rows` elements of `out`.
                unsafe {
                    let value = match add {
                        true => _mm512_add_ps(_mm512_maskz_loadu_ps(mask, out.as_ptr()), column),
                        false => column,
                    };
                    _mm512_mask_storeu_ps(out.as_mut_ptr(), mask, value);
                }
            }
        }
    }
}
