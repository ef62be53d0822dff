//! The book's `TwoLayerNet` (section 5.7) as a tuple of layers plus a loss:
//! `predict`, `loss`, `accuracy` and `gradient` on real MNIST digits, then a few SGD
//! steps to watch the loss fall.
//!
//!     cargo run --release --example two_layer_net

use std::process::ExitCode;

use backprop::data::{DEFAULT_DIR, Mnist};
use backprop::{Affine, Matrix, Network, Relu, Sgd, SoftmaxWithLoss};
use rand::{SeedableRng, rngs::StdRng};

/// TwoLayerNet(input_size=784, hidden_size=50, output_size=10).
type TwoLayerNet = (Affine<784, 50>, Relu, Affine<50, 10>);

fn main() -> ExitCode {
    let mnist: Mnist = match Mnist::load(DEFAULT_DIR) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut rng = StdRng::seed_from_u64(0);
    // weight_init_std = 0.01, biases zero, as the book.
    let mut net: TwoLayerNet = (
        Affine::random(0.01, &mut rng),
        Relu::new(),
        Affine::random(0.01, &mut rng),
    );
    println!("{}\n", net.summary::<Matrix<100, 784>>());

    let loss = SoftmaxWithLoss::new();
    let (x, t) = mnist.train.random_batch::<100>(&mut rng);
    let scores = net.predict(&x);
    println!("predict: scores of the first image {:.4?}", scores.row(0));
    let l = net.loss(&loss, &x, &t).expect("MNIST labels are below 10");
    println!(
        "loss before training: {l:.4} (ln 10 = {:.4}: a uniform guess)",
        10f32.ln()
    );
    println!("accuracy before training: {:.2}", net.accuracy(&x, &t));

    let sgd = Sgd::new(0.1);
    for i in 1..=300 {
        let (x, t) = mnist.train.random_batch::<100>(&mut rng);
        let l = net
            .gradient(&loss, &x, &t)
            .expect("MNIST labels are below 10");
        sgd.step(&mut net);
        if i % 100 == 0 {
            println!("step {i}: minibatch loss {l:.4}");
        }
    }
    let (x, t) = mnist.test.random_batch::<100>(&mut rng);
    println!(
        "accuracy on 100 test digits after 300 steps: {:.2}",
        net.accuracy(&x, &t)
    );
    ExitCode::SUCCESS
}
