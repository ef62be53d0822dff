//! Classify your own digit: images of handwritten digits (PNG or JPEG, any size, dark
//! on light or light on dark, or strokes on a transparent background) made into
//! MNIST's 28×28 by `backprop::data::digit_from_rgba` and classified by the book's
//! two-layer net as the `train` example saved it.
//!
//!     cargo run --release --example train -- --save out/model.safetensors
//!     cargo run --release --example predict -- --model out/model.safetensors my_digit.png
//!
//! Prints one line per image, in order, to stdout: `PATH: DIGIT  (d1 p1, d2 p2, d3 p3)`,
//! the three most likely digits with their softmax probabilities, or
//! `PATH: error: …` for an image that cannot be read or holds no ink; the other images
//! are still classified. Exit codes: 0 every image classified, 1 an image failed or
//! the model does not load (one line on stderr), 2 a bad command line (no `--model`:
//! how to train and save one).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "common/image_file.rs"]
mod image_file;

use backprop::data::digit_from_rgba;
use backprop::{Affine, Matrix, Network, Relu, softmax};

/// The book's `TwoLayerNet`, the network the `train` example saves.
type Net = (Affine<784, 50>, Relu, Affine<50, 10>);

const USAGE: &str = "\
usage: cargo run --release --example predict -- --model PATH IMAGE...

Classifies images of handwritten digits (PNG or JPEG, any size) with the book's
two-layer net (784-50-10) saved by the train example. Each image is made into MNIST's
28×28: inverted if the ink is dark on light paper (an alpha channel is ink on a
transparent background), cropped to the ink, fitted into 20×20, centred by its centre
of mass. One line per image: PATH: DIGIT  (the three likeliest digits and their
probabilities).

  --model PATH  the weights, a .safetensors file written by
                cargo run --release --example train -- --save PATH
  -h, --help    this text";

/// What to do without `--model`.
const NO_MODEL: &str = "\
--model PATH is needed: the weights of a trained network. Train and save one (about
10 seconds), then classify with it:

  cargo run --release --example train -- --save out/model.safetensors
  cargo run --release --example predict -- --model out/model.safetensors my_digit.png";

/// The parsed command line.
enum Command {
    Classify {
        model: PathBuf,
        images: Vec<PathBuf>,
    },
    Help,
}

fn main() -> ExitCode {
    let (model, images) = match parse() {
        Ok(Command::Classify { model, images }) => (model, images),
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut net: Net = (Affine::zeros(), Relu::new(), Affine::zeros());
    if let Err(e) = backprop::weights::load(&mut net, &model) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let mut failed = false;
    for path in &images {
        match classify(&mut net, path) {
            Ok(line) => println!("{}: {line}", path.display()),
            Err(e) => {
                println!("{}: error: {e}", path.display());
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Parses the process's arguments; the error is the line to print before the usage.
fn parse() -> Result<Command, String> {
    use lexopt::prelude::*;
    let mut model = None;
    let mut images = Vec::new();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("model") => model = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Short('h') | Long("help") => return Ok(Command::Help),
            Value(image) => images.push(image.into()),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    let model = model.ok_or(NO_MODEL)?;
    if images.is_empty() {
        return Err("no image given: name one or more image files after --model PATH".into());
    }
    Ok(Command::Classify { model, images })
}

/// The digit and the three likeliest digits with their probabilities, as printed.
fn classify(net: &mut Net, path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    // The format is told by the file's first bytes, not its name.
    let (width, height, rgba) = image_file::decode_rgba(&std::fs::read(path)?)?;
    let x: Matrix<1, 784> = digit_from_rgba(width, height, &rgba)?;
    let probabilities = softmax(net.predict(&x));
    let mut ranked: Vec<(usize, f32)> = probabilities.row(0).iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = ranked[..3]
        .iter()
        .map(|(digit, p)| format!("{digit} {p:.3}"))
        .collect();
    Ok(format!("{}  ({})", ranked[0].0, top.join(", ")))
}
