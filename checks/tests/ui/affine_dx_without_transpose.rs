// The input gradient is dX = dY·Wᵀ. Without the transpose, dY·W is (100×10)·(50×10).
use backprop::Matrix;

fn main() {
    let w = Matrix::<50, 10>::zeros();
    let dy = Matrix::<100, 10>::zeros();
    let _dx: Matrix<100, 50> = dy.matmul(&w);
}
