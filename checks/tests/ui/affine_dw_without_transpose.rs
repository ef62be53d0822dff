// The weight gradient of an Affine layer is dW = Xᵀ·dY. Written as dY·X it does not
// compile: (100×10)·(100×50) has mismatched inner dimensions.
use backprop::Matrix;

fn main() {
    let x = Matrix::<100, 50>::zeros(); // the layer's input
    let dy = Matrix::<100, 10>::zeros(); // ∂L/∂Y
    let _dw: Matrix<50, 10> = dy.matmul(&x);
}
