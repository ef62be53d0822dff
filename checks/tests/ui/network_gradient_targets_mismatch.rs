// A regression net gives 2 values a row, but the targets have 3.
use backprop::{Affine, Matrix, MeanSquaredError, Network};

fn main() {
    let mut net = (Affine::<4, 2>::zeros(),);
    let x = Matrix::<8, 4>::zeros();
    let targets = Matrix::<8, 3>::zeros();
    let _ = net.gradient(&MeanSquaredError::new(), &x, &targets);
}
