//! Loading the shipped MNIST subset, the batches drawn from it, and a directory in the
//! MNIST layout with one thing wrong at a time.
//!
//! One test reads the full-size Fashion-MNIST from Debian's `dataset-fashion-mnist`,
//! which a machine may lack: it is `#[ignore]`d, so a plain `cargo test` lists it as
//! ignored, with the reason, rather than passing it without having checked anything.
//! `cargo test --release --test mnist -- --ignored` runs it, and then missing data is a
//! failure whose message says how to install it. CI (`.ci/run`) installs the package
//! and runs the ignored tests this way.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use backprop::Matrix;
use backprop::data::{DataError, Mnist, PIXELS, Split};
use flate2::Compression;
use flate2::write::GzEncoder;
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
fn f64_holds_the_same_values() {
    let dir = layout("f64", true, "", |_| {});
    let wide = Mnist::<f64>::load(&dir).unwrap();
    let narrow = Mnist::<f32>::load(&dir).unwrap();
    assert_eq!(wide.test.labels(), narrow.test.labels());
    for (a, b) in wide.train.inputs().iter().zip(narrow.train.inputs()) {
        assert!((a - f64::from(*b)).abs() < 1e-7);
    }
    assert!(wide.train.inputs().contains(&1.0));
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

/// 12 images of 28×28 with pixels `(7·i + 3·k) mod 256`, labels `i mod 10`: an IDX
/// image file and its label file, before any edit.
fn synthetic(images: bool) -> Vec<u8> {
    const COUNT: u32 = 12;
    if images {
        let mut bytes = vec![0, 0, 8, 3];
        for d in [COUNT, 28, 28] {
            bytes.extend_from_slice(&d.to_be_bytes());
        }
        bytes
            .extend((0..COUNT as usize * PIXELS).map(|k| ((7 * (k / PIXELS) + 3 * k) % 256) as u8));
        bytes
    } else {
        let mut bytes = vec![0, 0, 8, 1];
        bytes.extend_from_slice(&COUNT.to_be_bytes());
        bytes.extend((0..COUNT as u8).map(|i| i % 10));
        bytes
    }
}

/// A directory in the MNIST layout holding the [`synthetic`] files as both splits,
/// gzip-compressed when `gz`, with `edit` applied to the file named `file`.
fn layout(test: &str, gz: bool, file: &str, edit: impl Fn(&mut Vec<u8>)) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("mnist")
        .join(test);
    // Start empty: a file left by an earlier run (say raw where this run writes .gz)
    // would be loaded instead of the one this test writes.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ] {
        let mut bytes = synthetic(name.contains("images"));
        if name == file {
            edit(&mut bytes);
        }
        if gz {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(&bytes).unwrap();
            bytes = encoder.finish().unwrap();
            std::fs::write(dir.join(format!("{name}.gz")), bytes).unwrap();
        } else {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    dir
}

fn load_err(dir: &Path, names: &str) -> DataError {
    let err = Mnist::<f32>::load(dir).expect_err("a broken layout must not load");
    let message = err.to_string();
    let path = dir.join(names).display().to_string();
    assert!(message.contains(&path), "`{message}` does not name {path}");
    err
}

#[test]
fn raw_and_gzip_files_load_alike() {
    let raw = Mnist::<f32>::load(layout("raw", false, "", |_| {})).unwrap();
    let gz = Mnist::<f32>::load(layout("gz", true, "", |_| {})).unwrap();
    assert_eq!((raw.train.len(), raw.test.len()), (12, 12));
    assert_eq!(raw.train.inputs(), gz.train.inputs());
    assert_eq!(raw.test.labels(), gz.test.labels());
    assert_eq!(raw.test.label(11), 1);
    // Image 1, pixel 2 (overall 786) is the byte (7·1 + 3·786) mod 256 = 61, over 255.
    assert_eq!(raw.train.input(1)[2], 61.0 / 255.0);
}

#[test]
fn the_raw_file_wins_when_both_exist() {
    let dir = layout("both", true, "", |_| {});
    // A raw training-label file beside the .gz one, with other labels.
    let mut labels = synthetic(false);
    labels[8..].fill(7);
    std::fs::write(dir.join("train-labels-idx1-ubyte"), labels).unwrap();
    let mnist = Mnist::<f32>::load(&dir).unwrap();
    assert!(mnist.train.labels().iter().all(|&l| l == 7));
    assert_eq!(mnist.test.label(3), 3);
}

#[test]
fn missing_directory_says_where_to_get_data() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("mnist/does-not-exist");
    let err = load_err(&dir, "train-images-idx3-ubyte");
    assert!(
        matches!(
            err,
            DataError::Missing {
                also_tried: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("train-images-idx3-ubyte.gz"), "{message}");
    assert!(message.contains("data/mnist") && message.contains("dataset-fashion-mnist"));
}

#[test]
fn image_and_label_counts_must_agree() {
    // Drop the last label and fix the header's count to match: a valid file, one short.
    let dir = layout("count", false, "t10k-labels-idx1-ubyte", |bytes| {
        bytes.pop();
        bytes[4..8].copy_from_slice(&11u32.to_be_bytes());
    });
    let err = load_err(&dir, "t10k-labels-idx1-ubyte");
    assert!(
        matches!(
            err,
            DataError::CountMismatch {
                image_count: 12,
                label_count: 11,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("t10k-images-idx3-ubyte"), "{err}");
}

#[test]
fn label_10_is_rejected() {
    let dir = layout("label", true, "train-labels-idx1-ubyte", |bytes| {
        bytes[8 + 5] = 10
    });
    let err = load_err(&dir, "train-labels-idx1-ubyte.gz");
    assert!(
        matches!(
            err,
            DataError::Label {
                index: 5,
                label: 10,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn images_must_be_28_by_28() {
    // The same bytes declared as 14 images of 32×21: a well-formed file.
    let dir = layout("dims", false, "t10k-images-idx3-ubyte", |bytes| {
        for (k, d) in [14u32, 32, 21].iter().enumerate() {
            bytes[4 + 4 * k..8 + 4 * k].copy_from_slice(&d.to_be_bytes());
        }
    });
    let err = load_err(&dir, "t10k-images-idx3-ubyte");
    assert!(
        matches!(&err, DataError::Dims { found, .. } if found == &[14, 32, 21]),
        "{err:?}"
    );
}

#[test]
fn labels_in_place_of_images_is_a_wrong_magic() {
    // A one-label file where the training images should be.
    let dir = layout("swap", false, "train-images-idx3-ubyte", |bytes| {
        *bytes = vec![0, 0, 8, 1, 0, 0, 0, 1, 3];
    });
    let err = load_err(&dir, "train-images-idx3-ubyte");
    assert!(
        matches!(
            err,
            DataError::Magic {
                found: 2049,
                expected: Some(2051),
                ..
            }
        ),
        "{err:?}"
    );
}

/// Fashion-MNIST from Debian has the full 60,000 training images in the same layout.
/// Ignored unless asked for (see the file's doc comment); missing data then fails with
/// where to get it.
#[test]
#[ignore = "needs /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist); \
            run with `cargo test --release --test mnist -- --ignored`"]
fn loads_fashion_mnist_from_debian() {
    let fashion =
        Mnist::<f32>::load("/usr/share/datasets/fashion-mnist").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((fashion.train.len(), fashion.test.len()), (60_000, 10_000));
    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    assert_eq!(histogram(fashion.train.labels()), [6_000; 10]);
    assert_eq!(histogram(fashion.test.labels()), [1_000; 10]);
}

/// The four files' bytes, gzipped or not, load as the same directory does; a broken
/// one is refused naming it by its standard name.
#[test]
fn bytes_in_memory_load_as_the_files_do() {
    let dir = layout("bytes", true, "", |_| {});
    let read = |name: &str| std::fs::read(dir.join(format!("{name}.gz"))).unwrap();
    let gz = [
        read("train-images-idx3-ubyte"),
        read("train-labels-idx1-ubyte"),
        read("t10k-images-idx3-ubyte"),
        read("t10k-labels-idx1-ubyte"),
    ];
    let from_dir = Mnist::<f32>::load(&dir).unwrap();
    let from_gz = Mnist::<f32>::from_idx_bytes(&gz[0], &gz[1], &gz[2], &gz[3]).unwrap();
    assert_eq!(from_gz, from_dir);
    let (images, labels) = (synthetic(true), synthetic(false));
    let from_raw = Mnist::<f32>::from_idx_bytes(&images, &labels, &images, &labels).unwrap();
    assert_eq!(from_raw, from_dir);

    // One label fewer in the test split: both files named, with both counts.
    let mut short = labels.clone();
    short[7] = 11;
    short.pop();
    let err = Mnist::<f32>::from_idx_bytes(&images, &labels, &images, &short).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::CountMismatch {
                image_count: 12,
                label_count: 11,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("t10k-images-idx3-ubyte") && message.contains("t10k-labels-idx1-ubyte"),
        "{message}"
    );
    // A gzip stream cut short does not decompress.
    let cut = &gz[0][..gz[0].len() / 2];
    let err = Mnist::<f32>::from_idx_bytes(cut, &gz[1], &gz[2], &gz[3]).unwrap_err();
    assert!(
        err.to_string().starts_with("train-images-idx3-ubyte: "),
        "{err}"
    );
}
