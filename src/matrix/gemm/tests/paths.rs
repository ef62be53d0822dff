//! Every build of the packed kernel this CPU runs, with every tile: the AVX-512 tiles
//! run in the plain and AVX2 builds too, so the tiling and edge logic of the AVX-512
//! path is tested on a machine without AVX-512. A build the CPU lacks is skipped, and
//! says so on standard error (written past the test harness's capture).

use std::io::Write;

use super::super::path::choose;
use super::super::split::{self, split};
use super::*;
use crate::float::sealed::Sealed;
use crate::matrix::gemm::tile::{ROWS32_512, TILE32, TILE32_512, TILE64, TILE64_512};

/// One build (path) with one tile, as a kernel for [`check_against_naive`].
pub(super) struct Variant<T: 'static> {
    pub name: String,
    pub mr: usize,
    pub run: Box<dyn split::Kernel<T>>,
}

/// The packed product with an `MR × NR` tile in the build of path `P`, on this
/// thread's buffers; the caller checked that the CPU runs the build.
fn on<
    T: Float,
    const MR: usize,
    const NR: usize,
    const NH: usize,
    const L: usize,
    const TH: usize,
    const P: u8,
>(
    shape: (usize, usize, usize),
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [T],
    accumulate: bool,
) {
    let ran = with_packs(|packs: &mut Packs<T>| {
        let job = PackedJob::<'_, '_, T, MR, NR, NH, L, TH>((shape, a, b, c, accumulate, packs));
        run_on::<P, _>(job).is_ok()
    });
    assert!(ran, "the build was checked to run on this CPU");
}

/// Every build this CPU runs × the AVX2 tile and the AVX-512 tile of `T`. Each build
/// it lacks is reported as skipped on standard error.
pub(super) fn variants<T: Float>() -> Vec<Variant<T>> {
    let mut out = Vec::new();
    macro_rules! add {
        ($p:ident, $path:expr, $($tile:ident)*) => {$(
            if $path.supported() {
                out.push(Variant {
                    name: format!("the {} build with the {}×{} tile", $path.name(), $tile.mr, $tile.nr),
                    mr: $tile.mr,
                    run: Box::new(on::<T, { $tile.mr }, { $tile.nr }, { $tile.nh }, { $tile.lanes }, { $tile.thin }, $p>),
                });
            }
        )*};
    }
    match <T as Sealed>::IS_F32 {
        true => {
            add!(PLAIN, Path::Plain, TILE32 TILE32_512 ROWS32_512);
            add!(AVX2, Path::Avx2Fma, TILE32 TILE32_512 ROWS32_512);
            add!(AVX512, Path::Avx512, TILE32 TILE32_512 ROWS32_512);
        }
        false => {
            add!(PLAIN, Path::Plain, TILE64 TILE64_512);
            add!(AVX2, Path::Avx2Fma, TILE64 TILE64_512);
            add!(AVX512, Path::Avx512, TILE64 TILE64_512);
        }
    }
    report_skipped();
    out
}

/// Writes a line (once per test run) for each build this CPU lacks straight to
/// standard error, which the test harness does not capture: a skipped build is never a
/// silent pass.
fn report_skipped() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(report_skipped_now);
}

fn report_skipped_now() {
    for path in Path::ALL.into_iter().filter(|p| !p.supported()) {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the {} build of the GEMM kernel (this CPU does not run it); its tiles ran in the builds it does",
            path.name()
        );
    }
}

/// Split across 2 and 3 threads at multiples of each variant's tile height, every
/// build and tile gives exactly the bits it gives on one thread (long mantissas), and
/// the naive loop's value on exact inputs.
fn every_variant_splits_without_changing_a_bit<T: Float>((m, k, n): (usize, usize, usize)) {
    let long = |len: usize, seed: f64| -> Vec<T> {
        (0..len)
            .map(|i| T::from_f64((i as f64 * 0.7 + seed).sin()))
            .collect()
    };
    let (a_data, b_data, c0) = (long(m * k, 1.0), long(k * n, 2.0), long(m * n, 3.0));
    for v in variants::<T>() {
        for threads in [2, 3] {
            let pool = pool(threads);
            for (at, bt) in LAYOUTS {
                let (a, b) = (operand(&a_data, m, k, at), operand(&b_data, k, n, bt));
                for accumulate in [false, true] {
                    let (mut one, mut many) = (c0.clone(), c0.clone());
                    (v.run)((m, k, n), a, b, &mut one, accumulate);
                    pool.install(|| {
                        let parts = (threads, v.mr, &*v.run);
                        split((m, k, n), a, b, &mut many, accumulate, parts);
                    });
                    assert!(
                        one.iter()
                            .zip(&many)
                            .all(|(x, y)| x.to_f64().to_bits() == y.to_f64().to_bits()),
                        "{} {}: {m}×{k}·{k}×{n} on {threads} threads, A transposed {at}, B transposed {bt}, accumulate {accumulate}",
                        v.name,
                        T::NAME
                    );
                }
            }
        }
        let pool = pool(2);
        let in_pool = |shape, a: Operand<'_, T>, b: Operand<'_, T>, c: &mut [T], accumulate| {
            pool.install(|| split(shape, a, b, c, accumulate, (2, v.mr, &*v.run)));
        };
        let name = format!("{} split on 2 threads", v.name);
        check_against_naive::<T>(&[(name, &in_pool)], (m, k, n));
    }
}

#[test]
fn every_build_and_tile_splits_across_threads_without_changing_a_bit() {
    // The book's X·W1 and dW1 = Xᵀ·dY, 101 rows (a partial last tile for both tile
    // heights), and two blocks of depth.
    for shape in [
        (100, 784, 50),
        (784, 100, 50),
        (101, 300, 23),
        (100, 1300, 50),
    ] {
        every_variant_splits_without_changing_a_bit::<f32>(shape);
        every_variant_splits_without_changing_a_bit::<f64>(shape);
    }
}

/// `BACKPROP_GEMM`: unset runs the fastest build; a build the CPU runs is taken as
/// asked; an unknown value, or a build the CPU lacks, runs another and says so.
#[test]
fn the_environment_variable_caps_the_build_and_explains_a_bad_value() {
    let best = Path::best();
    assert_eq!(choose(None), (best, None));
    assert_eq!(choose(Some("plain")), (Path::Plain, None));
    let (path, problem) = choose(Some("sse9"));
    assert_eq!(path, best);
    assert_eq!(
        problem.as_deref(),
        Some(
            format!(
                "BACKPROP_GEMM=\"sse9\" is not one of \"plain\", \"avx2\", \"avx512\"; ignored, running the {} kernel",
                best.name()
            )
            .as_str()
        )
    );
    for cap in [Path::Avx2Fma, Path::Avx512] {
        let (path, problem) = choose(Some(cap.env_value()));
        if cap.supported() {
            assert_eq!((path, problem), (cap, None));
        } else {
            assert!(path < cap && path.supported());
            let expected = format!(
                "BACKPROP_GEMM={}: this CPU does not run the {} kernel; running the {} kernel",
                cap.env_value(),
                cap.name(),
                path.name()
            );
            assert_eq!(problem, Some(expected));
        }
    }
}

/// The default kernel: the widest the CPU runs, but `avx2+fma` on Zen 4 (AMD family 25
/// with AVX-512), where it measured faster; Zen 3 (family 25 without AVX-512), Zen 5
/// (family 26) and other vendors keep the widest.
#[test]
fn zen_4_runs_the_avx2_kernel_by_default_and_every_other_cpu_its_widest() {
    use super::super::path::preferred;
    assert_eq!(preferred(Path::Avx512, Some(25)).0, Path::Avx2Fma);
    assert!(preferred(Path::Avx512, Some(25)).1.contains("Zen 4"));
    assert_eq!(preferred(Path::Avx512, Some(26)).0, Path::Avx512);
    assert_eq!(preferred(Path::Avx512, None).0, Path::Avx512);
    assert_eq!(preferred(Path::Avx2Fma, Some(25)).0, Path::Avx2Fma);
    assert_eq!(preferred(Path::Plain, Some(25)).0, Path::Plain);
    assert!(Path::best().supported());
}
