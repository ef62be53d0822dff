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
//! of section 5.2 applied layer by layer; each member's backward is handed its own
//! input, which is the output its left neighbour kept.

use crate::summary::SummaryRow;
use crate::{Float, Matrix};

/// A type with a shape known at compile time: what a layer outputs. Implemented for
/// [`Matrix`]; a network summary reads each layer's output shape from it.
///
/// ```
/// use backprop::{Matrix, Shape};
/// assert_eq!(<Matrix<100, 50> as Shape>::SHAPE, (100, 50));
/// ```
pub trait Shape {
    /// The element type.
    type Elem: Float;
    /// `(rows, columns)`.
    const SHAPE: (usize, usize);
}

impl<const R: usize, const C: usize, T: Float> Shape for Matrix<R, C, T> {
    type Elem = T;
    const SHAPE: (usize, usize) = (R, C);
}

/// Training or inference: the one switch that layers which behave differently in the
/// two (chapter 6's `Dropout` and `BatchNorm`) receive through [`Layer::set_mode`].
///
/// The network methods set it, so that going through them a user cannot get it wrong:
/// [`Network::loss`](crate::Network::loss) and [`gradient`](crate::Network::gradient)
/// (and so the training loop and the gradient check) run in `Train`;
/// [`predict`](crate::Network::predict), [`accuracy`](crate::Network::accuracy),
/// [`correct`](crate::Network::correct) and the loop's evaluation run in `Infer`. A
/// layer that depends on the mode refuses a `backward` after an `Infer` forward pass
/// (it panics, naming itself), so a backward pass by hand after `predict` cannot go
/// through silently.
///
/// ```
/// use backprop::{Dropout, Layer, Matrix, Mode};
/// let mut dropout = Dropout::new(0.5, 7);
/// Layer::<Matrix<1, 4>>::set_mode(&mut dropout, Mode::Infer);
/// let y = dropout.forward(&Matrix::<1, 4>::filled(2.0));
/// assert_eq!(y.as_slice(), &[1.0; 4]); // every unit, scaled by 1 − 0.5
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Training: dropout draws a fresh mask, batch norm uses the batch's statistics
    /// and updates its running ones.
    #[default]
    Train,
    /// Inference: no dropout (the book's scaling instead), batch norm uses its running
    /// statistics.
    Infer,
}

/// What a layer is called in a network summary, and the mark of a layer: every layer
/// (and every tuple of layers) implements it, usually as an empty `impl`, whose default
/// name is the type's own without module paths (`Tanh`, `MyLayer<3>`).
///
/// ```
/// use backprop::{Affine, Named, Relu};
/// struct Tanh;
/// impl Named for Tanh {}
/// assert_eq!(Tanh.name(), "Tanh");
/// assert_eq!(Relu::new().name(), "Relu");
/// assert_eq!(Affine::<784, 50>::zeros().name(), "Affine<784, 50>");
/// ```
pub trait Named {
    /// The layer's name, e.g. `Affine<784, 50>`.
    fn name(&self) -> String {
        short_type_name(std::any::type_name::<Self>())
    }
}

/// `a::b::Affine<3, c::D>` → `Affine<3, D>`: every path segment dropped.
fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    for ch in full.chars() {
        if ch.is_alphanumeric() || ch == '_' || ch == ':' {
            word.push(ch);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or(""));
            word.clear();
            out.push(ch);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or(""));
    out
}

/// A layer of a network: forward computes, backward applies the chain rule.
///
/// `In` is the input type, typically `Matrix<N, I, T>`; the layer's output type
/// `Out` is fixed by the input type.
///
/// The contract, all of it checked by the types:
/// - `forward(x)` computes the output into a buffer the layer owns (so a training step
///   allocates nothing once the first batch has gone through) and keeps whatever else
///   its backward needs (ReLU keeps nothing: its input tells where it was positive;
///   Sigmoid reads its own output);
/// - `output()` is that buffer again, for the layer to its right;
/// - `backward(x, dout)` is given the same input `x` and ∂L/∂out, returns ∂L/∂in and
///   leaves the gradients of the layer's parameters beside them (`Affine` forms
///   `dW = Xᵀ·dY` from this `x`, so it never copies its input).
///
/// Backward after a forward of another batch size, or before any, is a broken
/// invariant: the layer panics and names itself.
///
/// ```
/// use backprop::{Layer, Matrix, Relu};
/// let mut relu = Relu::new();
/// let x = Matrix::new([[1.0, -2.0]]);
/// assert_eq!(relu.forward(&x).as_slice(), &[1.0, 0.0]);
/// let dx = relu.backward(&x, &Matrix::new([[5.0, 5.0]]));
/// assert_eq!(dx.as_slice(), &[5.0, 0.0]);
/// ```
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot take `{In}` as its input",
    label = "this layer's input width differs from what the previous layer (or the data) gives",
    note = "in a network `(A, B, C)` each layer's output width must equal the next layer's input width: `Affine<I, O>` takes `Matrix<N, I>` and gives `Matrix<N, O>`"
)]
pub trait Layer<In>: Named {
    /// The output type, e.g. `Matrix<N, O>` for `Affine<I, O>` on `Matrix<N, I>`.
    type Out: Shape;

    /// Computes the output of a batch and keeps what `backward` will need.
    fn forward(&mut self, x: &In) -> &Self::Out;

    /// The output of the last forward pass of this batch size.
    ///
    /// # Panics
    /// If there was none.
    ///
    /// ```
    /// use backprop::{Layer, Matrix, Relu};
    /// let mut relu = Relu::new();
    /// relu.forward(&Matrix::<1, 2>::new([[-1.0, 2.0]]));
    /// let y: &Matrix<1, 2> = relu.output();
    /// assert_eq!(y.as_slice(), &[0.0, 2.0]);
    /// ```
    fn output(&self) -> &Self::Out;

    /// Turns ∂L/∂out into ∂L/∂in for the input `x` of the last forward pass, and
    /// stores the gradients of the layer's parameters.
    ///
    /// # Panics
    /// If no forward pass of the same batch size came last.
    fn backward(&mut self, x: &In, dout: &Self::Out) -> &In;

    /// Like [`backward`](Layer::backward), but skips ∂L/∂in: for the first layer of a
    /// network, whose input is data and needs no gradient (in the book's net that
    /// saves a (100×50)·(50×784) product per step).
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix};
    /// let mut affine = Affine::new(Matrix::new([[2.0], [3.0]]), Matrix::new([[1.0]]));
    /// let x = Matrix::new([[1.0, 1.0]]);
    /// assert_eq!(affine.forward(&x).as_slice(), &[6.0]); // 1·2 + 1·3 + 1
    /// affine.backward_params(&x, &Matrix::new([[1.0]]));
    /// assert_eq!(affine.dw().as_slice(), &[1.0, 1.0]); // dW = Xᵀ·dY
    /// ```
    fn backward_params(&mut self, x: &In, dout: &Self::Out) {
        self.backward(x, dout);
    }

    /// Switches the layer between training and inference ([`Mode`]); the default
    /// ignores it, as every layer that behaves the same in both does. A tuple passes
    /// it to each member.
    fn set_mode(&mut self, mode: Mode) {
        let _ = mode;
    }

    /// Sets the weight decay λ of section 6.4.2 on every layer that has weights
    /// (`Affine`'s `w`, not its bias): the loss gains `½λ·ΣW²` ([`penalty`](Layer::penalty),
    /// which [`Network::loss`](crate::Network::loss) and
    /// [`gradient`](crate::Network::gradient) add) and each `dW` gains `λW` in backward,
    /// so every optimizer and the gradient check see it. Layers without weights ignore
    /// it; a tuple passes it to each member.
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix, Network, Relu, SoftmaxWithLoss};
    /// let mut net = (Affine::<2, 2, f64>::new(Matrix::new([[1.0, 0.0], [0.0, 2.0]]), Matrix::zeros()), Relu::new());
    /// Layer::<Matrix<1, 2, f64>>::set_weight_decay(&mut net, 0.1);
    /// assert_eq!(Layer::<Matrix<1, 2, f64>>::penalty(&net), 0.25); // ½ · 0.1 · (1 + 4)
    /// let x = Matrix::new([[0.0, 0.0]]); // no data gradient: dW is λW alone
    /// net.gradient(&mut SoftmaxWithLoss::new(), &x, &[0]).unwrap();
    /// assert_eq!(net.0.dw().as_slice(), &[0.1, 0.0, 0.0, 0.2]);
    /// ```
    fn set_weight_decay(&mut self, lambda: f64) {
        let _ = lambda;
    }

    /// The layer's term of the loss besides the data's: `½λ·ΣW²` with weight decay,
    /// 0 otherwise; a tuple sums its members'.
    fn penalty(&self) -> f64 {
        0.0
    }

    /// Appends this layer's row to a network summary: its position in the network
    /// (`"0"`, `"2"`; `"1.0"` inside a nested tuple), its [name](Named::name) and its
    /// output shape for this input. A tuple appends one row per member. The parameter
    /// counts are filled in from the parameter visitor by
    /// [`Network::summary`](crate::Network::summary); a layer does not override this.
    fn summarize(&self, position: &str, rows: &mut Vec<SummaryRow>) {
        rows.push(SummaryRow {
            position: position.to_string(),
            layer: self.name(),
            output: <Self::Out as Shape>::SHAPE,
            params: 0,
            state: 0,
        });
    }
}

/// The position of member `index` inside a tuple at `position`.
fn member(position: &str, index: usize) -> String {
    if position.is_empty() {
        index.to_string()
    } else {
        format!("{position}.{index}")
    }
}

// The where-clause names each layer's input as the previous layer's output,
// `B: Layer<A::Out>`: one flat bound a layer, so a width mismatch is reported once,
// on the layer that cannot take its neighbour's output.
macro_rules! tuple_layer {
    ($($L:ident $idx:tt),+; where $($bound:tt)+) => {
        /// A network is named after its layers.
        impl<$($L: Named),+> Named for ($($L,)+) {}

        /// A network: its layers run left to right in `forward`, right to left in
        /// `backward` (the chain rule), each member's backward given the output of the
        /// member to its left as its input.
        impl<X, $($L),+> Layer<X> for ($($L,)+)
        where
            $($bound)+
        {
            type Out = tuple_layer!(@last_out $($L)+);

            fn forward(&mut self, x: &X) -> &Self::Out {
                $(let x = self.$idx.forward(x);)+
                x
            }

            fn output(&self) -> &Self::Out {
                tuple_layer!(@last_output self; $($idx)+)
            }

            fn backward(&mut self, x: &X, dout: &Self::Out) -> &X {
                tuple_layer!(@backward self, x, dout, backward; $($idx)+)
            }

            fn backward_params(&mut self, x: &X, dout: &Self::Out) {
                tuple_layer!(@backward self, x, dout, backward_params; $($idx)+)
            }

            fn set_mode(&mut self, mode: Mode) {
                $(self.$idx.set_mode(mode);)+
            }

            fn set_weight_decay(&mut self, lambda: f64) {
                $(self.$idx.set_weight_decay(lambda);)+
            }

            fn penalty(&self) -> f64 {
                0.0 $(+ self.$idx.penalty())+
            }

            fn summarize(&self, position: &str, rows: &mut Vec<SummaryRow>) {
                $(self.$idx.summarize(&member(position, $idx), rows);)+
            }
        }
    };
    (@last_out $L:ident) => { $L::Out };
    (@last_out $L:ident $($rest:ident)+) => { tuple_layer!(@last_out $($rest)+) };
    (@last_output $s:ident; $idx:tt) => { $s.$idx.output() };
    (@last_output $s:ident; $idx:tt $($rest:tt)+) => { tuple_layer!(@last_output $s; $($rest)+) };
    // Backward visits the layers right to left: member k gets the gradient of member
    // k + 1 and, as its input, the output of member k − 1 (the network's input `x` for
    // the first). The first member runs `$first_call` (`backward` or `backward_params`).
    (@backward $s:ident, $x:expr, $d:expr, $first_call:ident; $first:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@inner $s, $d; $first $($rest)+);
        $s.$first.$first_call($x, d)
    }};
    // `@inner $s, $d; p k rest…`: ∂L/∂(input of member k), where member p is k's left
    // neighbour and gives k its input.
    (@inner $s:ident, $d:expr; $prev:tt $idx:tt) => {
        $s.$idx.backward($s.$prev.output(), $d)
    };
    (@inner $s:ident, $d:expr; $prev:tt $idx:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@inner $s, $d; $idx $($rest)+);
        $s.$idx.backward($s.$prev.output(), d)
    }};
}

/// A one-layer network is named after its layer.
impl<A: Named> Named for (A,) {}

/// A one-layer network is its layer.
impl<X, A: Layer<X>> Layer<X> for (A,) {
    type Out = A::Out;

    fn forward(&mut self, x: &X) -> &Self::Out {
        self.0.forward(x)
    }

    fn output(&self) -> &Self::Out {
        self.0.output()
    }

    fn backward(&mut self, x: &X, dout: &Self::Out) -> &X {
        self.0.backward(x, dout)
    }

    fn backward_params(&mut self, x: &X, dout: &Self::Out) {
        self.0.backward_params(x, dout)
    }

    fn set_mode(&mut self, mode: Mode) {
        self.0.set_mode(mode)
    }

    fn set_weight_decay(&mut self, lambda: f64) {
        self.0.set_weight_decay(lambda)
    }

    fn penalty(&self) -> f64 {
        self.0.penalty()
    }

    fn summarize(&self, position: &str, rows: &mut Vec<SummaryRow>) {
        self.0.summarize(&member(position, 0), rows)
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

#[cfg(test)]
mod tests {
    use super::short_type_name;

    #[test]
    fn short_names_drop_every_path() {
        assert_eq!(
            short_type_name("backprop::layers::affine::Affine<784, 50, f32>"),
            "Affine<784, 50, f32>"
        );
        assert_eq!(short_type_name("(a::B, c::d::E<f::G>)"), "(B, E<G>)");
    }
}
