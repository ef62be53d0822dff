//! The predict example's decoder (examples/common/image_file.rs) on files written
//! here: every PNG color type and bit depth, a gray JPEG, and files that are not PNG or
//! JPEG or are cut short, which must be errors that say so, never a panic; and hostile
//! files (a small PNG declaring 30000×30000 pixels, JPEGs claiming 65535×65535 and
//! 16384×16384, PNGs with an ICC profile or text chunk that inflates to a gigabyte)
//! handled within 100 MB and a second each, the peak measured here.

use crate::common::{image_file, picture};

use std::time::{Duration, Instant};

use picture::{
    Format, Picture, jpeg_claiming, png_bomb, png_chunk, png_file, png_with_chunk, zlib_zeros,
};

#[test]
fn the_decoder_reads_every_png_color_type_as_rgba8() {
    use png::{BitDepth, ColorType};
    let decode = |bytes: Vec<u8>| image_file::decode_rgba(&bytes).unwrap();

    // Gray with alpha: gray copied into R, G and B, the alpha kept.
    let gray_alpha = png_file(2, 1, &[10, 200, 250, 0], |e| {
        e.set_color(ColorType::GrayscaleAlpha);
    });
    let expected = vec![10, 10, 10, 200, 250, 250, 250, 0];
    assert_eq!(decode(gray_alpha), (2, 1, expected));

    // 16 bits a sample (big-endian), RGB: the high byte of each, opaque.
    let rgb16 = [
        0x12, 0x34, 0xAB, 0xCD, 0xFF, 0xFF, 0, 0, 0x80, 0, 0x7F, 0xFF,
    ];
    let rgb16 = png_file(2, 1, &rgb16, |e| {
        e.set_color(ColorType::Rgb);
        e.set_depth(BitDepth::Sixteen);
    });
    let expected = vec![0x12, 0xAB, 0xFF, 255, 0, 0x80, 0x7F, 255];
    assert_eq!(decode(rgb16), (2, 1, expected));

    // Indexed, 8 bits, no tRNS: the palette's colors, opaque.
    let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
    let indexed = png_file(2, 2, &[2, 0, 1, 1], |e| {
        e.set_color(ColorType::Indexed);
        e.set_palette(palette.to_vec());
    });
    let (red, green, blue) = ([255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]);
    let expected = [blue, red, green, green].concat();
    assert_eq!(decode(indexed), (2, 2, expected));

    // Indexed, 4 bits (two pixels a byte, the row padded), a tRNS shorter than the
    // palette: the entries past it are opaque.
    let indexed_trns = png_file(3, 1, &[0x01, 0x20], |e| {
        e.set_color(ColorType::Indexed);
        e.set_depth(BitDepth::Four);
        e.set_palette(palette.to_vec());
        e.set_trns(vec![0, 128]);
    });
    let expected = vec![255, 0, 0, 0, 0, 255, 0, 128, 0, 0, 255, 255];
    assert_eq!(decode(indexed_trns), (3, 1, expected));

    // Gray at 1 bit: 0 black, 1 white.
    let gray1 = png_file(3, 1, &[0b1010_0000], |e| {
        e.set_color(ColorType::Grayscale);
        e.set_depth(BitDepth::One);
    });
    let expected = [[255, 255, 255, 255], [0, 0, 0, 255], [255; 4]].concat();
    assert_eq!(decode(gray1), (3, 1, expected));
}

#[test]
fn the_decoder_reads_a_gray_jpeg_as_opaque_gray_rgba() {
    let picture = Picture::from_fn(16, 8, |x, _| [if x < 8 { 30 } else { 220 }]);
    let (w, h, rgba) = image_file::decode_rgba(&picture.encode(Format::Jpeg)).unwrap();
    assert_eq!((w, h, rgba.len()), (16, 8, 16 * 8 * 4));
    for (i, p) in rgba.chunks_exact(4).enumerate() {
        let want = if i % 16 < 8 { 30 } else { 220 };
        assert!(p[0] == p[1] && p[1] == p[2] && p[3] == 255, "{p:?}");
        assert!(
            p[0].abs_diff(want) <= 12,
            "pixel {i}: {p:?}, not about {want}"
        );
    }
}

#[test]
fn files_that_are_not_png_or_jpeg_or_are_cut_short_are_errors_that_say_so() {
    use image_file::{ImageError, decode_rgba};
    let gif = decode_rgba(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap_err();
    assert!(matches!(gif, ImageError::UnknownFormat(_)), "{gif:?}");
    let message = gif.to_string();
    assert!(
        message.starts_with("not a PNG or JPEG file (it starts with 47 49 46 38 39 61 01 00"),
        "{message}"
    );
    assert!(message.contains("save the picture as"), "{message}");
    let empty = decode_rgba(b"").unwrap_err();
    assert!(matches!(empty, ImageError::UnknownFormat(_)), "{empty:?}");
    assert!(empty.to_string().contains("empty"), "{empty}");

    // Every prefix of a good file: an error of its format, or (when only a trailer is
    // missing) the same pixels as the whole file. Never a panic.
    // A 56×56 RGB picture: a dark ring on white, as a digit drawn in black.
    let picture = Picture::from_fn(56, 56, |x, y| {
        let r2 = (x as i64 - 28).pow(2) + (y as i64 - 28).pow(2);
        let v = if (100..300).contains(&r2) { 20 } else { 255 };
        [v, v, v]
    });
    // `signature`: the bytes that tell the format.
    for (format, name, signature) in [(Format::Png, "PNG", 8), (Format::Jpeg, "JPEG", 3)] {
        let bytes = picture.encode(format);
        let whole = decode_rgba(&bytes).unwrap();
        let mut errors = 0;
        for cut in (1..bytes.len()).step_by(7) {
            match decode_rgba(&bytes[..cut]) {
                Ok(decoded) => assert!(decoded == whole, "{name} cut at {cut}: other pixels"),
                Err(e) => {
                    let message = e.to_string();
                    let ok = match e {
                        ImageError::UnknownFormat(_) => cut < signature,
                        ImageError::Png(_) => name == "PNG" && cut >= signature,
                        ImageError::Jpeg(_) => name == "JPEG" && cut >= signature,
                        ImageError::TooLarge { .. } => false,
                    };
                    assert!(ok, "{name} cut at {cut}: {message}");
                    if cut >= signature {
                        assert!(message.starts_with(&format!("broken {name} file: ")));
                    }
                    errors += 1;
                }
            }
        }
        println!(
            "{name}: {errors} of {} prefixes are errors",
            bytes.len().div_ceil(7)
        );
        // The half file is not a picture.
        let half = decode_rgba(&bytes[..bytes.len() / 2]).unwrap_err();
        println!("{name} cut in half: {half}");
        let expected = format!("broken {name} file: the file ends too early");
        assert!(half.to_string().starts_with(&expected), "{half}");
    }
}

/// The most bytes a hostile file may make the decoder hold at once, and the longest it
/// may take (optimized, as `cargo test --release` builds it; unoptimized, inflating the
/// 16 MB the PNG decoder allows takes about 0.6 s, so the limit is looser).
const MAX_BYTES: u64 = 100 << 20;
const MAX_TIME: Duration = Duration::from_secs(if cfg!(debug_assertions) { 5 } else { 1 });

/// `decode_rgba(bytes)`'s result, the most bytes this thread held at once during it
/// and its time, printed as `name`.
fn measured(name: &str, bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), image_file::ImageError> {
    let mut result = None;
    let start = Instant::now();
    let info = allocation_counter::measure(|| result = Some(image_file::decode_rgba(bytes)));
    let time = start.elapsed();
    let result = result.unwrap();
    let outcome = match &result {
        Ok((w, h, _)) => format!("decoded, {w}×{h}"),
        Err(e) => e.to_string(),
    };
    println!(
        "{name} ({} KB): peak {:.3} MB, {:.2} ms: {outcome}",
        bytes.len() / 1000,
        info.bytes_max as f64 / 1e6,
        time.as_secs_f64() * 1e3
    );
    assert!(
        info.bytes_max < MAX_BYTES,
        "{name}: {} bytes",
        info.bytes_max
    );
    assert!(time < MAX_TIME, "{name}: {time:?}");
    result
}

#[test]
fn pictures_declaring_too_many_pixels_are_refused_by_their_header() {
    use image_file::ImageError;
    // The bomb: 30000×30000 gray pixels in an 880 KB file whose image data
    // really inflates to 900 MB. Decoded, it took 10.5 GB and 23 s.
    let bomb = png_bomb(30_000, 30_000);
    assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
    let jpeg = Picture::from_fn(16, 8, |x, _| [if x < 8 { 30 } else { 220 }]).encode(Format::Jpeg);
    let hostile = [
        ("PNG 30000×30000", bomb, "30000×30000 = 900 megapixels"),
        // The most a JPEG frame header can say; zune-jpeg's own limit refuses it too.
        (
            "JPEG 65535×65535",
            jpeg_claiming(&jpeg, 65535, 65535),
            "65535×65535 = 4294.9 megapixels",
        ),
        // Within zune-jpeg's default limit of 16384 a side: 800 MB of RGB, were it
        // decoded.
        (
            "JPEG 16384×16384",
            jpeg_claiming(&jpeg, 16384, 16384),
            "16384×16384 = 268.5 megapixels",
        ),
    ];
    for (name, bytes, size) in hostile {
        let err = measured(name, &bytes).unwrap_err();
        assert!(
            matches!(err, ImageError::TooLarge { .. }),
            "{name}: {err:?}"
        );
        let expected = format!("the image is {size}, more than the 40 allowed");
        assert_eq!(err.to_string(), expected, "{name}");
    }

    // The same bombs within the budget are decoded, so the files are what they claim:
    // black pictures of their size (the PNG's data spans several MiB of rows).
    let small = measured("PNG 2000×1000", &png_bomb(2000, 1000)).unwrap();
    assert_eq!((small.0, small.1), (2000, 1000));
    assert!(small.2.chunks_exact(4).all(|p| p == [0, 0, 0, 255]));
}

#[test]
fn the_pixel_budget_is_the_callers_and_a_picture_at_it_is_decoded() {
    use image_file::{ImageError, decode_rgba_within};
    let picture = Picture::from_fn(100, 50, |x, y| [((x + y) % 256) as u8]);
    for format in [Format::Png, Format::Jpeg] {
        let bytes = picture.encode(format);
        let (w, h, _) = decode_rgba_within(&bytes, 5000).unwrap();
        assert_eq!((w, h), (100, 50));
        let err = decode_rgba_within(&bytes, 4999).unwrap_err();
        assert!(matches!(
            err,
            ImageError::TooLarge {
                width: 100,
                height: 50,
                max_pixels: 4999
            }
        ));
        // Rounded up, so that it does not read as the limit.
        assert_eq!(
            err.to_string(),
            "the image is 100×50 = 0.1 megapixels, more than the 0.004999 allowed"
        );
    }
}

#[test]
fn metadata_that_inflates_to_a_gigabyte_is_never_inflated_whole() {
    // A 28×28 gray picture, and the same with an ICC profile or a compressed text
    // chunk of a gigabyte of zeros (1 MB in the file). The text is kept compressed
    // (the png crate inflates it only when asked), the profile is inflated up to the
    // decoder's limit of 16 MB and then dropped: either way the pixels are decoded.
    let picture = Picture::from_fn(28, 28, |x, y| [if x == y { 0 } else { 255 }]);
    let plain = picture.encode(Format::Png);
    let expected = image_file::decode_rgba(&plain).unwrap();
    let gigabyte = zlib_zeros(1 << 30);
    assert!(gigabyte.len() < 1_100_000, "{} bytes", gigabyte.len());
    let chunk = |kind: &[u8; 4], keyword: &[u8]| {
        let data = [keyword, b"\0\0", &gigabyte].concat(); // keyword, compression 0
        png_with_chunk(&plain, &png_chunk(kind, &data))
    };
    for (name, bytes) in [
        ("PNG with a 1 GB iCCP", chunk(b"iCCP", b"ICC profile")),
        ("PNG with a 1 GB zTXt", chunk(b"zTXt", b"Comment")),
    ] {
        assert_eq!(measured(name, &bytes).unwrap(), expected, "{name}");
    }
}
