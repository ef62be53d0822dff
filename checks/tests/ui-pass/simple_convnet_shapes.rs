// The book's SimpleConvNet with every size right builds: the size checks pass.
use backprop::{Affine, Conv2d, Flatten, Matrix, MaxPool2d, Network, Relu, Unflatten};

type SimpleConvNet = (
    Unflatten<1, 28, 28>,
    Conv2d<1, 30, 5, 5, 24, 24>,
    Relu,
    MaxPool2d<2, 2, 12, 12>,
    Flatten<4320>,
    Affine<4320, 100>,
    Relu,
    Affine<100, 10>,
);

fn main() {
    let net: SimpleConvNet = (
        Unflatten,
        Conv2d::zeros(),
        Relu,
        MaxPool2d::new(),
        Flatten,
        Affine::zeros(),
        Relu,
        Affine::zeros(),
    );
    let scores: Matrix<1, 10> = net.predict(&Matrix::<1, 784>::zeros());
    assert_eq!(scores.as_slice(), &[0.0; 10]);
}
