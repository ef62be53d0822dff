//! The numerical side of the check: central differences, one element at a time.
//!
//! The parameter visitor hands out `&mut` slices only inside its closure, so nudging one
//! element and then running a forward pass takes one visit to set the element and
//! another to put it back. A visit only walks the list of parameters (a few per layer),
//! never their elements, so this costs nothing next to the forward pass it brackets.

use crate::{Error, Float, Loss, Matrix, Params};

/// A numerically computed gradient of the loss with respect to one parameter (or to
/// the input), element by element in the parameter's row-major order.
///
/// The values are `f64` for either element type: each is the quotient of two losses
/// of type `T` (exact in `f64`) by the step actually taken (also exact in `f64`).
///
/// ```
/// use backprop::{Affine, Matrix, SoftmaxWithLoss, numerical_gradient};
/// let mut layer = Affine::<1, 2, f64>::zeros();
/// let grads = numerical_gradient(&mut layer, &mut SoftmaxWithLoss::new(), &Matrix::new([[1.0]]), &[0])?;
/// assert_eq!(grads[1].name, "b");
/// assert!((grads[1].values[0] + 0.5).abs() < 1e-9); // ∂L/∂b = (y − t)/N = 0.5 − 1
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NumericalGradient {
    /// The parameter's name as the visitor gives it (`0.w`, `2.b`, ...), or `x` for the
    /// input.
    pub name: String,
    /// ∂L/∂value for each element, same layout as the parameter.
    pub values: Vec<f64>,
}

/// The names and a copy of the values of a network's parameters, in visiting order.
fn snapshot<T: Float, P: Params<T> + ?Sized>(net: &mut P) -> Vec<(String, Vec<T>)> {
    let mut params = Vec::new();
    net.visit_params(&mut |p| params.push((p.name.to_string(), p.values.to_vec())));
    params
}

/// The gradients backprop left beside the parameters, as `(name, values in f64)`.
pub(super) fn stored_gradients<T: Float, P: Params<T> + ?Sized>(
    net: &P,
) -> Vec<(String, Vec<f64>)> {
    let mut grads = Vec::new();
    net.inspect_params(&mut |p| {
        grads.push((
            p.name.to_string(),
            p.grad.iter().map(|g| g.to_f64()).collect(),
        ))
    });
    grads
}

/// Writes `value` into element `index` of the `param`-th parameter and returns what was
/// there.
///
/// # Panics
/// If the visitor no longer yields that element: `visit_params` must visit the same
/// parameters, with the same lengths, every time.
fn replace_element<T: Float, P: Params<T> + ?Sized>(
    net: &mut P,
    param: usize,
    index: usize,
    value: T,
) -> T {
    let mut k = 0;
    let mut old = None;
    net.visit_params(&mut |p| {
        if k == param && index < p.values.len() {
            old = Some(std::mem::replace(&mut p.values[index], value));
        }
        k += 1;
    });
    old.unwrap_or_else(|| {
        panic!(
            "gradient check: parameter #{param} has no element {index} on this visit; \
             visit_params must yield the same parameters with the same lengths every time"
        )
    })
}

/// `(f(v + h) − f(v − h)) / ((v + h) − (v − h))` for one element whose saved value is
/// `saved`: `set` writes a value into the element, `loss` evaluates the network. The
/// element holds `saved` (the same bits) again when this returns, error or not.
///
/// The divisor is the step actually taken, `(v + h) − (v − h)` as rounded to `T`, so
/// the quotient is the exact slope of the secant through the two points evaluated.
fn central_difference<S, T: Float>(
    state: &mut S,
    saved: T,
    h: T,
    set: &mut impl FnMut(&mut S, T),
    loss: &mut impl FnMut(&mut S) -> Result<T, Error>,
    what: impl FnOnce() -> String,
) -> Result<f64, Error> {
    let (plus, minus) = (saved + h, saved - h);
    let step = plus.to_f64() - minus.to_f64();
    if step == 0.0 || !step.is_finite() {
        return Err(Error::NotFinite {
            what: format!(
                "the central-difference step of {} (h = {} next to the value {})",
                what(),
                h,
                saved
            ),
            value: step,
        });
    }
    set(state, plus);
    let f_plus = loss(state);
    set(state, minus);
    let f_minus = loss(state);
    set(state, saved);
    Ok((f_plus?.to_f64() - f_minus?.to_f64()) / step)
}

/// The loss of one training pass of `layer` through `work`.
fn pass<L, const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
    layer: &mut L,
    loss: &impl Loss<N, C, T, Y>,
    x: &Matrix<N, I, T>,
    targets: &Y,
    work: &mut L::Workspace,
) -> Result<T, Error>
where
    L: crate::Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + ?Sized,
{
    loss.forward(layer.forward(x, work), targets)
}

/// The central difference of the loss for every element of every parameter of `net`,
/// every pass through `work` (so that a frozen dropout mask in it is the same at each).
/// The parameters hold their original bits afterwards.
pub(super) fn parameter_gradients<
    Net,
    const N: usize,
    const I: usize,
    const C: usize,
    T: Float,
    Y: ?Sized,
>(
    net: &mut Net,
    loss: &impl Loss<N, C, T, Y>,
    x: &Matrix<N, I, T>,
    targets: &Y,
    h: f64,
    work: &mut Net::Workspace,
) -> Result<Vec<NumericalGradient>, Error>
where
    Net: crate::Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T> + ?Sized,
{
    let net_loss = |net: &mut Net, work: &mut _| {
        Ok(pass(net, loss, x, targets, work)? + T::from_f64(net.penalty()))
    };
    // An unperturbed pass first: a bad target is reported before anything is touched.
    net_loss(net, work)?;
    let h = T::from_f64(h);
    let mut grads = Vec::new();
    for (p, (name, saved)) in snapshot(net).into_iter().enumerate() {
        let mut values = Vec::with_capacity(saved.len());
        for (e, &saved) in saved.iter().enumerate() {
            let mut state = (&mut *net, &mut *work);
            values.push(central_difference(
                &mut state,
                saved,
                h,
                &mut |(net, _), v| {
                    replace_element(&mut **net, p, e, v);
                },
                &mut |(net, work)| net_loss(net, work),
                || format!("{name}[{e}]"),
            )?);
        }
        grads.push(NumericalGradient { name, values });
    }
    Ok(grads)
}

/// The central difference of the loss for every element of the input `x`.
pub(super) fn input_gradient<
    L,
    const N: usize,
    const I: usize,
    const C: usize,
    T: Float,
    Y: ?Sized,
>(
    layer: &mut L,
    loss: &impl Loss<N, C, T, Y>,
    x: &Matrix<N, I, T>,
    targets: &Y,
    h: f64,
) -> Result<NumericalGradient, Error>
where
    L: crate::Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + ?Sized,
{
    let mut work = Default::default();
    pass(layer, loss, x, targets, &mut work)?;
    let h = T::from_f64(h);
    let mut state = (layer, work, x.clone());
    let mut values = Vec::with_capacity(N * I);
    for e in 0..N * I {
        let saved = x.as_slice()[e];
        values.push(central_difference(
            &mut state,
            saved,
            h,
            &mut |(_, _, xm), v| xm.as_mut_slice()[e] = v,
            &mut |(layer, work, xm)| pass(&mut **layer, loss, xm, targets, work),
            || format!("x[{e}]"),
        )?);
    }
    Ok(NumericalGradient {
        name: "x".into(),
        values,
    })
}
