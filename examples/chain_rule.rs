//! Section 5.2: the chain rule on z = (x + y)², built as t = x + y, z = t² (figure 5-7).
//!
//! Backward multiplies the local derivatives along the path,
//! ∂z/∂x = ∂z/∂t · ∂t/∂x = 2t · 1 = 2(x + y); the table checks the graph's answer against
//! that formula and against a central difference of the plain function at a few points.
//!
//!     cargo run --example chain_rule            # the picture (at x = 1, y = 2) goes to out/

use backprop::graph::{Graph, Rounded, Var};
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

/// The function itself, evaluated without the graph, for the central difference.
fn z(x: f64, y: f64) -> f64 {
    (x + y) * (x + y)
}

/// Step of the central difference (f(x + h) − f(x − h)) / 2h.
const H: f64 = 1e-4;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("chain_rule: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<()> {
    println!("z = (x + y)², t = x + y");
    println!(
        "{:>6} {:>6} {:>8} {:>6} {:>12} {:>9} {:>13} {:>11}",
        "x", "y", "z", "∂z/∂t", "∂z/∂x graph", "2(x + y)", "central diff", "|graph − cd|"
    );
    for (x0, y0) in [
        (1.0, 2.0),
        (3.0, -1.0),
        (0.5, 0.25),
        (-2.0, 4.5),
        (-1.5, -2.0),
    ] {
        let g = Graph::new();
        let (x, t, z_var) = build(&g, x0, y0);
        g.backward(z_var);
        let central = (z(x0 + H, y0) - z(x0 - H, y0)) / (2.0 * H);
        println!(
            "{:>6} {:>6} {:>8} {:>6} {:>12} {:>9} {:>13} {:>11.1e}",
            Rounded(x0),
            Rounded(y0),
            Rounded(g.value(z_var)),
            Rounded(g.grad(t)),
            Rounded(g.grad(x)),
            Rounded(2.0 * (x0 + y0)),
            Rounded(central),
            (g.grad(x) - central).abs(),
        );
    }

    let g = Graph::new();
    let (_, _, z_var) = build(&g, 1.0, 2.0);
    g.backward(z_var);
    let out = std::env::var_os("BACKPROP_OUT").map_or_else(|| PathBuf::from("out"), PathBuf::from);
    for path in g.write_pictures(&out, "chain_rule")? {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Records t = x + y and z = t² in `g`; returns x, t and z.
fn build(g: &Graph, x: f64, y: f64) -> (Var<'_>, Var<'_>, Var<'_>) {
    let x = g.var("x", x);
    let y = g.var("y", y);
    let t = (x + y).named("t");
    (x, t, t.square().named("z"))
}
