//! MNIST from its four IDX files: a directory in the MNIST layout, raw or gzipped, with
//! one thing wrong at a time, and the same files' bytes loaded from memory.

use std::io::Write;
use std::path::{Path, PathBuf};

use backprop::data::{DataError, Mnist, PIXELS};
use flate2::Compression;
use flate2::write::GzEncoder;

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
    assert!(twelve_images_eleven_labels(&err), "{err:?}");
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
    assert!(twelve_images_eleven_labels(&err), "{err:?}");
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

/// Whether `err` is the count mismatch of the tests' short label file: 12 images, 11
/// labels.
fn twelve_images_eleven_labels(err: &DataError) -> bool {
    matches!(
        err,
        DataError::CountMismatch {
            image_count: 12,
            label_count: 11,
            ..
        }
    )
}
