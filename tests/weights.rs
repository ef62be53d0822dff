//! Saving and loading weights: round trips in f32 and f64 that predict the same bits,
//! the file's layout and metadata, and every malformed model file refused with one line
//! that names the file, the network left as it was.

use std::path::Path;

mod common;

use backprop::data::Mnist;
use backprop::weights::{WeightsError, from_bytes, load, save, to_bytes};
use backprop::{
    Affine, Float, Layer, Matrix, Network, Params, Relu, Sgd, Sigmoid, SoftmaxWithLoss,
};
use common::TempDir;
use rand::{Rng, SeedableRng, rngs::StdRng};
use safetensors::{Dtype, SafeTensors};

type Book<T = f32> = (Affine<784, 50, T>, Relu, Affine<50, 10, T>);
type Deep<T = f32> = (
    Affine<784, 100, T>,
    Relu,
    Affine<100, 50, T>,
    Sigmoid,
    Affine<50, 10, T>,
);

fn book<T: Float>(seed: u64) -> Book<T> {
    let mut rng = StdRng::seed_from_u64(seed);
    (
        Affine::random(0.01, &mut rng),
        Relu::new(),
        Affine::random(0.01, &mut rng),
    )
}

fn deep<T: Float>(seed: u64) -> Deep<T> {
    let mut rng = StdRng::seed_from_u64(seed);
    (
        Affine::he(&mut rng),
        Relu::new(),
        Affine::he(&mut rng),
        Sigmoid::new(),
        Affine::xavier(&mut rng),
    )
}

/// Every parameter's name and values, as bits (so that a NaN would compare too).
fn snapshot<T: Float>(net: &impl Params<T>) -> Vec<(String, Vec<u64>)> {
    let mut all = Vec::new();
    net.inspect_params(&mut |p| {
        let bits = p.values.iter().map(|v| v.to_f64().to_bits()).collect();
        all.push((p.name.to_string(), bits));
    });
    all
}

/// Trains `net` for 30 SGD steps on real digits (so that biases are not zero), saves
/// it, loads it into `fresh` and checks the parameters and the predictions on 1,000
/// test digits are the same bits.
fn round_trip<T: Float, N>(mut net: N, mut fresh: N, file: &Path)
where
    N: Network + Params<T> + Layer<Matrix<100, 784, T>, Out = Matrix<100, 10, T>>,
{
    let mnist = Mnist::<T>::load_default().unwrap();
    let mut loss = SoftmaxWithLoss::<100, 10, T>::new();
    for i in 0..30 {
        let (x, labels) = mnist.train.batch::<100>(i * 100).unwrap();
        net.gradient(&mut loss, &x, &labels).unwrap();
        Sgd::new(0.1).step(&mut net);
    }
    save(&net, file).unwrap();
    assert_ne!(snapshot(&fresh), snapshot(&net));
    load(&mut fresh, file).unwrap();
    assert_eq!(snapshot(&fresh), snapshot(&net));
    for start in (0..1_000).step_by(100) {
        let (x, _) = mnist.test.batch::<100>(start).unwrap();
        let bits = |y: &Matrix<100, 10, T>| -> Vec<u64> {
            y.as_slice().iter().map(|v| v.to_f64().to_bits()).collect()
        };
        assert_eq!(
            bits(fresh.predict(&x)),
            bits(net.predict(&x)),
            "batch at {start}"
        );
    }
}

#[test]
fn the_book_net_and_a_deeper_one_round_trip_bit_for_bit_in_f32_and_f64() {
    let dir = TempDir::new("weights-round-trip");
    round_trip::<f32, _>(book(1), book(2), &dir.join("book32.safetensors"));
    round_trip::<f64, _>(book(1), book(2), &dir.join("book64.safetensors"));
    round_trip::<f32, _>(deep(1), deep(2), &dir.join("deep/32.safetensors"));
    round_trip::<f64, _>(deep(1), deep(2), &dir.join("deep/64.safetensors"));
    // Saving again over a model replaces it, and leaves no temporary file.
    round_trip::<f32, _>(book(3), book(4), &dir.join("book32.safetensors"));
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["book32.safetensors", "book64.safetensors", "deep"]);
}

#[test]
fn the_file_holds_w_as_inputs_by_outputs_b_one_dimensional_and_the_metadata() {
    let dir = TempDir::new("weights-layout");
    let path = dir.join("book.safetensors");
    let mut rng = StdRng::seed_from_u64(5);
    let mut net: Book = (
        Affine::new(
            Matrix::random_normal(0.1, &mut rng),
            Matrix::random_normal(0.1, &mut rng),
        ),
        Relu::new(),
        Affine::new(
            Matrix::random_normal(0.1, &mut rng),
            Matrix::random_normal(0.1, &mut rng),
        ),
    );
    save(&net, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();

    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    let meta = header.metadata().as_ref().expect("a __metadata__ entry");
    assert_eq!(meta.get("format").unwrap(), "backprop");
    assert_eq!(
        meta.get("backprop_version").unwrap(),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        meta.get("network").unwrap(),
        "(Affine<784, 50>, Relu, Affine<50, 10>)"
    );
    assert_eq!(
        meta.get("summary").unwrap().lines().collect::<Vec<_>>(),
        [
            "0.w [784, 50] f32",
            "0.b [50] f32",
            "2.w [50, 10] f32",
            "2.b [10] f32"
        ]
    );
    assert_eq!(meta.get("parameters").unwrap(), "39760");

    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort_unstable();
    assert_eq!(names, ["0.b", "0.w", "2.b", "2.w"]);
    let tensor = |name: &str| {
        let view = file.tensor(name).unwrap();
        assert_eq!(view.dtype(), Dtype::F32, "{name}");
        let values: Vec<f32> = view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        (view.shape().to_vec(), values)
    };
    let ((w_shape, w), (b_shape, b)) = (tensor("0.w"), tensor("0.b"));
    assert_eq!((w_shape, b_shape), (vec![784, 50], vec![50]));

    // The first layer by hand from the file, y_j = Σ_i x_i·W[i][j] + b_j, in f64,
    // against the network's own output.
    let mnist = Mnist::<f32>::load_default().unwrap();
    let (x, _) = mnist.test.sample(0);
    let y = net.0.forward(&x).as_slice().to_vec();
    for (j, &yj) in y.iter().enumerate() {
        let by_hand: f64 = (0..784)
            .map(|i| f64::from(x.as_slice()[i]) * f64::from(w[i * 50 + j]))
            .sum::<f64>()
            + f64::from(b[j]);
        assert!(
            (by_hand - f64::from(yj)).abs() < 1e-5,
            "y[{j}]: {by_hand} vs {yj}"
        );
    }
}

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

/// A layer with one input still stores its `w` as `[1, O]`, a matrix, and its bias as
/// `[O]`: shapes come from what each layer declares, not from the number of rows.
#[test]
fn a_one_input_layer_keeps_w_two_dimensional() {
    let dir = TempDir::new("weights-one-input");
    let path = dir.join("sine.safetensors");
    let mut rng = StdRng::seed_from_u64(6);
    let net = (
        Affine::<1, 4, f64>::random(0.5, &mut rng),
        Relu::new(),
        Affine::<4, 1, f64>::random(0.5, &mut rng),
    );
    save(&net, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let shape = |name: &str| file.tensor(name).unwrap().shape().to_vec();
    assert_eq!(
        [shape("0.w"), shape("0.b"), shape("2.w"), shape("2.b")],
        [vec![1, 4], vec![4], vec![4, 1], vec![1]]
    );
    let mut fresh = (
        Affine::<1, 4, f64>::zeros(),
        Relu::new(),
        Affine::<4, 1, f64>::zeros(),
    );
    load(&mut fresh, &path).unwrap();
    assert_eq!((fresh.0.w, fresh.2.b), (net.0.w, net.2.b));
}

/// An affine layer whose weights and biases are all drawn from N(0, 0.1²).
fn random_affine<const I: usize, const O: usize>(rng: &mut StdRng) -> Affine<I, O, f64> {
    Affine::new(
        Matrix::random_normal(0.1, rng),
        Matrix::random_normal(0.1, rng),
    )
}

#[test]
fn bytes_in_memory_round_trip_bit_for_bit_and_are_what_the_file_holds() {
    let mut rng = StdRng::seed_from_u64(21);
    let net: Book<f64> = (
        random_affine(&mut rng),
        Relu::new(),
        random_affine(&mut rng),
    );
    let bytes = to_bytes(&net).unwrap();
    let mut fresh: Book<f64> = book(22);
    assert_ne!(snapshot(&fresh), snapshot(&net));
    from_bytes(&mut fresh, &bytes, "in memory").unwrap();
    assert_eq!(snapshot(&fresh), snapshot(&net));

    // load reads what to_bytes made, and from_bytes what save wrote.
    let dir = TempDir::new("weights-bytes");
    let path = dir.join("from-bytes.safetensors");
    std::fs::write(&path, &bytes).unwrap();
    let mut from_file: Book<f64> = book(23);
    load(&mut from_file, &path).unwrap();
    assert_eq!(snapshot(&from_file), snapshot(&net));
    let saved = dir.join("saved.safetensors");
    save(&net, &saved).unwrap();
    let mut from_saved: Book<f64> = book(24);
    from_bytes(&mut from_saved, &std::fs::read(&saved).unwrap(), "saved").unwrap();
    assert_eq!(snapshot(&from_saved), snapshot(&net));
    // The same metadata either way.
    let metadata = |b: &[u8]| SafeTensors::read_metadata(b).unwrap().1.metadata().clone();
    assert_eq!(metadata(&bytes), metadata(&std::fs::read(&saved).unwrap()));
    assert!(metadata(&bytes).is_some());
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
