// 30 channels of 12×12 are 4320 values an image; the type says 4321.
use backprop::{Flatten, Images, Network};

fn main() {
    let _row = Flatten::<4321>.predict(&Images::<1, 30, 12, 12>::zeros());
}
