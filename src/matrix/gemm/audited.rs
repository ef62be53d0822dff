//! The crate's only `unsafe` code, small enough to audit in one sitting: calling the
//! `#[target_feature]` builds of the kernels ([`run_on`]), and the one micro-kernel
//! written with explicit vectors ([`tile_8x48`]), whose loads and stores take raw
//! pointers. Everything else is safe Rust that these builds compile.

use super::{AVX2, AVX512, Job, PLAIN};

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
            // in what it inlines is a bounds-checked slice access, or one of
            // `tile_8x48_avx512`'s, below) whose one extra precondition, from
            // `#[target_feature(enable = "avx2,fma")]`, is that the CPU executes AVX2
            // and FMA instructions. The two run-time checks just above established
            // exactly that.
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
        // `#[target_feature(enable = "avx512f,avx2,fma")]`, is that the CPU executes
        // those instructions. AVX-512F was checked just above; every CPU with
        // AVX-512F has AVX2 and FMA, and `P == AVX512` runs only inside `on_avx512`,
        // which `run_on` calls after checking all three.
        return Some(unsafe { tile_8x48_avx512(a, kc, b_panel) });
    }
    let _ = (a, kc, b_panel);
    None
}

/// [`tile_8x48`] in AVX-512 instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
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
