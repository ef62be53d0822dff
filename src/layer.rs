//! The [`Layer`] trait, and networks as tuples of layers.
//!
//! A layer turns an input batch into an output batch (`forward`), and an upstream
//! gradient ∂L/∂out into the downstream one ∂L/∂in (`backward`), keeping the gradients
//! of its own parameters. The batch size is part of the input *type*
//! (`Matrix<N, 784>`), so one network trains on batches of 100 and predicts on one
//! image or ten thousand.
//!
//! A tuple of layers is a layer: `(Affine<784, 50>, Relu, Affine<50, 10>)` runs its
//! members left to right in `forward` and right to left in `backward`, the chain rule
//! of section 5.2 applied layer by layer.

use crate::summary::SummaryRow;

/// A layer of a network: forward computes and caches, backward applies the chain rule.
///
/// `In` is the input type, typically `Matrix<N, I, T>`; the layer's output type
/// `Out` is fixed by the input type.
///
/// The returned references point into buffers the layer owns and reuses, so a
/// training step allocates nothing once the first batch has gone through.
///
/// ```
/// use backprop::{Layer, Matrix, Relu};
/// let mut relu = Relu::new();
/// let y = relu.forward(&Matrix::new([[1.0, -2.0]]));
/// assert_eq!(y.as_slice(), &[1.0, 0.0]);
/// let dx = relu.backward(&Matrix::new([[5.0, 5.0]]));
/// assert_eq!(dx.as_slice(), &[5.0, 0.0]);
/// ```
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot take `{In}` as its input",
    label = "this layer's input width differs from what the previous layer (or the data) gives",
    note = "in a network `(A, B, C)` each layer's output width must equal the next layer's input width: `Affine<I, O>` takes `Matrix<N, I>` and gives `Matrix<N, O>`"
)]
pub trait Layer<In> {
    /// The output type, e.g. `Matrix<N, O>` for `Affine<I, O>` on `Matrix<N, I>`.
    type Out;

    /// Computes the output of a batch and keeps what `backward` will need.
    fn forward(&mut self, x: &In) -> &Self::Out;

    /// Turns ∂L/∂out into ∂L/∂in and stores the gradients of the layer's parameters.
    ///
    /// # Panics
    /// If no forward pass of the same batch size came before it.
    fn backward(&mut self, dout: &Self::Out) -> &In;

    /// Like [`backward`](Layer::backward), but skips ∂L/∂in: for the first layer of a
    /// network, whose input is data and needs no gradient (in the book's net that
    /// saves a (100×50)·(50×784) product per step).
    fn backward_params(&mut self, dout: &Self::Out) {
        self.backward(dout);
    }

    /// Like [`forward`](Layer::forward), but a layer that would copy its input for
    /// `backward` (`Affine`, for `dW = Xᵀ·dY`) does not: the caller keeps `x` and
    /// hands it back to [`backward_params_borrowed`](Layer::backward_params_borrowed).
    /// In a network only the first layer borrows; the others keep what they need as
    /// in `forward`. Prediction and training use it: it saves copying the batch
    /// (in the book's net 100×784 numbers a step).
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix};
    /// let mut affine = Affine::new(Matrix::new([[2.0], [3.0]]), Matrix::new([[1.0]]));
    /// let x = Matrix::new([[1.0, 1.0]]);
    /// assert_eq!(affine.forward_borrowed(&x).as_slice(), &[6.0]); // 1·2 + 1·3 + 1
    /// affine.backward_params_borrowed(&x, &Matrix::new([[1.0]]));
    /// assert_eq!(affine.dw().as_slice(), &[1.0, 1.0]); // dW = Xᵀ·dY
    /// ```
    fn forward_borrowed(&mut self, x: &In) -> &Self::Out {
        self.forward(x)
    }

    /// [`backward_params`](Layer::backward_params) after
    /// [`forward_borrowed`](Layer::forward_borrowed), given the same input `x` again:
    /// `dW = Xᵀ·dY` is formed from this `x`, so another matrix gives another (wrong)
    /// gradient. A layer that overrides one of the two borrowed methods must override
    /// both; the defaults fall back to `forward` and `backward_params`.
    ///
    /// # Panics
    /// If no forward pass of the same batch size came before it.
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix, Relu};
    /// let mut net = (Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::new([[0.0, 0.0]])), Relu::new());
    /// let x = Matrix::new([[2.0], [3.0]]);
    /// assert_eq!(net.forward_borrowed(&x).as_slice(), &[2.0, 0.0, 3.0, 0.0]);
    /// net.backward_params_borrowed(&x, &Matrix::new([[1.0, 1.0], [1.0, 1.0]]));
    /// // Relu passes the gradient where the output was positive: dW = Xᵀ·dY = [[5, 0]].
    /// assert_eq!(net.0.dw().as_slice(), &[5.0, 0.0]);
    /// assert_eq!(net.0.db().as_slice(), &[2.0, 0.0]);
    /// ```
    fn backward_params_borrowed(&mut self, x: &In, dout: &Self::Out) {
        let _ = x;
        self.backward_params(dout);
    }

    /// Appends one row per layer (its name, output shape for this input, parameter
    /// count) to a network summary.
    fn summarize(&self, rows: &mut Vec<SummaryRow>);
}

// The where-clause names each layer's input as the previous layer's output,
// `B: Layer<A::Out>`: one flat bound a layer, so a width mismatch is reported once,
// on the layer that cannot take its neighbour's output.
macro_rules! tuple_layer {
    ($($L:ident $idx:tt),+; where $($bound:tt)+) => {
        tuple_layer!(@impl [$($L $idx),+] [$($bound)+]);
    };
    (@impl [$($L:ident $idx:tt),+] [$($bound:tt)+]) => {
        /// A network: its layers run left to right in `forward`, right to left in
        /// `backward` (the chain rule).
        impl<X, $($L),+> Layer<X> for ($($L,)+)
        where
            $($bound)+
        {
            type Out = tuple_layer!(@last_out $($L)+);

            fn forward(&mut self, x: &X) -> &Self::Out {
                $(let x = self.$idx.forward(x);)+
                x
            }

            fn backward(&mut self, dout: &Self::Out) -> &X {
                tuple_layer!(@backward self, dout; $($idx)+)
            }

            fn backward_params(&mut self, dout: &Self::Out) {
                tuple_layer!(@backward_params self, dout; $($idx)+)
            }

            fn forward_borrowed(&mut self, x: &X) -> &Self::Out {
                tuple_layer!(@forward_borrowed self, x; $($idx)+)
            }

            fn backward_params_borrowed(&mut self, x: &X, dout: &Self::Out) {
                tuple_layer!(@backward_params_borrowed self, x, dout; $($idx)+)
            }

            fn summarize(&self, rows: &mut Vec<SummaryRow>) {
                $(self.$idx.summarize(rows);)+
            }
        }
    };
    (@last_out $L:ident) => { $L::Out };
    (@last_out $L:ident $($rest:ident)+) => { tuple_layer!(@last_out $($rest)+) };
    // Backward visits the layers right to left: recurse to the last index first.
    (@backward $s:ident, $d:expr; $idx:tt) => { $s.$idx.backward($d) };
    (@backward $s:ident, $d:expr; $idx:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@backward $s, $d; $($rest)+);
        $s.$idx.backward(d)
    }};
    (@forward_borrowed $s:ident, $x:expr; $first:tt $($rest:tt)*) => {{
        let x = $s.$first.forward_borrowed($x);
        $(let x = $s.$rest.forward(x);)*
        x
    }};
    (@backward_params_borrowed $s:ident, $x:expr, $d:expr; $idx:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@backward $s, $d; $($rest)+);
        $s.$idx.backward_params_borrowed($x, d)
    }};
    (@backward_params $s:ident, $d:expr; $idx:tt) => { $s.$idx.backward_params($d) };
    (@backward_params $s:ident, $d:expr; $idx:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@backward $s, $d; $($rest)+);
        $s.$idx.backward_params(d)
    }};
}

/// A one-layer network is its layer.
impl<X, A: Layer<X>> Layer<X> for (A,) {
    type Out = A::Out;

    fn forward(&mut self, x: &X) -> &Self::Out {
        self.0.forward(x)
    }

    fn backward(&mut self, dout: &Self::Out) -> &X {
        self.0.backward(dout)
    }

    fn backward_params(&mut self, dout: &Self::Out) {
        self.0.backward_params(dout)
    }

    fn forward_borrowed(&mut self, x: &X) -> &Self::Out {
        self.0.forward_borrowed(x)
    }

    fn backward_params_borrowed(&mut self, x: &X, dout: &Self::Out) {
        self.0.backward_params_borrowed(x, dout)
    }

    fn summarize(&self, rows: &mut Vec<SummaryRow>) {
        self.0.summarize(rows)
    }
}

tuple_layer!(A 0, B 1; where A: Layer<X>, B: Layer<A::Out>,);
tuple_layer!(A 0, B 1, C 2; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5, G 6; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>, G: Layer<F::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>, G: Layer<F::Out>, H: Layer<G::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>, G: Layer<F::Out>, H: Layer<G::Out>, I: Layer<H::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>, G: Layer<F::Out>, H: Layer<G::Out>, I: Layer<H::Out>, J: Layer<I::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>, G: Layer<F::Out>, H: Layer<G::Out>, I: Layer<H::Out>, J: Layer<I::Out>, K: Layer<J::Out>,);
tuple_layer!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11; where A: Layer<X>, B: Layer<A::Out>, C: Layer<B::Out>, D: Layer<C::Out>, E: Layer<D::Out>, F: Layer<E::Out>, G: Layer<F::Out>, H: Layer<G::Out>, I: Layer<H::Out>, J: Layer<I::Out>, K: Layer<J::Out>, L: Layer<K::Out>,);
