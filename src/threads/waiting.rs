//! The pool's other threads waiting for work while the closure of
//! [`with_threads`](super::with_threads) runs (see [`super`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// After this long without work, a waiting thread yields its core to the operating
/// system between checks instead of spinning.
const SPIN: Duration = Duration::from_millis(1);

/// Runs `f` on this thread of the current pool while up to one thread per other CPU
/// of the pool waits for work in [`wait_for_work`]; they stop when `f` returns or
/// panics.
pub(super) fn awake<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let waiting = rayon::current_num_threads().min(cpus).saturating_sub(1);
    let done = AtomicBool::new(false);
    let home = rayon::current_thread_index();
    rayon::scope(|scope| {
        // Set on return and on unwinding alike: a waiting thread that never saw it
        // would keep the scope, and so `with_threads`, from ever returning.
        let _done = SetOnDrop(&done);
        for _ in 0..waiting {
            scope.spawn(|_| wait_for_work(&done, home));
        }
        f()
    })
}

/// Sets its flag when dropped.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// Runs the pool's pending work (the other half of each split product) as it comes,
/// until `done`. Not on `f`'s own thread (`home`): `f`'s thread can pick this task up
/// while it waits for a half-product, and must go back to `f`.
fn wait_for_work(done: &AtomicBool, home: Option<usize>) {
    if rayon::current_thread_index() == home {
        return;
    }
    let mut last_work = Instant::now();
    while !done.load(Ordering::Acquire) {
        match rayon::yield_now() {
            Some(rayon::Yield::Executed) => last_work = Instant::now(),
            _ if last_work.elapsed() < SPIN => std::hint::spin_loop(),
            _ => std::thread::yield_now(),
        }
    }
}
