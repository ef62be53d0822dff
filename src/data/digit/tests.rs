//! Each preprocessing step on tiny images made by hand.

use super::*;

/// A plane from rows written out as text: `.` is 0, `#` is 1, a digit `d` is `d / 10`.
fn plane(rows: &[&str]) -> Plane {
    let value = |c: char| match c {
        '.' => 0.0,
        '#' => 1.0,
        d => d.to_digit(10).expect("., # or a digit") as f32 / 10.0,
    };
    Plane {
        width: rows[0].len(),
        height: rows.len(),
        values: rows.iter().flat_map(|r| r.chars().map(value)).collect(),
    }
}

/// RGBA bytes of one colour for every pixel.
fn rgba(pixels: usize, colour: [u8; 4]) -> Vec<u8> {
    colour.repeat(pixels)
}

#[test]
fn luma_weighs_green_most_and_spans_zero_to_one() {
    assert_eq!(luma(0, 0, 0), 0.0);
    assert!((luma(255, 255, 255) - 1.0).abs() < 1e-6);
    assert!((luma(255, 0, 0) - 0.299).abs() < 1e-6);
    assert!((luma(0, 255, 0) - 0.587).abs() < 1e-6);
    assert!((luma(0, 0, 255) - 0.114).abs() < 1e-6);
}

#[test]
fn dark_ink_on_light_paper_is_inverted_and_light_ink_on_dark_is_not() {
    let black_on_white = plane(&["###", "#.#", "###"]);
    assert_eq!(ink_from_luma(black_on_white).values[4], 1.0);
    let white_on_black = plane(&["...", ".#.", "..."]);
    assert_eq!(ink_from_luma(white_on_black.clone()), white_on_black);
}

#[test]
fn gray_paper_becomes_zero_ink_and_black_one() {
    // Paper at 0.8, ink at 0.4 (halfway to black) and 0.0.
    let ink = ink_from_luma(plane(&["8888", "8408", "8888"]));
    let expected = [0.0, 0.5, 1.0];
    for (k, want) in [1, 5, 6].into_iter().zip(expected) {
        assert!((ink.values[k] - want).abs() < 1e-6, "{:?}", ink.values);
    }
    // Lighter than the paper is no ink, not negative ink.
    let ink = ink_from_luma(plane(&["888", "8#8", "888"]));
    assert_eq!(ink.values[4], 0.0);
}

#[test]
fn a_transparent_background_makes_the_alpha_the_ink_whatever_the_colour() {
    // White strokes and black strokes on a transparent 2×2 canvas read the same.
    for colour in [0, 255] {
        let mut bytes = rgba(4, [colour, colour, colour, 0]);
        bytes[3] = 255; // pixel 0: full ink
        bytes[7] = 51; // pixel 1: ink 0.2
        let ink = ink_from_rgba(2, 2, &bytes);
        assert_eq!(ink.values, [1.0, 0.2, 0.0, 0.0]);
    }
}

#[test]
fn an_opaque_image_is_read_from_its_luma() {
    let mut bytes = rgba(9, [255, 255, 255, 255]);
    bytes[16..20].copy_from_slice(&[0, 0, 0, 255]); // the centre pixel black
    let ink = ink_from_rgba(3, 3, &bytes);
    assert_eq!(ink.values[4], 1.0);
    assert_eq!(ink.values.iter().sum::<f32>(), 1.0);
}

#[test]
fn the_bounding_box_holds_every_pixel_above_the_threshold_and_no_more() {
    let ink = plane(&[
        "......", //
        "..1...", // 0.1 is not above the threshold
        "...#..", //
        ".5..2.", //
        "......",
    ]);
    let b = bounding_box(&ink, INK_THRESHOLD).unwrap();
    assert_eq!(
        b,
        Bounds {
            x0: 1,
            y0: 2,
            x1: 5,
            y1: 4
        }
    );
    assert_eq!(crop(&ink, b), plane(&["..#.", "5..2"]));
    assert_eq!(bounding_box(&plane(&["..", ".1"]), INK_THRESHOLD), None);
}

#[test]
fn area_weights_average_when_shrinking_and_repeat_when_enlarging() {
    assert_eq!(
        area_weights(4, 2),
        [[(0, 0.5), (1, 0.5)], [(2, 0.5), (3, 0.5)]]
    );
    assert_eq!(
        area_weights(2, 4),
        [[(0, 1.0)], [(0, 1.0)], [(1, 1.0)], [(1, 1.0)]]
    );
    // 3 → 2: each new pixel covers 1.5 old ones.
    let w = area_weights(3, 2);
    assert_eq!(w[0][0], (0, 2.0 / 3.0));
    assert_eq!(w[0][1].0, 1);
    assert!((w[0][1].1 - 1.0 / 3.0).abs() < 1e-6);
    for (src, dst) in [(7, 20), (57, 20), (20, 20), (1, 13), (123, 7)] {
        for new in area_weights(src, dst) {
            let total: f32 = new.iter().map(|&(_, w)| w).sum();
            assert!((total - 1.0).abs() < 1e-5, "{src} → {dst}: {new:?}");
        }
    }
}

#[test]
fn fitting_keeps_the_aspect_ratio_and_stretches_the_ink_to_one() {
    let wide = Plane {
        width: 10,
        height: 5,
        values: vec![0.5; 50],
    };
    let fitted = fit(&wide, 20);
    assert_eq!((fitted.width, fitted.height), (20, 10));
    assert!(fitted.values.iter().all(|&v| v == 1.0));

    let tall = Plane {
        width: 3,
        height: 12,
        values: vec![1.0; 36],
    };
    assert_eq!((fit(&tall, 20).width, fit(&tall, 20).height), (5, 20));
    // A one-pixel-wide line stays one pixel wide.
    let line = plane(&["#"; 40]);
    assert_eq!((fit(&line, 20).width, fit(&line, 20).height), (1, 20));
}

#[test]
fn shrinking_by_two_averages_each_two_by_two_block() {
    let ink = plane(&["#.##", "..##", "4444", "4444"]);
    let fitted = fit(&ink, 2);
    // Block means 0.25, 1, 0.4, 0.4; divided by the largest.
    assert_eq!(fitted.values, [0.25, 1.0, 0.4, 0.4]);
}

#[test]
fn centring_puts_the_centre_of_mass_at_fourteen() {
    let dot = centre(&plane(&["#"]));
    assert_eq!(dot[(0, 14 * 28 + 14)], 1.0);
    assert_eq!(dot.sum(), 1.0);
    // A 3×1 bar, its mass at column 2 of 3: shifted so column 2 lands on 14.
    let bar = centre(&plane(&["..#"]));
    assert_eq!(bar[(0, 14 * 28 + 14)], 1.0);
}

#[test]
fn centring_is_clamped_so_that_no_ink_leaves_the_frame() {
    // 20 wide, the mass in the last column: a shift of 14 − 19 < 0 would be wanted;
    // it stops at 0, so the ink is in column 19.
    let framed = centre(&plane(&["...................#"]));
    assert_eq!(framed.sum(), 1.0);
    assert_eq!(framed[(0, 14 * 28 + 19)], 1.0);
    // 20 tall, the mass in the top row: 14 − 0 is wanted, 28 − 20 = 8 is the most.
    let mut rows = vec!["."; 20];
    rows[0] = "#";
    let framed = centre(&plane(&rows));
    assert_eq!(framed[(0, 8 * 28 + 14)], 1.0);
}

#[test]
fn sizes_are_checked_before_anything_is_read() {
    assert_eq!(
        digit_from_rgba(0, 3, &[]).unwrap_err(),
        Error::EmptyImage {
            width: 0,
            height: 3
        }
    );
    let err = digit_from_gray(2, 3, &[0.0; 5]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a 2×3 grayscale image needs 6 values, got 5"
    );
    // A size whose byte count overflows usize is refused, not wrapped.
    let err = digit_from_rgba(usize::MAX, 2, &[0; 8]).unwrap_err();
    assert!(matches!(err, Error::ImageLength { actual: 8, .. }), "{err}");
}

#[test]
fn gray_values_outside_zero_to_one_are_refused_with_their_place() {
    let err = digit_from_gray(2, 2, &[0.0, 0.0, 0.0, f32::NAN]).unwrap_err();
    assert!(matches!(err, Error::Pixel { x: 1, y: 1, .. }), "{err}");
    let err = digit_from_gray(2, 2, &[0.0, 1.5, 0.0, 0.0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "pixel (1, 0) is 1.5, outside 0 (black) to 1 (white)"
    );
}

#[test]
fn blank_images_are_an_error_transparent_or_opaque() {
    assert_eq!(
        digit_from_rgba(4, 4, &rgba(16, [0, 0, 0, 0])),
        Err(Error::BlankImage)
    );
    assert_eq!(
        digit_from_rgba(4, 4, &rgba(16, [200, 200, 200, 255])),
        Err(Error::BlankImage)
    );
}
