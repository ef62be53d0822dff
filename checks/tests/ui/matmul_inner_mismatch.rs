// A·B needs as many rows in B as A has columns: (2×3)·(2×3) is not a product.
use backprop::Matrix;

fn main() {
    let a = Matrix::<2, 3>::zeros();
    let b = Matrix::<2, 3>::zeros();
    let _c = a.matmul(&b);
}
