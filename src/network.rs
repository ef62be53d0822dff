//! What a whole network does, written once for every layer and tuple of layers:
//! predict, loss, gradient, accuracy, summary (the book's `TwoLayerNet` methods).
//!
//! Each method states the shape it needs as a bound on the call, so a network whose
//! input width does not fit the data is reported as "layer `…` cannot take `Matrix<…>`
//! as its input", naming the layer and both widths.

use crate::matrix::argmax;
use crate::{Error, Float, Layer, Matrix, SoftmaxWithLoss, Summary, Targets};

/// The network-level methods, available on every [`Layer`] (a tuple network included).
///
/// The book's `TwoLayerNet`, trained one step:
///
/// ```
/// use backprop::{Affine, Matrix, Network, Relu, Sgd, SoftmaxWithLoss};
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
pub trait Network {
    /// The network's output for a batch: the forward pass, through
    /// [`Layer::forward_borrowed`] (inference needs no copy of the input). For a
    /// backward pass by hand afterwards, run [`Layer::forward`] instead: an `Affine`
    /// first layer refuses a `backward` after a borrowed forward (it panics, naming
    /// itself and `backward_params_borrowed`).
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
        self.forward_borrowed(x)
    }

    /// The mean loss of a batch against its targets (forward pass only; every layer
    /// keeps what its `backward` needs, so a backward pass by hand may follow).
    ///
    /// # Errors
    /// A label out of range or a target row that is not one-hot.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, SoftmaxWithLoss};
    /// let mut net = (Affine::<3, 2, f64>::zeros(),);
    /// let l = net.loss(&mut SoftmaxWithLoss::new(), &Matrix::<1, 3, f64>::zeros(), &[1]).unwrap();
    /// assert_eq!(l, 2.0_f64.ln());
    /// ```
    fn loss<const N: usize, const I: usize, const C: usize, T: Float>(
        &mut self,
        loss: &mut SoftmaxWithLoss<N, C, T>,
        x: &Matrix<N, I, T>,
        targets: &impl Targets<N, C, T>,
    ) -> Result<T, Error>
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        loss.forward(self.forward(x), targets)
    }

    /// Forward, loss, then backward through every layer: afterwards each parameter's
    /// gradient is stored beside it (section 5.7, step 2). Returns the loss. The
    /// input's own gradient is not computed: the data needs none; nor is the input
    /// copied ([`Layer::forward_borrowed`]).
    ///
    /// # Errors
    /// A label out of range or a target row that is not one-hot; the network is then
    /// not changed.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, SoftmaxWithLoss};
    /// let mut net = (Affine::<1, 2, f64>::zeros(),);
    /// net.gradient(&mut SoftmaxWithLoss::new(), &Matrix::new([[1.0]]), &[0]).unwrap();
    /// assert_eq!(net.0.db().as_slice(), &[-0.5, 0.5]); // (y − t)/N
    /// ```
    fn gradient<const N: usize, const I: usize, const C: usize, T: Float>(
        &mut self,
        loss: &mut SoftmaxWithLoss<N, C, T>,
        x: &Matrix<N, I, T>,
        targets: &impl Targets<N, C, T>,
    ) -> Result<T, Error>
    where
        Self: Layer<Matrix<N, I, T>, Out = Matrix<N, C, T>>,
    {
        let value = loss.forward(self.forward_borrowed(x), targets)?;
        self.backward_params_borrowed(x, loss.backward());
        Ok(value)
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
        let scores = self.forward_borrowed(x);
        scores
            .rows()
            .zip(labels)
            .filter(|(row, label)| argmax(row) == **label)
            .count()
    }

    /// A table of the layers with their output shapes for input `X` and their
    /// parameter counts.
    ///
    /// ```
    /// use backprop::{Affine, Matrix, Network, Relu};
    /// let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<50, 10>::zeros());
    /// let s = net.summary::<Matrix<100, 784>>();
    /// assert_eq!(s.rows[1].output, (100, 50));
    /// assert_eq!(s.total_params(), 39760);
    /// ```
    fn summary<X>(&self) -> Summary
    where
        Self: Layer<X>,
    {
        let mut rows = Vec::new();
        self.summarize(&mut rows);
        Summary { rows }
    }
}

impl<L: ?Sized> Network for L {}
