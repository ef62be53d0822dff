//! The parameter visitor: every trainable number of a network, with its gradient.
//!
//! Optimizers, the gradient check and the summary all walk a network the same way:
//! [`Params::visit_params`] hands each parameter to a closure as a [`Param`] — its
//! name (`0.w`, `2.b`, ... inside a tuple network), its values and its gradient.

use std::fmt;

use crate::Float;

/// One parameter of a layer, as the visitor sees it.
pub struct Param<'a, T> {
    /// The name: `w` or `b` in a layer, prefixed with the layer's position inside a
    /// tuple network (`0.w`). Formatting it allocates nothing until it is printed.
    pub name: &'a dyn fmt::Display,
    /// The values, row-major; an optimizer writes here.
    pub values: &'a mut [T],
    /// ∂L/∂values from the last backward pass, same layout.
    pub grad: &'a [T],
}

/// Something with trainable parameters: a layer or a network.
///
/// ```
/// use backprop::{Affine, Params, Relu};
/// let mut net = (Affine::<3, 2, f64>::zeros(), Relu::new(), Affine::<2, 1, f64>::zeros());
/// let mut names = Vec::new();
/// net.visit_params(&mut |p| names.push(format!("{} {}", p.name, p.values.len())));
/// assert_eq!(names, ["0.w 6", "0.b 2", "2.w 2", "2.b 1"]);
/// ```
pub trait Params<T: Float> {
    /// Calls `f` once for every parameter, in a fixed order.
    fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, T>));

    /// The total number of trainable values.
    ///
    /// ```
    /// use backprop::{Affine, Params};
    /// assert_eq!(Params::<f32>::param_count(&mut Affine::<784, 50>::zeros()), 39250);
    /// ```
    fn param_count(&mut self) -> usize {
        let mut n = 0;
        self.visit_params(&mut |p| n += p.values.len());
        n
    }
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

fn visit_prefixed<T: Float, P: Params<T>>(
    layer: &mut P,
    index: usize,
    f: &mut dyn FnMut(Param<'_, T>),
) {
    layer.visit_params(&mut |p| {
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

macro_rules! tuple_params {
    ($($L:ident $idx:tt),+) => {
        /// A network's parameters: each layer's, prefixed with its position.
        impl<T: Float, $($L: Params<T>),+> Params<T> for ($($L,)+) {
            fn visit_params(&mut self, f: &mut dyn FnMut(Param<'_, T>)) {
                $(visit_prefixed(&mut self.$idx, $idx, f);)+
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
