//! A trained network is `Sync`: inference takes `&self`, so several threads predict
//! with one network at once and get the bits one thread gets.

use crate::common::book_net;

use backprop::data::Mnist;
use backprop::train::{BatchSize, Trainer, evaluate};
use backprop::{Matrix, Network, Sgd, SoftmaxWithLoss};
use book_net::{Book, book, snapshot};
use rand::{SeedableRng, rngs::StdRng};

/// Compiles only for a type that can be shared between threads.
fn assert_sync<T: Sync>() {}

// The assertion at compile time, in f32 and f64.
const _: fn() = assert_sync::<Book>;
const _: fn() = assert_sync::<Book<f64>>;

fn bits<const R: usize, const C: usize>(y: &Matrix<R, C>) -> Vec<u32> {
    y.as_slice().iter().map(|v| v.to_bits()).collect()
}

#[test]
fn a_trained_network_predicts_from_four_threads_at_once_with_the_same_bits() {
    assert_sync::<Book>();
    let mnist: Mnist = Mnist::load_default().unwrap();
    let initial = book::<f32>(11);
    let mut trainer = Trainer::new(
        initial.clone(),
        SoftmaxWithLoss::new(),
        Sgd::new(0.1),
        BatchSize::<100>,
    );
    let mut rng = StdRng::seed_from_u64(0);
    for _ in 0..20 {
        let loss = trainer.step_random(&mnist.train, &mut rng).unwrap();
        assert!(loss.is_finite());
    }
    let net: Book = trainer.into_net();
    assert_ne!(
        snapshot(&net),
        snapshot(&initial),
        "training changed nothing"
    );

    let (x, _) = mnist.test.batch::<100>(0).unwrap();
    let alone = (bits(&net.predict(&x)), evaluate(&net, &mnist.test).unwrap());
    assert!(
        alone.1 > 0.2,
        "20 steps should beat chance (0.1): {}",
        alone.1
    );

    let shared = &net;
    let together: Vec<(Vec<u32>, f64)> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let y = bits(&shared.predict(&x));
                    (y, evaluate(shared, &mnist.test).unwrap())
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(together.len(), 4);
    for (k, (y, accuracy)) in together.iter().enumerate() {
        assert_eq!(y, &alone.0, "thread {k}: predict");
        assert_eq!(
            accuracy.to_bits(),
            alone.1.to_bits(),
            "thread {k}: evaluate {accuracy} vs {}",
            alone.1
        );
    }
}
