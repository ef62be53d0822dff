//! Loading the shipped MNIST subset and the batches drawn from it.
//!
//! One test reads the full-size Fashion-MNIST from Debian's `dataset-fashion-mnist`,
//! which a machine may lack: it is `#[ignore]`d, so a plain `cargo test` lists it as
//! ignored, with the reason, rather than passing it without having checked anything.
//! `cargo test --release --test integration -- --ignored fashion` runs it (with the
//! book's recipe on Fashion-MNIST, tests/fashion.rs), and then missing data is a
//! failure whose message says how to install it. CI (`.ci/run`) installs the package
//! and runs the ignored tests this way.

use std::sync::OnceLock;

use backprop::Matrix;
use backprop::data::{Mnist, PIXELS, Split};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The shipped data, loaded once for all tests of this file.
fn mnist() -> &'static Mnist {
    static MNIST: OnceLock<Mnist> = OnceLock::new();
    MNIST.get_or_init(|| Mnist::load_default().expect("the shipped data/mnist loads"))
}

fn histogram(labels: &[u32]) -> [usize; 10] {
    let mut counts = [0; 10];
    for &l in labels {
        counts[l as usize] += 1;
    }
    counts
}

#[test]
fn shipped_subset_has_the_official_numbers() {
    let mnist = mnist();
    assert_eq!(mnist.train.len(), 10_000);
    assert_eq!(mnist.test.len(), 10_000);
    // The official order of the training set starts 5 0 4 1 9; the test set 7 2 1 0 4.
    assert_eq!(mnist.train.labels()[..5], [5, 0, 4, 1, 9]);
    assert_eq!(mnist.test.labels()[..5], [7, 2, 1, 0, 4]);
    // The published class counts of the MNIST test set, and of the first 10,000
    // training digits.
    assert_eq!(
        histogram(mnist.test.labels()),
        [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    );
    let train = histogram(mnist.train.labels());
    assert_eq!(
        train,
        [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
    );
    assert_eq!(train.iter().sum::<usize>(), mnist.train.len());
}

#[test]
fn inputs_are_pixels_scaled_to_the_unit_interval() {
    let mnist = mnist();
    for split in [&mnist.train, &mnist.test] {
        let pixels = split.inputs();
        assert_eq!(pixels.len(), split.len() * PIXELS);
        assert!(pixels.iter().all(|&p| (0.0..=1.0).contains(&p)));
        // Both ends occur: blank background and full ink.
        assert!(pixels.contains(&0.0) && pixels.contains(&1.0));
    }
    // Every value is a byte over 255.
    let first = mnist.train.input(0);
    assert!(first.iter().all(|&p| {
        let byte = (p * 255.0).round();
        (p - byte / 255.0).abs() < 1e-7
    }));
    // The first training image's bytes add up to 27,525, as Python's gzip module
    // reads the same file.
    let sum: f64 = first.iter().map(|&p| f64::from(p) * 255.0).sum();
    assert!((sum - 27_525.0).abs() < 1e-2, "{sum}");
}

#[test]
fn random_batches_are_reproducible_and_drawn_with_replacement() {
    let small = mnist().train.take(10);
    let (x, t) = small.random_batch::<1000>(&mut StdRng::seed_from_u64(3));
    let (y, u) = small.random_batch::<1000>(&mut StdRng::seed_from_u64(3));
    assert!(x == y && t == u, "same seed, same batch");
    let (z, _) = small.random_batch::<1000>(&mut StdRng::seed_from_u64(4));
    assert!(x != z, "another seed, another batch");

    // Every row is one of the 10 images, with that image's label; 1,000 draws from
    // 10 hit all of them, so some repeat.
    let mut drawn = [0usize; 10];
    for (row, &label) in x.rows().zip(&t) {
        let i = (0..10)
            .find(|&i| small.input(i) == row)
            .expect("a row is one of the split's images");
        assert_eq!(label, small.label(i));
        drawn[i] += 1;
    }
    assert!(drawn.iter().all(|&n| n > 0), "{drawn:?}");
}

#[test]
fn random_batch_into_reuses_the_buffers() {
    let train = &mnist().train;
    let mut rng = StdRng::seed_from_u64(11);
    let mut expected_rng = StdRng::seed_from_u64(11);
    let (mut x, mut t) = (Matrix::<100, PIXELS>::zeros(), [0; 100]);
    for _ in 0..3 {
        train.random_batch_into(&mut rng, &mut x, &mut t);
        let (y, u) = train.random_batch::<100>(&mut expected_rng);
        assert!(x == y && t == u);
    }
}

#[test]
fn batches_and_remainder_cover_a_split_once_in_order() {
    let test = mnist().test.take(1_000);
    let mut next = 0;
    for (x, t) in test.batches::<96>() {
        for (k, row) in x.rows().enumerate() {
            assert_eq!(row, test.input(next + k));
            assert_eq!(t[k], test.label(next + k));
        }
        next += 96;
    }
    assert_eq!(next, 960);
    assert_eq!(test.remainder::<96>(), 960..1_000);
    assert_eq!(test.batches::<96>().remainder(), 960..1_000);
    assert_eq!(test.batches::<96>().len(), 10);
    assert_eq!(test.batches::<100>().count(), 10);
    assert!(test.remainder::<100>().is_empty());
    assert!(test.batch::<96>(960).is_none());
    assert!(test.batch::<40>(960).is_some());
    assert!(test.batch::<1>(usize::MAX).is_none());
    let (x, t) = test.sample(999);
    assert_eq!((x.row(0), t), (test.input(999), [test.label(999)]));
}

#[test]
fn take_clamps_to_the_length() {
    let small = mnist().test.take(3);
    assert_eq!(small.take(50).len(), 3);
    assert!(small.take(0).is_empty());
    assert_eq!(
        format!("{small:?}"),
        "Dataset<784, f32> { len: 3, targets: Labels<10> { len: 3 } }"
    );
}

#[test]
#[should_panic(expected = "empty dataset")]
fn drawing_from_an_empty_split_panics_with_a_message() {
    let empty: Split = mnist().test.take(0);
    let _ = empty.random_batch::<1>(&mut StdRng::seed_from_u64(0));
}

/// Fashion-MNIST from Debian has the full 60,000 training images in the same layout.
/// Ignored unless asked for (see the file's doc comment); missing data then fails with
/// where to get it.
#[test]
#[ignore = "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist); \
            run with `cargo test --release --test integration -- --ignored fashion`"]
fn loads_fashion_mnist_from_debian() {
    let fashion =
        Mnist::<f32>::load("/usr/share/datasets/fashion-mnist").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((fashion.train.len(), fashion.test.len()), (60_000, 10_000));
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    assert_eq!(histogram(fashion.train.labels()), [6_000; 10]);
    assert_eq!(histogram(fashion.test.labels()), [1_000; 10]);
}
