//! The IDX reader on small files written here: good ones, raw and gzip, and every
//! malformed case. Each error test checks the variant and that the message names the
//! file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use backprop::data::DataError;
use backprop::data::idx::IdxFile;
use flate2::Compression;
use flate2::write::GzEncoder;

/// A fresh directory for one test's files.
fn dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("idx")
        .join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(test: &str, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir(test).join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// An IDX header for unsigned bytes with these sizes.
fn header(dims: &[u32]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0x08, dims.len() as u8];
    for d in dims {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes
}

/// Two 2×3 images with pixels 0..12.
fn two_images() -> Vec<u8> {
    let mut bytes = header(&[2, 2, 3]);
    bytes.extend(0..12u8);
    bytes
}

/// Reads `path`, expects an error, and checks that its message names the file.
fn read_err(path: &Path) -> DataError {
    let err = IdxFile::read(path).expect_err("a malformed file must not load");
    assert_message_names(&err, path);
    err
}

fn assert_message_names(err: &DataError, path: &Path) {
    let message = err.to_string();
    let name = path.display().to_string();
    assert!(message.contains(&name), "`{message}` does not name {name}");
}

#[test]
fn reads_a_raw_file() {
    let path = write("raw", "images-idx3-ubyte", &two_images());
    let file = IdxFile::read(&path).unwrap();
    assert_eq!(file.magic(), 2051);
    assert_eq!(file.dims(), &[2, 2, 3]);
    assert_eq!(file.data(), (0..12).collect::<Vec<u8>>());
    assert_eq!(file.path(), path);
    assert_eq!(
        file.into_images(2, 3).unwrap(),
        (0..12).collect::<Vec<u8>>()
    );
}

#[test]
fn reads_a_gzip_file_whatever_its_name() {
    let raw = IdxFile::read(write("gzip", "plain", &two_images())).unwrap();
    // The name says nothing: the bytes 1f 8b do.
    let gz = IdxFile::read(write("gzip", "no-extension", &gzip(&two_images()))).unwrap();
    assert_eq!(gz.dims(), raw.dims());
    assert_eq!(gz.data(), raw.data());
}

#[test]
fn reads_labels_below_the_class_count() {
    let mut bytes = header(&[4]);
    bytes.extend([5, 0, 4, 9]);
    let path = write("labels", "labels-idx1-ubyte", &bytes);
    assert_eq!(
        IdxFile::read(&path).unwrap().into_labels(10).unwrap(),
        [5, 0, 4, 9]
    );
}

#[test]
fn missing_file() {
    let path = dir("missing").join("nothing-here-idx3-ubyte.gz");
    let err = read_err(&path);
    assert!(matches!(err, DataError::Missing { .. }), "{err:?}");
    assert!(err.to_string().contains("dataset-fashion-mnist"), "{err}");
}

#[test]
fn unreadable_path_is_an_io_error() {
    // A directory opens on Linux but cannot be read as a file.
    let path = dir("io").join("a-directory");
    std::fs::create_dir_all(&path).unwrap();
    let err = read_err(&path);
    assert!(matches!(err, DataError::Io { .. }), "{err:?}");
}

#[test]
fn empty_file() {
    let err = read_err(&write("empty", "empty", &[]));
    assert!(
        matches!(
            err,
            DataError::Truncated {
                part: "header",
                expected: 4,
                actual: 0,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn truncated_header() {
    let short_magic = read_err(&write("header", "magic", &[0, 0, 8]));
    assert!(
        matches!(short_magic, DataError::Truncated { part: "header", .. }),
        "{short_magic:?}"
    );
    // Magic says 3 sizes (12 bytes), the file stops inside the second.
    let bytes = &two_images()[..10];
    let short_sizes = read_err(&write("header", "sizes", bytes));
    assert!(
        matches!(
            short_sizes,
            DataError::Truncated {
                part: "header",
                expected: 16,
                actual: 10,
                ..
            }
        ),
        "{short_sizes:?}"
    );
}

#[test]
fn truncated_payload() {
    let bytes = two_images();
    let err = read_err(&write("payload", "raw", &bytes[..bytes.len() - 1]));
    assert!(
        matches!(
            err,
            DataError::Truncated {
                part: "payload",
                expected: 12,
                actual: 11,
                ..
            }
        ),
        "{err:?}"
    );
    let err = read_err(&write("payload", "gz", &gzip(&bytes[..bytes.len() - 5])));
    assert!(
        matches!(
            err,
            DataError::Truncated {
                part: "payload",
                expected: 12,
                actual: 7,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn trailing_bytes() {
    let mut bytes = two_images();
    bytes.push(0);
    let err = read_err(&write("trailing", "raw", &bytes));
    assert!(
        matches!(err, DataError::TrailingBytes { expected: 12, .. }),
        "{err:?}"
    );
    let err = read_err(&write("trailing", "gz", &gzip(&bytes)));
    assert!(
        matches!(err, DataError::TrailingBytes { expected: 12, .. }),
        "{err:?}"
    );
}

#[test]
fn wrong_magic() {
    // Not IDX at all: text.
    let err = read_err(&write("magic", "text", b"hello, world"));
    assert!(
        matches!(err, DataError::Magic { expected: None, .. }),
        "{err:?}"
    );
    // IDX of 32-bit floats (type 0x0D), which MNIST never uses.
    let mut floats = two_images();
    floats[2] = 0x0D;
    let err = read_err(&write("magic", "floats", &floats));
    assert!(
        matches!(err, DataError::Magic { found: 0x0D03, .. }),
        "{err:?}"
    );
    // A good image file read as labels.
    let path = write("magic", "images", &two_images());
    let err = IdxFile::read(&path).unwrap().into_labels(10).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::Magic {
                found: 2051,
                expected: Some(2049),
                ..
            }
        ),
        "{err:?}"
    );
    assert_message_names(&err, &path);
}

#[test]
fn wrong_dims() {
    let path = write("dims", "2x3", &two_images());
    let err = IdxFile::read(&path)
        .unwrap()
        .into_images(28, 28)
        .unwrap_err();
    assert!(
        matches!(&err, DataError::Dims { found, .. } if found == &[2, 2, 3]),
        "{err:?}"
    );
    assert_message_names(&err, &path);
    // No images at all is not a data set either.
    let path = write("dims", "none", &header(&[0, 28, 28]));
    let err = IdxFile::read(&path)
        .unwrap()
        .into_images(28, 28)
        .unwrap_err();
    assert!(matches!(err, DataError::Dims { .. }), "{err:?}");
    // Sizes whose product overflows a u64.
    let err = read_err(&write("dims", "overflow", &header(&[u32::MAX; 3])));
    assert!(matches!(err, DataError::Dims { .. }), "{err:?}");
}

#[test]
fn label_out_of_range() {
    let mut bytes = header(&[3]);
    bytes.extend([1, 10, 2]);
    let path = write("label", "labels", &bytes);
    let err = IdxFile::read(&path).unwrap().into_labels(10).unwrap_err();
    assert!(
        matches!(
            err,
            DataError::Label {
                index: 1,
                label: 10,
                classes: 10,
                ..
            }
        ),
        "{err:?}"
    );
    assert_message_names(&err, &path);
}

#[test]
fn corrupt_gzip() {
    let good = gzip(&two_images());
    // A flipped byte inside the deflate data, or a stream cut short.
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xFF;
    let cut = &good[..good.len() - 6];
    for (name, bytes) in [
        ("flipped", &flipped[..]),
        ("cut", cut),
        ("header-only", &good[..10]),
    ] {
        let err = read_err(&write("gzip-bad", name, bytes));
        assert!(matches!(err, DataError::Gzip { .. }), "{name}: {err:?}");
    }
}

/// Each case below would need gigabytes if the reader trusted the header; a generous
/// bound on the time says it did not.
const FAST: Duration = Duration::from_secs(5);

#[test]
fn header_claiming_4e9_images_fails_fast() {
    let mut bytes = header(&[4_000_000_000, 28, 28]);
    bytes.extend([0; 100]);
    let path = write("huge", "claims-4e9", &bytes);
    for path in [path.clone(), write("huge", "claims-4e9.gz", &gzip(&bytes))] {
        let started = Instant::now();
        let err = read_err(&path);
        assert!(started.elapsed() < FAST, "took {:?}", started.elapsed());
        assert!(
            matches!(
                err,
                DataError::Truncated {
                    part: "payload",
                    expected: 3_136_000_000_000,
                    actual: 100,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}

#[test]
fn gzip_bomb_stops_one_byte_past_the_header_claim() {
    // One small member with a valid 1-image file, then 4,096 members of 1 MiB of zeros
    // each: 4 GiB once decompressed, about 4 MB on disk.
    let mut image = header(&[1, 28, 28]);
    image.extend([0; 784]);
    let mut bytes = gzip(&image);
    let zeros = gzip(&vec![0; 1 << 20]);
    for _ in 0..4096 {
        bytes.extend_from_slice(&zeros);
    }
    let path = write("bomb", "bomb.gz", &bytes);
    let started = Instant::now();
    let err = read_err(&path);
    assert!(started.elapsed() < FAST, "took {:?}", started.elapsed());
    assert!(
        matches!(err, DataError::TrailingBytes { expected: 784, .. }),
        "{err:?}"
    );
}

#[test]
fn errors_have_sources_where_the_os_or_decoder_spoke() {
    use std::error::Error;
    let path = write("source", "bad.gz", &[0x1f, 0x8b, 0, 0, 0]);
    let err = read_err(&path);
    assert!(
        matches!(err, DataError::Gzip { .. }) && err.source().is_some(),
        "{err:?}"
    );
    let err = read_err(&write("source", "text", b"not idx"));
    assert!(err.source().is_none());
}
