// 100 rows of scores, but only 3 labels.
use backprop::{Loss, Matrix, SoftmaxWithLoss};

fn main() {
    let scores = Matrix::<100, 10>::zeros();
    let loss = SoftmaxWithLoss::new();
    let _ = loss.forward(&scores, &[0, 1, 2]);
}
