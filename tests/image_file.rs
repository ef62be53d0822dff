//! The predict example's decoder (examples/common/image_file.rs) on files written
//! here: every PNG color type and bit depth, a gray JPEG, and files that are not PNG or
//! JPEG or are cut short, which must be errors that say so, never a panic.

#[path = "../examples/common/image_file.rs"]
mod image_file;
#[path = "common/picture.rs"]
mod picture;

use picture::{Format, Picture, png_file};

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
