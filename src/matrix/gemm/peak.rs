//! The peak probe: chains of multiply-adds that never wait on memory, compiled in the
//! build of each [`Path`] like the kernels, so that it measures what those builds can
//! reach.

use crate::clock::Stopwatch;
use std::hint::black_box;

use super::{AVX2, AVX512, Job, PLAIN, Path, run_on};
use crate::Float;
use crate::float::sealed::Sealed;

/// Independent accumulator chains: enough to cover a fused multiply-add's latency
/// times the FMA units that run it (4–5 cycles × 2 units on current x86 cores), and
/// few enough to stay in the 16 registers of AVX2 with the two operands.
const CHAINS: usize = 12;

/// `CHAINS` chains of `L` lanes each: `iters` times `acc += x · y` on every lane
/// (fused in the builds with FMA, a multiply then an add in the plain one), in the
/// build of path `P`. The result is the accumulators, to keep the work.
struct Chains<T, const L: usize> {
    iters: usize,
    x: T,
    y: T,
}

impl<T: Float, const L: usize> Job for Chains<T, L> {
    type Out = [[T; L]; CHAINS];
    #[inline(always)]
    fn run<const P: u8>(self) -> Self::Out {
        if P == PLAIN {
            chains::<T, L, false>(self.iters, self.x, self.y)
        } else {
            chains::<T, L, true>(self.iters, self.x, self.y)
        }
    }
}

#[inline(always)]
fn chains<T: Float, const L: usize, const FMA: bool>(iters: usize, x: T, y: T) -> [[T; L]; CHAINS] {
    // Different starting values, so that no two chains are the same computation.
    let start =
        |c: usize| -> [T; L] { std::array::from_fn(|l| T::from_f64((c * L + l) as f64 * 1e-3)) };
    // One variable a chain, written out: an array of the twelve, even indexed by
    // constants, is kept in memory by the compiler (every step a load and a store).
    macro_rules! chains {
        ($($c:ident $i:literal)*) => {{
            $( let mut $c = start($i); )*
            let b: [T; L] = [y; L];
            for _ in 0..iters {
                $( step::<T, L, FMA>(&mut $c, x, &b); )*
            }
            // Vectors are returned whole, as a tile is: summed here, the compiler
            // splits them into 128-bit halves. Scalar chains are summed: returned
            // whole, the compiler packs them into vectors.
            if L == 1 {
                let mut out = [[T::ZERO; L]; CHAINS];
                $( out[0][0] += $c[0]; )*
                out
            } else {
                [$( $c ),*]
            }
        }};
    }
    const { assert!(CHAINS == 12) };
    chains!(c0 0 c1 1 c2 2 c3 3 c4 4 c5 5 c6 6 c7 7 c8 8 c9 9 c10 10 c11 11)
}

/// One step of one chain, as a row of the micro-kernel does it: `acc += x · b` on every
/// lane.
#[inline(always)]
fn step<T: Float, const L: usize, const FMA: bool>(acc: &mut [T; L], x: T, b: &[T; L]) {
    for (a, &b) in acc.iter_mut().zip(b) {
        *a = if FMA { x.mul_add(b, *a) } else { x * b + *a };
    }
}

/// Seconds that `iters` steps of the `L`-lane chains take in the build of path `P`, or
/// `None` if this CPU lacks it.
fn time<T: Float, const L: usize, const P: u8>(iters: usize) -> Option<f64> {
    // x · y = 2⁻²⁰: a run of 10⁹ steps adds about 10³ to each chain, far from
    // overflow, and every product is a normal number.
    let job = Chains::<T, L> {
        iters,
        x: black_box(T::from_f64(1.0 / 1024.0)),
        y: black_box(T::from_f64(1.0 / 1024.0)),
    };
    if !Stopwatch::MEASURES {
        return None; // no clock to time the chains with
    }
    let start = Stopwatch::start();
    let sum = run_on::<P, _>(job).ok()?;
    let seconds = start.elapsed().as_secs_f64();
    black_box(sum);
    Some(seconds)
}

/// The floating-point operations per second (2 per multiply-add, counted by lane) of
/// `L`-lane chains in the build of path `P`: the median of `runs` runs of about
/// `run_seconds` each, in GFLOP/s. `None` if this CPU lacks the path.
fn gflops<T: Float, const L: usize, const P: u8>(runs: usize, run_seconds: f64) -> Option<f64> {
    // Calibrate the step count on a short run (warming the core up too).
    let mut iters = 1_000;
    loop {
        let seconds = time::<T, L, P>(iters)?;
        if seconds >= run_seconds / 10.0 || iters as u64 >= 1 << 40 {
            iters = ((iters as f64 * run_seconds / seconds.max(1e-9)) as usize).max(1);
            break;
        }
        iters *= 10;
    }
    let flops = (2 * CHAINS * L * iters) as f64;
    let mut rates: Vec<f64> = (0..runs.max(1))
        .map(|_| time::<T, L, P>(iters).map(|s| flops / s.max(1e-12) / 1e9))
        .collect::<Option<_>>()?;
    rates.sort_by(f64::total_cmp);
    Some(rates[rates.len() / 2])
}

/// The peak of `bits`-wide vectors of `T` (0: scalar), in GFLOP/s: [`gflops`] in the
/// build that has them (the scalar chains fused where AVX2+FMA runs, `vfmadd…ss`; 128
/// bits in the plain build, SSE2 on x86-64). `None` if this CPU lacks the build or
/// `bits` is not 0, 128, 256 or 512.
pub(crate) fn peak<T: Float>(bits: usize, runs: usize, run_seconds: f64) -> Option<f64> {
    let (n, s) = (runs, run_seconds);
    match (bits, <T as Sealed>::IS_F32) {
        (0, _) if Path::Avx2Fma.supported() => gflops::<T, 1, AVX2>(n, s),
        (0, _) => gflops::<T, 1, PLAIN>(n, s),
        (128, true) => gflops::<T, 4, PLAIN>(n, s),
        (128, false) => gflops::<T, 2, PLAIN>(n, s),
        (256, true) => gflops::<T, 8, AVX2>(n, s),
        (256, false) => gflops::<T, 4, AVX2>(n, s),
        (512, true) => gflops::<T, 16, AVX512>(n, s),
        (512, false) => gflops::<T, 8, AVX512>(n, s),
        _ => None,
    }
}
