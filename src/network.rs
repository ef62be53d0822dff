//! What a whole network does, written once for every layer and tuple of layers:
//! predict, loss, gradient, accuracy, summary (the book's `TwoLayerNet` methods).
//!
//! Each method states the shape it needs as a bound on the call, so a network whose
//! input width does not fit the data is reported as "layer `…` cannot take `Matrix<…>`
//! as its input", naming the layer and both widths.

use crate::layer::Shape;
use crate::matrix::argmax;
use crate::{Error, Float, Layer, Loss, Matrix, Named, Params, Summary, SummaryRow};

/// The network-level methods, available on every layer and tuple of layers (every
/// [`Named`] type).
///
/// Inference takes `&self`: a trained network is shared, across threads too. Each of
/// these methods makes the workspace it needs; a loop that should allocate nothing
/// keeps one ([`workspace`](Network::workspace)) and calls [`Layer::infer`], or uses a
/// [`Trainer`](crate::train::Trainer).
///
/// The book's `TwoLayerNet`, trained one step:
///
/// ```
/// use backprop::{Affine, Matrix, Network, Optimizer, Relu, Sgd, SoftmaxWithLoss};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net = (Affine::<4, 8>::random(0.5, &mut rng), Relu::new(), Affine::<8, 3>::random(0.5, &mut rng));
/// let loss = SoftmaxWithLoss::new();
/// let x = Matrix::<2, 4>::random_normal(1.0, &mut rng);
/// let labels = [0, 2];
///
/// let before = net.gradient(&loss, &x, &labels).unwrap(); // forward + backward
/// Sgd::new(0.1).step(&mut net); // W ← W − 0.1 · dW
/// let after = net.loss(&loss, &x, &labels).unwrap();
/// assert!(after < before);
/// assert_eq!(net.predict(&x).row(0).len(), 3);
/// ```
pub trait Network: Named {
    /// A zeroed workspace for batches of type `X`: the buffers a pass over such a batch
    /// fills, to pass to [`Layer::infer`], [`Layer::forward`] and [`Layer::backward`]
    /// again and again.
    ///
    /// ```
    /// use backprop::{Affine, Layer, Matrix, Network, Relu};
    /// let net = (Affine::<2, 3>::zeros(), Relu::new());
    /// let mut work = net.workspace::<Matrix<5, 2>>();
    /// assert_eq!(net.infer(&Matrix::zeros(), &mut work).row(4), [0.0; 3]);
    /// ```
    fn workspace<X>(&self) -> <Self as Layer<X>>::Workspace
    where
        Self: Layer<X>,
    {
        Default::default()
    }

    /// The network's output for a batch, in inference (no dropout, batch norm with its
    /// running statistics), through a workspace made for the call.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network};
    /// let net = (Affine::new(Matrix::new([[2.0]]), Matrix::new([[1.0]])),);
    /// assert_eq!(net.predict(&Matrix::new([[3.0]]))[(0, 0)], 7.0);
    /// ```
    fn predict<X>(&self, x: &X) -> <Self as Layer<X>>::Out
    where
        Self: Layer<X>,
    {
        let mut work = Default::default();
        self.infer(x, &mut work);
        <Self as Layer<X>>::output(&work).clone()
    }

    /// The mean loss of a batch against its targets, for any [`Loss`], plus the
    /// network's [penalty](Params::penalty) (weight decay) if it has one: a training
    /// pass ([`Layer::forward`]: dropout draws, batch norm uses the batch's statistics).
    ///
    /// # Errors
    /// Targets the loss rejects (a label out of range, a row that is not one-hot, a
    /// value that is not a number).
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, SoftmaxWithLoss};
    /// let mut net = (Affine::<3, 2, f64>::zeros(),);
    /// let l = net.loss(&SoftmaxWithLoss::new(), &Matrix::<1, 3, f64>::zeros(), &[1]).unwrap();
    /// assert_eq!(l, 2.0_f64.ln());
    /// ```
    fn loss<const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &mut self,
        loss: &impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<T, Error>
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T>,
    {
        let mut work = Default::default();
        let value = loss.forward(self.forward(x, &mut work), targets)?;
        Ok(value + T::from_f64(self.penalty()))
    }

    /// A training pass, the loss, then backward through every layer: afterwards each
    /// parameter's gradient is stored beside it (section 5.7, step 2). Returns the loss
    /// (with the penalty, as [`loss`](Network::loss)). The input's own gradient is not
    /// computed: the data needs none ([`Layer::backward_params`]).
    ///
    /// # Errors
    /// Targets the loss rejects; the gradients are then not changed.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, MeanSquaredError, Network, SoftmaxWithLoss};
    /// let mut net = (Affine::<1, 2, f64>::zeros(),);
    /// net.gradient(&SoftmaxWithLoss::new(), &Matrix::new([[1.0]]), &[0]).unwrap();
    /// assert_eq!(net.0.db().as_slice(), &[-0.5, 0.5]); // (y − t)/N
    /// // the same network, any loss: ½(y − t)², ∂L/∂y = y − t = [0 − 1, 0 − 3]
    /// net.gradient(&MeanSquaredError::new(), &Matrix::new([[1.0]]), &Matrix::new([[1.0, 3.0]])).unwrap();
    /// assert_eq!(net.0.db().as_slice(), &[-1.0, -3.0]);
    /// ```
    fn gradient<const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &mut self,
        loss: &impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<T, Error>
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T>,
    {
        backprop(
            self,
            loss,
            x,
            targets,
            &mut Default::default(),
            &mut Matrix::zeros(),
        )
    }

    /// The fraction of rows whose highest score is at their label.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network};
    /// let net = (Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::zeros()),);
    /// let x = Matrix::new([[1.0], [-1.0], [2.0]]);
    /// assert_eq!(net.accuracy(&x, &[0, 1, 1]), 2.0 / 3.0);
    /// ```
    fn accuracy<const N: usize, const I: usize, const C: usize, T: Float>(
        &self,
        x: &Matrix<N, I, T>,
        labels: &[usize; N],
    ) -> f64
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        self.correct(x, labels) as f64 / N as f64
    }

    /// How many rows have their highest score at their label.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network};
    /// let net = (Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::zeros()),);
    /// assert_eq!(net.correct(&Matrix::new([[1.0], [-1.0]]), &[0, 0]), 1);
    /// ```
    fn correct<const N: usize, const I: usize, const C: usize, T: Float>(
        &self,
        x: &Matrix<N, I, T>,
        labels: &[usize; N],
    ) -> usize
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        let mut work = Default::default();
        let scores = self.infer(x, &mut work);
        scores
            .rows()
            .zip(labels)
            .filter(|(row, label)| argmax(row) == **label)
            .count()
    }

    /// A table of the layers with their output shapes for input `X` and their
    /// parameter counts, counted by the parameter visitor.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, Relu};
    /// let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<50, 10>::zeros());
    /// let s = net.summary::<Matrix<100, 784>>();
    /// assert_eq!(s.rows[1].output, (100, 50));
    /// assert_eq!((s.rows[2].position.as_str(), s.rows[2].params), ("2", 510));
    /// assert_eq!(s.total_params(), 39760);
    /// ```
    fn summary<X: Shape>(&self) -> Summary
    where
        Self: Layer<X> + Params<X::Elem>,
    {
        let mut rows = Vec::new();
        self.summarize("", &mut rows);
        self.inspect_params(&mut |p| {
            owner(&mut rows, &p.name.to_string()).params += p.values.len()
        });
        self.inspect_state(&mut |p| owner(&mut rows, &p.name.to_string()).state += p.values.len());
        Summary { rows }
    }
}

impl<L: Named + ?Sized> Network for L {}

/// A training pass through `work`, the loss with ∂L/∂scores written into `dscores`, and
/// backward through every layer (no gradient for the input): what
/// [`Network::gradient`], a trainer's step and the gradient check share. Returns the
/// loss with the network's penalty.
pub(crate) fn backprop<Net, const N: usize, const I: usize, const C: usize, T, Y>(
    net: &mut Net,
    loss: &impl Loss<N, C, T, Y>,
    x: &Matrix<N, I, T>,
    targets: &Y,
    work: &mut Net::Workspace,
    dscores: &mut Matrix<N, C, T>,
) -> Result<T, Error>
where
    T: Float,
    Y: ?Sized,
    Net: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>> + Params<T> + ?Sized,
{
    let value = loss.backward(net.forward(x, work), targets, dscores)?;
    net.backward_params(x, dscores, work);
    Ok(value + T::from_f64(net.penalty()))
}

/// The row of the layer a parameter named `name` belongs to: the one whose position is
/// the longest prefix of the name (`2` for `2.w`; the only row for a bare layer's `w`).
fn owner<'a>(rows: &'a mut [SummaryRow], name: &str) -> &'a mut SummaryRow {
    rows.iter_mut()
        .filter(|r| {
            r.position.is_empty()
                || name
                    .strip_prefix(r.position.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|r| r.position.len())
        .unwrap_or_else(|| panic!("summary: parameter `{name}` belongs to no layer of the network"))
}
