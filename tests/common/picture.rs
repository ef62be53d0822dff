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

/// A zlib stream of `len` zero bytes, small however large `len` is: about 1 KB a MiB
/// (1 MiB of zeros compressed once after a full flush, which empties the compressor's
/// window, so that every later MiB compresses to the same bytes, repeated), as a
/// hostile file would carry it. Its Adler-32 is worked out: `a` stays 1, `b` is `len`.
pub fn zlib_zeros(len: u64) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    const MIB: u64 = 1 << 20;
    let zeros = vec![0u8; MIB as usize];
    let mut compress = Compress::new(Compression::best(), false);
    let mut block = |input: &[u8], flush| {
        let mut out = Vec::with_capacity(64 << 10);
        compress.compress_vec(input, &mut out, flush).unwrap();
        out
    };
    let first = block(&zeros, FlushCompress::Full);
    let next = block(&zeros, FlushCompress::Full);
    assert_eq!(
        next,
        block(&zeros, FlushCompress::Full),
        "MiBs compress alike"
    );
    let (mibs, rest) = (len / MIB, (len % MIB) as usize);
    let mut stream = vec![0x78, 0xDA]; // deflate, 32 KiB window, best compression
    for i in 0..mibs {
        stream.extend_from_slice(if i == 0 { &first } else { &next });
    }
    stream.extend(block(&zeros[..rest], FlushCompress::Finish));
    let b = (len % 65521) as u32;
    stream.extend_from_slice(&(b << 16 | 1).to_be_bytes());
    stream
}

/// A PNG chunk: length, type, data and CRC.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc.sum().to_be_bytes());
    chunk
}

/// A PNG of 8-bit gray `width × height`, black, whose image data is a valid zlib
/// stream of every row (a filter byte and `width` zeros) that inflates to
/// `height · (width + 1)` bytes: 30000×30000 is an 880 KB file that inflates to 900 MB.
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8 bits, gray, deflate, filters, no interlace
    let rows = u64::from(height) * (u64::from(width) + 1);
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    bytes.extend(png_chunk(b"IHDR", &ihdr));
    bytes.extend(png_chunk(b"IDAT", &zlib_zeros(rows)));
    bytes.extend(png_chunk(b"IEND", &[]));
    bytes
}

/// `png` (a whole PNG file) with `chunk` put right after its IHDR, where an iCCP or
/// text chunk may be.
pub fn png_with_chunk(png: &[u8], chunk: &[u8]) -> Vec<u8> {
    let after_ihdr = 8 + 4 + 4 + 13 + 4;
    assert_eq!(&png[12..16], b"IHDR");
    [&png[..after_ihdr], chunk, &png[after_ihdr..]].concat()
}

/// `jpeg` (a whole baseline JPEG file) with its frame header (SOF0) claiming `width ×
/// height` pixels, nothing else changed.
pub fn jpeg_claiming(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    let mut bytes = jpeg.to_vec();
    // FF C0, length (2), precision (1), then height and width.
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}
