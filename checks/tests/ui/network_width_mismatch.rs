// The first layer gives 50 features, the third takes 40.
use backprop::{Affine, Matrix, Network, Relu};

fn main() {
    let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<40, 10>::zeros());
    let x = Matrix::<100, 784>::zeros();
    let _scores = net.predict(&x);
}
