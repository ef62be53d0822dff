//! Classify your own digit: images of handwritten digits (PNG or JPEG, any size, dark
//! on light or light on dark, or strokes on a transparent background) made into
//! MNIST's 28×28 by `backprop::data::digit_from_rgba` and classified by the book's
//! two-layer net as the `train` example saved it, or by its SimpleConvNet (chapter 7)
//! as the `simple_convnet` example saved it; the file tells which.
//!
//!     cargo run --release --example train -- --save out/model.safetensors
//!     cargo run --release --example predict -- --model out/model.safetensors my_digit.png
//!     cargo run --release --example simple_convnet -- --save out/convnet.safetensors
//!     cargo run --release --example predict -- --model out/convnet.safetensors my_digit.png
//!
//! Prints one line per image, in order, to stdout: `PATH: DIGIT  (d1 p1, d2 p2, d3 p3)`,
//! the three most likely digits with their softmax probabilities, or
//! `PATH: error: …` for an image that cannot be read or holds no ink; the other images
//! are still classified. A picture over `--max-pixels` megapixels (default 40) is
//! refused by its header before it is decoded. Exit codes: 0 every image classified,
//! 1 an image failed or the model does not load (one line on stderr), 2 a bad command
//! line (no `--model`: how to train and save one).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "common/image_file.rs"]
mod image_file;
#[path = "common/simple_convnet_net.rs"]
mod simple_convnet_net;

use backprop::data::digit_from_rgba;
use backprop::weights::{WeightsError, load};
use backprop::{Affine, Matrix, Network, Relu, softmax};

/// The book's `TwoLayerNet`, the network the `train` example saves.
type Net = (Affine<784, 50>, Relu, Affine<50, 10>);

/// The book's `SimpleConvNet` (section 7.5), the network the `simple_convnet` example
/// saves.
type ConvNet = simple_convnet_net::SimpleConvNet;

/// A trained network of either kind.
enum Model {
    TwoLayer(Net),
    Conv(Box<ConvNet>),
}

impl Model {
    /// The network whose parameters the file holds: the two-layer net, else the
    /// SimpleConvNet; when neither fits, the two-layer net's reason.
    fn load(path: &Path) -> Result<Self, WeightsError> {
        let mut net: Net = (Affine::zeros(), Relu::new(), Affine::zeros());
        let two_layer = match load(&mut net, path) {
            Ok(()) => return Ok(Model::TwoLayer(net)),
            Err(e) => e,
        };
        let mut conv: Box<ConvNet> = Box::new(simple_convnet_net::zeros());
        match load(&mut *conv, path) {
            Ok(()) => Ok(Model::Conv(conv)),
            Err(_) => Err(two_layer),
        }
    }

    /// The ten scores of one digit.
    fn scores(&self, x: &Matrix<1, 784>) -> Matrix<1, 10> {
        match self {
            Model::TwoLayer(net) => net.predict(x),
            Model::Conv(net) => net.predict(x),
        }
    }
}

const USAGE: &str = "\
usage: cargo run --release --example predict -- --model PATH [--max-pixels N] IMAGE...

Classifies images of handwritten digits (PNG or JPEG, any size) with the book's
two-layer net (784-50-10) saved by the train example, or its SimpleConvNet saved by
the simple_convnet example. Each image is made into MNIST's
28×28: inverted if the ink is dark on light paper (an alpha channel is ink on a
transparent background), cropped to the ink, fitted into 20×20, centred by its centre
of mass. One line per image: PATH: DIGIT  (the three likeliest digits and their
probabilities).

  --model PATH  the weights, a .safetensors file written by
                cargo run --release --example train -- --save PATH
                or cargo run --release --example simple_convnet -- --save PATH
  --max-pixels N
                refuse a picture of more than N megapixels (default 40) by its
                header, before decoding it
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
        /// The most pixels a picture may have.
        max_pixels: u64,
    },
    Help,
}

fn main() -> ExitCode {
    let (model, images, max_pixels) = match parse() {
        Ok(Command::Classify {
            model,
            images,
            max_pixels,
        }) => (model, images, max_pixels),
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let net = match Model::load(&model) {
        Ok(net) => net,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for path in &images {
        match classify(&net, path, max_pixels) {
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
    let mut max_pixels = image_file::DEFAULT_MAX_PIXELS;
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("model") => model = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("max-pixels") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                let megapixels = value.to_str().and_then(|v| v.parse::<f64>().ok());
                max_pixels = match megapixels {
                    Some(n) if n > 0.0 && n <= 1e6 => ((n * 1e6).round() as u64).max(1),
                    _ => {
                        return Err(format!(
                            "--max-pixels: expected a number of megapixels in (0, 1000000], \
                             got {}",
                            value.to_string_lossy()
                        ));
                    }
                };
            }
            Short('h') | Long("help") => return Ok(Command::Help),
            Value(image) => images.push(image.into()),
            _ => return Err(arg.unexpected().to_string()),
        }
    }
    let model = model.ok_or(NO_MODEL)?;
    if images.is_empty() {
        return Err("no image given: name one or more image files after --model PATH".into());
    }
    Ok(Command::Classify {
        model,
        images,
        max_pixels,
    })
}

/// The digit and the three likeliest digits with their probabilities, as printed.
fn classify(
    net: &Model,
    path: &Path,
    max_pixels: u64,
) -> Result<String, Box<dyn std::error::Error>> {
    // The format is told by the file's first bytes, not its name; a picture over
    // `max_pixels` is refused by its header.
    let bytes = std::fs::read(path)?;
    let (width, height, rgba) = image_file::decode_rgba_within(&bytes, max_pixels)?;
    drop(bytes);
    let x: Matrix<1, 784> = digit_from_rgba(width, height, &rgba)?;
    let probabilities = softmax(&net.scores(&x));
    let mut ranked: Vec<(usize, f32)> = probabilities.row(0).iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let top: Vec<String> = ranked[..3]
        .iter()
        .map(|(digit, p)| format!("{digit} {p:.3}"))
        .collect();
    Ok(format!("{}  ({})", ranked[0].0, top.join(", ")))
}
