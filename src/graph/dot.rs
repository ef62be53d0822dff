//! The picture as Graphviz DOT text: plain text that any Graphviz renders
//! (`dot -Tsvg graph.dot -o graph.svg`).

use super::picture::{Picture, Shape};
use super::recorder::Graph;
use std::fmt::Write;

impl Graph {
    /// The graph as Graphviz DOT, left to right like the book's figures: a box per
    /// variable, a circle per operation (×, +, **2), and every arrow labelled with its
    /// forward value and, below it in red, its gradient (once backward has run).
    ///
    /// ```
    /// use backprop::graph::Graph;
    /// let g = Graph::new();
    /// let x = g.var("x", 3.0);
    /// let z = x.square().named("z");
    /// g.backward(z);
    /// let dot = g.to_dot();
    /// assert!(dot.starts_with("digraph computational_graph {"));
    /// // x = 3 flows into the square, and ∂z/∂x = 6 flows back.
    /// assert!(dot.contains(r#"n0 -> n1 [label=<3<br/><font color="red">6</font>>];"#));
    /// // z = 9 leaves it, with ∂z/∂z = 1.
    /// assert!(dot.contains(r#"n1 -> n2 [label=<9<br/><font color="red">1</font>>];"#));
    /// ```
    pub fn to_dot(&self) -> String {
        let picture = Picture::of(self);
        let mut dot = String::from(
            "digraph computational_graph {\n    \
             rankdir=LR;\n    \
             node [fontname=\"Helvetica\"];\n    \
             edge [fontname=\"Helvetica\", fontsize=12];\n",
        );
        // `write!` to a String cannot fail; the results are discarded with `let _`.
        for (i, shape) in picture.shapes.iter().enumerate() {
            let (kind, label) = match shape {
                Shape::Box(name) => ("box", name),
                Shape::Circle(symbol) => ("circle", symbol),
            };
            let _ = writeln!(dot, "    n{i} [shape={kind}, label=\"{}\"];", quoted(label));
        }
        for edge in &picture.edges {
            let mut label = html(&edge.value);
            if let Some(grad) = &edge.grad {
                let _ = write!(label, "<br/><font color=\"red\">{}</font>", html(grad));
            }
            let _ = writeln!(dot, "    n{} -> n{} [label=<{label}>];", edge.from, edge.to);
        }
        dot.push_str("}\n");
        dot
    }
}

/// Escapes text for a double-quoted DOT string.
fn quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Escapes text for a DOT HTML-like label.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
