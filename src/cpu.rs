//! The machine the products run on: which GEMM kernel they use, the CPU's model, and
//! its measured peak.
//!
//! Every large matrix product goes through one packed kernel, compiled three times on
//! x86-64 and chosen once per process by what the CPU reports: the widest it runs,
//! except on Zen 4, whose 512-bit instructions run as two 256-bit halves and where the
//! `avx2+fma` kernel measured faster ([`gemm_kernel_reason`] says which applied). A
//! stride-1 `f32` convolution's forward reads its image in a build of its own, which
//! is `avx2+fma` where the products run `avx512` ([`conv_kernel`]):
//!
//! | kernel | instructions | tile (f32 / f64) |
//! |---|---|---|
//! | `"avx512"` | AVX-512F: 512-bit vectors, 32 registers, fused multiply-adds | 10 × 32, or 8 × 48 when `A` is read by rows / 10 × 16 |
//! | `"avx2+fma"` | AVX2 and FMA: 256-bit vectors, 16 registers | 6 × 16 / 6 × 8 |
//! | `"plain"` | the target's baseline (SSE2 on x86-64: 128-bit, multiply then add) | 6 × 16 / 6 × 8 |
//!
//! The environment variable `BACKPROP_GEMM` caps the choice: `plain`, `avx2` or
//! `avx512` (unset or empty: the CPU's default above). It is read once, at the first
//! product (or call here). A value that is not one of the three is ignored, and a
//! kernel the CPU does not run is replaced by the fastest one below it; either way the
//! products still run and the problem is printed once to standard error
//! (`backprop: BACKPROP_GEMM=…`), and [`gemm_kernel_checked`] returns it as an error,
//! for programs that would rather stop.

use crate::matrix::gemm::{Path, peak, selected};
use crate::{Error, Float};

/// The kernel the large matrix products of this process run on: `"avx512"`,
/// `"avx2+fma"` or `"plain"` (see the [module documentation](self)).
///
/// ```
/// let kernel = backprop::cpu::gemm_kernel();
/// assert!(["avx512", "avx2+fma", "plain"].contains(&kernel));
/// assert_eq!(kernel, backprop::gemm_kernel()); // also at the crate's root
/// ```
pub fn gemm_kernel() -> &'static str {
    selected().0.name()
}

/// The kernel the forward of this process's stride-1 `f32` convolutions runs on
/// (`Conv2d` and `ConvReluPool`, the forward read from the image): the
/// [`gemm_kernel`], except `"avx2+fma"` where that is `"avx512"`. On an Ice Lake Xeon
/// the AVX-512 build of that forward took 1.09–1.2× as long as the AVX2 one, while the
/// products were faster on AVX-512 (benches/README.md). The filter gradient runs on
/// the [`gemm_kernel`].
///
/// ```
/// let conv = backprop::cpu::conv_kernel();
/// match backprop::cpu::gemm_kernel() {
///     "avx512" => assert_eq!(conv, "avx2+fma"),
///     gemm => assert_eq!(conv, gemm),
/// }
/// ```
pub fn conv_kernel() -> &'static str {
    crate::matrix::gemm::shifted::conv_path().name()
}

/// [`gemm_kernel`], or the problem with `BACKPROP_GEMM`: a value that is not `plain`,
/// `avx2` or `avx512`, or a kernel this CPU does not run. The products run either way
/// (on the kernel the message names); this is for a program that wants to stop.
///
/// # Errors
/// [`Error::GemmKernel`] with a message such as `BACKPROP_GEMM="sse9" is not one of
/// "plain", "avx2", "avx512"; ignored, running the avx2+fma kernel`.
///
/// ```
/// // Unless BACKPROP_GEMM is set to something wrong, the kernel that runs.
/// match backprop::cpu::gemm_kernel_checked() {
///     Ok(kernel) => assert_eq!(kernel, backprop::cpu::gemm_kernel()),
///     Err(e) => assert!(e.to_string().starts_with("BACKPROP_GEMM=")),
/// }
/// ```
pub fn gemm_kernel_checked() -> Result<&'static str, Error> {
    match selected() {
        (path, None) => Ok(path.name()),
        (_, Some(reason)) => Err(Error::GemmKernel {
            reason: reason.clone(),
        }),
    }
}

/// The kernels this CPU runs, from the slowest: always `"plain"`, then `"avx2+fma"`
/// and `"avx512"` where the CPU has them (whatever `BACKPROP_GEMM` says).
///
/// ```
/// let kernels = backprop::cpu::gemm_kernels();
/// assert_eq!(kernels[0], "plain");
/// assert!(kernels.contains(&backprop::cpu::gemm_kernel()));
/// ```
pub fn gemm_kernels() -> Vec<&'static str> {
    Path::ALL
        .into_iter()
        .filter(|p| p.supported())
        .map(Path::name)
        .collect()
}

/// Why this process runs the kernel [`gemm_kernel`] names: `BACKPROP_GEMM`, or the
/// CPU (the widest kernel it runs, unless a narrower one measured faster on that
/// kind of CPU: Zen 4 runs `avx2+fma`).
///
/// ```
/// let why = backprop::cpu::gemm_kernel_reason();
/// assert!(why.starts_with("BACKPROP_GEMM") || why.contains("kernel") || why.contains("Zen"));
/// ```
pub fn gemm_kernel_reason() -> String {
    match (std::env::var(crate::matrix::gemm::ENV), selected()) {
        (_, (_, Some(problem))) => problem.clone(),
        (Ok(value), _) if !value.is_empty() => format!("{}={value}", crate::matrix::gemm::ENV),
        _ => crate::matrix::gemm::default_choice().1.to_string(),
    }
}

/// The CPU's model name, from `/proc/cpuinfo` (Linux); `"unknown"` where there is none.
///
/// ```
/// assert!(!backprop::cpu::model().is_empty());
/// ```
pub fn model() -> String {
    cpuinfo("model name")
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_string())
}

/// The CPU family of an AMD CPU (`cpu family` in `/proc/cpuinfo`: 25 for Zen 3 and Zen
/// 4, 26 for Zen 5); `None` for another vendor or where there is no `/proc/cpuinfo`.
pub(crate) fn amd_family() -> Option<u32> {
    (cpuinfo("vendor_id")? == "AuthenticAMD")
        .then(|| cpuinfo("cpu family")?.parse().ok())
        .flatten()
}

/// The value of the first line `name : value` of `/proc/cpuinfo`.
fn cpuinfo(name: &str) -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| key.trim() == name)
        .map(|(_, value)| value.trim().to_string())
}

/// The width of the vectors a [`peak_gflops`] probe computes with.
///
/// ```
/// use backprop::cpu::Width;
/// // The width of each kernel this CPU runs; the plain one is always there.
/// let widths: Vec<Width> = backprop::cpu::gemm_kernels()
///     .into_iter()
///     .filter_map(Width::of_kernel)
///     .collect();
/// assert_eq!(widths[0], Width::Bits128);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// One lane: scalar fused multiply-adds where the CPU has AVX2+FMA, else a
    /// multiply and an add.
    Scalar,
    /// 128-bit vectors in the `"plain"` kernel's build (SSE2 on x86-64: a multiply and
    /// an add, no fused instruction).
    Bits128,
    /// 256-bit vectors with fused multiply-adds: the `"avx2+fma"` kernel's build.
    Bits256,
    /// 512-bit vectors with fused multiply-adds: the `"avx512"` kernel's build.
    Bits512,
}

impl Width {
    /// Every width, from the narrowest.
    ///
    /// ```
    /// use backprop::cpu::Width;
    /// let names: Vec<&str> = Width::ALL.iter().map(|w| w.name()).collect();
    /// assert_eq!(names, ["scalar", "128-bit", "256-bit", "512-bit"]);
    /// ```
    pub const ALL: [Width; 4] = [
        Width::Scalar,
        Width::Bits128,
        Width::Bits256,
        Width::Bits512,
    ];

    /// The width's name: `"scalar"`, `"128-bit"`, `"256-bit"`, `"512-bit"`.
    ///
    /// ```
    /// use backprop::cpu::Width;
    /// assert_eq!(Width::of_kernel("avx2+fma").map(Width::name), Some("256-bit"));
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Width::Scalar => "scalar",
            Width::Bits128 => "128-bit",
            Width::Bits256 => "256-bit",
            Width::Bits512 => "512-bit",
        }
    }

    /// The width a kernel of [`gemm_kernel`] computes with; `None` for an unknown name.
    ///
    /// ```
    /// use backprop::cpu::Width;
    /// assert_eq!(Width::of_kernel("avx512"), Some(Width::Bits512));
    /// assert_eq!(Width::of_kernel("plain"), Some(Width::Bits128));
    /// assert_eq!(Width::of_kernel("sse9"), None);
    /// ```
    pub fn of_kernel(kernel: &str) -> Option<Width> {
        Path::ALL
            .into_iter()
            .find(|p| p.name() == kernel)
            .map(|p| match p {
                Path::Plain => Width::Bits128,
                Path::Avx2Fma => Width::Bits256,
                Path::Avx512 => Width::Bits512,
            })
    }

    fn bits(self) -> usize {
        match self {
            Width::Scalar => 0,
            Width::Bits128 => 128,
            Width::Bits256 => 256,
            Width::Bits512 => 512,
        }
    }
}

/// This CPU's peak of floating-point operations on one thread (the calling one) in
/// GFLOP/s, for `T` and vectors of `width`: twelve independent chains of
/// multiply-adds (enough to cover the latency of the FMA units of current x86 cores)
/// that never touch memory, 2 operations per multiply-add and lane, compiled in the
/// same build as the kernel of that width. The median of `runs` runs of about
/// `run_seconds` each (plus a short calibration); `None` if this CPU lacks the width,
/// on `wasm32-unknown-unknown`, which has no clock to time them with, and for a
/// `run_seconds` that is not a number of seconds in (0, 10] (NaN, negative, zero,
/// infinite or longer would never end or say nothing).
///
/// On a busy machine the median is lower than the true peak; take several runs.
///
/// ```
/// use backprop::cpu::{Width, peak_gflops};
/// let scalar = peak_gflops::<f32>(Width::Scalar, 3, 0.002).unwrap();
/// assert!(scalar > 0.0);
/// // The kernel this process runs has a width, and the probe runs it.
/// let width = Width::of_kernel(backprop::cpu::gemm_kernel()).unwrap();
/// assert!(peak_gflops::<f64>(width, 3, 0.002).is_some());
/// assert_eq!(peak_gflops::<f32>(Width::Scalar, 3, f64::NAN), None);
/// assert_eq!(peak_gflops::<f32>(Width::Scalar, 3, f64::INFINITY), None);
/// ```
pub fn peak_gflops<T: Float>(width: Width, runs: usize, run_seconds: f64) -> Option<f64> {
    if !(run_seconds > 0.0 && run_seconds <= 10.0) {
        return None;
    }
    peak::peak::<T>(width.bits(), runs, run_seconds)
}
