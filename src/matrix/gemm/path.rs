//! Which build of the packed kernel runs: what the CPU supports, capped by the
//! `BACKPROP_GEMM` environment variable, decided once per process.

use std::sync::OnceLock;

/// A build of the packed kernel (and of the peak probe), from the slowest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Path {
    /// The baseline target: on x86-64, SSE2 (128-bit vectors, multiply then add).
    Plain,
    /// AVX2 and FMA: sixteen 256-bit registers, fused multiply-adds.
    Avx2Fma,
    /// AVX-512F (with AVX2 and FMA): thirty-two 512-bit registers.
    Avx512,
}

impl Path {
    /// Every path, from the slowest.
    pub(crate) const ALL: [Path; 3] = [Path::Plain, Path::Avx2Fma, Path::Avx512];

    /// The name [`crate::cpu::gemm_kernel`] reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Path::Plain => "plain",
            Path::Avx2Fma => "avx2+fma",
            Path::Avx512 => "avx512",
        }
    }

    /// The value of `BACKPROP_GEMM` that caps the kernel at this path.
    pub(crate) fn env_value(self) -> &'static str {
        match self {
            Path::Plain => "plain",
            Path::Avx2Fma => "avx2",
            Path::Avx512 => "avx512",
        }
    }

    /// Whether this CPU executes the path's instructions (each path needs the
    /// features of the one below it as well).
    pub(crate) fn supported(self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            match self {
                Path::Plain => true,
                Path::Avx2Fma => has!("avx2") && has!("fma"),
                Path::Avx512 => has!("avx512f") && has!("avx2") && has!("fma"),
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        return self == Path::Plain;
    }

    /// The path a process runs when `BACKPROP_GEMM` is unset: see [`default_choice`].
    pub(crate) fn best() -> Path {
        default_choice().0
    }

    /// The fastest supported path no faster than `cap`.
    fn best_up_to(cap: Path) -> Path {
        Path::ALL
            .into_iter()
            .rev()
            .find(|p| *p <= cap && p.supported())
            .unwrap_or(Path::Plain)
    }
}

/// The path a process runs when `BACKPROP_GEMM` is unset, and why: the widest this
/// CPU runs, unless [`preferred`] knows a narrower one to be faster on it.
pub(crate) fn default_choice() -> (Path, &'static str) {
    preferred(Path::best_up_to(Path::Avx512), crate::cpu::amd_family())
}

/// The path to run on a CPU whose widest path is `widest` (and, for AMD, whose family
/// is `amd_family`), and why. A CPU that runs AVX-512 does not always run it faster:
/// Zen 4 (AMD family 25; Zen 3, the same family, has no AVX-512) executes each 512-bit
/// instruction as two 256-bit halves, and there the `avx2+fma` kernel's training step
/// was faster than the `avx512` one's in issue 24's side-by-side measurement
/// (benches/README.md);
/// Zen 5 (family 26) and Intel's AVX-512 CPUs have 512-bit units and keep the widest.
/// On an Ice Lake Xeon (Intel family 6 model 106) `step_bench --all-kernels` put
/// `avx2+fma` at 1.15× the time of `avx512` on the dense f32 step, 1.32× in f64, and
/// at 0.93–1.03× on the SimpleConvNet step, within the machine's noise
/// (benches/README.md). Zen 5 is not measured yet.
/// `BACKPROP_GEMM=avx512` still runs AVX-512 on Zen 4.
pub(crate) fn preferred(widest: Path, amd_family: Option<u32>) -> (Path, &'static str) {
    match (widest, amd_family) {
        (Path::Avx512, Some(25)) => (
            Path::Avx2Fma,
            "on Zen 4 (AMD family 25), whose 512-bit instructions run as two 256-bit halves, \
             the avx2+fma step measured faster than avx512's",
        ),
        _ => (widest, "the widest kernel this CPU runs"),
    }
}

/// The environment variable that caps the kernel: `plain`, `avx2` or `avx512`.
pub(crate) const ENV: &str = "BACKPROP_GEMM";

/// The path chosen for `BACKPROP_GEMM = value` (`None`: unset) on this CPU, and what
/// was wrong with the value, if anything: an unknown value is ignored (the fastest
/// path runs); a path the CPU lacks is replaced by the fastest one below it.
pub(crate) fn choose(value: Option<&str>) -> (Path, Option<String>) {
    let best = Path::best();
    let Some(value) = value else {
        return (best, None);
    };
    let Some(cap) = Path::ALL.into_iter().find(|p| p.env_value() == value) else {
        return (
            best,
            Some(format!(
                "{ENV}={value:?} is not one of \"plain\", \"avx2\", \"avx512\"; ignored, running the {} kernel",
                best.name()
            )),
        );
    };
    if cap.supported() {
        return (cap, None);
    }
    let below = Path::best_up_to(cap);
    let message = format!(
        "{ENV}={value}: this CPU does not run the {} kernel; running the {} kernel",
        cap.name(),
        below.name()
    );
    (below, Some(message))
}

/// The path of this process and the problem with `BACKPROP_GEMM`, if any: read once,
/// on first use. A problem is printed to standard error then, once.
pub(crate) fn selected() -> &'static (Path, Option<String>) {
    static SELECTED: OnceLock<(Path, Option<String>)> = OnceLock::new();
    SELECTED.get_or_init(|| {
        let value = std::env::var_os(ENV)
            .filter(|v| !v.is_empty())
            .map(|v| v.to_string_lossy().into_owned());
        let chosen = choose(value.as_deref());
        if let Some(problem) = &chosen.1 {
            eprintln!("backprop: {problem}");
        }
        chosen
    })
}
