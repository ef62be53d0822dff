// Scores over 10 classes, one-hot targets over 9.
use backprop::{Loss, Matrix, SoftmaxWithLoss};

fn main() {
    let scores = Matrix::<100, 10>::zeros();
    let targets = Matrix::<100, 9>::zeros();
    let loss = SoftmaxWithLoss::new();
    let _ = loss.forward(&scores, &targets);
}
