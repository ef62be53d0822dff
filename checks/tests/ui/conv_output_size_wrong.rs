// (28 + 2·0 − 5)/1 + 1 = 24 rows come out of this convolution; the type says 25.
use backprop::{Conv2d, Images, Network};

fn main() {
    let conv = Conv2d::<1, 30, 5, 5, 25, 24>::zeros();
    let _scores = conv.predict(&Images::<1, 1, 28, 28>::zeros());
}
