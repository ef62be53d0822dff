//! Pictures made pixel by pixel and encoded as PNG or JPEG files, for the tests that
//! read image files back (tests/digit.rs, tests/image_file.rs,
//! tests/predict.rs).

#![allow(dead_code)] // each test file uses its own part

/// An image file's format.
#[derive(Clone, Copy)]
pub enum Format {
    /// An 8-bit PNG.
    Png,
    /// A JPEG of quality 75.
    Jpeg,
}

/// A picture before it is encoded: `channels` bytes a pixel (1 gray, 3 RGB, 4 RGBA),
/// row by row.
pub struct Picture {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub pixels: Vec<u8>,
}

impl Picture {
    /// `width × height` pixels, the one at (x, y) being `pixel(x, y)`.
    pub fn from_fn<const N: usize>(
        width: usize,
        height: usize,
        pixel: impl Fn(usize, usize) -> [u8; N],
    ) -> Picture {
        let pixels = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .flat_map(|(x, y)| pixel(x, y))
            .collect();
        Picture {
            width,
            height,
            channels: N,
            pixels,
        }
    }

    /// The picture as a file of `format`'s bytes: an 8-bit PNG, or a JPEG of quality 75
    /// without chroma subsampling (as the `image` crate wrote it before).
    pub fn encode(&self, format: Format) -> Vec<u8> {
        let mut bytes = Vec::new();
        match format {
            Format::Png => {
                let color = match self.channels {
                    1 => png::ColorType::Grayscale,
                    3 => png::ColorType::Rgb,
                    _ => png::ColorType::Rgba,
                };
                let (w, h) = (self.width as u32, self.height as u32);
                let mut encoder = png::Encoder::new(&mut bytes, w, h);
                encoder.set_color(color);
                encoder.set_depth(png::BitDepth::Eight);
                let mut writer = encoder.write_header().unwrap();
                writer.write_image_data(&self.pixels).unwrap();
                writer.finish().unwrap();
            }
            Format::Jpeg => {
                let color = match self.channels {
                    1 => jpeg_encoder::ColorType::Luma,
                    3 => jpeg_encoder::ColorType::Rgb,
                    _ => jpeg_encoder::ColorType::Rgba,
                };
                let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 75);
                encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_1_1);
                let (w, h) = (self.width as u16, self.height as u16);
                encoder.encode(&self.pixels, w, h, color).unwrap();
            }
        }
        bytes
    }
}

/// A PNG of `width × height` with `data` as its rows, the header set by `set`.
pub fn png_file(
    width: u32,
    height: u32,
    data: &[u8],
    set: impl FnOnce(&mut png::Encoder<'static, &mut Vec<u8>>),
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    set(&mut encoder);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(data).unwrap();
    writer.finish().unwrap();
    bytes
}
