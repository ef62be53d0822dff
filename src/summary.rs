//! A network summary: one row a layer with its output shape and parameter count, like
//! Keras's `model.summary()`.

use std::fmt;

/// One layer's row in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// Where the layer sits in the network: `"0"`, `"1"`, … (`"1.0"` inside a nested
    /// tuple), the prefix of its parameters' names (`0.w`).
    pub position: String,
    /// The layer's name with its shape parameters, e.g. `Affine<784, 50>`.
    pub layer: String,
    /// The shape of the layer's output for the summarized batch size, as a batch of
    /// samples: `(N, values per sample)`.
    pub output: (usize, usize),
    /// Every dimension of the output: `[N, O]` for a matrix, `[N, C, H, W]` for images.
    pub dims: Vec<usize>,
    /// How many trainable numbers the layer has (`I·O + O` for an Affine), counted
    /// by the parameter visitor.
    pub params: usize,
    /// How many numbers of state it keeps besides them (batch norm's running mean and
    /// variance, `2·C`), counted by [`Params::inspect_state`](crate::Params::inspect_state).
    pub state: usize,
}

/// A table of a network's layers, built by [`Network::summary`](crate::Network::summary).
///
/// ```
/// use backprop::{Affine, Matrix, Network, Relu};
/// let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<50, 10>::zeros());
/// let summary = net.summary::<Matrix<100, 784>>();
/// assert_eq!(summary.total_params(), 784 * 50 + 50 + 50 * 10 + 10);
/// println!("{summary}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The layers, input to output.
    pub rows: Vec<SummaryRow>,
}

impl Summary {
    /// The sum of all layers' parameter counts.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network};
    /// let net = (Affine::<2, 3>::zeros(),);
    /// assert_eq!(net.summary::<Matrix<1, 2>>().total_params(), 9);
    /// ```
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|r| r.params).sum()
    }
}

/// An aligned table:
///
/// ```text
/// #  layer            output     params
/// 0  Affine<784, 50>  (100, 50)  39250
/// ...
/// total                          39760
/// ```
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shapes: Vec<String> = self
            .rows
            .iter()
            .map(|r| {
                let dims: Vec<String> = r.dims.iter().map(usize::to_string).collect();
                format!("({})", dims.join(", "))
            })
            .collect();
        let total = self.total_params().to_string();
        let w_idx = self
            .rows
            .iter()
            .map(|r| r.position.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let w_layer = self
            .rows
            .iter()
            .map(|r| r.layer.len())
            .max()
            .unwrap_or(0)
            .max(5);
        let w_out = shapes.iter().map(String::len).max().unwrap_or(0).max(6);
        let w_par = self
            .rows
            .iter()
            .map(|r| r.params.to_string().len())
            .max()
            .unwrap_or(0)
            .max(total.len())
            .max(6);
        // A state column only for networks that keep state (batch norm).
        let state = |n: usize| {
            if self.rows.iter().any(|r| r.state > 0) {
                format!("  {n:>5}")
            } else {
                String::new()
            }
        };
        let state_total = state(self.rows.iter().map(|r| r.state).sum());
        let state_head = if state_total.is_empty() {
            ""
        } else {
            "  state"
        };
        writeln!(
            f,
            "{:<w_idx$}  {:<w_layer$}  {:<w_out$}  {:>w_par$}{state_head}",
            "#", "layer", "output", "params"
        )?;
        for (row, shape) in self.rows.iter().zip(&shapes) {
            writeln!(
                f,
                "{:<w_idx$}  {:<w_layer$}  {shape:<w_out$}  {:>w_par$}{}",
                row.position,
                row.layer,
                row.params,
                state(row.state)
            )?;
        }
        let w_label = w_idx + 2 + w_layer + 2 + w_out;
        write!(f, "{:<w_label$}  {total:>w_par$}{state_total}", "total")
    }
}
