// 30 channels of 12×12 are 4320 values an image; the Affine says 4321 inputs.
use backprop::{Affine, Images, Network};

fn main() {
    let _scores = Affine::<4321, 100>::zeros().predict(&Images::<1, 30, 12, 12>::zeros());
}
