//! Layers of your own, written with the public API only, next to the crate's in one
//! network: `Tanh`, an activation built on `backprop::Elementwise` (its two formulas
//! and a few lines of glue), and `Scale<C>`, a layer with a parameter that keeps its
//! per-batch buffers in a `backprop::Cache` and lists its parameter with `params!`.
//!
//! ```text
//! cargo run --release --example custom_layer
//! ```
//!
//! The network `(Affine<4, 16, f64>, Tanh, Scale<16>, Affine<16, 3, f64>)` learns three
//! Gaussian blobs in 4-D (your own data: `Dataset::classification`, 900 training and
//! 300 test points from a seeded generator) with `train`, `SoftmaxWithLoss<30, 3>` and
//! Adam. The summary table names both custom layers with their parameter counts
//! (`Tanh` 0, `Scale<16>` 16), and the gradient check compares every parameter's
//! backprop gradient, `Scale`'s `2.s` among them, with central differences in f64, on
//! the trained network and the first four test points.
//!
//! Measured (release, shared 2-core machine): test accuracy 0.8967 (train 0.9144)
//! after 300 iterations — the blobs overlap (centres 2.8 to 3 apart, noise 1), so
//! about 0.9 is all any classifier gets — and the last line
//! `gradient check: max mean |diff| = 2.8e-10` (worst on `0.w`; `2.s` 3.0e-12). The
//! whole run takes about 0.01 s. Written with `1 − y` instead of `1 − y²`, Tanh's
//! backward gives 6.3e-2 on `0.w` and `0.b` and the example exits 1.
//!
//! Exit code 1 if the gradient check exceeds 1e-8.

use std::error::Error;
use std::process::ExitCode;

use backprop::data::{Dataset, Labels, Splits};
use backprop::train::{EpochStats, TrainConfig, train};
use backprop::{
    Adam, Affine, Cache, Elementwise, Float, Layer, Matrix, Named, Network, Params,
    SoftmaxWithLoss, gradient_check, params,
};
use rand::{SeedableRng, rngs::StdRng};

/// The hyperbolic tangent, element-wise:
///
/// ```text
/// forward:  y = tanh x
/// backward: ∂L/∂x = ∂L/∂y · (1 − y²)
/// ```
///
/// Like the crate's `Sigmoid`, backward reads the output `y` that forward kept.
#[derive(Debug, Clone)]
struct Tanh(Elementwise);

impl Tanh {
    fn new() -> Self {
        Self(Elementwise::new("Tanh"))
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Tanh {
    type Out = Matrix<N, C, T>;

    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        self.0.forward(x, Float::tanh)
    }

    fn output(&self) -> &Matrix<N, C, T> {
        self.0.output()
    }

    fn backward(&mut self, x: &Matrix<N, C, T>, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        self.0.backward(x, dout, |_x, y, g| g * (T::ONE - y * y))
    }
}

impl Named for Tanh {}

/// Tanh has no parameters: the visitor sees nothing.
impl<T: Float> Params<T> for Tanh {}

/// Multiplies each column by a factor of its own, learned:
///
/// ```text
/// forward:  Y = X ⊙ s            s: 1×C, the same for every row
/// backward: ∂L/∂X = ∂L/∂Y ⊙ s
///           ∂L/∂s = Σ_rows ∂L/∂Y ⊙ X
/// ```
///
/// The output and ∂L/∂X depend on the batch size `N`, so they live in a [`Cache`],
/// one set per batch size; `s` and its gradient `ds` do not.
#[derive(Debug, Clone)]
struct Scale<const C: usize, T = f64> {
    s: Matrix<1, C, T>,
    ds: Matrix<1, C, T>,
    cache: Cache,
}

struct ScaleBuffers<const N: usize, const C: usize, T> {
    out: Matrix<N, C, T>,
    dx: Matrix<N, C, T>,
}

impl<const C: usize, T: Float> Scale<C, T> {
    /// Every factor 1: the layer starts as the identity.
    fn ones() -> Self {
        Self {
            s: Matrix::filled(T::ONE),
            ds: Matrix::zeros(),
            cache: Cache::new(),
        }
    }
}

impl<const N: usize, const C: usize, T: Float> Layer<Matrix<N, C, T>> for Scale<C, T> {
    type Out = Matrix<N, C, T>;

    /// Y = X ⊙ s, row by row.
    fn forward(&mut self, x: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf = self.cache.for_forward(|| ScaleBuffers::<N, C, T> {
            out: Matrix::zeros(),
            dx: Matrix::zeros(),
        });
        for (y_row, x_row) in buf.out.rows_mut().zip(x.rows()) {
            for ((y, &x), &s) in y_row.iter_mut().zip(x_row).zip(self.s.as_slice()) {
                *y = x * s;
            }
        }
        &buf.out
    }

    fn output(&self) -> &Matrix<N, C, T> {
        &self.cache.last::<ScaleBuffers<N, C, T>>(&"Scale").out
    }

    /// ds = Σ_rows dY ⊙ X, dX = dY ⊙ s.
    fn backward(&mut self, x: &Matrix<N, C, T>, dout: &Matrix<N, C, T>) -> &Matrix<N, C, T> {
        let buf: &mut ScaleBuffers<N, C, T> = self.cache.for_backward(&"Scale");
        self.ds.as_mut_slice().fill(T::ZERO);
        let rows = buf.dx.rows_mut().zip(x.rows()).zip(dout.rows());
        for ((dx_row, x_row), dy_row) in rows {
            let columns = dx_row.iter_mut().zip(x_row).zip(dy_row);
            let params = self.s.as_slice().iter().zip(self.ds.as_mut_slice());
            for (((dx, &x), &dy), (&s, ds)) in columns.zip(params) {
                *dx = dy * s;
                *ds += dy * x;
            }
        }
        &buf.dx
    }
}

/// `Scale<16>`: a name of its own, as the crate's `Affine<I, O>` has, rather than the
/// default from `std::any::type_name` (whose exact text the compiler does not promise).
impl<const C: usize, T> Named for Scale<C, T> {
    fn name(&self) -> String {
        format!("Scale<{C}>")
    }
}

/// One parameter, `s`, with its gradient `ds`.
impl<const C: usize, T: Float> Params<T> for Scale<C, T> {
    params!(T; vector s => ds);
}

/// The inputs' width, the hidden width and the number of classes.
const INPUTS: usize = 4;
const HIDDEN: usize = 16;
const CLASSES: usize = 3;
/// The minibatch size, fixed by the loss's type.
const BATCH: usize = 30;
/// The crate's layers and the two above, in one tuple.
type Net = (
    Affine<INPUTS, HIDDEN, f64>,
    Tanh,
    Scale<HIDDEN>,
    Affine<HIDDEN, CLASSES, f64>,
);
/// The centre of each class's blob; every blob has standard deviation 1 in each
/// direction, so they overlap a little.
const CENTRES: [[f64; INPUTS]; CLASSES] = [
    [2.0, 0.0, 0.0, 0.0],
    [0.0, 2.0, 0.0, 0.0],
    [0.0, 0.0, 2.0, 1.0],
];
const TRAIN_PER_CLASS: usize = 300;
const TEST_PER_CLASS: usize = 100;
const ITERS: usize = 300;
const LEARNING_RATE: f64 = 0.01;
const SEED: u64 = 0;
/// The gradient check's batch, and the bound on its result.
const CHECK_ROWS: usize = 4;
const CHECK_BOUND: f64 = 1e-8;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!(
                "error: the gradient check exceeds {CHECK_BOUND:.0e}: a backward disagrees with \
                 central differences (see the table above)"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Trains, summarizes and checks; `Ok(false)` when the check fails its bound.
fn run() -> Result<bool, Box<dyn Error>> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let data = Splits {
        train: blobs(TRAIN_PER_CLASS, &mut rng)?,
        test: blobs(TEST_PER_CLASS, &mut rng)?,
    };
    let mut net: Net = (
        Affine::xavier(&mut rng),
        Tanh::new(),
        Scale::ones(),
        Affine::xavier(&mut rng),
    );
    println!("{}", net.summary::<Matrix<BATCH, INPUTS, f64>>());

    let config = TrainConfig {
        iters: ITERS,
        seed: SEED,
    };
    println!(
        "training: {ITERS} iterations of batches of {BATCH}, Adam at lr {LEARNING_RATE}; \
         {} training and {} test points",
        data.train.len(),
        data.test.len()
    );
    let mut loss = SoftmaxWithLoss::<BATCH, CLASSES, f64>::new();
    let history = train(
        &mut net,
        &mut loss,
        &mut Adam::new(LEARNING_RATE),
        &data,
        &config,
        |e| println!("{}", epoch_line(e)),
        |_| {},
    )?;
    let last = history.last().ok_or("no epoch was trained")?;
    println!(
        "accuracy: train {:.4}, test {:.4}",
        last.train_metric, last.test_metric
    );
    println!();

    // The trained network, on the first test points (one of each class and more).
    let (x, labels) = data
        .test
        .batch::<CHECK_ROWS>(0)
        .ok_or("the test set is smaller than the check's batch")?;
    let report = gradient_check(&mut net, &mut SoftmaxWithLoss::new(), &x, &labels)?;
    print!("{report}");
    let max = report.max_mean_abs_diff();
    println!("gradient check: max mean |diff| = {max:.1e}");
    Ok(max <= CHECK_BOUND)
}

/// `per_class` points of each class, the classes taking turns, each point its
/// class's centre plus noise from N(0, 1) in every direction.
fn blobs(
    per_class: usize,
    rng: &mut StdRng,
) -> Result<Dataset<INPUTS, Labels<CLASSES>, f64>, backprop::Error> {
    let labels: Vec<usize> = (0..per_class * CLASSES).map(|i| i % CLASSES).collect();
    let inputs = labels
        .iter()
        .map(|&class| {
            let noise = Matrix::<1, INPUTS, f64>::random_normal(1.0, rng);
            CENTRES[class]
                .iter()
                .zip(noise.as_slice())
                .map(|(c, n)| c + n)
                .collect()
        })
        .collect();
    Dataset::classification(inputs, labels)
}

fn epoch_line(e: &EpochStats) -> String {
    format!(
        "epoch {:>2}  iter {:>4}  train_acc={:.4}  test_acc={:.4}  loss={:.4}",
        e.epoch, e.iteration, e.train_metric, e.test_metric, e.mean_loss
    )
}
