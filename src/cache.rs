//! A layer's per-batch buffers, whatever the batch size.
//!
//! A layer such as `Affine<784, 50>` takes `Matrix<N, 784>` for every `N`, so the
//! buffers it keeps between forward and backward (its input, its output, the input
//! gradient) have a type that depends on the batch size of the call. [`Cache`] holds
//! the buffer sets of the last two batch sizes, each created on the first forward of
//! its size and reused by every later call with that size: a training step allocates
//! nothing, nor does switching between training batches and evaluation batches of
//! another size.

use std::any::{Any, type_name};
use std::fmt::Display;

type Buffers = Box<dyn Any + Send + Sync>;

/// One layer's buffers: `[0]` for the batch size of its last forward pass, `[1]` for
/// the size before it.
#[derive(Default)]
pub(crate) struct Cache([Option<Buffers>; 2]);

impl Cache {
    /// The buffers of type `S` for this forward pass: reused when one of the last two
    /// forward passes had the same batch size, made anew otherwise (replacing the
    /// older set).
    pub(crate) fn for_forward<S: Any + Send + Sync>(&mut self, make: impl FnOnce() -> S) -> &mut S {
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
    /// follow the forward pass whose gradient it computes.
    pub(crate) fn for_backward<S: Any + Send + Sync>(&mut self, layer: &dyn Display) -> &mut S {
        match self.0[0].as_mut() {
            None => panic!("{layer}: backward called before any forward pass"),
            Some(b) => b.downcast_mut::<S>().unwrap_or_else(|| {
                panic!(
                    "{layer}: backward for a batch of another size than the last forward \
                     pass (expected buffers {})",
                    type_name::<S>()
                )
            }),
        }
    }
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
