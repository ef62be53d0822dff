//! The apple panel through the exports, as the page calls them: the book's numbers for
//! both graphs (figures 5-16 and 5-17), an edited input, and the SVG with the values.

use backprop_web::abi::{bp_apple, output};
use backprop_web::apple::shopping;

/// Asserts each `(key, expected)` of the graph `which` for `inputs`, to 1e-9 relative.
fn assert_values(which: i32, inputs: [f64; 5], expected: &[(&str, f64)]) {
    let s = shopping(which, inputs).unwrap();
    for &(key, want) in expected {
        let got = s.get(key).unwrap_or_else(|| panic!("no value {key}"));
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{key}: {got}, the book has {want}"
        );
    }
}

#[test]
fn buy_apple_gives_the_books_220_and_gradients_2_2_110_200() {
    assert_values(
        0,
        [100.0, 2.0, 1.1, 0.0, 0.0],
        &[
            ("apple_price", 200.0),
            ("price", 220.0),
            ("dprice", 1.0),
            ("dapple_price", 1.1),
            ("dapple", 2.2),
            ("dapple_num", 110.0),
            ("dtax", 200.0),
        ],
    );
}

#[test]
fn buy_apple_orange_gives_the_books_715_and_its_gradients() {
    assert_values(
        1,
        [100.0, 2.0, 150.0, 3.0, 1.1],
        &[
            ("apple_price", 200.0),
            ("orange_price", 450.0),
            ("all_price", 650.0),
            ("price", 715.0),
            ("dall_price", 1.1),
            ("dapple_price", 1.1),
            ("dorange_price", 1.1),
            ("dapple", 2.2),
            ("dapple_num", 110.0),
            ("dorange", 3.3),
            ("dorange_num", 165.0),
            ("dtax", 650.0),
        ],
    );
}

#[test]
fn an_apple_price_of_150_gives_price_330_and_dapple_num_165() {
    assert_values(
        0,
        [150.0, 2.0, 1.1, 0.0, 0.0],
        &[("price", 330.0), ("dapple_num", 165.0), ("dapple", 2.2)],
    );
}

#[test]
fn the_values_keys_are_the_contracts_in_order() {
    let keys = |which| -> Vec<&str> {
        let s = shopping(which, [1.0; 5]).unwrap();
        s.values.iter().map(|(k, _)| *k).collect()
    };
    assert_eq!(
        keys(0),
        [
            "apple",
            "apple_num",
            "tax",
            "apple_price",
            "price",
            "dprice",
            "dapple_price",
            "dapple",
            "dapple_num",
            "dtax"
        ]
    );
    assert_eq!(
        keys(1),
        [
            "apple",
            "apple_num",
            "orange",
            "orange_num",
            "tax",
            "apple_price",
            "orange_price",
            "all_price",
            "price",
            "dprice",
            "dall_price",
            "dapple_price",
            "dorange_price",
            "dapple",
            "dapple_num",
            "dorange",
            "dorange_num",
            "dtax"
        ]
    );
}

#[test]
fn the_export_answers_json_whose_svg_shows_the_values_and_gradients() {
    assert_eq!(bp_apple(0, 150.0, 2.0, 1.1, 0.0, 0.0), 0);
    let json = output();
    assert!(json.starts_with(r#"{"svg":"<svg"#), "{}", &json[..80]);
    // The SVG is one JSON string: its quotes are escaped, it holds no raw newline.
    assert!(!json.contains('\n'));
    assert!(json.contains(r#"<svg "#) && json.contains(r#"\""#));
    // Edge labels: the forward values 150, 300, 330 and the gradients 2.2, 165, 300.
    for shown in [
        ">150<",
        ">300<",
        ">330<",
        ">2.2<",
        ">165<",
        ">1.1<",
        ">apple_num<",
    ] {
        assert!(json.contains(shown), "the SVG lacks {shown}");
    }
    assert!(
        json.ends_with(r#""dtax":300.0}}"#),
        "{}",
        &json[json.len() - 80..]
    );

    assert_eq!(bp_apple(1, 100.0, 2.0, 150.0, 3.0, 1.1), 0);
    let json = output();
    for shown in [">715<", ">650<", ">3.3<", ">165<", ">orange_num<"] {
        assert!(json.contains(shown), "the SVG lacks {shown}");
    }
}

#[test]
fn bad_inputs_are_one_line_errors_not_panics() {
    assert_eq!(bp_apple(2, 1.0, 1.0, 1.0, 1.0, 1.0), -1);
    assert_eq!(
        output(),
        "no apple graph 2: 0 is apples, 1 apples and oranges"
    );
    assert_eq!(bp_apple(1, 1.0, 1.0, 1.0, f64::NAN, 1.0), -1);
    assert_eq!(output(), "orange_num is not a number");
    // which = 0 ignores d and e, whatever they hold.
    assert_eq!(bp_apple(0, 1.0, 1.0, 1.0, f64::NAN, f64::INFINITY), 0);
    // Finite inputs whose product overflows: the price is infinite, sent as null.
    assert_eq!(bp_apple(0, 1e308, 1e308, -1e308, 0.0, 0.0), 0);
    let json = output();
    assert!(json.contains(r#""price":null"#), "{json}");
    assert!(json.contains(r#""dtax":null"#), "{json}");
}

/// Huge numbers are written with an exponent in the picture (not 309 digits), and
/// each gradient is on its own line below its arrow (class `grad`).
#[test]
fn huge_numbers_are_compact_in_the_picture() {
    let s = shopping(0, [1e99, 2.0, 1.1, 0.0, 0.0]).unwrap();
    for label in [">1e+99<", ">2.2e+99<", ">1.1e+99<", ">2e+99<"] {
        assert!(s.svg.contains(label), "{label} missing: {}", s.svg);
    }
    let s = shopping(0, [1e308, 1.0, 1.0, 0.0, 0.0]).unwrap();
    assert!(s.svg.contains(">1e+308<"), "{}", s.svg);
    assert!(
        !s.svg.contains("0000000000"),
        "no long run of digits: {}",
        s.svg
    );
    assert_eq!(s.svg.matches("<tspan class=\"grad\"").count(), 5);
}
