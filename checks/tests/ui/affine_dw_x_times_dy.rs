// dW = Xᵀ·dY: forgetting the transpose, X·dY is (100×50)·(100×10).
use backprop::Matrix;

fn main() {
    let x = Matrix::<100, 50>::zeros();
    let dy = Matrix::<100, 10>::zeros();
    let _dw: Matrix<50, 10> = x.matmul(&dy);
}
