//! A scalar computational graph that records itself (sections 5.1–5.3).
//!
//! Every `+`, `×` or power on a [`Var`] appends one node to its [`Graph`], computes the
//! node's value (forward) and the local derivative of the node with respect to each of
//! its inputs. [`Graph::backward`] then only multiplies and adds: the chain rule,
//! ∂out/∂input = Σ over consumers ∂out/∂consumer · ∂consumer/∂input.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::ops::{Add, Mul};

/// What made a node.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Op {
    /// A named input, made by [`Graph::var`].
    Variable,
    /// `x + y`.
    Add,
    /// `x · y`.
    Mul,
    /// `xⁿ`.
    Powi(i32),
}

impl Op {
    /// The symbol drawn in the node's circle, as in the book's figures: ×, +, **2.
    pub(super) fn symbol(self) -> String {
        match self {
            Op::Variable => String::new(),
            Op::Add => "+".to_owned(),
            Op::Mul => "×".to_owned(),
            // As in the book's figure 5-7; a superscript ² is too small to read there.
            Op::Powi(n) => format!("**{n}"),
        }
    }
}

/// One value in the graph.
#[derive(Debug, Clone)]
pub(super) struct Node {
    pub(super) op: Op,
    /// The variable's name, or an optional label on an intermediate value.
    pub(super) name: Option<String>,
    /// Forward value, computed when the node is built.
    pub(super) value: f64,
    /// ∂output/∂self after [`Graph::backward`].
    pub(super) grad: f64,
    /// Each input's index with the local derivative ∂self/∂input, computed on build.
    /// An input used twice (as in `x·x`) appears twice.
    pub(super) inputs: Vec<(usize, f64)>,
}

/// A scalar computational graph: values are computed as the expression is built, and
/// [`backward`](Graph::backward) fills in every gradient.
///
/// For `price = apple · apple_num · tax` (the book's figure 5-14):
///
/// ```
/// use backprop::graph::Graph;
/// use approx::assert_relative_eq;
/// let g = Graph::new();
/// let apple = g.var("apple", 100.0);
/// let apple_num = g.var("apple_num", 2.0);
/// let tax = g.var("tax", 1.1);
/// let price = (apple * apple_num * tax).named("price");
/// assert_relative_eq!(g.value(price), 220.0, max_relative = 1e-12);
/// g.backward(price);
/// assert_relative_eq!(g.grad(apple), 2.2, max_relative = 1e-12);
/// assert_relative_eq!(g.grad(apple_num), 110.0, max_relative = 1e-12);
/// assert_relative_eq!(g.grad(tax), 200.0, max_relative = 1e-12);
/// ```
#[derive(Debug, Default)]
pub struct Graph {
    /// In build order. A node can only be built from nodes that already exist, so this
    /// order is a topological order of the graph.
    pub(super) nodes: RefCell<Vec<Node>>,
    /// The node the last backward started from; `None` before backward or once the
    /// graph has grown since, when the stored gradients no longer describe it.
    pub(super) output: Cell<Option<usize>>,
}

/// A handle to one value of a [`Graph`]: small and `Copy`, so expressions read like
/// the math (`(x + y).square()`, `apple * apple_num`).
///
/// ```
/// use backprop::graph::Graph;
/// let g = Graph::new();
/// let x = g.var("x", 3.0);
/// let y = g.var("y", 4.0);
/// let z = x * y + x;
/// assert_eq!(g.value(z), 15.0);
/// ```
#[derive(Clone, Copy)]
pub struct Var<'g> {
    graph: &'g Graph,
    index: usize,
}

impl Graph {
    /// An empty graph.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// assert!(g.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A named input variable holding `value`.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let tax = g.var("tax", 1.1);
    /// assert_eq!(g.value(tax), 1.1);
    /// ```
    pub fn var(&self, name: &str, value: f64) -> Var<'_> {
        self.push(Node {
            op: Op::Variable,
            name: Some(name.to_owned()),
            value,
            grad: 0.0,
            inputs: Vec::new(),
        })
    }

    /// The number of nodes (variables and operations).
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 2.0);
    /// let _z = x * x;
    /// assert_eq!(g.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// Whether the graph has no node yet.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// assert!(g.is_empty());
    /// g.var("x", 1.0);
    /// assert!(!g.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.nodes.borrow().is_empty()
    }

    /// The forward value of `v`, computed when `v` was built.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// assert_eq!(g.value(x.square()), 9.0);
    /// ```
    pub fn value(&self, v: Var<'_>) -> f64 {
        self.nodes.borrow()[self.own(v)].value
    }

    /// ∂output/∂v for the `output` of the last [`backward`](Self::backward) (0 before
    /// any backward, and for values the output does not depend on).
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// let y = g.var("y", 5.0);
    /// let z = x * y;
    /// g.backward(z);
    /// assert_eq!((g.grad(x), g.grad(y)), (5.0, 3.0));
    /// ```
    pub fn grad(&self, v: Var<'_>) -> f64 {
        self.nodes.borrow()[self.own(v)].grad
    }

    /// Backpropagation from `output`: sets ∂output/∂output = 1 and walks the nodes in
    /// reverse topological order, each node adding `its gradient × local derivative` to
    /// each of its inputs. A value used several times therefore *accumulates* one
    /// contribution per use: for z = x·x, ∂z/∂x = x + x = 2x.
    ///
    /// Gradients from an earlier backward are cleared first, so calling it again gives
    /// the same result.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// let z = x * x;
    /// g.backward(z);
    /// assert_eq!(g.grad(x), 6.0);
    /// g.backward(x + x);
    /// assert_eq!(g.grad(x), 2.0);
    /// ```
    pub fn backward(&self, output: Var<'_>) {
        let out = self.own(output);
        let mut nodes = self.nodes.borrow_mut();
        for node in nodes.iter_mut() {
            node.grad = 0.0;
        }
        nodes[out].grad = 1.0;
        // Build order is topological (see `nodes`), so walking it backwards reaches a
        // node only after every node that consumes it has passed its gradient on.
        for consumer in (0..=out).rev() {
            let grad = nodes[consumer].grad;
            for k in 0..nodes[consumer].inputs.len() {
                let (input, local) = nodes[consumer].inputs[k];
                nodes[input].grad += grad * local;
            }
        }
        self.output.set(Some(out));
    }

    /// Appends a node and returns its handle.
    fn push(&self, node: Node) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        self.output.set(None);
        Var {
            graph: self,
            index: nodes.len() - 1,
        }
    }

    /// The index of `v`, checking that `v` belongs to this graph.
    fn own(&self, v: Var<'_>) -> usize {
        assert!(
            std::ptr::eq(self, v.graph),
            "graph: variable #{} belongs to another Graph",
            v.index
        );
        v.index
    }

    /// A new node `op(inputs)` whose value and local derivatives are already known.
    fn op<'g>(&'g self, op: Op, value: f64, inputs: Vec<(Var<'_>, f64)>) -> Var<'g> {
        let inputs = inputs.into_iter().map(|(v, d)| (self.own(v), d)).collect();
        self.push(Node {
            op,
            name: None,
            value,
            grad: 0.0,
            inputs,
        })
    }
}

impl<'g> Var<'g> {
    /// Gives this value a label, drawn in the graph's picture (for an intermediate
    /// value, on its outgoing edge; for the output, as the box at the end).
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let apple = g.var("apple", 100.0);
    /// let n = g.var("apple_num", 2.0);
    /// let apple_price = (apple * n).named("apple_price");
    /// assert!(g.to_dot().contains("apple_price"));
    /// # let _ = apple_price;
    /// ```
    pub fn named(self, name: &str) -> Self {
        self.graph.nodes.borrow_mut()[self.index].name = Some(name.to_owned());
        self
    }

    /// `xⁿ`, with local derivative ∂xⁿ/∂x = n·xⁿ⁻¹.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 2.0);
    /// let z = x.powi(3);
    /// g.backward(z);
    /// assert_eq!((g.value(z), g.grad(x)), (8.0, 12.0));
    /// ```
    pub fn powi(self, n: i32) -> Self {
        let x = self.graph.value(self);
        // n = 0 is the constant 1, whose derivative is 0 even at x = 0 (where 0·x⁻¹ is NaN).
        let local = if n == 0 {
            0.0
        } else {
            f64::from(n) * x.powi(n - 1)
        };
        self.graph.op(Op::Powi(n), x.powi(n), vec![(self, local)])
    }

    /// `x²`, with local derivative ∂x²/∂x = 2x.
    ///
    /// ```
    /// let g = backprop::graph::Graph::new();
    /// let x = g.var("x", 3.0);
    /// let z = x.square();
    /// g.backward(z);
    /// assert_eq!((g.value(z), g.grad(x)), (9.0, 6.0));
    /// ```
    pub fn square(self) -> Self {
        self.powi(2)
    }
}

/// `x + y`, with local derivatives ∂z/∂x = ∂z/∂y = 1.
///
/// ```
/// let g = backprop::graph::Graph::new();
/// let (x, y) = (g.var("x", 1.0), g.var("y", 2.0));
/// let z = x + y;
/// g.backward(z);
/// assert_eq!((g.value(z), g.grad(x), g.grad(y)), (3.0, 1.0, 1.0));
/// ```
impl<'g> Add for Var<'g> {
    type Output = Var<'g>;

    fn add(self, rhs: Var<'g>) -> Var<'g> {
        let g = self.graph;
        g.op(
            Op::Add,
            g.value(self) + g.value(rhs),
            vec![(self, 1.0), (rhs, 1.0)],
        )
    }
}

/// `x · y`, with local derivatives ∂z/∂x = y and ∂z/∂y = x.
///
/// ```
/// let g = backprop::graph::Graph::new();
/// let (x, y) = (g.var("x", 3.0), g.var("y", 5.0));
/// let z = x * y;
/// g.backward(z);
/// assert_eq!((g.value(z), g.grad(x), g.grad(y)), (15.0, 5.0, 3.0));
/// ```
impl<'g> Mul for Var<'g> {
    type Output = Var<'g>;

    fn mul(self, rhs: Var<'g>) -> Var<'g> {
        let g = self.graph;
        let (x, y) = (g.value(self), g.value(rhs));
        g.op(Op::Mul, x * y, vec![(self, y), (rhs, x)])
    }
}

/// Shows the node number, its label if any and its value.
///
/// ```
/// let g = backprop::graph::Graph::new();
/// let x = g.var("x", 2.5);
/// assert_eq!(format!("{x:?}"), r#"Var { index: 0, name: Some("x"), value: 2.5 }"#);
/// ```
impl fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nodes = self.graph.nodes.borrow();
        let node = &nodes[self.index];
        f.debug_struct("Var")
            .field("index", &self.index)
            .field("name", &node.name)
            .field("value", &node.value)
            .finish()
    }
}
