//! More than one thread for the large matrix products.
//!
//! Every product runs on the calling thread, unless the call comes from inside a
//! [rayon](https://docs.rs/rayon) thread pool: then a product of at least 2¹⁹
//! multiply-adds (in the book's net, `X·W1` and `dW1 = Xᵀ·dY`, 3.9 million each) is
//! split by rows of its result across the pool's threads. Smaller products, the
//! element-wise layers and the update stay on one thread.
//!
//! The split changes no sum: each element of a product is computed by the same code
//! in the same order on whichever thread, so results are bit for bit those of one
//! thread, and a training run is just as reproducible.
//!
//! [`with_threads`] runs a closure inside such a pool; code already running in a rayon
//! pool (`ThreadPool::install`, `par_iter`) gets the split without it.
//!
//! While the closure runs, the pool's other threads wait for the next half-product by
//! spinning, as the threads of BLAS libraries do, not asleep: on a virtual machine a
//! sleeping thread took 30–100 µs to wake, as long as the half-product it was woken
//! for; waiting this way, the book's 2-thread step takes 16–20% less time
//! (benches/README.md).

use crate::Error;

#[cfg(not(target_family = "wasm"))]
mod waiting;

/// Runs `f` inside a new pool of `threads` threads, so that the large matrix products
/// in it are split across them; returns what `f` returns. `0` leaves the number to
/// rayon: `RAYON_NUM_THREADS` if set, else one per CPU.
///
/// Build the pool once around the work (a training run), not around each step: the
/// threads are started here and stopped when `f` returns. Until then, the threads
/// other than `f`'s (at most one fewer than the CPUs) keep their cores busy waiting
/// for work (see the module documentation); after a millisecond without any, they
/// offer their core to the operating system between checks.
///
/// # Errors
/// [`Error::Threads`] if the operating system does not start the threads, and always
/// on WebAssembly, which has none.
///
/// ```
/// use backprop::{Affine, Matrix, Network, Relu};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net = (Affine::<784, 50>::random(0.01, &mut rng), Relu::new(), Affine::<50, 10>::random(0.01, &mut rng));
/// let x = Matrix::<100, 784>::random_normal(1.0, &mut rng);
/// let one = net.predict(&x).clone();
/// let two = backprop::threads::with_threads(2, || net.predict(&x).clone())?;
/// assert_eq!(one, two); // the same bits, on two threads
/// # Ok::<(), backprop::Error>(())
/// ```
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> Result<R, Error> {
    // WebAssembly in a page has one thread and no rayon: a clear error, never a panic.
    #[cfg(target_family = "wasm")]
    {
        drop(f);
        Err(Error::Threads {
            threads,
            reason: "WebAssembly has no threads".to_string(),
        })
    }
    #[cfg(not(target_family = "wasm"))]
    {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::Threads {
                threads,
                reason: e.to_string(),
            })?;
        Ok(pool.install(|| waiting::awake(f)))
    }
}
