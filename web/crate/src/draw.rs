//! The draw panel: a canvas's RGBA pixels made into MNIST's 28×28 by the library's
//! `digit_from_rgba` (the `predict` example's preprocessing: inverted if dark on
//! light, cropped to the ink, fitted into 20×20, centred by its centre of mass) and
//! classified, with the ten softmax probabilities and the 28×28 the network saw.

use backprop::data::{PIXELS, digit_from_rgba};
use backprop::{Error, Network, softmax};

use crate::json::{Object, array};
use crate::trainer::Net;

/// The message for a canvas with no ink on it.
pub const NOTHING_DRAWN: &str = "nothing drawn";

/// What the network made of a drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The likeliest digit.
    pub digit: usize,
    /// The softmax probability of each digit 0–9.
    pub scores: [f32; 10],
    /// The 28×28 input the network saw, row by row, each in `[0, 1]`.
    pub pixels: Vec<f32>,
}

/// Classifies the `width × height` RGBA image `rgba` (a canvas's
/// `getImageData().data`, 4 bytes a pixel) with `net`.
///
/// # Errors
/// [`NOTHING_DRAWN`] for an image without ink; a message for a negative or zero size
/// or a byte count that is not `width · height · 4`.
///
/// ```
/// use backprop::Affine;
/// use backprop_web::draw::{NOTHING_DRAWN, predict};
/// let net = (Affine::zeros(), backprop::Relu::new(), Affine::zeros());
/// // A white bar on a black 10×10 canvas: every score equal, so digit 0.
/// let mut rgba = [0, 0, 0, 255].repeat(100);
/// for y in 2..8 {
///     rgba[(y * 10 + 5) * 4..][..3].copy_from_slice(&[255, 255, 255]);
/// }
/// let p = predict(&net, 10, 10, &rgba).unwrap();
/// assert_eq!((p.digit, p.scores[3], p.pixels.len()), (0, 0.1, 784));
/// assert_eq!(predict(&net, 10, 10, &[0, 0, 0, 255].repeat(100)).unwrap_err(), NOTHING_DRAWN);
/// assert!(predict(&net, -1, 10, &rgba).is_err());
/// assert!(predict(&net, 10, 9, &rgba).is_err());
/// ```
pub fn predict(net: &Net, width: i32, height: i32, rgba: &[u8]) -> Result<Prediction, String> {
    let size = |side: i32, what: &str| {
        usize::try_from(side).map_err(|_| format!("the canvas {what} is {side}, not a size"))
    };
    let x =
        digit_from_rgba(size(width, "width")?, size(height, "height")?, rgba).map_err(
            |e| match e {
                Error::BlankImage => NOTHING_DRAWN.to_string(),
                other => other.to_string(),
            },
        )?;
    let probabilities = softmax(&net.predict(&x));
    if probabilities.as_slice().iter().any(|p| !p.is_finite()) {
        return Err(
            "the network's scores are not finite numbers (did its training diverge?)".into(),
        );
    }
    let mut scores = [0.0; 10];
    scores.copy_from_slice(probabilities.row(0));
    Ok(Prediction {
        digit: probabilities.argmax_rows()[0],
        scores,
        pixels: x.as_slice()[..PIXELS].to_vec(),
    })
}

impl Prediction {
    /// `{"digit":d,"scores":[…10],"pixels":[…784]}`, as `bp_predict` answers.
    ///
    /// ```
    /// let p = backprop_web::draw::Prediction { digit: 1, scores: [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], pixels: vec![0.5] };
    /// assert_eq!(p.to_json(), r#"{"digit":1,"scores":[0.0,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0],"pixels":[0.5]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        Object::new()
            .number("digit", self.digit)
            .raw("scores", &array(self.scores))
            .raw("pixels", &array(self.pixels.iter().copied()))
            .finish()
    }
}
