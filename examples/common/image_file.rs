//! A PNG or JPEG file's bytes decoded into RGBA8 pixels, for the predict example and
//! the tests that write digits as image files (tests/digit.rs and tests/predict.rs
//! read them back through this same module).
//!
//! Not the `image` crate, which wraps these same decoders (`png`, `zune-jpeg`): as a
//! dev-dependency it is compiled for every example, and in a clean `cargo build
//! --release --example train` it took 16.7 s of compile on the critical path (62–66 s
//! in all, against a goal of 60 s on two cores). Used directly, `png`, `zune-jpeg`
//! (without its SIMD paths, which digit-sized pictures do not need) and the tests'
//! `jpeg-encoder` took 3.5, 1.6 and 0.7 s in one `--timings` run.
//!
//! A file is not trusted: a picture of 875 KB can declare 30000×30000 pixels, and a
//! metadata chunk can inflate to gigabytes. The width and height are read from the
//! header and the picture refused over a pixel budget ([`DEFAULT_MAX_PIXELS`]) before
//! any pixel is allocated, and each decoder's own limits are set too: the PNG decoder
//! may allocate at most [`PNG_DECODER_BYTES`] besides the picture (rows, text and ICC
//! profile chunks; a larger ICC profile is dropped, compressed text is never inflated),
//! the JPEG decoder refuses a side longer than the budget.

use std::error::Error;
use std::fmt;
use std::io::Cursor;

use zune_jpeg::JpegDecoder;
use zune_jpeg::errors::DecodeErrors;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// The first bytes of every PNG file.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
/// The first bytes of every JPEG file (start of image, then a marker).
const JPEG_SIGNATURE: [u8; 3] = [0xFF, 0xD8, 0xFF];

/// The most pixels a picture may have unless told otherwise: 40 megapixels, more than
/// any phone camera's photo. Decoded as RGBA8 that is 160 MB; a digit needs far less.
pub const DEFAULT_MAX_PIXELS: u64 = 40_000_000;

/// The most bytes the PNG decoder may allocate besides the picture's own buffer: its
/// row buffers and the metadata chunks it keeps (text, ICC profile, EXIF).
pub const PNG_DECODER_BYTES: usize = 16 << 20;

/// The reason given when a file ends before its picture does.
const CUT_SHORT: &str = "the file ends too early (was it cut short?)";

/// Why a file's bytes could not be made into pixels.
#[derive(Debug)]
pub enum ImageError {
    /// Neither a PNG nor a JPEG signature; holds the file's first bytes (up to 8).
    UnknownFormat(Vec<u8>),
    /// A PNG file that does not decode (truncated, corrupt, empty or too large).
    Png(String),
    /// A JPEG file that does not decode (truncated, corrupt, empty or too large).
    Jpeg(String),
    /// A picture whose header declares more pixels than allowed, refused before it
    /// is decoded.
    TooLarge {
        width: u64,
        height: u64,
        max_pixels: u64,
    },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::UnknownFormat(start) if start.is_empty() => {
                write!(f, "the file is empty: save the picture as PNG or JPEG")
            }
            ImageError::UnknownFormat(start) => {
                let hex: Vec<String> = start.iter().map(|b| format!("{b:02x}")).collect();
                write!(
                    f,
                    "not a PNG or JPEG file (it starts with {} …): only PNG and JPEG \
                     are read, save the picture as one of them",
                    hex.join(" ")
                )
            }
            ImageError::Png(reason) => write!(f, "broken PNG file: {reason}"),
            ImageError::Jpeg(reason) => write!(f, "broken JPEG file: {reason}"),
            ImageError::TooLarge {
                width,
                height,
                max_pixels,
            } => {
                // Rounded up to a tenth, so that a picture just over the limit does not
                // read as equal to it.
                let megapixels = (width * height).div_ceil(100_000) as f64 / 10.0;
                write!(
                    f,
                    "the image is {width}×{height} = {megapixels} megapixels, more than \
                     the {} allowed",
                    *max_pixels as f64 / 1e6
                )
            }
        }
    }
}

impl Error for ImageError {}

/// Decodes a PNG or JPEG file's `bytes`, telling the format by its first bytes (not
/// the file name): width, height and the pixels as RGBA8, row by row. Every PNG color
/// type (gray, gray with alpha, RGB, RGBA, indexed with or without transparency, any
/// bit depth: 16 bits are cut to 8) and gray, RGB or CMYK JPEG. A picture of more than
/// [`DEFAULT_MAX_PIXELS`] is refused, as [`decode_rgba_within`] does.
#[allow(dead_code)] // the predict example sets its own budget
pub fn decode_rgba(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), ImageError> {
    decode_rgba_within(bytes, DEFAULT_MAX_PIXELS)
}

/// As [`decode_rgba`], refusing ([`ImageError::TooLarge`]) a picture whose header
/// declares more than `max_pixels` pixels before anything of its size is allocated.
pub fn decode_rgba_within(
    bytes: &[u8],
    max_pixels: u64,
) -> Result<(usize, usize, Vec<u8>), ImageError> {
    if bytes.starts_with(&PNG_SIGNATURE) {
        decode_png(bytes, max_pixels)
    } else if bytes.starts_with(&JPEG_SIGNATURE) {
        decode_jpeg(bytes, max_pixels)
    } else {
        Err(ImageError::UnknownFormat(
            bytes[..bytes.len().min(8)].to_vec(),
        ))
    }
}

/// An error unless a `width × height` picture is within `max_pixels`.
fn within(width: u64, height: u64, max_pixels: u64) -> Result<(), ImageError> {
    if width * height > max_pixels {
        return Err(ImageError::TooLarge {
            width,
            height,
            max_pixels,
        });
    }
    Ok(())
}

/// A PNG file as RGBA8, refused by its header over `max_pixels`.
fn decode_png(bytes: &[u8], max_pixels: u64) -> Result<(usize, usize, Vec<u8>), ImageError> {
    let limits = png::Limits {
        bytes: PNG_DECODER_BYTES,
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    // Palettes and tRNS become RGB(A) or gray+alpha, 1-4 bit gray and 16 bits 8 bits.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    // The signature and IHDR only: nothing of the picture's size is allocated yet.
    let header = decoder
        .read_header_info()
        .map_err(|e| ImageError::Png(png_reason(e)))?;
    within(header.width.into(), header.height.into(), max_pixels)?;
    decode_png_pixels(decoder).map_err(ImageError::Png)
}

/// The pixels of a PNG whose header is read, as RGBA8; the error is the reason.
fn decode_png_pixels(
    decoder: png::Decoder<Cursor<&[u8]>>,
) -> Result<(usize, usize, Vec<u8>), String> {
    let mut reader = decoder.read_info().map_err(png_reason)?;
    let size = reader
        .output_buffer_size()
        .ok_or("the picture is too large for memory")?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(png_reason)?;
    if frame.bit_depth != png::BitDepth::Eight {
        return Err(format!(
            "{:?} samples left after expansion",
            frame.bit_depth
        ));
    }
    let channels = match frame.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("a palette left after expansion".into()),
    };
    pixels.truncate(frame.buffer_size());
    let (width, height) = (frame.width as usize, frame.height as usize);
    Ok((width, height, to_rgba(width, height, channels, pixels)?))
}

/// The png crate's error as a reason; running out of bytes is said as for a JPEG.
fn png_reason(error: png::DecodingError) -> String {
    match error {
        png::DecodingError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            CUT_SHORT.into()
        }
        png::DecodingError::LimitsExceeded => format!(
            "decoding it needs more than the {} MB allowed for its rows and metadata",
            PNG_DECODER_BYTES >> 20
        ),
        other => other.to_string(),
    }
}

/// A JPEG file as RGBA8, refused by its header over `max_pixels`.
fn decode_jpeg(bytes: &[u8], max_pixels: u64) -> Result<(usize, usize, Vec<u8>), ImageError> {
    let jpeg_error = |e| ImageError::Jpeg(jpeg_reason(e));
    // No side longer than the whole budget (zune-jpeg's own limit, checked as it reads
    // the frame header); the area is checked below.
    let side = usize::try_from(max_pixels.min(u16::MAX.into())).unwrap_or(usize::MAX);
    // RGB is the output every input color space (gray, YCbCr, RGB, CMYK, YCCK) converts
    // to; RGBA is refused for some. Strict: a truncated file is an error, not gray.
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_strict_mode(true)
        .set_max_width(side)
        .set_max_height(side);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    // The markers up to the first scan: nothing of the picture's size is allocated.
    decoder.decode_headers().map_err(jpeg_error)?;
    let info = decoder
        .info()
        .ok_or_else(|| ImageError::Jpeg("no image header".into()))?;
    within(info.width.into(), info.height.into(), max_pixels)?;
    let pixels = decoder.decode().map_err(jpeg_error)?;
    let channels = decoder
        .output_colorspace()
        .map_or(3, |space| space.num_components());
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    let rgba = to_rgba(width, height, channels, pixels).map_err(ImageError::Jpeg)?;
    Ok((width, height, rgba))
}

/// zune-jpeg's error as a reason (its own text quotes some and ends some with a new
/// line); running out of bytes is said plainly.
fn jpeg_reason(error: DecodeErrors) -> String {
    match error {
        DecodeErrors::IoErrors(_)
        | DecodeErrors::ExhaustedData
        | DecodeErrors::FormatStatic("Premature end of buffer") => CUT_SHORT.into(),
        DecodeErrors::FormatStatic(reason) => reason.into(),
        DecodeErrors::Format(reason) => reason,
        other => other.to_string().trim_end().into(),
    }
}

/// `pixels` of `channels` bytes each (gray, gray+alpha, RGB or RGBA) as RGBA8; an
/// error when the picture is empty or the bytes are not `width · height` pixels. RGBA
/// is returned as it is, not copied.
fn to_rgba(
    width: usize,
    height: usize,
    channels: usize,
    pixels: Vec<u8>,
) -> Result<Vec<u8>, String> {
    if width == 0 || height == 0 {
        return Err(format!("the picture is {width}×{height} pixels"));
    }
    let expected = width
        .checked_mul(height)
        .and_then(|n| n.checked_mul(channels));
    if !(1..=4).contains(&channels) || expected != Some(pixels.len()) {
        return Err(format!(
            "{} bytes decoded for {width}×{height} pixels of {channels} channels",
            pixels.len()
        ));
    }
    if channels == 4 {
        return Ok(pixels);
    }
    let rgba = |p: &[u8]| match *p {
        [g] => [g, g, g, 255],
        [g, a] => [g, g, g, a],
        [r, g, b] => [r, g, b, 255],
        [r, g, b, a] => [r, g, b, a],
        _ => unreachable!("chunks of 1 to 4 bytes"),
    };
    Ok(pixels.chunks_exact(channels).flat_map(rgba).collect())
}
