//! The book's two simple layers on scalars (section 5.4): each keeps exactly what its
//! backward needs, and backward turns the upstream gradient `dout` into one gradient
//! per input.

/// Multiplication node `z = x·y` (the book's `MulLayer`).
///
/// Local derivatives: ∂z/∂x = y and ∂z/∂y = x, so backward multiplies `dout` by the
/// *other* input: it returns `(dout·y, dout·x)`. That is why forward caches both inputs.
///
/// ```
/// use backprop::graph::MulLayer;
/// let mut mul = MulLayer::new();
/// assert_eq!(mul.forward(100.0, 2.0), 200.0);
/// assert_eq!(mul.backward(1.0), (2.0, 100.0));
/// ```
#[derive(Debug, Clone, Default)]
pub struct MulLayer {
    /// The inputs `(x, y)` of the last forward; `None` before the first one.
    inputs: Option<(f64, f64)>,
}

impl MulLayer {
    /// A layer that has not seen an input yet: its backward refuses until a forward
    /// pass has given it the inputs it multiplies by.
    ///
    /// ```should_panic
    /// let mul = backprop::graph::MulLayer::new();
    /// mul.backward(1.0); // panics: no forward pass yet
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `z = x·y`, remembering `x` and `y` for backward.
    ///
    /// ```
    /// let mut mul = backprop::graph::MulLayer::new();
    /// assert_eq!(mul.forward(3.0, 4.0), 12.0);
    /// ```
    pub fn forward(&mut self, x: f64, y: f64) -> f64 {
        self.inputs = Some((x, y));
        x * y
    }

    /// `(dx, dy) = (dout·y, dout·x)`: the inputs swapped, scaled by the upstream gradient.
    ///
    /// # Panics
    /// If called before any [`forward`](Self::forward): there are no inputs to swap.
    ///
    /// ```
    /// let mut mul = backprop::graph::MulLayer::new();
    /// mul.forward(3.0, 4.0);
    /// assert_eq!(mul.backward(2.0), (8.0, 6.0));
    /// ```
    pub fn backward(&self, dout: f64) -> (f64, f64) {
        let (x, y) = self
            .inputs
            .expect("MulLayer::backward called before forward: no cached inputs");
        (dout * y, dout * x)
    }
}

/// Addition node `z = x + y` (the book's `AddLayer`).
///
/// Local derivatives: ∂z/∂x = ∂z/∂y = 1, so backward passes `dout` on to both inputs
/// unchanged, and forward needs to remember nothing.
///
/// ```
/// use backprop::graph::AddLayer;
/// let mut add = AddLayer::new();
/// assert_eq!(add.forward(200.0, 450.0), 650.0);
/// assert_eq!(add.backward(1.1), (1.1, 1.1));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct AddLayer;

impl AddLayer {
    /// An addition layer (it has no state: its backward passes the gradient through
    /// to both inputs, whatever came before).
    ///
    /// ```
    /// let add = backprop::graph::AddLayer::new();
    /// assert_eq!(add.backward(2.5), (2.5, 2.5));
    /// ```
    pub fn new() -> Self {
        Self
    }

    /// `z = x + y`.
    ///
    /// ```
    /// let mut add = backprop::graph::AddLayer::new();
    /// assert_eq!(add.forward(1.5, 2.0), 3.5);
    /// ```
    pub fn forward(&mut self, x: f64, y: f64) -> f64 {
        x + y
    }

    /// `(dx, dy) = (dout, dout)`.
    ///
    /// ```
    /// let add = backprop::graph::AddLayer::new();
    /// assert_eq!(add.backward(0.5), (0.5, 0.5));
    /// ```
    pub fn backward(&self, dout: f64) -> (f64, f64) {
        (dout, dout)
    }
}
