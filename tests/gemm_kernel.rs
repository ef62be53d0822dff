//! `BACKPROP_GEMM` end to end: it is read once per process, so this test binary runs
//! itself again with the variable set, and checks what the child reports.

use std::process::Command;

use crate::common;

/// The child: a product large enough for the packed kernel, then the kernel it ran.
#[test]
#[ignore = "run by the_variable_caps_the_kernel_in_a_fresh_process, with BACKPROP_GEMM set"]
fn child_reports_its_kernel() {
    let a = backprop::Matrix::<32, 32>::from_fn(|i, j| (i + j) as f32);
    let c = a.matmul(&a);
    let checked = backprop::cpu::gemm_kernel_checked().map_err(|e| e.to_string());
    println!(
        "kernel={} checked={checked:?} c00={}",
        backprop::gemm_kernel(),
        c[(0, 0)]
    );
}

/// Runs [`child_reports_its_kernel`] with `BACKPROP_GEMM=value`: (stdout, stderr).
fn child(value: &str) -> (String, String) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let name = common::test_name(module_path!(), "child_reports_its_kernel");
    let out = Command::new(exe)
        .args(["--exact", &name, "--ignored", "--nocapture"])
        .env("BACKPROP_GEMM", value)
        .output()
        .expect("the test binary runs again");
    assert!(out.status.success(), "child failed: {out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the child test {name} did not run: {out:?}"
    );
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    (text(out.stdout), text(out.stderr))
}

#[test]
fn the_variable_caps_the_kernel_in_a_fresh_process() {
    // Σ_k k·k over 0..32 = 10,416: the plain build computes the same product.
    let (out, _) = child("plain");
    assert!(
        out.contains("kernel=plain checked=Ok(\"plain\") c00=10416"),
        "{out}"
    );

    // An unknown value: the products still run, on the fastest kernel; the problem
    // is printed once and returned by gemm_kernel_checked.
    let (out, err) = child("sse9");
    let best = *backprop::cpu::gemm_kernels().last().unwrap();
    assert!(
        err.contains(&format!(
            "backprop: BACKPROP_GEMM=\"sse9\" is not one of \"plain\", \"avx2\", \"avx512\"; ignored, running the {best} kernel"
        )),
        "{err}"
    );
    assert!(
        out.contains(&format!("kernel={best} checked=Err(")),
        "{out}"
    );

    // avx512: taken where the CPU has it, else the fastest kernel below, said so.
    let (out, err) = child("avx512");
    if best == "avx512" {
        assert!(out.contains("kernel=avx512 checked=Ok"), "{out}");
    } else {
        assert!(
            err.contains(&format!(
                "BACKPROP_GEMM=avx512: this CPU does not run the avx512 kernel; running the {best} kernel"
            )),
            "{err}"
        );
        println!("this CPU has no AVX-512: checked the message that says so");
    }
}
