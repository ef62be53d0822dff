//! The compiled matrix-product kernels are the vectorized ones. The packed kernel is safe
//! Rust compiled inside `#[target_feature]` functions (`on_avx2_fma`, `on_avx512`); a
//! `mul_add` the compiler does not inline into them (in a closure, say) is compiled for
//! the baseline target, where it is a call to the function `fmaf`: the training step
//! took three times as long and no test failed. So this test runs the book's products,
//! disassembles its own executable and reads the kernels' instructions.

use backprop::{Float, Matrix, Network, Relu};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hint::black_box;
use std::process::Command;

/// This executable disassembled: its functions by address (demangled name, instructions),
/// and what each GOT slot holds (from the dynamic relocations: `*ABS*+0x12bfb0` for a
/// function of its own, else a symbol).
struct Binary {
    functions: BTreeMap<u64, (String, Vec<String>)>,
    got: HashMap<u64, String>,
}

/// The book's `X·W` and `Xᵀ·dY` in `T` (packed tiles and thin columns), one element of
/// each checked against a naive sum (small integers: exact in any order), and a ReLU
/// (an element-wise pass, run in the same builds).
fn products<T: Float>() {
    let v = |x: usize| T::from_f64((x % 11) as f64);
    let x = black_box(Matrix::<100, 784, T>::from_fn(|i, j| v(i * 7 + j * 3)));
    let w = black_box(Matrix::<784, 50, T>::from_fn(|i, j| v(i + j * 5)));
    let dy = black_box(Matrix::<100, 50, T>::from_fn(|i, j| v(i * 3 + j)));
    let y = black_box(x.matmul(&w));
    let dw = black_box(x.t_matmul(&dy));
    let naive = |n: usize, f: &dyn Fn(usize) -> T| (0..n).map(f).sum::<T>();
    assert_eq!(y[(99, 49)], naive(784, &|p| x[(99, p)] * w[(p, 49)]));
    assert_eq!(dw[(783, 49)], naive(100, &|p| x[(p, 783)] * dy[(p, 49)]));
    let shifted = Matrix::<100, 50, T>::from_fn(|i, j| y[(i, j)] - T::from_f64(100.0));
    let h = black_box(Relu::new().predict(&shifted));
    assert_eq!(h[(99, 49)], shifted[(99, 49)].max(T::ZERO));
}

/// `objdump ARGS` of this executable; `None` when objdump is not installed.
fn objdump(args: &[&str]) -> Option<String> {
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = match Command::new("objdump").args(args).arg(&exe).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        out => out.expect("objdump runs"),
    };
    assert!(out.status.success(), "objdump {args:?} {exe:?}: {out:?}");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

impl Binary {
    /// This executable, or `None` when objdump is not installed.
    fn load() -> Option<Binary> {
        let (mut functions, mut last) = (BTreeMap::new(), 0);
        for line in objdump(&["-d", "--no-show-raw-insn", "-C"])?.lines() {
            // A header is `0000000000045360 <backprop::matrix::gemm::on_avx2_fma>:`, an
            // instruction `   45364:\tvfmadd231ps %ymm0,%ymm1,%ymm2`.
            if let Some((addr, name)) = line.strip_suffix(">:").and_then(|h| h.split_once(" <")) {
                last = u64::from_str_radix(addr, 16).expect("a function's address");
                functions.insert(last, (name.to_string(), Vec::new()));
            } else if let (Some(f), Some((_, insn))) =
                (functions.get_mut(&last), line.split_once(":\t"))
            {
                f.1.push(insn.to_string());
            }
        }
        let relocations = objdump(&["-R"])?;
        let got = relocations.lines().filter_map(|line| {
            let mut words = line.split_whitespace(); // offset, type, value
            let (slot, value) = (words.next()?, words.nth(1)?.to_string());
            Some((u64::from_str_radix(slot, 16).ok()?, value))
        });
        let got = got.collect();
        Some(Binary { functions, got })
    }

    /// The name of what `insn` calls or jumps to, directly (`call   4a3b0 <…>`) or through
    /// a GOT slot (`jmp *0xa7f52(%rip)  # 1368a8 <_DYNAMIC+0x510>`: objdump names the
    /// slot, not the function), and its address if it is a function of this executable.
    fn target<'a>(&'a self, insn: &'a str) -> Option<(&'a str, Option<u64>)> {
        let operand = insn.split_once(char::is_whitespace)?.1.trim_start();
        let (addr, label) = operand.rsplit('#').next()?.trim().split_once(" <")?;
        let mut addr = u64::from_str_radix(addr, 16).ok()?;
        if let (true, Some(value)) = (operand.starts_with('*'), self.got.get(&addr)) {
            match value.strip_prefix("*ABS*+0x") {
                Some(a) => addr = u64::from_str_radix(a, 16).ok()?,
                None => return Some((value, None)),
            }
        }
        match self.functions.get(&addr) {
            Some((name, _)) => Some((name, Some(addr))),
            None => Some((label, None)),
        }
    }

    /// The chain of calls and jumps from the function at `addr` to `fmaf` or `fma`
    /// (`fmaf@plt`, `fma@GLIBC_2.2.5` …, never `on_avx2_fma`), if there is one.
    fn fma_chain(&self, addr: u64, seen: &mut HashSet<u64>) -> Option<String> {
        let (name, code) = &self.functions[&addr];
        for (insn, (callee, at)) in code.iter().filter_map(|i| Some((i, self.target(i)?))) {
            if matches!(callee.split(['@', '+', '>']).next(), Some("fmaf" | "fma")) {
                return Some(format!("{name} at {addr:x}: `{insn}` calls {callee}"));
            }
            if let Some(at) = at
                && seen.insert(at)
                && let Some(rest) = self.fma_chain(at, seen)
            {
                return Some(format!("{name} → {rest}"));
            }
        }
        None
    }
}

/// How many of `code`'s instructions are packed FMAs `vfmadd…{p}` (`ps`, `pd`) on one of
/// `regs`.
fn packed(code: &[String], p: &str, regs: &[&str]) -> usize {
    let on_regs = |ops: &str| regs.iter().any(|reg| ops.contains(reg));
    let fma = |m: &str, ops: &str| m.starts_with("vfmadd") && m.ends_with(p) && on_regs(ops);
    let insns = code.iter().filter_map(|i| i.split_once(' ')); // (mnemonic, operands)
    insns.filter(|(m, ops)| fma(m, ops)).count()
}

/// How many of `code`'s instructions are packed additions, multiplications or maxima
/// (`vaddps`, `vmulpd`, `vmaxps` …) on `reg`.
fn packed_arith(code: &[String], reg: &str) -> usize {
    let ops = ["vaddp", "vmulp", "vmaxp", "vcmpp", "vblendmp"];
    let arith = |m: &str| ops.iter().any(|op| m.starts_with(op));
    let insns = code.iter().filter_map(|i| i.split_once(' '));
    insns.filter(|(m, o)| arith(m) && o.contains(reg)).count()
}

/// Checks every instance of `build` (`on_avx2_fma`, `on_avx512`): it reaches no `fmaf` or
/// `fma`, and has 5 or more packed FMAs on `regs` (`%ymm`; `%zmm` or `%ymm` in the
/// AVX-512 build), all of one precision. The tiles have 12 or 20 accumulators.
/// Legacy symbol names carry no type parameters, so an instance is told f32 or f64 by
/// its FMAs (`…ps` or `…pd`); both must be there. An instance with no multiply-add at
/// all is an element-wise pass (the SGD and Adam updates, ReLU, bias sums): it must be
/// vectorized on `regs[0]`, the build's widest register; at least one must be there.
/// Returns whether there was any instance.
fn check_build(bin: &Binary, build: &str, regs: &[&str]) -> bool {
    let (mut found, mut elementwise) = (Vec::new(), 0);
    for (&addr, (name, code)) in bin.functions.iter().filter(|(_, f)| f.0.contains(build)) {
        if let Some(chain) = bin.fma_chain(addr, &mut HashSet::from([addr])) {
            panic!("a mul_add compiled outside {build}, a call, not the instruction: {chain}");
        }
        if !code
            .iter()
            .any(|i| i.starts_with("vfm") || i.starts_with("vfnm"))
        {
            let vector = packed_arith(code, regs[0]);
            println!(
                "{name} at {addr:x}: element-wise, {vector} packed operations on {}",
                regs[0]
            );
            assert!(
                vector >= 2,
                "{name} at {addr:x}: no FMA, and not vectorized on {}",
                regs[0]
            );
            elementwise += 1;
            continue;
        }
        let (ps, pd) = (packed(code, "ps", regs), packed(code, "pd", regs));
        let t = if pd == 0 { "f32" } else { "f64" };
        let name = format!("{name}<{t}> at {addr:x}");
        println!(
            "{name}: {} vfmadd {regs:?}, 0 fmaf/fma calls reached",
            ps + pd
        );
        let one_kind = (ps >= 5 && pd == 0) || (pd >= 5 && ps == 0);
        assert!(one_kind, "{name}: {ps} …ps and {pd} …pd, want 5+ of one");
        found.push(t);
    }
    let ok = found.is_empty() || (found.contains(&"f32") && found.contains(&"f64"));
    assert!(ok, "{build} instances {found:?}: want f32 and f64");
    let ok = found.is_empty() || elementwise > 0;
    assert!(
        ok,
        "{build}: no element-wise instance (the ReLU above runs in one)"
    );
    !found.is_empty()
}

#[test]
fn kernels_are_vectorized_and_call_no_fmaf() {
    products::<f32>();
    products::<f64>();
    if cfg!(debug_assertions) {
        // `cargo test` without `--release` does not inline the kernels the same way.
        println!("SKIPPED: unoptimized build, which inlines differently: run with --release");
        return;
    }
    if !cfg!(target_arch = "x86_64") {
        println!("SKIPPED: the AVX2 and AVX-512 builds exist on x86_64 only");
        return;
    }
    let Some(bin) = Binary::load() else {
        println!("SKIPPED: objdump not found: install binutils (apt-get install binutils)");
        return;
    };
    let avx2 = check_build(&bin, "on_avx2_fma", &["%ymm"]);
    assert!(avx2, "no on_avx2_fma function: renamed, or check broken");
    if !check_build(&bin, "on_avx512", &["%zmm", "%ymm"]) {
        println!("no on_avx512 in this binary");
    }
}
