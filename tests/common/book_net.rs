//! The book's two-layer net drawn from a seed, and every parameter as bits, for the
//! tests that save and load weights (tests/weights.rs, tests/weights_refused.rs).

use backprop::{Affine, Float, Params, Relu};
use rand::{SeedableRng, rngs::StdRng};

/// The book's two-layer net, 784-50-10 with ReLU, in f32 unless told.
pub type Book<T = f32> = (Affine<784, 50, T>, Relu, Affine<50, 10, T>);

/// A [`Book`] net with weights drawn with std 0.01 from `seed`.
pub fn book<T: Float>(seed: u64) -> Book<T> {
    let mut rng = StdRng::seed_from_u64(seed);
    (
        Affine::random(0.01, &mut rng),
        Relu::new(),
        Affine::random(0.01, &mut rng),
    )
}

/// Every parameter's name and values, as bits (so that a NaN would compare too).
pub fn snapshot<T: Float>(net: &impl Params<T>) -> Vec<(String, Vec<u64>)> {
    let mut all = Vec::new();
    net.inspect_params(&mut |p| {
        let bits = p.values.iter().map(|v| v.to_f64().to_bits()).collect();
        all.push((p.name.to_string(), bits));
    });
    all
}
