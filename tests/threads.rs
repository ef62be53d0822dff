//! `with_threads` returns, whatever its closure does: the pool's other threads wait for
//! work until the closure returns or panics, and never hold on to the closure's own
//! thread.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use backprop::threads::with_threads;

/// Runs `f` on its own thread and returns what it returns, or fails the test if it has
/// not returned after a minute (a pool whose waiting threads never stop would hang).
fn within_a_minute<R: Send + 'static>(what: &str, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{what}: with_threads did not return ({e})"))
}

fn spin(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

#[test]
fn a_panic_in_the_closure_comes_back_out_of_with_threads() {
    let caught = within_a_minute("a panicking closure", || {
        std::panic::catch_unwind(|| with_threads(2, || -> u32 { panic!("boom in the pool") }))
    });
    let payload = caught.expect_err("the closure panicked, so with_threads must panic");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom in the pool"));
}

#[test]
fn many_joins_that_wait_on_the_other_half_all_finish() {
    for threads in [2, 3, 8] {
        let sum = within_a_minute("2,000 joins", move || {
            with_threads(threads, || {
                (0..2_000u64)
                    .map(|i| {
                        let (a, b) = rayon::join(
                            || i,
                            || {
                                spin(Duration::from_micros(5));
                                2 * i
                            },
                        );
                        a + b
                    })
                    .sum::<u64>()
            })
        })
        .expect("a pool of a few threads starts");
        assert_eq!(sum, 3 * (1_999 * 2_000 / 2), "{threads} threads");
    }
}

#[test]
fn a_closure_that_does_no_parallel_work_returns_its_value() {
    let value = within_a_minute("an idle closure", || with_threads(2, || 42));
    assert_eq!(value.expect("a pool of 2 threads starts"), 42);
}
