// An Affine<784, 50> adds one bias per output: b must be 1×50.
use backprop::{Affine, Matrix};

fn main() {
    let _layer = Affine::new(Matrix::<784, 50>::zeros(), Matrix::<1, 40>::zeros());
}
