//! Weights refused: malformed and hostile files or bytes, a file saved by another
//! network, and a save that cannot write; each is one line that names the file (or the
//! bytes' label), and a refused load leaves the network as it was.

use std::path::Path;

use crate::common::{self, book_net};

use backprop::weights::{WeightsError, from_bytes, load, save, to_bytes};
use backprop::{Affine, Matrix, Params, Relu};
use book_net::{Book, book, snapshot};
use common::TempDir;
use rand::{Rng, SeedableRng, rngs::StdRng};

/// Loads `path` into `net`, expects it refused with one line that begins with the
/// file and contains each of `parts`, and the network unchanged.
fn refused<N: Params<f32>>(net: &mut N, path: &Path, parts: &[&str]) -> WeightsError {
    let before = snapshot(net);
    let err = load(net, path).unwrap_err();
    let text = err.to_string();
    eprintln!("MSG {text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with(&format!("{}: ", path.display())), "{text}");
    for part in parts {
        assert!(text.contains(part), "{text:?} lacks {part:?}");
    }
    assert!(snapshot(net) == before, "the network changed: {text}");
    err
}

/// A file whose header is `json` (padded as the format asks) followed by `data`.
fn with_header(json: &str, data: &[u8]) -> Vec<u8> {
    let mut header = json.as_bytes().to_vec();
    header.resize(header.len().next_multiple_of(8), b' ');
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend(header);
    bytes.extend(data);
    bytes
}

#[test]
fn malformed_files_are_one_line_naming_the_file_and_change_nothing() {
    let dir = TempDir::new("weights-malformed");
    let mut net: Book = book(7);
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let is_format = |e: &WeightsError| matches!(e, WeightsError::Format { .. });

    let missing = dir.join("none.safetensors");
    let err = refused(
        &mut net,
        &missing,
        &["no such file", "--example train -- --save"],
    );
    assert!(matches!(err, WeightsError::Missing { .. }), "{err:?}");

    let err = refused(&mut net, dir.path(), &[]);
    assert!(matches!(err, WeightsError::Io { .. }), "{err:?}");

    let empty = write("empty.safetensors", b"");
    let err = refused(&mut net, &empty, &["header too small", "has 0 bytes"]);
    assert!(is_format(&err), "{err:?}");

    let mut rng = StdRng::seed_from_u64(0);
    for size in [7, 100, 10_000] {
        let noise: Vec<u8> = (0..size).map(|_| rng.random()).collect();
        let path = write(&format!("noise{size}.safetensors"), &noise);
        let err = refused(&mut net, &path, &["not a valid safetensors file"]);
        assert!(is_format(&err), "{err:?}");
    }

    // A good file, cut short at several points, or with a byte too many.
    let good = dir.join("good.safetensors");
    save(&book::<f32>(8), &good).unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let header_end = 8 + u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    for cut in [
        1,
        8,
        9,
        header_end / 2,
        header_end - 1,
        header_end,
        header_end + 100,
        bytes.len() - 1,
    ] {
        let path = write(&format!("cut{cut}.safetensors"), &bytes[..cut]);
        let err = refused(&mut net, &path, &["not a valid safetensors file"]);
        assert!(is_format(&err), "cut at {cut}: {err:?}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    let path = write("longer.safetensors", &longer);
    refused(&mut net, &path, &["incomplete metadata", "not describe"]);

    // A header length claiming more bytes than the file holds.
    let mut claims = bytes.clone();
    let claim = bytes.len() as u64;
    claims[..8].copy_from_slice(&claim.to_le_bytes());
    let path = write("claims.safetensors", &claims);
    let holds = format!(
        "the header claims {claim} bytes, the file holds {}",
        bytes.len() - 8
    );
    refused(&mut net, &path, &["invalid header length", &holds]);

    // Valid JSON headers that lie: offsets past the end, a size that overflows, a
    // shape that does not fit its offsets, and a header that is not JSON.
    for (name, json, data) in [
        (
            "past-end",
            r#"{"0.w":{"dtype":"F32","shape":[784,50],"data_offsets":[0,156800]}}"#,
            16,
        ),
        (
            "overflow",
            r#"{"0.w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}"#,
            16,
        ),
        (
            "mismatch",
            r#"{"0.w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}}"#,
            16,
        ),
        ("not-json", "{\"0.w\": [", 0),
    ] {
        let path = write(
            &format!("{name}.safetensors"),
            &with_header(json, &vec![0; data]),
        );
        let err = refused(&mut net, &path, &["not a valid safetensors file"]);
        assert!(is_format(&err), "{name}: {err:?}");
    }
}

#[test]
fn a_file_for_another_network_names_the_tensor_and_both_shapes_or_dtypes() {
    let dir = TempDir::new("weights-mismatch");
    let mut net: Book = book(9);

    let path = dir.join("one-layer.safetensors");
    save(&(Affine::<784, 50>::zeros(), Relu::new()), &path).unwrap();
    let err = refused(
        &mut net,
        &path,
        &["no tensor `2.w`, which the network needs"],
    );
    assert!(matches!(err, WeightsError::MissingTensor { ref name, .. } if name == "2.w"));

    let path = dir.join("book.safetensors");
    save(&book::<f32>(10), &path).unwrap();
    let mut smaller = (Affine::<784, 50>::zeros(), Relu::new());
    let err = refused(
        &mut smaller,
        &path,
        &["tensor `2.b` is not a parameter of the network"],
    );
    assert!(matches!(err, WeightsError::ExtraTensor { ref name, .. } if name == "2.b"));

    let path = dir.join("transposed.safetensors");
    let transposed = (
        Affine::<50, 784>::zeros(),
        Relu::new(),
        Affine::<784, 10>::zeros(),
    );
    save(&transposed, &path).unwrap();
    let err = refused(
        &mut net,
        &path,
        &["tensor `0.w` has shape [50, 784], the network needs [784, 50]"],
    );
    assert!(matches!(
        err,
        WeightsError::Shape { ref expected, ref found, .. } if *expected == [784, 50] && *found == [50, 784]
    ));

    let path = dir.join("f64.safetensors");
    save(&book::<f64>(11), &path).unwrap();
    let err = refused(
        &mut net,
        &path,
        &["tensor `0.w` is F64, the network needs F32"],
    );
    assert!(matches!(err, WeightsError::Dtype { .. }), "{err:?}");

    // A bias stored as a 1×n matrix is not the [n] the network stores.
    let path = dir.join("bias-2d.safetensors");
    let json = r#"{"0.w":{"dtype":"F32","shape":[3,10],"data_offsets":[0,120]},"0.b":{"dtype":"F32","shape":[1,10],"data_offsets":[120,160]}}"#;
    std::fs::write(&path, with_header(json, &[0; 160])).unwrap();
    let mut small = (Affine::<3, 10>::new(
        Matrix::new([[1.0; 10]; 3]),
        Matrix::new([[2.0; 10]]),
    ),);
    refused(
        &mut small,
        &path,
        &["tensor `0.b` has shape [1, 10], the network needs [10]"],
    );
}

#[test]
fn a_save_that_cannot_write_names_the_path_and_leaves_no_temporary_file() {
    let dir = TempDir::new("weights-save");
    let net: Book = book(12);
    // The model's path is a directory: the rename fails.
    let taken = dir.join("taken.safetensors");
    std::fs::create_dir(&taken).unwrap();
    let err = save(&net, &taken).unwrap_err();
    assert!(matches!(err, WeightsError::Io { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("{}: ", taken.display())),
        "{err}"
    );
    assert!(!dir.join("taken.safetensors.tmp").exists());
    // Its directory is a file.
    let file = dir.join("file");
    std::fs::write(&file, b"").unwrap();
    let err = save(&net, file.join("model.safetensors")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("{}: ", file.display())),
        "{err}"
    );
    assert_eq!(err.to_string().lines().count(), 1);
}

#[test]
fn hostile_bytes_are_refused_naming_them_and_change_nothing() {
    let mut net: Book = book(25);
    let before = snapshot(&net);
    let good = to_bytes(&book::<f32>(26)).unwrap();
    let mut rng = StdRng::seed_from_u64(27);
    let noise: Vec<u8> = (0..5_000).map(|_| rng.random()).collect();
    let mut huge_header = good.clone();
    huge_header[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    let mut wrong_data = good.clone();
    wrong_data.truncate(good.len() - 4);
    let overflow = with_header(
        r#"{"0.w":{"dtype":"F32","shape":[18446744073709551615,2],"data_offsets":[0,8]}}"#,
        &[0; 8],
    );
    let liar = with_header(
        r#"{"0.w":{"dtype":"F32","shape":[784,50],"data_offsets":[0,156800]},"0.b":{"dtype":"F32","shape":[50],"data_offsets":[156800,157000]},"2.w":{"dtype":"F32","shape":[50,10],"data_offsets":[157000,159000]},"2.b":{"dtype":"F32","shape":[10],"data_offsets":[159000,159040]}}"#,
        &[0; 100],
    );
    let cases: [(&str, &[u8]); 8] = [
        ("empty", b""),
        ("seven bytes", &noise[..7]),
        ("noise", &noise),
        ("a header length of u64::MAX", &huge_header),
        ("a file 4 bytes short", &wrong_data),
        ("a shape that overflows", &overflow),
        ("offsets past the end", &liar),
        ("only a header", &good[..8 + 16]),
    ];
    for (label, bytes) in cases {
        let err = from_bytes(&mut net, bytes, label).unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, WeightsError::Format { .. }),
            "{label}: {err:?}"
        );
        assert!(
            text.starts_with(&format!("{label}: not a valid safetensors file")),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(snapshot(&net) == before, "{label} changed the network");
    }
    // A good file for another network: refused by shape, naming the tensor.
    let other = to_bytes(&(Affine::<784, 10>::zeros(),)).unwrap();
    let err = from_bytes(&mut net, &other, "another net").unwrap_err();
    assert_eq!(
        err.to_string(),
        "another net: tensor `0.w` has shape [784, 10], the network needs [784, 50]"
    );
    assert!(snapshot(&net) == before);
}
