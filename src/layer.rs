//! The [`Layer`] trait, and networks as tuples of layers.
//!
//! A layer turns an input batch into an output batch (`forward`), and an upstream
//! gradient ∂L/∂out into the downstream one ∂L/∂in (`backward`), keeping the gradients
//! of its own parameters. The batch size is part of the input *type*
//! (`Matrix<N, 784>`), so one network trains on batches of 100 and predicts on one
//! image or ten thousand.
//!
//! A layer holds its parameters and nothing that belongs to one batch. What a forward
//! pass keeps for backward (the output, dropout's mask, batch norm's x̂) lives in a
//! *workspace* the caller owns, whose type the layer declares for each input type
//! ([`Layer::Workspace`]): made once for a batch size, reused at every step, and a
//! workspace made for another batch size does not compile in its place.
//!
//! A tuple of layers is a layer: `(Affine<784, 50>, Relu, Affine<50, 10>)` runs its
//! members left to right in `forward` and right to left in `backward`, the chain rule
//! of section 5.2 applied layer by layer; its workspace is the tuple of its members'.

mod buffers;

pub use buffers::Buffers;

use crate::summary::SummaryRow;
use crate::{Float, Images, Matrix};

/// A type with a shape known at compile time and its values in one row-major slice:
/// what a layer outputs. Implemented for [`Matrix`] and [`Images`]; a network summary
/// reads each layer's output shape from it, and an element-wise layer
/// ([`Relu`](crate::Relu), [`Sigmoid`](crate::Sigmoid)) takes any `Shape`.
///
/// ```
/// use backprop::{Matrix, Shape};
/// assert_eq!(<Matrix<100, 50> as Shape>::SHAPE, (100, 50));
/// let mut m = Matrix::<1, 2>::zeros();
/// Shape::as_mut_slice(&mut m)[1] = 3.0;
/// assert_eq!(Shape::as_slice(&m), &[0.0, 3.0]);
/// ```
pub trait Shape: Clone + Default + Send {
    /// The element type.
    type Elem: Float;
    /// `(rows, columns)`: a batch's samples and the values of each.
    const SHAPE: (usize, usize);
    /// Every dimension: `[R, C]` for a matrix, `[N, C, H, W]` for images.
    const DIMS: &'static [usize];
    /// The values, row-major.
    fn as_slice(&self) -> &[Self::Elem];
    /// The values, row-major, to write.
    fn as_mut_slice(&mut self) -> &mut [Self::Elem];
}

impl<const R: usize, const C: usize, T: Float> Shape for Matrix<R, C, T> {
    type Elem = T;
    const SHAPE: (usize, usize) = (R, C);
    const DIMS: &'static [usize] = &[R, C];
    fn as_slice(&self) -> &[T] {
        Matrix::as_slice(self)
    }
    fn as_mut_slice(&mut self) -> &mut [T] {
        Matrix::as_mut_slice(self)
    }
}

/// A batch of images is `N` samples of `C·H·W` values.
///
/// ```
/// use backprop::{Images, Shape};
/// assert_eq!(<Images<100, 30, 24, 24> as Shape>::SHAPE, (100, 30 * 24 * 24));
/// assert_eq!(<Images<100, 30, 24, 24> as Shape>::DIMS, [100, 30, 24, 24]);
/// ```
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float> Shape
    for Images<N, C, H, W, T>
{
    type Elem = T;
    const SHAPE: (usize, usize) = (N, C * H * W);
    const DIMS: &'static [usize] = &[N, C, H, W];
    fn as_slice(&self) -> &[T] {
        Images::as_slice(self)
    }
    fn as_mut_slice(&mut self) -> &mut [T] {
        Images::as_mut_slice(self)
    }
}

/// What a layer is called in a network summary and in saved weights: every layer (and
/// every tuple of layers) implements it, usually as an empty `impl`, whose default
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
/// `In` is the input type, typically `Matrix<N, I, T>`; the output type `Out` and the
/// [`Workspace`](Layer::Workspace) are fixed by it. The contract, all of it checked by
/// the types:
///
/// - `infer(&self, x, work)` computes the output for inference into `work` and returns
///   it; the layer is only read, so a trained network is shared across threads;
/// - `forward(&mut self, x, work)` is the training pass: the same output, and
///   whatever else backward needs kept in `work` (dropout draws its mask, batch norm
///   uses the batch's statistics and updates its running ones); the default is `infer`;
/// - `backward(x, dout, work)` is handed the same input `x`, ∂L/∂out and the workspace
///   of that forward pass, returns ∂L/∂in (a buffer in `work`) and stores the
///   gradients of the layer's parameters beside them (`Affine` forms `dW = Xᵀ·dY` from
///   this `x`, so it never copies its input);
/// - `output(work)` is what the last pass left in `work`, for the layer to its right.
///
/// A workspace is `Default`: `Network::workspace` (or `Default::default()`) makes one
/// for a batch type, and every later pass of that batch type reuses it, so a training
/// step allocates nothing.
///
/// ```
/// use backprop::{Layer, Matrix, Relu};
/// let mut relu = Relu::new();
/// let mut work = Default::default(); // buffers for Matrix<1, 2>, inferred below
/// let x = Matrix::new([[1.0, -2.0]]);
/// assert_eq!(relu.forward(&x, &mut work).as_slice(), &[1.0, 0.0]);
/// let dx = relu.backward(&x, &Matrix::new([[5.0, 5.0]]), &mut work);
/// assert_eq!(dx.as_slice(), &[5.0, 0.0]);
/// ```
///
/// A workspace made for another batch size is a type error, not a run-time surprise:
///
/// ```compile_fail,E0308
/// use backprop::{Layer, Matrix, Network, Relu};
/// let relu = Relu::new();
/// let mut one_row = relu.workspace::<Matrix<1, 2>>();
/// relu.infer(&Matrix::<3, 2>::zeros(), &mut one_row); // expected buffers of 3 rows
/// ```
#[diagnostic::on_unimplemented(
    message = "layer `{Self}` cannot take `{In}` as its input",
    label = "this layer's input width differs from what the previous layer (or the data) gives",
    note = "in a network `(A, B, C)` each layer's output width must equal the next layer's input width: `Affine<I, O>` takes `Matrix<N, I>` and gives `Matrix<N, O>`"
)]
pub trait Layer<In>: Named {
    /// The output type, e.g. `Matrix<N, O>` for `Affine<I, O>` on `Matrix<N, I>`.
    type Out: Shape;

    /// What a pass over one batch of type `In` keeps: the output, the input gradient,
    /// and whatever backward needs besides (usually a [`Buffers`]).
    type Workspace: Default + Send;

    /// The output the last pass left in `work`.
    ///
    /// ```
    /// use backprop::{Layer, Matrix, Relu};
    /// let relu = Relu::new();
    /// let mut work = Default::default();
    /// relu.infer(&Matrix::<1, 2>::new([[-1.0, 2.0]]), &mut work);
    /// let y: &Matrix<1, 2> = <Relu as Layer<Matrix<1, 2>>>::output(&work);
    /// assert_eq!(y.as_slice(), &[0.0, 2.0]);
    /// ```
    fn output(work: &Self::Workspace) -> &Self::Out;

    /// The output for inference (dropout keeps every unit, batch norm uses its running
    /// statistics), computed into `work`.
    fn infer<'w>(&self, x: &In, work: &'w mut Self::Workspace) -> &'w Self::Out;

    /// The output for training, computed into `work` with what `backward` will need.
    /// The default is [`infer`](Layer::infer), for every layer that behaves the same
    /// in both.
    fn forward<'w>(&mut self, x: &In, work: &'w mut Self::Workspace) -> &'w Self::Out {
        self.infer(x, work)
    }

    /// Turns ∂L/∂out into ∂L/∂in for the input `x` of the forward pass that filled
    /// `work`, and stores the gradients of the layer's parameters.
    ///
    /// # Panics
    /// A layer whose training pass differs from inference (`Dropout`, `BatchNorm`)
    /// panics, naming itself, when `work` was last filled by `infer`.
    fn backward<'w>(&mut self, x: &In, dout: &Self::Out, work: &'w mut Self::Workspace) -> &'w In;

    /// Whether the layer has parameters to learn. A network skips the input gradient of
    /// its first layer with parameters, not only of its first layer, when every layer
    /// in front has none (an `Unflatten` in front of a convolution: nothing to its
    /// left needs a gradient). `true` unless a layer says otherwise, which is always
    /// correct, only slower.
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix, Relu};
    /// assert!(!<Relu as Layer<Matrix<1, 2>>>::HAS_PARAMS);
    /// assert!(<(Relu, Affine<2, 2>) as Layer<Matrix<1, 2>>>::HAS_PARAMS);
    /// ```
    const HAS_PARAMS: bool = true;

    /// Like [`backward`](Layer::backward), but skips ∂L/∂in: for the first layer of a
    /// network, whose input is data and needs no gradient (in the book's net that
    /// saves a (100×50)·(50×784) product per step).
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix};
    /// let mut affine = Affine::new(Matrix::new([[2.0], [3.0]]), Matrix::new([[1.0]]));
    /// let mut work = Default::default();
    /// let x = Matrix::new([[1.0, 1.0]]);
    /// assert_eq!(affine.forward(&x, &mut work).as_slice(), &[6.0]); // 1·2 + 1·3 + 1
    /// affine.backward_params(&x, &Matrix::new([[1.0]]), &mut work);
    /// assert_eq!(affine.dw().as_slice(), &[1.0, 1.0]); // dW = Xᵀ·dY
    /// ```
    fn backward_params(&mut self, x: &In, dout: &Self::Out, work: &mut Self::Workspace) {
        self.backward(x, dout, work);
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
            dims: <Self::Out as Shape>::DIMS.to_vec(),
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
        /// member to its left as its input. Its workspace is its members'.
        impl<X, $($L),+> Layer<X> for ($($L,)+)
        where
            $($bound)+
        {
            type Out = tuple_layer!(@last_out $($L)+);
            type Workspace = ($($L::Workspace,)+);
            const HAS_PARAMS: bool = $($L::HAS_PARAMS)||+;

            fn output(work: &Self::Workspace) -> &Self::Out {
                tuple_layer!(@last_output work; $($L $idx)+)
            }

            fn infer<'w>(&self, x: &X, work: &'w mut Self::Workspace) -> &'w Self::Out {
                $(let x = self.$idx.infer(x, &mut work.$idx);)+
                x
            }

            fn forward<'w>(&mut self, x: &X, work: &'w mut Self::Workspace) -> &'w Self::Out {
                $(let x = self.$idx.forward(x, &mut work.$idx);)+
                x
            }

            fn backward<'w>(&mut self, x: &X, dout: &Self::Out, work: &'w mut Self::Workspace) -> &'w X {
                tuple_layer!(@backward self, work, x, dout, backward; $($L $idx)+)
            }

            fn backward_params(&mut self, x: &X, dout: &Self::Out, work: &mut Self::Workspace) {
                tuple_layer!(@params self, work, x, dout; $($L $idx)+)
            }

            fn summarize(&self, position: &str, rows: &mut Vec<SummaryRow>) {
                $(self.$idx.summarize(&member(position, $idx), rows);)+
            }
        }
    };
    (@last_out $L:ident) => { $L::Out };
    (@last_out $L:ident $($rest:ident)+) => { tuple_layer!(@last_out $($rest)+) };
    (@last_output $w:ident; $L:ident $idx:tt) => { $L::output(&$w.$idx) };
    (@last_output $w:ident; $L:ident $idx:tt $($rest:tt)+) => { tuple_layer!(@last_output $w; $($rest)+) };
    // Backward visits the layers right to left: member k gets the gradient of member
    // k + 1 and, as its input, the output of member k − 1 (the network's input `x` for
    // the first). The first member runs `$first_call` (`backward` or `backward_params`).
    (@backward $s:ident, $w:ident, $x:expr, $d:expr, $first_call:ident; $L:ident $first:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@inner $s, $w, $d; $L $first $($rest)+);
        $s.$first.$first_call($x, d, &mut $w.$first)
    }};
    // Backward without ∂L/∂x: members in front that have no parameters are skipped
    // (`HAS_PARAMS`, a constant: the branch not taken is compiled away), and the
    // first member that has some runs `backward_params`.
    (@params $s:ident, $w:ident, $x:expr, $d:expr; $L:ident $i:tt) => {
        $s.$i.backward_params($x, $d, &mut $w.$i)
    };
    (@params $s:ident, $w:ident, $x:expr, $d:expr; $L:ident $i:tt $($rest:tt)+) => {
        if $L::HAS_PARAMS {
            tuple_layer!(@backward $s, $w, $x, $d, backward_params; $L $i $($rest)+)
        } else {
            tuple_layer!(@params $s, $w, $L::output(&$w.$i), $d; $($rest)+)
        }
    };
    // `@inner $s, $w, $d; P p K k rest…`: ∂L/∂(input of member k), where member p (of
    // type P) is k's left neighbour and gives k its input.
    (@inner $s:ident, $w:ident, $d:expr; $P:ident $prev:tt $K:ident $idx:tt) => {
        $s.$idx.backward($P::output(&$w.$prev), $d, &mut $w.$idx)
    };
    (@inner $s:ident, $w:ident, $d:expr; $P:ident $prev:tt $K:ident $idx:tt $($rest:tt)+) => {{
        let d = tuple_layer!(@inner $s, $w, $d; $K $idx $($rest)+);
        $s.$idx.backward($P::output(&$w.$prev), d, &mut $w.$idx)
    }};
}

/// A one-layer network is named after its layer.
impl<A: Named> Named for (A,) {}

/// A one-layer network is its layer; its workspace is its layer's.
impl<X, A: Layer<X>> Layer<X> for (A,) {
    type Out = A::Out;
    type Workspace = A::Workspace;
    const HAS_PARAMS: bool = A::HAS_PARAMS;

    fn output(work: &Self::Workspace) -> &Self::Out {
        A::output(work)
    }

    fn infer<'w>(&self, x: &X, work: &'w mut Self::Workspace) -> &'w Self::Out {
        self.0.infer(x, work)
    }

    fn forward<'w>(&mut self, x: &X, work: &'w mut Self::Workspace) -> &'w Self::Out {
        self.0.forward(x, work)
    }

    fn backward<'w>(&mut self, x: &X, dout: &Self::Out, work: &'w mut Self::Workspace) -> &'w X {
        self.0.backward(x, dout, work)
    }

    fn backward_params(&mut self, x: &X, dout: &Self::Out, work: &mut Self::Workspace) {
        self.0.backward_params(x, dout, work)
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
    use crate::{Affine, Dropout, Layer, Matrix, Network, Relu};

    /// Members without parameters in front are skipped by `backward_params`, and the
    /// first member with parameters computes no ∂L/∂in; the gradients are those of
    /// `backward`.
    #[test]
    fn backward_params_skips_the_input_gradient_behind_parameter_free_layers() {
        let affine = Affine::new(
            Matrix::new([[1.0, -2.0], [3.0, 0.5]]),
            Matrix::new([[0.1, 0.2]]),
        );
        let x: Matrix<2, 2, f64> = Matrix::new([[1.0, -1.0], [2.0, 0.5]]);
        let dout = Matrix::new([[1.0, 2.0], [-1.0, 0.5]]);
        let mut full = (
            Relu::new(),
            Dropout::new(0.0, 0),
            affine.clone(),
            Relu::new(),
        );
        let mut skip = full.clone();
        type X = Matrix<2, 2, f64>;
        let (mut work_full, mut work_skip) = (full.workspace::<X>(), skip.workspace::<X>());
        full.forward(&x, &mut work_full);
        skip.forward(&x, &mut work_skip);
        let dx = full.backward(&x, &dout, &mut work_full);
        assert_ne!(
            dx.as_slice(),
            &[0.0; 4],
            "the full backward reaches the input"
        );
        skip.backward_params(&x, &dout, &mut work_skip);
        assert_eq!(skip.2.dw(), full.2.dw());
        assert_eq!(skip.2.db(), full.2.db());
        assert_eq!(
            work_skip.2.dx.as_slice(),
            &[0.0; 4],
            "no dX for the affine layer"
        );
        assert_eq!(
            work_skip.0.dx.as_slice(),
            &[0.0; 4],
            "nothing for the ReLU in front"
        );
        const { assert!(!<(Relu, Dropout) as Layer<Matrix<2, 2>>>::HAS_PARAMS) };
    }

    #[test]
    fn short_names_drop_every_path() {
        assert_eq!(
            short_type_name("backprop::layers::affine::Affine<784, 50, f32>"),
            "Affine<784, 50, f32>"
        );
        assert_eq!(short_type_name("(a::B, c::d::E<f::G>)"), "(B, E<G>)");
    }
}
