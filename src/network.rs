//! What a whole network does, written once for every layer and tuple of layers:
//! predict, loss, gradient, accuracy, summary (the book's `TwoLayerNet` methods).
//!
//! Each method states the shape it needs as a bound on the call, so a network whose
//! input width does not fit the data is reported as "layer `…` cannot take `Matrix<…>`
//! as its input", naming the layer and both widths.

use crate::layer::Shape;
use crate::matrix::argmax;
use crate::{Error, Float, Layer, Loss, Matrix, Mode, Named, Params, Summary, SummaryRow};

/// The network-level methods, available on every layer and tuple of layers (every
/// [`Named`] type).
///
/// The book's `TwoLayerNet`, trained one step:
///
/// ```
/// use backprop::{Affine, Matrix, Network, Optimizer, Relu, Sgd, SoftmaxWithLoss};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut net = (Affine::<4, 8>::random(0.5, &mut rng), Relu::new(), Affine::<8, 3>::random(0.5, &mut rng));
/// let mut loss = SoftmaxWithLoss::new();
/// let x = Matrix::<2, 4>::random_normal(1.0, &mut rng);
/// let labels = [0, 2];
///
/// let before = net.gradient(&mut loss, &x, &labels).unwrap(); // forward + backward
/// Sgd::new(0.1).step(&mut net); // W ← W − 0.1 · dW
/// let after = net.loss(&mut loss, &x, &labels).unwrap();
/// assert!(after < before);
/// assert_eq!(net.predict(&x).row(0).len(), 3);
/// ```
pub trait Network: Named {
    /// The network's output for a batch: the forward pass in inference mode
    /// ([`Mode::Infer`]: no dropout, batch norm with its running statistics).
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network};
    /// let mut net = (Affine::new(Matrix::new([[2.0]]), Matrix::new([[1.0]])),);
    /// assert_eq!(net.predict(&Matrix::new([[3.0]]))[(0, 0)], 7.0);
    /// ```
    fn predict<X>(&mut self, x: &X) -> &<Self as Layer<X>>::Out
    where
        Self: Layer<X>,
    {
        Layer::<X>::set_mode(self, Mode::Infer);
        self.forward(x)
    }

    /// The mean loss of a batch against its targets, for any [`Loss`], plus the
    /// network's [penalty](Layer::penalty) (weight decay) if it has one (forward pass
    /// only, in training mode, [`Mode::Train`]; a backward pass by hand may follow,
    /// given the same `x`).
    ///
    /// # Errors
    /// Targets the loss rejects (a label out of range, a row that is not one-hot, a
    /// value that is not a number).
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, SoftmaxWithLoss};
    /// let mut net = (Affine::<3, 2, f64>::zeros(),);
    /// let l = net.loss(&mut SoftmaxWithLoss::new(), &Matrix::<1, 3, f64>::zeros(), &[1]).unwrap();
    /// assert_eq!(l, 2.0_f64.ln());
    /// ```
    fn loss<const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &mut self,
        loss: &mut impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<T, Error>
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        Layer::<Matrix<N, I, T>>::set_mode(self, Mode::Train);
        let value = loss.forward(self.forward(x), targets)?;
        Ok(value + T::from_f64(self.penalty()))
    }

    /// Forward (in training mode, [`Mode::Train`]), loss, then backward through every
    /// layer: afterwards each parameter's
    /// gradient is stored beside it (section 5.7, step 2). Returns the loss. The
    /// input's own gradient is not computed: the data needs none
    /// ([`Layer::backward_params`]).
    ///
    /// # Errors
    /// Targets the loss rejects; the gradients are then not changed.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, MeanSquaredError, Network, SoftmaxWithLoss};
    /// let mut net = (Affine::<1, 2, f64>::zeros(),);
    /// net.gradient(&mut SoftmaxWithLoss::new(), &Matrix::new([[1.0]]), &[0]).unwrap();
    /// assert_eq!(net.0.db().as_slice(), &[-0.5, 0.5]); // (y − t)/N
    /// // the same network, any loss: ½(y − t)², ∂L/∂y = y − t = [0 − 1, 0 − 3]
    /// net.gradient(&mut MeanSquaredError::new(), &Matrix::new([[1.0]]), &Matrix::new([[1.0, 3.0]])).unwrap();
    /// assert_eq!(net.0.db().as_slice(), &[-1.0, -3.0]);
    /// ```
    fn gradient<const N: usize, const I: usize, const C: usize, T: Float, Y: ?Sized>(
        &mut self,
        loss: &mut impl Loss<N, C, T, Y>,
        x: &Matrix<N, I, T>,
        targets: &Y,
    ) -> Result<T, Error>
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        Layer::<Matrix<N, I, T>>::set_mode(self, Mode::Train);
        let value = loss.forward(self.forward(x), targets)?;
        self.backward_params(x, loss.backward());
        Ok(value + T::from_f64(self.penalty()))
    }

    /// The fraction of rows whose highest score is at their label.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network};
    /// let mut net = (Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::zeros()),);
    /// let x = Matrix::new([[1.0], [-1.0], [2.0]]);
    /// assert_eq!(net.accuracy(&x, &[0, 1, 1]), 2.0 / 3.0);
    /// ```
    fn accuracy<const N: usize, const I: usize, const C: usize, T: Float>(
        &mut self,
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
    /// let mut net = (Affine::new(Matrix::new([[1.0, -1.0]]), Matrix::zeros()),);
    /// assert_eq!(net.correct(&Matrix::new([[1.0], [-1.0]]), &[0, 0]), 1);
    /// ```
    fn correct<const N: usize, const I: usize, const C: usize, T: Float>(
        &mut self,
        x: &Matrix<N, I, T>,
        labels: &[usize; N],
    ) -> usize
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        let scores = self.predict(x);
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
