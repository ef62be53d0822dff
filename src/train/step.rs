//! One training step on a network's parts: forward, loss, backward, update.

use crate::network::backprop;
use crate::{Error, Float, Layer, Loss, Matrix, Optimizer, Params};

/// [`Trainer::step`], on the trainer's parts, so that it can also take the trainer's
/// own batch.
#[allow(clippy::too_many_arguments)]
pub(super) fn step<Net, L, Opt, const N: usize, const I: usize, const O: usize, T, Y>(
    net: &mut Net,
    loss: &L,
    optimizer: &mut Opt,
    work: &mut Net::Workspace,
    dscores: &mut Matrix<N, O, T>,
    steps: &mut usize,
    x: &Matrix<N, I, T>,
    targets: &Y,
) -> Result<T, Error>
where
    T: Float,
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, O, T>> + Params<T>,
    L: Loss<N, O, T, Y>,
    Opt: Optimizer<T>,
    Y: ?Sized,
{
    let value = backprop(net, loss, x, targets, work, dscores)?;
    if !value.is_finite() {
        return Err(Error::NotFinite {
            what: format!("loss at iteration {}", *steps + 1),
            value: value.to_f64(),
        });
    }
    optimizer.step(net);
    *steps += 1;
    Ok(value)
}
