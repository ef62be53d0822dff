//! The `predict` example end to end: a model saved by the `train` example, digits of
//! the shipped test set written as PNG files, one line per image, and the exit codes
//! for a broken image, a missing `--model` and a model file that is not safetensors;
//! hostile pictures (too many pixels declared) refused by their header, `--max-pixels`.

use crate::common::{self, picture};

use backprop::data::Mnist;
use common::{TempDir, run_example, text};
use picture::{Format, Picture};

/// Test digit `i` written as black ink on white paper, enlarged 3×, to `path` as a
/// grayscale PNG; returns its label.
fn write_digit(mnist: &Mnist, i: usize, path: &std::path::Path) -> usize {
    let ink = mnist.test.input(i);
    let digit = Picture::from_fn(84, 84, |x, y| {
        [255 - (ink[y / 3 * 28 + x / 3] * 255.0).round() as u8]
    });
    std::fs::write(path, digit.encode(Format::Png)).unwrap();
    mnist.test.label(i)
}

/// `DIGIT  (d1 p1, d2 p2, d3 p3)` parsed: the digit and the three pairs.
fn parse_prediction(rest: &str) -> (usize, Vec<(usize, f64)>) {
    let (digit, top) = rest.split_once("  (").expect("DIGIT  (…)");
    let top = top.strip_suffix(')').expect("ends with )");
    let pairs = top
        .split(", ")
        .map(|pair| {
            let (d, p) = pair.split_once(' ').expect("digit probability");
            (d.parse().unwrap(), p.parse().unwrap())
        })
        .collect();
    (digit.parse().unwrap(), pairs)
}

/// The first three test digits written as PNG files into `dir` and classified by
/// `predict` with `model`, which must succeed: each file's path and label, and what
/// `predict` printed.
fn classify_first_three(dir: &TempDir, model: &str) -> (Vec<(String, usize)>, String) {
    let mnist: Mnist = Mnist::load_default().unwrap();
    let mut images = Vec::new();
    for i in 0..3 {
        let path = dir.join(&format!("digit{i}.png"));
        let label = write_digit(&mnist, i, &path);
        images.push((path.to_str().unwrap().to_string(), label));
    }
    let args: Vec<&str> = ["--model", model]
        .into_iter()
        .chain(images.iter().map(|(p, _)| p.as_str()))
        .collect();
    let out = run_example("predict", &args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (images, text(&out.stdout))
}

#[test]
fn a_saved_model_classifies_png_digits_and_a_broken_image_fails_alone() {
    let dir = TempDir::new("predict");
    let model = dir.join("model.safetensors");
    let model_arg = model.to_str().unwrap();
    let plot = dir.join("train.svg");
    let trained = run_example(
        "train",
        &[
            "--iters",
            "300",
            "--save",
            model_arg,
            "--plot",
            plot.to_str().unwrap(),
        ],
        None,
    );
    assert!(trained.status.success(), "{}", text(&trained.stderr));

    let (images, stdout) = classify_first_three(&dir, model_arg);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, (path, label)) in lines.iter().zip(&images) {
        let rest = line.strip_prefix(&format!("{path}: ")).expect(line);
        let (digit, top) = parse_prediction(rest);
        // The first three test digits (7, 2, 1) are easy: the net of 300 steps (test
        // accuracy 0.88, the same every run) gets them right.
        assert_eq!(digit, *label, "{line}");
        assert_eq!(top.len(), 3, "{line}");
        assert_eq!(top[0].0, digit, "{line}");
        assert!(top.windows(2).all(|w| w[0].1 >= w[1].1), "{line}");
        assert!(top.iter().map(|&(_, p)| p).sum::<f64>() <= 1.0015, "{line}");
        assert!(top[0].1 > 0.5, "{line}");
    }

    // A file that is not an image, between two that are: its own error line, the
    // others still classified, exit 1.
    let broken = dir.join("broken.png");
    std::fs::write(&broken, b"not a picture").unwrap();
    let broken = broken.to_str().unwrap();
    let out = run_example(
        "predict",
        &["--model", model_arg, &images[0].0, broken, &images[1].0],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with(&format!("{}: 7  (7 ", images[0].0)),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with(&format!("{broken}: error: ")),
        "{stdout}"
    );
    assert!(
        lines[1].contains("not a PNG or JPEG file (it starts with 6e 6f 74 20"),
        "{stdout}"
    );
    assert!(
        lines[2].starts_with(&format!("{}: 2  (2 ", images[1].0)),
        "{stdout}"
    );

    // Hostile pictures (tests/image_file.rs measures their peak memory in-process):
    // the 880 KB PNG declaring 30000×30000 and a JPEG claiming 65535×65535,
    // each refused by its header on its own line, the digit after them classified.
    let bomb = dir.join("bomb.png");
    std::fs::write(&bomb, picture::png_bomb(30_000, 30_000)).unwrap();
    let small = Picture::from_fn(16, 8, |x, _| [if x < 8 { 30 } else { 220 }]);
    let huge = dir.join("huge.jpg");
    let huge_jpeg = picture::jpeg_claiming(&small.encode(Format::Jpeg), 65535, 65535);
    std::fs::write(&huge, huge_jpeg).unwrap();
    let (bomb, huge) = (bomb.to_str().unwrap(), huge.to_str().unwrap());
    let start = std::time::Instant::now();
    let args = ["--model", model_arg, bomb, huge, &images[0].0];
    let out = run_example("predict", &args, None);
    let time = start.elapsed();
    println!("predict on the bomb, the JPEG and a digit (cargo run included): {time:?}");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[..2],
        [
            format!(
                "{bomb}: error: the image is 30000×30000 = 900 megapixels, more than the 40 \
                 allowed"
            ),
            format!(
                "{huge}: error: the image is 65535×65535 = 4294.9 megapixels, more than the \
                 40 allowed"
            ),
        ],
        "{stdout}"
    );
    assert!(
        lines[2].starts_with(&format!("{}: 7  (7 ", images[0].0)),
        "{stdout}"
    );
    // Decoded, the bomb took 23 s; refused, the whole run takes well under this.
    assert!(time.as_secs_f64() < 10.0, "{time:?}");

    // `--max-pixels`, in megapixels: the 84×84 digit (7056 pixels) is refused under
    // 0.007, classified at 0.01.
    let digit = images[0].0.as_str();
    let out = run_example(
        "predict",
        &["--model", model_arg, "--max-pixels", "0.007", digit],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let expected = format!(
        "{digit}: error: the image is 84×84 = 0.1 megapixels, more than the 0.007 allowed\n"
    );
    assert_eq!(text(&out.stdout), expected);
    let out = run_example(
        "predict",
        &["--model", model_arg, "--max-pixels", "0.01", digit],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with(&format!("{digit}: 7  (7 ")));
    for bad in ["0", "-1", "many"] {
        let out = run_example(
            "predict",
            &["--model", model_arg, "--max-pixels", bad, digit],
            None,
        );
        assert_eq!(out.status.code(), Some(2), "--max-pixels {bad}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with("error: --max-pixels: expected a number of megapixels"),
            "{stderr}"
        );
    }
}

#[test]
fn without_model_it_says_how_to_train_and_save_one_and_exits_2() {
    let out = run_example("predict", &["my_digit.png"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: --model PATH is needed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cargo run --release --example train -- --save out/model.safetensors"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_model_that_does_not_load_is_one_line_and_exit_1() {
    let dir = TempDir::new("predict-bad-model");
    let not_safetensors = dir.join("model.safetensors");
    std::fs::write(&not_safetensors, b"this is not a model").unwrap();
    let missing = dir.join("none.safetensors");
    for (model, says) in [(&not_safetensors, "safetensors"), (&missing, "--save")] {
        let model = model.to_str().unwrap();
        let out = run_example("predict", &["--model", model, "digit.png"], None);
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(&format!("error: {model}: ")), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(out.stdout.is_empty(), "no image is read before the model");
    }
}

/// A SimpleConvNet saved by the `simple_convnet` example is read by `predict` too: the
/// file's parameter names and shapes tell which network it holds.
#[test]
fn a_saved_conv_net_classifies_png_digits() {
    let dir = TempDir::new("predict-conv");
    let model = dir.join("convnet.safetensors");
    let model_arg = model.to_str().unwrap();
    let (plot, filters) = (dir.join("curves.svg"), dir.join("filters.svg"));
    let trained = run_example(
        "simple_convnet",
        &[
            "--epochs",
            "1",
            "--save",
            model_arg,
            "--plot",
            plot.to_str().unwrap(),
            "--filters",
            filters.to_str().unwrap(),
        ],
        None,
    );
    assert!(trained.status.success(), "{}", text(&trained.stderr));

    let (images, stdout) = classify_first_three(&dir, model_arg);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    for (line, (path, label)) in lines.iter().zip(&images) {
        let rest = line.strip_prefix(&format!("{path}: ")).expect(line);
        let (digit, top) = parse_prediction(rest);
        // One epoch (test accuracy 0.88, the same every run) reads the first three
        // test digits (7, 2, 1) right.
        assert_eq!(digit, *label, "{line}");
        assert_eq!(top[0].0, digit, "{line}");
        assert!(top.iter().all(|&(_, p)| (0.0..=1.0).contains(&p)), "{line}");
    }
}
