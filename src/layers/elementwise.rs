//! The plumbing every element-wise activation shares: its buffers, the loop of the
//! forward pass and the loop of the backward pass.

use crate::{Cache, Float, Matrix};

/// The machinery of an element-wise activation layer, `y = f(x)` element by element,
/// so that a new activation is its two formulas and a few lines of glue. `Relu` and
/// `Sigmoid` are built on it, and so can a layer of yours be (the `custom_layer`
/// example writes `Tanh` this way):
///
/// ```text
/// forward:  y_k = f(x_k)                         into the output buffer, kept for backward
/// backward: ∂L/∂x_k = g(x_k, y_k, ∂L/∂y_k)        usually ∂L/∂y_k · f′(x_k), written with y_k when cheaper
/// ```
///
/// It keeps the output and the input-gradient buffers of the last two batch sizes
/// (a [`Cache`]), and is named after its layer in panic messages.
///
/// ```
/// use backprop::{Elementwise, Matrix};
/// let mut square = Elementwise::new("Square");
/// let x = Matrix::new([[3.0_f64, -2.0]]);
/// assert_eq!(square.forward(&x, |v| v * v).as_slice(), &[9.0, 4.0]);
/// // ∂L/∂x = ∂L/∂y · 2x
/// let dx = square.backward(&x, &Matrix::new([[1.0, 0.5]]), |x, _y, g| g * 2.0 * x);
/// assert_eq!(dx.as_slice(), &[6.0, -2.0]);
/// ```
#[derive(Debug, Clone)]
pub struct Elementwise {
    name: &'static str,
    cache: Cache,
}

struct Buffers<const N: usize, const C: usize, T> {
    out: Matrix<N, C, T>,
    dx: Matrix<N, C, T>,
}

impl Elementwise {
    /// The machinery for the layer called `name` (in panic messages).
    ///
    /// ```
    /// let relu_like = backprop::Elementwise::new("MyRelu");
    /// assert_eq!(relu_like.layer_name(), "MyRelu");
    /// ```
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            cache: Cache::new(),
        }
    }

    /// The name given to [`new`](Elementwise::new).
    ///
    /// ```
    /// assert_eq!(backprop::Elementwise::new("Tanh").layer_name(), "Tanh");
    /// ```
    pub fn layer_name(&self) -> &'static str {
        self.name
    }

    /// `y_k = f(x_k)` for every element, into the output buffer.
    ///
    /// ```
    /// use backprop::{Elementwise, Matrix};
    /// let y = Elementwise::new("Double").forward(&Matrix::new([[1.5_f32]]), |v| 2.0 * v).clone();
    /// assert_eq!(y[(0, 0)], 3.0);
    /// ```
    pub fn forward<const N: usize, const C: usize, T: Float>(
        &mut self,
        x: &Matrix<N, C, T>,
        f: impl Fn(T) -> T,
    ) -> &Matrix<N, C, T> {
        let buf = self.cache.for_forward(|| Buffers {
            out: Matrix::zeros(),
            dx: Matrix::zeros(),
        });
        for (y, &v) in buf.out.as_mut_slice().iter_mut().zip(x.as_slice()) {
            *y = f(v);
        }
        &buf.out
    }

    /// The output of the last forward pass.
    ///
    /// # Panics
    /// If the last forward pass had another batch size, or there was none.
    ///
    /// ```
    /// use backprop::{Elementwise, Matrix};
    /// let mut layer = Elementwise::new("Neg");
    /// layer.forward(&Matrix::new([[2.0_f64]]), |v| -v);
    /// assert_eq!(layer.output::<1, 1, f64>()[(0, 0)], -2.0);
    /// ```
    pub fn output<const N: usize, const C: usize, T: Float>(&self) -> &Matrix<N, C, T> {
        &self.cache.last::<Buffers<N, C, T>>(&self.name).out
    }

    /// `∂L/∂x_k = g(x_k, y_k, ∂L/∂y_k)` for every element, with `x` the input of the
    /// last forward pass and `y` its output.
    ///
    /// # Panics
    /// If the last forward pass had another batch size, or there was none.
    ///
    /// ```
    /// use backprop::{Elementwise, Matrix};
    /// let mut exp = Elementwise::new("Exp");
    /// let x = Matrix::new([[0.0_f64]]);
    /// exp.forward(&x, f64::exp);
    /// assert_eq!(exp.backward(&x, &Matrix::new([[3.0]]), |_x, y, g| g * y)[(0, 0)], 3.0); // (eˣ)′ = eˣ = y
    /// ```
    pub fn backward<const N: usize, const C: usize, T: Float>(
        &mut self,
        x: &Matrix<N, C, T>,
        dout: &Matrix<N, C, T>,
        g: impl Fn(T, T, T) -> T,
    ) -> &Matrix<N, C, T> {
        let buf: &mut Buffers<N, C, T> = self.cache.for_backward(&self.name);
        let inputs = x
            .as_slice()
            .iter()
            .zip(buf.out.as_slice())
            .zip(dout.as_slice());
        for (d, ((&x, &y), &dy)) in buf.dx.as_mut_slice().iter_mut().zip(inputs) {
            *d = g(x, y, dy);
        }
        &buf.dx
    }
}
