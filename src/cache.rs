//! A layer's per-batch buffers, whatever the batch size.
//!
//! A layer such as `Affine<784, 50>` takes `Matrix<N, 784>` for every `N`, so the
//! buffers it keeps between forward and backward (its output, the input gradient) have
//! a type that depends on the batch size of the call. [`Cache`] holds the buffer sets
//! of the last two batch sizes, each created on the first forward of its size and
//! reused by every later call with that size: a training step allocates nothing, nor
//! does switching between training batches and evaluation batches of another size.

use std::any::{Any, type_name};
use std::fmt::Display;

type Buffers = Box<dyn Any + Send + Sync>;

/// One layer's buffers, for a layer you write: a struct of buffers `S` (typically
/// generic over the batch size `N`) made on the first forward pass of each batch size
/// and reused afterwards. `[0]` holds the set of the last forward pass, `[1]` the one
/// before it.
///
/// The layer calls [`for_forward`](Cache::for_forward) in `forward`,
/// [`last`](Cache::last) in `output`, and [`for_backward`](Cache::for_backward) in
/// `backward`; the last two panic, naming the layer, when no forward pass of that
/// batch size came last.
///
/// ```
/// use backprop::{Cache, Matrix};
/// struct Buffers<const N: usize> { out: Matrix<N, 2>, dx: Matrix<N, 2> }
/// let mut cache = Cache::new();
/// let made = cache.for_forward(|| Buffers::<3> { out: Matrix::zeros(), dx: Matrix::zeros() });
/// made.out[(0, 0)] = 7.0;
/// // the next forward of 3 rows gets the same buffers back, without allocating
/// let again = cache.for_forward(|| Buffers::<3> { out: Matrix::zeros(), dx: Matrix::zeros() });
/// assert_eq!(again.out[(0, 0)], 7.0);
/// assert_eq!(cache.last::<Buffers<3>>(&"MyLayer").out[(0, 0)], 7.0);
/// let back: &mut Buffers<3> = cache.for_backward(&"MyLayer");
/// back.dx[(2, 1)] = 1.0;
/// ```
#[derive(Default)]
pub struct Cache([Option<Buffers>; 2]);

impl Cache {
    /// An empty cache: the first forward pass fills it.
    ///
    /// ```
    /// assert_eq!(format!("{:?}", backprop::Cache::new()), "Cache(empty)");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The buffers of type `S` for this forward pass: reused when one of the last two
    /// forward passes had the same type (batch size), made by `make` otherwise
    /// (replacing the older set).
    ///
    /// ```
    /// let mut cache = backprop::Cache::new();
    /// assert_eq!(*cache.for_forward(|| 5_u32), 5);
    /// assert_eq!(*cache.for_forward(|| 9_u32), 5); // the same type: reused, not remade
    /// ```
    pub fn for_forward<S: Any + Send + Sync>(&mut self, make: impl FnOnce() -> S) -> &mut S {
        let holds = |slot: &Option<Buffers>| slot.as_ref().is_some_and(|b| b.is::<S>());
        if !holds(&self.0[0]) {
            if !holds(&self.0[1]) {
                self.0[1] = Some(Box::new(make()));
            }
            self.0.swap(0, 1);
        }
        self.0[0]
            .as_mut()
            .and_then(|b| b.downcast_mut::<S>())
            .expect("the cache was just filled with this type")
    }

    /// The buffers the last forward pass left, for backward.
    ///
    /// # Panics
    /// If there was no forward pass, or it had another batch size: backward must
    /// follow the forward pass whose gradient it computes. The message names `layer`.
    ///
    /// ```should_panic
    /// let mut cache = backprop::Cache::new();
    /// let _: &mut u32 = cache.for_backward(&"Tanh"); // "Tanh: backward called before any forward pass"
    /// ```
    pub fn for_backward<S: Any + Send + Sync>(&mut self, layer: &dyn Display) -> &mut S {
        match self.0[0].as_mut() {
            None => panic!("{layer}: backward called before any forward pass"),
            Some(b) => b
                .downcast_mut::<S>()
                .unwrap_or_else(|| panic!("{}", other_size(layer, "backward", type_name::<S>()))),
        }
    }

    /// The buffers of the last forward pass, read-only: what a layer's `output` returns.
    ///
    /// # Panics
    /// As [`for_backward`](Cache::for_backward).
    ///
    /// ```
    /// let mut cache = backprop::Cache::new();
    /// cache.for_forward(|| 3_i64);
    /// assert_eq!(*cache.last::<i64>(&"MyLayer"), 3);
    /// ```
    pub fn last<S: Any + Send + Sync>(&self, layer: &dyn Display) -> &S {
        match self.0[0].as_ref() {
            None => panic!("{layer}: output asked for before any forward pass"),
            Some(b) => b
                .downcast_ref::<S>()
                .unwrap_or_else(|| panic!("{}", other_size(layer, "output", type_name::<S>()))),
        }
    }
}

fn other_size(layer: &dyn Display, call: &str, buffers: &str) -> String {
    format!(
        "{layer}: {call} for a batch of another size than the last forward pass \
         (expected buffers {buffers})"
    )
}

/// A clone starts with empty buffers: they are scratch space, refilled by the next
/// forward pass.
impl Clone for Cache {
    fn clone(&self) -> Self {
        Cache::default()
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0[0].is_some() {
            "Cache(filled)"
        } else {
            "Cache(empty)"
        })
    }
}
