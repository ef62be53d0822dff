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

    /// The fastest path this CPU supports.
    pub(crate) fn best() -> Path {
        Self::best_up_to(Path::Avx512)
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
