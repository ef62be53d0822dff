//! Saving and loading weights: round trips in f32 and f64, through a file and through
//! bytes in memory, that predict the same bits, and the file's layout and metadata.

use std::path::Path;

use crate::common::{self, book_net};

use backprop::data::Mnist;
use backprop::weights::{from_bytes, load, save, to_bytes};
use backprop::{
    Affine, Float, Layer, Matrix, Network, Params, Relu, Sgd, Sigmoid, SoftmaxWithLoss,
};
use book_net::{Book, book, snapshot};
use common::TempDir;
use rand::{SeedableRng, rngs::StdRng};
use safetensors::{Dtype, SafeTensors};

type Deep<T = f32> = (
    Affine<784, 100, T>,
    Relu,
    Affine<100, 50, T>,
    Sigmoid,
    Affine<50, 10, T>,
);

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

/// Trains `net` for 30 SGD steps on real digits (so that biases are not zero), saves
/// it, loads it into `fresh` and checks the parameters and the predictions on 1,000
/// test digits are the same bits.
fn round_trip<T: Float, N>(mut net: N, mut fresh: N, file: &Path)
where
    N: Network + Params<T> + Layer<Matrix<100, 784, T>, Out = Matrix<100, 10, T>>,
{
    let mnist = Mnist::<T>::load_default().unwrap();
    let loss = SoftmaxWithLoss::<10, T>::new();
    for i in 0..30 {
        let (x, labels) = mnist.train.batch::<100>(i * 100).unwrap();
        net.gradient(&loss, &x, &labels).unwrap();
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
            bits(&fresh.predict(&x)),
            bits(&net.predict(&x)),
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
    let y = net
        .0
        .forward(&x, &mut Default::default())
        .as_slice()
        .to_vec();
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

/// The text of a safetensors file's JSON header (with its padding).
fn header_text(bytes: &[u8]) -> String {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    String::from_utf8(bytes[8..8 + n].to_vec()).unwrap()
}

/// The bytes of a saved model depend on the weights alone. safetensors takes the
/// metadata as a hash map, whose order is drawn afresh for every map and every
/// process; the file's keys come in a fixed order all the same. Checked 20 times in
/// this process and once in another: this test binary run again, which only writes its
/// bytes to the file named by `BACKPROP_SAME_BYTES_OUT`.
#[test]
fn the_same_weights_give_the_same_bytes_in_any_process() {
    let net = book::<f32>(31);
    let bytes = to_bytes(&net).unwrap();
    if let Some(out) = std::env::var_os("BACKPROP_SAME_BYTES_OUT") {
        std::fs::write(out, &bytes).unwrap();
        return;
    }
    for _ in 0..20 {
        assert_eq!(header_text(&to_bytes(&net).unwrap()), header_text(&bytes));
    }
    let dir = TempDir::new("weights-same-bytes");
    let (other, saved) = (dir.join("other.safetensors"), dir.join("saved.safetensors"));
    let run = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--exact")
        .arg(common::test_name(
            module_path!(),
            "the_same_weights_give_the_same_bytes_in_any_process",
        ))
        .env("BACKPROP_SAME_BYTES_OUT", &other)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", common::text(&run.stdout));
    assert!(
        common::text(&run.stdout).contains("1 passed"),
        "the test did not run in the child: {}",
        common::text(&run.stdout)
    );
    let from_other = std::fs::read(&other).unwrap();
    assert_eq!(header_text(&from_other), header_text(&bytes));
    save(&net, &saved).unwrap();
    assert!(from_other == bytes && std::fs::read(&saved).unwrap() == bytes);

    // The keys in the order the module documentation lists them, then the tensors as
    // safetensors orders them; the header stays what safetensors (and Python) reads.
    let header = header_text(&bytes);
    assert!(
        header.starts_with(concat!(
            r#"{"__metadata__":{"format":"backprop","backprop_version":""#,
            env!("CARGO_PKG_VERSION"),
            r#"","network":"(Affine<784, 50>, Relu, Affine<50, 10>)","summary":"0.w [784, 50] f32\n0.b [50] f32\n"#,
        )),
        "{header}"
    );
    assert!(header.contains(r#""parameters":"39760"},"0.b":{"dtype":"F32","shape":[50],"data_offsets":[0,200]},"0.w":"#), "{header}");
    assert_eq!(header.len() % 8, 0);
    assert!(header.len() - header.trim_end().len() < 8);
    let mut fresh = book::<f32>(32);
    from_bytes(&mut fresh, &bytes, "the same bytes").unwrap();
    assert_eq!(snapshot(&fresh), snapshot(&net));
}
