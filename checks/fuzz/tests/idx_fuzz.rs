//! Fuzzing the IDX reader: random bytes, and truncations and bit flips of valid small
//! files, raw and gzip. The reader must never panic; whenever it says Ok, the payload
//! must be exactly the product of the dimensions.

use std::io::Write;

use backprop::data::DataError;
use backprop::data::idx::IdxFile;
use flate2::Compression;
use flate2::write::GzEncoder;
use proptest::prelude::*;

/// Parses `bytes` and checks the promise an Ok result makes; then runs the MNIST
/// checks on it, which must not panic either.
fn check(bytes: &[u8]) -> Result<(), DataError> {
    let file = IdxFile::from_bytes("fuzz.idx", bytes)?;
    let product: usize = file.dims().iter().product();
    assert_eq!(file.data().len(), product, "dims {:?}", file.dims());
    assert_eq!(file.magic(), 0x0800 + file.dims().len() as u32);
    let _ = file.clone().into_images(2, 2);
    let _ = file.into_labels(10);
    Ok(())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Three 2×2 images with pixels 0..12.
fn valid_images() -> Vec<u8> {
    let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2];
    bytes.extend(0..12u8);
    bytes
}

/// Five labels.
fn valid_labels() -> Vec<u8> {
    vec![0, 0, 8, 1, 0, 0, 0, 5, 5, 0, 4, 1, 9]
}

fn valid_files() -> [Vec<u8>; 4] {
    [
        valid_images(),
        valid_labels(),
        gzip(&valid_images()),
        gzip(&valid_labels()),
    ]
}

#[test]
fn the_valid_files_are_valid() {
    for bytes in valid_files() {
        check(&bytes).unwrap();
    }
    let images = IdxFile::from_bytes("i", &gzip(&valid_images())).unwrap();
    assert_eq!(
        images.into_images(2, 2).unwrap(),
        (0..12).collect::<Vec<u8>>()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = check(&bytes);
    }

    /// Random bytes behind a valid-looking header are the likelier way into the payload
    /// checks than pure noise.
    #[test]
    fn random_sizes_and_payloads_never_panic(
        ndims in 1u8..5,
        sizes in proptest::collection::vec(0u32..6, 0..6),
        payload in proptest::collection::vec(any::<u8>(), 0..300),
        compress in any::<bool>(),
    ) {
        let mut bytes = vec![0, 0, 8, ndims];
        for s in &sizes {
            bytes.extend_from_slice(&s.to_be_bytes());
        }
        bytes.extend(&payload);
        if compress {
            bytes = gzip(&bytes);
        }
        let _ = check(&bytes);
    }

    #[test]
    fn truncations_are_errors(which in 0usize..4, cut in any::<prop::sample::Index>()) {
        let file = &valid_files()[which];
        let len = cut.index(file.len());
        let err = check(&file[..len]);
        prop_assert!(err.is_err(), "a valid file cut to {len} of {} bytes loaded", file.len());
    }

    #[test]
    fn bit_flips_never_panic(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..8), 1..4),
    ) {
        let mut file = valid_files()[which].clone();
        for (at, bit) in &flips {
            let i = at.index(file.len());
            file[i] ^= 1 << bit;
        }
        let _ = check(&file);
    }
}
