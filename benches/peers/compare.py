#!/usr/bin/env python3
"""Run the crate's training step and its peers alternately; print a markdown table.

Step mode (default): each round runs, one after the other,
    rust step_bench (f32), NumPy f32, NumPy f64, NumPy f32 and f64 with the book's
    first-layer dX (--book-dx), PyTorch f32, PyTorch f32 with the input's gradient,
    rust step_bench --f64
and parses the `median_us_per_step=` line of each. Running them alternately,
round after round, spreads the noise of a shared machine over all of them. The
table gives the median over rounds and its ratio to the time of NumPy doing the
same work as the crate (no dX for the first layer; lower is faster). The book's
full step is a second, labelled NumPy row (`--no-book-dx` leaves it out).

Convnet mode (`--convnet`): each round runs `step_bench --convnet` (f32, and f64
unless --no-f64) and `step_numpy.py --convnet` (the book's SimpleConvNet with
Adam, no dX for the convolution on either side; 10 warm-up steps and 5
repetitions of 50), and compares them as in step mode.

Train mode (`--train`): each round runs the whole training, the crate's `train`
example and train_numpy.py (same work, and with --book-dx), and compares the
`seconds=` of their `final:` lines. With `--convnet` too: the SimpleConvNet's
whole training, the crate's `simple_convnet` example and `train_numpy.py
--convnet` (20 epochs, Adam, the same per-epoch evaluations).

Beside the table: the CPU model, this machine's FMA peak per thread (the crate's
`peak` example, run once before the rounds), the GEMM kernel the crate ran and its
share of that peak (step_bench's `kernel:` and `rate:` lines), and the BLAS kernel
each NumPy peer reported using.

The Rust examples are built once, before any timing (`cargo build --release
--example NAME`), and the built binary is then run directly, which is what
`cargo run --release --example NAME -- ARGS` runs, without cargo waiting on a
build-directory lock held by someone else. A missing example gives a row
saying "not built".

OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (set on some machines for old OpenBLAS
builds) slow a current NumPy: they are removed from the environment of the NumPy
runs only.

    python3 benches/peers/compare.py [--rounds 3] [--threads 1] [--train] [--convnet]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NUMPY_ONLY_UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
MEDIAN = re.compile(r"^median_us_per_step=([0-9.eE+-]+)\s*$", re.MULTILINE)
FINAL = re.compile(r"^final:.*$", re.MULTILINE)
# Lines `<key>: ...` kept from each program's output (see Runner.notes).
NOTE_KEYS = ("cpu", "kernel", "step", "rate", "blas", "work")


@dataclass
class Runner:
    """One implementation: how to run it and what it gave in each round."""

    name: str
    dtype: str
    threads: int
    command: list = None
    env: dict = None
    status: str = "ok"
    values: list = field(default_factory=list)
    details: list = field(default_factory=list)
    # The reference of the ratios: NumPy doing the crate's work, for its dtype.
    reference: bool = False
    # Lines the program printed about itself (kernel, rate, blas, work), last round.
    notes: dict = field(default_factory=dict)

    def median(self):
        return statistics.median(self.values) if self.values else None


def log(message):
    print(message, file=sys.stderr, flush=True)


def build_rust_example(name):
    """Build examples/NAME in release mode; return (executable, None) or (None, why not)."""
    try:
        done = subprocess.run(
            ["cargo", "build", "--release", "--example", name,
             "--message-format=json-render-diagnostics"],
            cwd=REPO, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None, "not built (no cargo)"
    if done.returncode != 0:
        if f"no example target named `{name}`" in done.stderr:
            return None, f"not built (no example `{name}`)"
        log(f"cargo build --release --example {name} failed:\n{done.stderr.strip()[-2000:]}")
        return None, "not built (cargo build failed, see stderr)"
    for line in done.stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if (message.get("reason") == "compiler-artifact"
                and message.get("target", {}).get("name") == name
                and message.get("executable")):
            return message["executable"], None
    return None, f"not built (cargo reported no executable for `{name}`)"


def environments(threads):
    """(the environment of every run, the NumPy runs' one without the OPENBLAS tweaks)."""
    base = dict(os.environ)
    for variable in THREAD_VARIABLES:
        base[variable] = str(threads)
    numpy_env = {k: v for k, v in base.items() if k not in NUMPY_ONLY_UNSET}
    return base, numpy_env


def run_once(runner, parse):
    """Run `runner` once; record its value, or mark it failed/skipped."""
    log(f"  {runner.name} {runner.dtype}: {' '.join(runner.command)}")
    done = subprocess.run(runner.command, cwd=REPO, env=runner.env,
                          capture_output=True, text=True, check=False)
    out = done.stdout
    if done.returncode != 0:
        err = (done.stderr.strip().splitlines() or ["?"])[-1]
        runner.status = f"failed (exit {done.returncode}: {err[:80]})"
        return out
    skipped = re.search(r"^skipped:?\s*(.*)$", out, re.MULTILINE)
    if skipped:
        runner.status = f"skipped ({skipped.group(1)[:70]})"
        return out
    parsed = parse(out)
    if parsed is None:
        runner.status = "failed (no result line in its output)"
        return out
    for key in NOTE_KEYS:
        found = re.findall(rf"^{key}: (.*)$", out, re.MULTILINE)
        if found:
            runner.notes[key] = found[-1].strip()
    value, detail = parsed
    runner.values.append(value)
    runner.details.append(detail)
    log(f"    -> {value:.2f}")
    return out


def parse_step(out):
    found = MEDIAN.findall(out)
    return (float(found[-1]), None) if found else None


def parse_train(out):
    lines = FINAL.findall(out)
    if not lines:
        return None
    fields = dict(re.findall(r"(\w+)=([0-9.eE+-]+)", lines[-1]))
    if "seconds" not in fields:
        return None
    return float(fields["seconds"]), fields


def fmt(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def ratio(runner, reference):
    """The ratio of the medians, and the median of the round-by-round ratios (each
    round runs both within seconds of each other, so a slow minute slows both)."""
    if reference is None or runner.median() is None or reference.median() is None:
        return "—"
    of_medians = f"{runner.median() / reference.median():.2f}"
    if runner is reference or len(runner.values) != len(reference.values):
        return of_medians
    paired = statistics.median(v / r for v, r in zip(runner.values, reference.values))
    return f"{of_medians} (paired {paired:.2f})"


def step_runners(args, env, numpy_env):
    py = [args.python]
    threads = ["--threads", str(args.threads)]
    runners = []
    rust_exe, why = (None, "skipped (--no-rust)") if args.no_rust else build_rust_example("step_bench")

    def rust(dtype, extra):
        r = Runner("rust step_bench", dtype, args.threads, env=env)
        if rust_exe is None:
            r.status = why
        else:
            r.command = [rust_exe, *extra, *threads, *args.rust_arg]
        return r

    def numpy(dtype, book_dx):
        name = ("numpy, the book's full step (+ first-layer dX)" if book_dx
                else "numpy, same work (no first-layer dX)")
        command = py + [str(HERE / "step_numpy.py"), "--dtype",
                        "float32" if dtype == "f32" else "float64"] + threads
        return Runner(name, dtype, args.threads, env=numpy_env, reference=not book_dx,
                      command=command + (["--book-dx"] if book_dx else []))

    runners.append(rust("f32", []))
    runners.append(numpy("f32", False))
    if not args.no_f64:
        runners.append(numpy("f64", False))
    if not args.no_book_dx:
        runners.append(numpy("f32", True))
        if not args.no_f64:
            runners.append(numpy("f64", True))
    if not args.no_torch:
        torch = py + [str(HERE / "step_torch.py")] + threads
        runners.append(Runner("torch autograd (no input dX)", "f32", args.threads, env=env,
                              command=torch))
        runners.append(Runner("torch autograd (+ input dX)", "f32", args.threads, env=env,
                              command=torch + ["--input-grad"]))
    if not args.no_f64:
        runners.append(rust("f64", ["--f64"]))
    return runners


def convnet_runners(args, env, numpy_env):
    """The SimpleConvNet step: the crate's `step_bench --convnet` and the NumPy one."""
    threads = ["--threads", str(args.threads)]
    rust_exe, why = (None, "skipped (--no-rust)") if args.no_rust else build_rust_example("step_bench")
    protocol = ["--warmup", "10", "--steps", "50"]
    runners = []
    for dtype in ("f32",) if args.no_f64 else ("f32", "f64"):
        rust = Runner("rust step_bench --convnet", dtype, args.threads, env=env)
        if rust_exe is None:
            rust.status = why
        else:
            extra = ["--f64"] if dtype == "f64" else []
            rust.command = [rust_exe, "--convnet", *extra, *threads, *args.rust_arg]
        numpy = Runner("numpy SimpleConvNet, same work (no conv dX)", dtype, args.threads,
                       env=numpy_env, reference=True,
                       command=[args.python, str(HERE / "step_numpy.py"), "--convnet",
                                "--dtype", "float32" if dtype == "f32" else "float64",
                                *threads, *protocol])
        runners += [rust, numpy]
    return runners


def train_runners(args, env, numpy_env):
    data = ["--data", args.train_data] if args.train_data else []
    example = "simple_convnet" if args.convnet else "train"
    rust_exe, why = (None, "skipped (--no-rust)") if args.no_rust else build_rust_example(example)
    rust = Runner(f"rust {example}", "f32", args.threads, env=env)
    if rust_exe is None:
        rust.status = why
    else:
        rust.command = [rust_exe, *data, "--threads", str(args.threads), *args.rust_arg]
    command = [args.python, str(HERE / "train_numpy.py"), "--dtype", "float32",
               "--threads", str(args.threads), *data]
    if args.convnet:
        command.append("--convnet")
    runners = [rust, Runner(f"numpy train_numpy.py{' --convnet' if args.convnet else ''}, "
                            "same work", "f32", args.threads, env=numpy_env, command=command,
                            reference=True)]
    if not args.no_book_dx and not args.convnet:
        runners.append(Runner("numpy train_numpy.py --book-dx", "f32", args.threads,
                              env=numpy_env, command=command + ["--book-dx"]))
    return runners


def numpy_blas(python, numpy_env):
    """The BLAS NumPy loads in the NumPy runs' interpreter and environment, as
    threadpoolctl reports it."""
    code = ("import numpy\n"
            "try:\n"
            "    from threadpoolctl import threadpool_info\n"
            "except ImportError:\n"
            "    print('unknown (pip install threadpoolctl)'); raise SystemExit\n"
            "print('; '.join(f\"{p['internal_api']} {p['version']} kernel={p.get('architecture')}"
            " threads={p['num_threads']}\" for p in threadpool_info() if p['user_api'] == 'blas')"
            " + f' (numpy {numpy.__version__})')\n")
    done = subprocess.run([python, "-c", code], env=numpy_env,
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or f"numpy not importable: {done.stderr.strip()[-100:]}"


def machine_peak(args):
    """The lines of the crate's `peak` example (FMA peak per thread, each width)."""
    if args.no_rust or args.no_peak:
        return ["peak: not measured (--no-rust or --no-peak)"]
    exe, why = build_rust_example("peak")
    if exe is None:
        return [f"peak: {why}"]
    log(f"peak probe: {exe} --runs 5")
    done = subprocess.run([exe, "--runs", "5"], cwd=REPO, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        return [f"peak: failed (exit {done.returncode})"]
    return [line for line in done.stdout.splitlines() if line.startswith(("peak ", "kernels"))]


def print_header(args, numpy_env):
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    peak = machine_peak(args)
    tweaks = ", ".join(f"{k}={os.environ[k]}" for k in NUMPY_ONLY_UNSET if k in os.environ)
    print(f"CPU: {cpu}, {os.cpu_count()} logical cores; load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"NumPy BLAS: {numpy_blas(args.python, numpy_env)}")
    print(f"OpenBLAS tweaks in the environment: {tweaks or 'none'}"
          + (" (removed for the NumPy runs only)" if tweaks else ""))
    print("This machine's FMA peak per thread (cargo run --release --example peak):")
    for line in peak:
        print(f"    {line}")
    print(f"{args.rounds} round(s), alternating; threads {args.threads}")
    print()


def print_notes(runners):
    """What the programs said about themselves: the crate's kernel and share of peak,
    the BLAS kernel of each NumPy run and the work it did."""
    print()
    for r in runners:
        keys = [k for k in ("kernel", "rate", "work", "blas") if k in r.notes]
        if keys:
            print(f"- {r.name} {r.dtype}: " + "; ".join(f"{k}: {r.notes[k]}" for k in keys))


def step_table(runners):
    ref32 = next((r for r in runners if r.reference and r.dtype == "f32"), None)
    ref64 = next((r for r in runners if r.reference and r.dtype == "f64"), None)
    print("| implementation | dtype | threads | median µs/step | each round | "
          "× NumPy f32 time (same work) | × NumPy f64 time (same work) |")
    print("|---|---|---|---:|---|---:|---:|")
    for r in runners:
        if not r.values:
            print(f"| {r.name} | {r.dtype} | {r.threads} | {r.status} | | | |")
            continue
        each = ", ".join(fmt(v) for v in r.values)
        vs64 = ratio(r, ref64) if r.dtype == "f64" else ""
        print(f"| {r.name} | {r.dtype} | {r.threads} | {fmt(r.median())} | {each} | "
              f"{ratio(r, ref32)} | {vs64} |")
    print()
    print("Ratios are time / the time of NumPy doing the crate's work (no first-layer dX): "
          "below 1 is faster than NumPy. The ratio of the medians, and (paired) the median "
          "of the ratios round by round.")
    print_notes(runners)


def train_table(runners):
    ref = next((r for r in runners if r.reference), None)
    print("| implementation | dtype | threads | median seconds | each round | "
          "train_acc | test_acc | × NumPy time |")
    print("|---|---|---|---:|---|---:|---:|---:|")
    for r in runners:
        if not r.values:
            print(f"| {r.name} | {r.dtype} | {r.threads} | {r.status} | | | | |")
            continue
        last = r.details[-1]
        print(f"| {r.name} | {r.dtype} | {r.threads} | {fmt(r.median(), 2)} | "
              f"{', '.join(fmt(v, 2) for v in r.values)} | {last.get('train_acc', '?')} | "
              f"{last.get('test_acc', '?')} | {ratio(r, ref)} |")
    print()
    print("Seconds: the whole training loop with its per-epoch evaluations, as printed "
          "on each program's `final:` line. Ratio: time / the time of NumPy doing the "
          "crate's work; below 1 is faster than NumPy. The ratio of the medians, and "
          "(paired) the median of the ratios round by round.")
    print_notes(runners)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--train", action="store_true", help="time the whole training instead")
    p.add_argument("--convnet", action="store_true",
                   help="the SimpleConvNet (conv, pool, Adam) instead of the TwoLayerNet")
    p.add_argument("--train-data", help="pass --data DIR to both trainings (default: each "
                   "program's own default, data/mnist)")
    p.add_argument("--no-rust", action="store_true")
    p.add_argument("--no-torch", action="store_true")
    p.add_argument("--no-f64", action="store_true")
    p.add_argument("--no-book-dx", action="store_true",
                   help="leave out the NumPy rows of the book's full step (first-layer dX)")
    p.add_argument("--no-peak", action="store_true", help="do not run the peak probe")
    p.add_argument("--rust-arg", action="append", default=[],
                   help="extra argument for the Rust example (repeatable)")
    p.add_argument("--python", default=sys.executable, help="interpreter of the Python peers")
    args = p.parse_args()
    if args.rounds < 1 or args.threads < 1:
        sys.exit("--rounds and --threads must be at least 1")

    env, numpy_env = environments(args.threads)
    make = train_runners if args.train else convnet_runners if args.convnet else step_runners
    runners = make(args, env, numpy_env)
    parse = parse_train if args.train else parse_step
    print_header(args, numpy_env)
    for round_number in range(1, args.rounds + 1):
        log(f"round {round_number}/{args.rounds}")
        for runner in runners:
            if runner.status == "ok":
                run_once(runner, parse)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    (train_table if args.train else step_table)(runners)


if __name__ == "__main__":
    main()
