//! Sections 5.1–5.4: the scalar layers and the graph recorder against hand computations,
//! finite differences and the book's printed numbers; the examples against golden output.

use approx::assert_relative_eq;
use backprop::graph::{AddLayer, Graph, MulLayer, Rounded};
use std::path::{Path, PathBuf};

use crate::common;

#[test]
fn mul_layer_swaps_its_inputs() {
    let mut mul = MulLayer::new();
    assert_eq!(mul.forward(3.0, -4.0), -12.0);
    // dx = dout·y, dy = dout·x
    assert_eq!(mul.backward(0.5), (-2.0, 1.5));
    // Backward reads the last forward's inputs.
    mul.forward(2.0, 7.0);
    assert_eq!(mul.backward(1.0), (7.0, 2.0));
}

#[test]
#[should_panic(expected = "MulLayer::backward called before forward")]
fn mul_layer_backward_before_forward_panics() {
    MulLayer::new().backward(1.0);
}

#[test]
fn add_layer_passes_dout_through() {
    let mut add = AddLayer::new();
    assert_eq!(add.forward(200.0, 450.0), 650.0);
    assert_eq!(add.backward(1.1), (1.1, 1.1));
    assert_eq!(add.backward(-3.0), (-3.0, -3.0));
}

#[test]
fn a_value_used_twice_accumulates_its_gradient() {
    let g = Graph::new();
    let x = g.var("x", 3.0);
    let square = x * x;
    g.backward(square);
    assert_eq!(g.grad(x), 6.0); // 2x
    let double = x + x;
    g.backward(double);
    assert_eq!(g.grad(x), 2.0);
    // Two uses in different places of one expression: z = x·y + x, ∂z/∂x = y + 1.
    let y = g.var("y", 5.0);
    let z = x * y + x;
    g.backward(z);
    assert_eq!((g.grad(x), g.grad(y)), (6.0, 3.0));
}

#[test]
fn backward_twice_gives_the_same_gradients() {
    let g = Graph::new();
    let x = g.var("x", 1.5);
    let z = (x * x).powi(3);
    g.backward(z);
    let first = g.grad(x);
    g.backward(z);
    assert_eq!(g.grad(x), first);
    assert_relative_eq!(first, 6.0 * 1.5f64.powi(5), max_relative = 1e-12); // d(x⁶)/dx
}

#[test]
fn recorder_matches_the_mul_layers_on_buy_apple() {
    let g = Graph::new();
    let apple = g.var("apple", 100.0);
    let apple_num = g.var("apple_num", 2.0);
    let tax = g.var("tax", 1.1);
    let price = apple * apple_num * tax;
    g.backward(price);

    let (mut mul_apple, mut mul_tax) = (MulLayer::new(), MulLayer::new());
    let expected = mul_tax.forward(mul_apple.forward(100.0, 2.0), 1.1);
    let (dapple_price, dtax) = mul_tax.backward(1.0);
    let (dapple, dapple_num) = mul_apple.backward(dapple_price);

    assert_relative_eq!(g.value(price), expected);
    assert_relative_eq!(g.value(price), 220.0, max_relative = 1e-12);
    for (got, layer, book) in [
        (g.grad(apple), dapple, 2.2),
        (g.grad(apple_num), dapple_num, 110.0),
        (g.grad(tax), dtax, 200.0),
    ] {
        assert_relative_eq!(got, layer, max_relative = 1e-12);
        assert_relative_eq!(got, book, max_relative = 1e-12);
    }
}

#[test]
fn chain_rule_agrees_with_a_central_difference() {
    let z = |x: f64, y: f64| (x + y) * (x + y);
    let h = 1e-5;
    for (x0, y0) in [
        (1.0, 2.0),
        (3.0, -1.0),
        (0.5, 0.25),
        (-2.0, 4.5),
        (10.0, 0.1),
    ] {
        let g = Graph::new();
        let x = g.var("x", x0);
        let y = g.var("y", y0);
        let out = (x + y).square();
        g.backward(out);
        let dx = (z(x0 + h, y0) - z(x0 - h, y0)) / (2.0 * h);
        let dy = (z(x0, y0 + h) - z(x0, y0 - h)) / (2.0 * h);
        assert_relative_eq!(g.value(out), z(x0, y0), max_relative = 1e-12);
        assert_relative_eq!(g.grad(x), dx, epsilon = 1e-6, max_relative = 1e-8);
        assert_relative_eq!(g.grad(y), dy, epsilon = 1e-6, max_relative = 1e-8);
    }
}

/// The one DOT edge line from a node labelled `from` to a node labelled `to`.
fn edge_label(dot: &str, from: &str, to: &str) -> String {
    let ids = |label: &str| -> Vec<String> {
        dot.lines()
            .filter(|line| line.contains(&format!("label=\"{label}\"")))
            .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
            .collect()
    };
    let (froms, tos) = (ids(from), ids(to));
    let edges: Vec<&str> = dot
        .lines()
        .filter(|line| {
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(a), Some("->"), Some(b)) => {
                    froms.iter().any(|id| id == a) && tos.iter().any(|id| id == b)
                }
                _ => false,
            }
        })
        .collect();
    assert_eq!(edges.len(), 1, "one edge {from} -> {to} in\n{dot}");
    edges[0].to_owned()
}

#[test]
fn dot_of_buy_apple_carries_values_and_gradients_on_its_edges() {
    let g = Graph::new();
    let apple = g.var("apple", 100.0);
    let apple_num = g.var("apple_num", 2.0);
    let tax = g.var("tax", 1.1);
    let price = (apple * apple_num * tax).named("price");

    // Before backward, edges carry only forward values.
    let dot = g.to_dot();
    assert!(!dot.contains("color=\"red\""), "{dot}");
    assert!(
        edge_label(&dot, "×", "price").contains("label=<220>"),
        "{dot}"
    );

    g.backward(price);
    let dot = g.to_dot();
    assert!(dot.contains("rankdir=LR"));
    let red = |x: &str| format!("<br/><font color=\"red\">{x}</font>");
    assert!(edge_label(&dot, "apple", "×").contains(&format!("<100{}>", red("2.2"))));
    assert!(edge_label(&dot, "apple_num", "×").contains(&format!("<2{}>", red("110"))));
    assert!(edge_label(&dot, "tax", "×").contains(&format!("<1.1{}>", red("200"))));
    assert!(edge_label(&dot, "×", "price").contains(&format!("<220{}>", red("1"))));
    assert_eq!(dot.matches("shape=circle, label=\"×\"").count(), 2);
}

#[test]
fn labelled_intermediates_and_awkward_names_are_drawn_safely() {
    let g = Graph::new();
    let a = g.var("a<b & \"c\"", 2.0);
    let t = (a + a).named("t<1>");
    g.backward(t.square());
    let dot = g.to_dot();
    assert!(dot.contains(r#"label="a<b & \"c\"""#), "{dot}");
    assert!(dot.contains("label=<t&lt;1&gt; = 4<br/>"), "{dot}");
    let svg = g.to_svg();
    assert!(svg.contains("a&lt;b &amp; &quot;c&quot;"), "{svg}");
    assert!(svg.contains("t&lt;1&gt; = 4"), "{svg}");
}

#[test]
fn svg_of_buy_apple_has_every_number() {
    let g = Graph::new();
    let apple = g.var("apple", 100.0);
    let apple_num = g.var("apple_num", 2.0);
    let tax = g.var("tax", 1.1);
    g.backward((apple * apple_num * tax).named("price"));
    let svg = g.to_svg();
    assert!(svg.contains("fill: #d00000"), "the gradient line is red");
    for number in ["100", "2.2", "2", "110", "200", "1.1", "220", "1"] {
        assert!(
            svg.contains(&format!(">{number}</tspan>")),
            "{number} missing"
        );
    }
    assert!(
        Graph::new().to_svg().contains("<svg"),
        "an empty graph draws"
    );
}

/// Each arrow's label is five lines around the arrow: the value 1.2 em above the
/// line, the gradient (class `grad`, red) 1.2 em below it, never on it. The blank
/// lines are no-break spaces: a browser drops a line of plain spaces, which put the
/// gradient on the arrow.
#[test]
fn svg_prints_each_gradient_below_its_arrow() {
    let g = Graph::new();
    let apple = g.var("apple", 100.0);
    let apple_num = g.var("apple_num", 2.0);
    g.backward((apple * apple_num).named("price"));
    let svg = g.to_svg();
    // The arrow from apple, its label's five lines (x: the label's centre).
    let line = |class: &str, dy: &str, text: &str| {
        format!(r#"<tspan{class} x = "237.5" dy="{dy}">{text}</tspan>"#)
    };
    let label = [
        line("", "1.0em", "\u{a0}"),
        line("", "0.8em", "100"),
        line("", "1.2em", "\u{a0}"),
        line(r#" class="grad""#, "1.2em", "2"),
        line("", "0.8em", "\u{a0}"),
    ]
    .concat();
    assert!(svg.contains(&label), "apple's arrow label: {svg}");
    assert_eq!(svg.matches("<tspan class=\"grad\"").count(), 3, "{svg}");
    assert!(svg.contains(".grad { fill: #d00000; }"), "{svg}");
    assert!(
        !svg.contains("> </tspan>"),
        "no blank line of a plain space: {svg}"
    );
}

#[test]
fn writing_into_a_missing_directory_creates_it_and_a_bad_path_is_an_error() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("graph_write/nested");
    let _ = std::fs::remove_dir_all(&dir);
    let g = Graph::new();
    let x = g.var("x", 2.0);
    g.backward(x * x);
    let [dot, svg] = g.write_pictures(&dir, "square").expect("writable temp dir");
    assert!(std::fs::read_to_string(dot).unwrap().contains("digraph"));
    assert!(std::fs::read_to_string(svg).unwrap().contains("<svg"));

    // A directory where a file should go.
    let error = g.write_dot(&dir).expect_err("a directory is not a file");
    assert!(error.to_string().contains("nested"), "{error}");
    // A file where a directory should go.
    let file = dir.join("square.dot");
    let error = g
        .write_pictures(&file, "x")
        .expect_err("a file is not a directory");
    assert!(error.to_string().contains("square.dot"), "{error}");
}

#[test]
fn rounded_shows_the_books_numbers() {
    assert_eq!(Rounded(100.0 * 2.0 * 1.1).to_string(), "220");
    assert_eq!(Rounded(1.1 * 3.0).to_string(), "3.3");
    assert_eq!(Rounded(650.0000000000001).to_string(), "650");
    assert_eq!(Rounded(-7.0).to_string(), "-7");
    assert_eq!(Rounded(0.5625).to_string(), "0.5625");
    assert_eq!(Rounded(f64::NAN).to_string(), "NaN");
}

/// Runs the example `name` with its pictures going to a fresh temp dir, checks its
/// stdout against `tests/golden/<name>.txt` (the dir written as `$OUT`), and returns
/// the DOT text it wrote.
fn run_example(name: &str) -> String {
    let out: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("golden_{name}"));
    let _ = std::fs::remove_dir_all(&out);
    let output = common::run_example(name, &[], Some(&out));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "example {name} failed:\n{stderr}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let stdout = stdout.replace(&out.display().to_string(), "$OUT");
    let golden_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.txt"));
    let golden = std::fs::read_to_string(&golden_path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", golden_path.display()));
    assert_eq!(
        stdout,
        golden,
        "stdout of example {name} differs from {}",
        golden_path.display()
    );
    assert!(
        out.join(format!("{name}.svg")).exists(),
        "{name}.svg written"
    );
    std::fs::read_to_string(out.join(format!("{name}.dot")))
        .expect("the example wrote its DOT file")
}

#[test]
fn golden_buy_apple() {
    let dot = run_example("buy_apple");
    for number in ["<100<", "<2<", "<1.1<", "<220<", ">2.2<", ">110<", ">200<"] {
        assert!(dot.contains(number), "{number} missing from\n{dot}");
    }
}

#[test]
fn golden_buy_apple_orange() {
    let dot = run_example("buy_apple_orange");
    for number in [
        "<715<",
        "<650<",
        ">3.3<",
        ">165<",
        ">650<",
        "apple_price = 200",
        "orange_price = 450",
    ] {
        assert!(dot.contains(number), "{number} missing from\n{dot}");
    }
}

#[test]
fn golden_chain_rule() {
    let dot = run_example("chain_rule");
    for number in ["<1<", "<2<", "t = 3", "<9<", ">6<", ">1<"] {
        assert!(dot.contains(number), "{number} missing from\n{dot}");
    }
}

#[test]
#[should_panic(expected = "belongs to another Graph")]
fn mixing_two_graphs_panics() {
    let (g, h) = (Graph::new(), Graph::new());
    let x = g.var("x", 1.0);
    let y = h.var("y", 2.0);
    let _ = x + y;
}
