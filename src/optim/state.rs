//! What a stateful optimizer keeps between steps: `K` vectors per parameter (the
//! velocity `v`; the squared-gradient sum `h`; the moments `m` and `v`), in the
//! visitor's order, each as long as its parameter.

use crate::{Float, Params};

/// Per-parameter vectors, created zeroed by the first step and reused by every later
/// one, so that a step after the first allocates nothing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State<T, const K: usize> {
    /// `K` vectors per parameter, in visiting order.
    per_param: Vec<[Vec<T>; K]>,
    /// The parameters' names on the first step, for the message when a later step
    /// sees a different network.
    names: Vec<String>,
    /// Whether the first step has run (a network may have no parameters at all).
    started: bool,
}

impl<T: Float, const K: usize> State<T, K> {
    /// No state yet: the first [`visit`](Self::visit) creates it.
    pub(crate) fn new() -> Self {
        Self {
            per_param: Vec::new(),
            names: Vec::new(),
            started: false,
        }
    }

    /// Calls `update(values, grad, state)` for every parameter of `params`, with that
    /// parameter's `K` state vectors.
    ///
    /// # Panics
    ///
    /// If a step after the first sees a different number of parameters, or a parameter
    /// of a different length, than the first step did: the state belongs to one network.
    /// The message names `optimizer` and the parameter.
    pub(crate) fn visit(
        &mut self,
        optimizer: &str,
        params: &mut dyn Params<T>,
        mut update: impl FnMut(&mut [T], &[T], &mut [Vec<T>; K]),
    ) {
        let first = !self.started;
        self.started = true;
        let Self {
            per_param, names, ..
        } = self;
        let mut index = 0;
        params.visit_params(&mut |p| {
            if first {
                per_param.push(std::array::from_fn(|_| vec![T::ZERO; p.values.len()]));
                names.push(p.name.to_string());
            }
            let Some(state) = per_param.get_mut(index) else {
                panic!(
                    "{optimizer}: parameter {} (number {index}) was not there on the first step, \
                     which saw {} parameters; use one optimizer per network",
                    p.name,
                    names.len()
                );
            };
            let expected = state[0].len();
            assert!(
                p.values.len() == expected,
                "{optimizer}: parameter {} has length {}, but had {expected} on the first step; \
                 use one optimizer per network",
                p.name,
                p.values.len()
            );
            update(p.values, p.grad, state);
            index += 1;
        });
        if let Some(missing) = names.get(index) {
            panic!(
                "{optimizer}: parameter {missing} of the first step is missing ({index} parameters \
                 now, {} then); use one optimizer per network",
                names.len()
            );
        }
    }
}
