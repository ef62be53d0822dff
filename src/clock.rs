//! Wall-clock time, where the target has a clock.
//!
//! `wasm32-unknown-unknown` (the crate in a browser page) has none: there
//! `std::time::Instant::now` panics. [`Stopwatch`] measures time everywhere else and
//! reads zero there, so training runs in a page and reports no time rather than
//! aborting; [`Stopwatch::MEASURES`] says which.

use std::time::Duration;

/// Whether this target has a clock (`Instant::now` works).
const HAS_CLOCK: bool = !cfg!(all(target_family = "wasm", target_os = "unknown"));

/// Time since [`Stopwatch::start`]: real on targets with a clock, always zero on
/// `wasm32-unknown-unknown`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stopwatch(Option<std::time::Instant>);

impl Stopwatch {
    /// Whether [`Stopwatch::elapsed`] measures anything on this target.
    pub(crate) const MEASURES: bool = HAS_CLOCK;

    /// Starts measuring now (where there is a clock).
    pub(crate) fn start() -> Self {
        Stopwatch(HAS_CLOCK.then(std::time::Instant::now))
    }

    /// Time since [`Stopwatch::start`]; zero without a clock.
    pub(crate) fn elapsed(&self) -> Duration {
        self.0.map_or(Duration::ZERO, |start| start.elapsed())
    }
}

#[cfg(test)]
mod tests {
    use super::Stopwatch;

    #[test]
    fn measures_time_on_a_target_with_a_clock() {
        let watch = Stopwatch::start();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(watch.elapsed() >= std::time::Duration::from_millis(5));
    }
}
