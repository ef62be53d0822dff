// A workspace made for batches of 100 rows, used for one of 1.
use backprop::{Affine, Layer, Matrix, Network, Relu};

fn main() {
    let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<50, 10>::zeros());
    let mut work = net.workspace::<Matrix<100, 784>>();
    let _ = net.infer(&Matrix::<1, 784>::zeros(), &mut work);
}
