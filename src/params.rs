//! The parameter visitor: every trainable number of a network, with its gradient.
//!
//! Optimizers, the gradient check, the summary and saving all walk a network the same
//! way: [`Params::visit_params`] hands each parameter to a closure as a [`Param`] — its
//! name (`0.w`, `2.b`, ... inside a tuple network), its values to update and its
//! gradient — and [`Params::inspect_params`] hands out the same parameters read-only,
//! from a shared borrow. The [`params!`](crate::params!) macro writes both from one
//! list of fields, so they cannot disagree.

use std::fmt;

use crate::Float;

/// One parameter of a layer, as the updating visitor sees it.
pub struct Param<'a, T> {
    /// The name: `w` or `b` in a layer, prefixed with the layer's position inside a
    /// tuple network (`0.w`). Formatting it allocates nothing until it is printed.
    pub name: &'a dyn fmt::Display,
    /// The values, row-major; an optimizer writes here.
    pub values: &'a mut [T],
    /// ∂L/∂values from the last backward pass, same layout.
    pub grad: &'a [T],
}

/// One parameter of a layer, read-only (a summary, saving weights).
pub struct ParamRef<'a, T> {
    /// The name, as in [`Param::name`].
    pub name: &'a dyn fmt::Display,
    /// The values, row-major.
    pub values: &'a [T],
    /// ∂L/∂values from the last backward pass, same layout.
    pub grad: &'a [T],
    /// The shape as the layer declares it, the one a saved tensor has: `[I, O]` for an
    /// `Affine`'s `w` (a matrix), `[O]` for its `b` (a vector).
    pub shape: &'a [usize],
}

/// Something with trainable parameters: a layer or a network.
///
/// A layer without parameters implements it with an empty body (both methods visit
/// nothing by default); a layer with parameters writes both with
/// [`params!`](crate::params!). A tuple network visits its layers in order and
/// prefixes each name with the layer's position.
///
/// ```
/// use backprop::{Affine, Params, Relu};
/// let mut net = (Affine::<3, 2, f64>::zeros(), Relu::new(), Affine::<2, 1, f64>::zeros());
/// let mut names = Vec::new();
/// net.visit_params(&mut |p| names.push(format!("{} {}", p.name, p.values.len())));
/// assert_eq!(names, ["0.w 6", "0.b 2", "2.w 2", "2.b 1"]);
/// let mut shapes = Vec::new();
/// net.inspect_params(&mut |p| shapes.push(p.shape.to_vec()));
/// assert_eq!(shapes, [vec![3, 2], vec![2], vec![2, 1], vec![1]]);
/// ```
pub trait Params<T: Float> {
    /// Calls `f` once for every parameter, in a fixed order, with its values to update.
    fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
        let _ = f;
    }

    /// Calls `f` once for every parameter, in the same order as
    /// [`visit_params`](Params::visit_params), read-only.
    fn inspect_params(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
        let _ = f;
    }

    /// Calls `f` once for every piece of state the layer keeps besides its parameters
    /// and must keep to predict (batch norm's running mean and variance), with an empty
    /// `grad`: not trained, but saved and loaded with the weights. Nothing by default.
    fn visit_state(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
        let _ = f;
    }

    /// [`visit_state`](Params::visit_state), read-only, in the same order.
    fn inspect_state(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
        let _ = f;
    }

    /// Sets the weight decay λ of section 6.4.2 on every weight matrix (`Affine`'s `w`,
    /// not its bias): the loss gains `½λ·ΣW²` ([`penalty`](Params::penalty), which
    /// [`Network::loss`](crate::Network::loss), [`Network::gradient`](crate::Network::gradient)
    /// and the trainer add) and each `dW` gains `λW` in backward, so every optimizer and
    /// the gradient check see it. Layers without weights ignore it (the default); a
    /// tuple passes it to each member.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, Params, Relu, SoftmaxWithLoss};
    /// let mut net = (Affine::<2, 2, f64>::new(Matrix::new([[1.0, 0.0], [0.0, 2.0]]), Matrix::zeros()), Relu::new());
    /// net.set_weight_decay(0.1);
    /// assert_eq!(net.penalty(), 0.25); // ½ · 0.1 · (1 + 4)
    /// let x = Matrix::new([[0.0, 0.0]]); // no data gradient: dW is λW alone
    /// net.gradient(&SoftmaxWithLoss::new(), &x, &[0]).unwrap();
    /// assert_eq!(net.0.dw().as_slice(), &[0.1, 0.0, 0.0, 0.2]);
    /// ```
    fn set_weight_decay(&mut self, lambda: f64) {
        let _ = lambda;
    }

    /// The term of the loss besides the data's: `½λ·ΣW²` with weight decay, 0
    /// otherwise (the default); a tuple sums its members'.
    fn penalty(&self) -> f64 {
        0.0
    }

    /// The total number of trainable values.
    ///
    /// ```
    /// use backprop::{Affine, Params};
    /// assert_eq!(Params::<f32>::param_count(&Affine::<784, 50>::zeros()), 39250);
    /// ```
    fn param_count(&self) -> usize {
        let mut n = 0;
        self.inspect_params(&mut |p| n += p.values.len());
        n
    }
}

/// Writes both methods of [`Params`] for a layer from its parameter fields, each named
/// after its field, paired with the field holding its gradient, and declared a
/// `matrix` (shape `[rows, cols]`) or a `vector` (a one-row matrix, shape `[cols]`):
/// `params!(T; matrix w => dw, vector b => db)` visits `self.w` (gradient `self.dw`)
/// as `w`, then `self.b` as `b`. The fields are [`Matrix`](crate::Matrix)es of `T`;
/// the shapes are what [`ParamRef::shape`] reports and what saved weights record.
///
/// ```
/// use backprop::{Float, Matrix, Params, params};
/// struct Scale<T> { s: Matrix<1, 3, T>, ds: Matrix<1, 3, T> }
/// impl<T: Float> Params<T> for Scale<T> {
///     params!(T; vector s => ds);
/// }
/// let mut layer = Scale { s: Matrix::new([[2.0_f64, 1.0, 1.0]]), ds: Matrix::new([[0.5, 0.0, 0.0]]) };
/// layer.visit_params(&mut |p| p.values[0] -= p.grad[0]);
/// assert_eq!(layer.s[(0, 0)], 1.5);
/// assert_eq!(layer.param_count(), 3);
/// layer.inspect_params(&mut |p| assert_eq!(p.shape, [3]));
/// ```
#[macro_export]
macro_rules! params {
    ($T:ty; $($kind:ident $value:ident => $grad:ident),+ $(,)?) => {
        fn visit_params(&mut self, f: &mut dyn FnMut($crate::Param<'_, $T>)) {
            $(f($crate::Param {
                name: &stringify!($value),
                values: self.$value.as_mut_slice(),
                grad: self.$grad.as_slice(),
            });)+
        }

        fn inspect_params(&self, f: &mut dyn FnMut($crate::ParamRef<'_, $T>)) {
            $(f($crate::ParamRef {
                name: &stringify!($value),
                values: self.$value.as_slice(),
                grad: self.$grad.as_slice(),
                shape: &$crate::params!(@shape $kind, self.$value.shape()),
            });)+
        }
    };
    (@shape matrix, $shape:expr) => {{
        let (rows, cols) = $shape;
        [rows, cols]
    }};
    (@shape images, $shape:expr) => {
        $shape
    };
    (@shape vector, $shape:expr) => {{
        let (rows, cols) = $shape;
        assert_eq!(rows, 1, "params!: a `vector` parameter is a one-row matrix");
        [cols]
    }};
}

/// A name inside a tuple network: the layer's position, a dot, the inner name.
struct Prefixed<'a> {
    index: usize,
    inner: &'a dyn fmt::Display,
}

impl fmt::Display for Prefixed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.index, self.inner)
    }
}

/// One of the two updating visitors, [`Params::visit_params`] or [`Params::visit_state`].
type Visit<P, T> = fn(&mut P, &mut dyn FnMut(Param<'_, T>));
/// One of the two read-only visitors.
type Inspect<P, T> = fn(&P, &mut dyn FnMut(ParamRef<'_, T>));

/// The layer's parameters (or state) through `visit`, named with its position.
fn visit_prefixed<T: Float, P: Params<T>>(
    layer: &mut P,
    index: usize,
    f: &mut dyn FnMut(Param<'_, T>),
    visit: Visit<P, T>,
) {
    visit(layer, &mut |p| {
        f(Param {
            name: &Prefixed {
                index,
                inner: p.name,
            },
            values: p.values,
            grad: p.grad,
        })
    });
}

/// [`visit_prefixed`], read-only.
fn inspect_prefixed<T: Float, P: Params<T>>(
    layer: &P,
    index: usize,
    f: &mut dyn FnMut(ParamRef<'_, T>),
    inspect: Inspect<P, T>,
) {
    inspect(layer, &mut |p| {
        f(ParamRef {
            name: &Prefixed {
                index,
                inner: p.name,
            },
            ..p
        })
    });
}

macro_rules! tuple_params {
    ($($L:ident $idx:tt),+) => {
        /// A network's parameters: each layer's, prefixed with its position.
        impl<T: Float, $($L: Params<T>),+> Params<T> for ($($L,)+) {
            fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
                $(visit_prefixed(&mut self.$idx, $idx, f, Params::visit_params);)+
            }

            fn inspect_params(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
                $(inspect_prefixed(&self.$idx, $idx, f, Params::inspect_params);)+
            }

            fn visit_state(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
                $(visit_prefixed(&mut self.$idx, $idx, f, Params::visit_state);)+
            }

            fn inspect_state(&self, f: &mut dyn FnMut(ParamRef<'_, T>)) {
                $(inspect_prefixed(&self.$idx, $idx, f, Params::inspect_state);)+
            }

            fn set_weight_decay(&mut self, lambda: f64) {
                $(self.$idx.set_weight_decay(lambda);)+
            }

            fn penalty(&self) -> f64 {
                0.0 $(+ self.$idx.penalty())+
            }
        }
    };
}

tuple_params!(A 0);
tuple_params!(A 0, B 1);
tuple_params!(A 0, B 1, C 2);
tuple_params!(A 0, B 1, C 2, D 3);
tuple_params!(A 0, B 1, C 2, D 3, E 4);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
