"""The timing protocol shared by the step peers (`step_numpy.py`, `step_torch.py`).

One "training step" is forward, loss, backward and the SGD update on one batch.
The protocol, identical for every implementation the crate is compared with:

* build ONE fixed random batch (x uniform in [0, 1), 100 x 784; labels 0..9),
* run `warmup` steps (default 200) untimed,
* run `reps` repetitions (default 5) of `steps` steps (default 2,000), each timed
  as a whole with a monotonic clock,
* print the microseconds per step of each repetition, then one last line
  `median_us_per_step=<value>` (the median of the repetitions).

Threads: BLAS libraries read their thread count from the environment when they
are loaded, so `pin_threads` must run before `import numpy` / `import torch`.
This module therefore imports neither.
"""

import argparse
import os
import statistics
import time

BATCH = 100
INPUT = 784
HIDDEN = 50
CLASSES = 10
LEARNING_RATE = 0.1
WEIGHT_STD = 0.01

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def parser(description):
    """An argument parser with the protocol's flags; callers may add their own."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1)")
    p.add_argument("--warmup", type=int, default=200, help="untimed steps first (default 200)")
    p.add_argument("--steps", type=int, default=2000, help="steps per repetition (default 2000)")
    p.add_argument("--reps", type=int, default=5, help="timed repetitions (default 5)")
    p.add_argument("--seed", type=int, default=42, help="seed of the batch and weights")
    return p


def pin_threads(threads):
    """Set the thread-count variables every BLAS/OpenMP runtime reads at load time."""
    if threads < 1:
        raise SystemExit(f"--threads must be at least 1, got {threads}")
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)


def blas_description():
    """One line naming the BLAS NumPy calls into: `blas: <internal_api> <version>
    kernel=<architecture> threads=<n>`, from threadpoolctl. Call after importing NumPy."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "blas: unknown (pip install threadpoolctl to see it)"
    parts = []
    for pool in threadpool_info():
        if pool.get("user_api") != "blas":
            continue
        parts.append(
            f"{pool.get('internal_api')} {pool.get('version')} "
            f"kernel={pool.get('architecture')} threads={pool.get('num_threads')}"
        )
    return "blas: " + ("; ".join(parts) if parts else "none found")


def openblas_variables():
    """The OpenBLAS tweaks of this process's environment, as `NAME=value` or `(unset)`."""
    return ", ".join(f"{k}={os.environ.get(k, '(unset)')}"
                     for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"))


def run(step, warmup, steps, reps):
    """Time `step()` with the protocol, print the per-repetition and median lines.

    Returns the median in microseconds per step.
    """
    if steps < 1 or reps < 1 or warmup < 0:
        raise SystemExit("need --steps >= 1, --reps >= 1 and --warmup >= 0")
    for _ in range(warmup):
        step()
    per_step = []
    for rep in range(1, reps + 1):
        start = time.perf_counter_ns()
        for _ in range(steps):
            step()
        elapsed_ns = time.perf_counter_ns() - start
        us = elapsed_ns / 1000.0 / steps
        per_step.append(us)
        print(f"rep {rep}: {us:.2f} us/step ({steps} steps)", flush=True)
    median = statistics.median(per_step)
    print(f"median_us_per_step={median:.2f}", flush=True)
    return median
