//! What the picture of a graph shows, independent of the format it is drawn in, and
//! the functions that write it to files.
//!
//! Like the book's figures, values flow left to right: a box per variable, a circle
//! per operation, and on every arrow the forward value above and, once backward has
//! run, the gradient flowing back along that arrow below it.

use super::recorder::{Graph, Op};
use super::rounded::Rounded;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// How a node is drawn.
pub(super) enum Shape {
    /// A variable's name, or the name at the end of an output's arrow.
    Box(String),
    /// An operation's symbol: ×, +, **2.
    Circle(String),
}

/// One arrow, from the node that makes a value to a node that uses it.
pub(super) struct Edge {
    pub(super) from: usize,
    pub(super) to: usize,
    /// Upper line: the forward value, with its label for a labelled intermediate.
    pub(super) value: String,
    /// Lower line: ∂output/∂(this use of the value), if backward has run. For a value
    /// used twice there are two arrows, and the value's gradient is their sum.
    pub(super) grad: Option<String>,
}

/// The nodes and arrows to draw. Node `i` of the graph is shape `i`; each final value
/// (an operation nobody uses) gets one more box at the end of its outgoing arrow.
pub(super) struct Picture {
    pub(super) shapes: Vec<Shape>,
    pub(super) edges: Vec<Edge>,
}

impl Picture {
    /// Collects what to draw from `graph`.
    pub(super) fn of(graph: &Graph) -> Self {
        let nodes = graph.nodes.borrow();
        let backward_ran = graph.output.get().is_some();
        let mut shapes: Vec<Shape> = nodes
            .iter()
            .map(|node| match node.op {
                Op::Variable => Shape::Box(node.name.clone().unwrap_or_default()),
                op => Shape::Circle(op.symbol()),
            })
            .collect();
        let mut edges = Vec::new();
        let mut used = vec![false; nodes.len()];
        for (to, consumer) in nodes.iter().enumerate() {
            for &(from, local) in &consumer.inputs {
                used[from] = true;
                let input = &nodes[from];
                // A variable's name is in its box; an intermediate's label goes here.
                let value = match &input.name {
                    Some(name) if input.op != Op::Variable => {
                        format!("{name} = {}", Rounded(input.value))
                    }
                    _ => Rounded(input.value).to_string(),
                };
                edges.push(Edge {
                    from,
                    to,
                    value,
                    grad: backward_ran.then(|| Rounded(consumer.grad * local).to_string()),
                });
            }
        }
        for (from, node) in nodes.iter().enumerate() {
            if used[from] || node.op == Op::Variable {
                continue;
            }
            shapes.push(Shape::Box(
                node.name.clone().unwrap_or_else(|| "out".to_owned()),
            ));
            edges.push(Edge {
                from,
                to: shapes.len() - 1,
                value: Rounded(node.value).to_string(),
                grad: backward_ran.then(|| Rounded(node.grad).to_string()),
            });
        }
        Picture { shapes, edges }
    }
}

impl Graph {
    /// Writes [`to_dot`](Self::to_dot) to `path`. The error names the path.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// g.backward(x.square());
    /// let path = std::env::temp_dir().join("backprop_doc_write_dot.dot");
    /// g.write_dot(&path)?;
    /// assert!(std::fs::read_to_string(&path)?.contains("digraph"));
    /// # std::io::Result::Ok(())
    /// ```
    pub fn write_dot(&self, path: impl AsRef<Path>) -> io::Result<()> {
        write(path.as_ref(), &self.to_dot())
    }

    /// Writes [`to_svg`](Self::to_svg) to `path`. The error names the path.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// g.backward(x.square());
    /// let path = std::env::temp_dir().join("backprop_doc_write_svg.svg");
    /// g.write_svg(&path)?;
    /// assert!(std::fs::read_to_string(&path)?.contains("<svg"));
    /// # std::io::Result::Ok(())
    /// ```
    pub fn write_svg(&self, path: impl AsRef<Path>) -> io::Result<()> {
        write(path.as_ref(), &self.to_svg())
    }

    /// Writes `dir/name.dot` and `dir/name.svg`, creating `dir` if it is missing, and
    /// returns their paths (DOT first). The error names the path it failed on.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// let y = g.var("y", 4.0);
    /// g.backward(x * y);
    /// let dir = std::env::temp_dir().join("backprop_doc_pictures");
    /// let [dot, svg] = g.write_pictures(&dir, "xy")?;
    /// assert_eq!(dot, dir.join("xy.dot"));
    /// assert!(svg.exists());
    /// # std::io::Result::Ok(())
    /// ```
    pub fn write_pictures(&self, dir: impl AsRef<Path>, name: &str) -> io::Result<[PathBuf; 2]> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir).map_err(|e| with_path(e, "create directory", dir))?;
        let dot = dir.join(format!("{name}.dot"));
        let svg = dir.join(format!("{name}.svg"));
        self.write_dot(&dot)?;
        self.write_svg(&svg)?;
        Ok([dot, svg])
    }
}

fn write(path: &Path, text: &str) -> io::Result<()> {
    fs::write(path, text).map_err(|e| with_path(e, "write", path))
}

/// Keeps the error's kind and says what failed on which path.
fn with_path(error: io::Error, what: &str, path: &Path) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("cannot {what} {}: {error}", path.display()),
    )
}
