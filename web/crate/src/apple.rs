//! The apple panel (sections 5.1–5.4): the chapter's two shopping graphs, built with
//! the library's graph recorder from the numbers the page's inputs hold, run backward
//! from the price, and drawn as SVG (each edge with its forward value and gradient).
//!
//! - `which = 0`, buy_apple (figure 5-16): `price = apple · apple_num · tax`;
//! - `which = 1`, buy_apple_orange (figure 5-17):
//!   `price = (apple · apple_num + orange · orange_num) · tax`.

use backprop::graph::Graph;

use crate::json::Object;

/// One shopping graph, computed: every value and gradient the page shows, by the
/// contract's key names, in order, and the graph's picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Shopping {
    /// `(key, value)` in the contract's order: the inputs, the intermediate values,
    /// the price, then `dprice` and each gradient.
    pub values: Vec<(&'static str, f64)>,
    /// The graph as SVG, from [`Graph::to_svg`] without its XML declaration, so that
    /// it can go straight into a page's HTML.
    pub svg: String,
}

impl Shopping {
    /// The value called `key`, if the graph has one.
    ///
    /// ```
    /// let s = backprop_web::apple::shopping(0, [100.0, 2.0, 1.1, 0.0, 0.0]).unwrap();
    /// assert_eq!(s.get("apple_price"), Some(200.0));
    /// assert_eq!(s.get("orange"), None);
    /// ```
    pub fn get(&self, key: &str) -> Option<f64> {
        self.values.iter().find(|(k, _)| *k == key).map(|&(_, v)| v)
    }

    /// The JSON `bp_apple` answers: `{"svg":"…","values":{"apple":100,…}}`.
    ///
    /// ```
    /// let s = backprop_web::apple::shopping(0, [100.0, 2.0, 1.1, 0.0, 0.0]).unwrap();
    /// let json = s.to_json();
    /// assert!(json.starts_with(r#"{"svg":"<svg"#));
    /// assert!(json.contains(r#""values":{"apple":100.0,"apple_num":2.0,"tax":1.1,"#));
    /// ```
    pub fn to_json(&self) -> String {
        let values = self
            .values
            .iter()
            .fold(Object::new(), |o, &(k, v)| o.number(k, v))
            .finish();
        Object::new()
            .string("svg", &self.svg)
            .raw("values", &values)
            .finish()
    }
}

/// The shopping graph `which` (0: apples, 1: apples and oranges) for the inputs
/// `[a, b, c, d, e]` as `bp_apple` takes them: `which = 0` reads apple = `a`,
/// apple_num = `b`, tax = `c`; `which = 1` reads apple, apple_num, orange, orange_num,
/// tax in that order.
///
/// # Errors
/// A message for a `which` other than 0 or 1, or an input the graph reads that is NaN
/// or infinite (an empty number field reaches here as NaN).
///
/// ```
/// use backprop_web::apple::shopping;
/// let s = shopping(1, [100.0, 2.0, 150.0, 3.0, 1.1]).unwrap();
/// assert!((s.get("price").unwrap() - 715.0).abs() < 1e-9);
/// assert!((s.get("dorange_num").unwrap() - 165.0).abs() < 1e-9);
/// assert_eq!(shopping(2, [0.0; 5]).unwrap_err(), "no apple graph 2: 0 is apples, 1 apples and oranges");
/// assert_eq!(shopping(0, [f64::NAN, 2.0, 1.1, 0.0, 0.0]).unwrap_err(), "apple is not a number");
/// ```
pub fn shopping(which: i32, [a, b, c, d, e]: [f64; 5]) -> Result<Shopping, String> {
    let inputs: &[(&str, f64)] = match which {
        0 => &[("apple", a), ("apple_num", b), ("tax", c)],
        1 => &[
            ("apple", a),
            ("apple_num", b),
            ("orange", c),
            ("orange_num", d),
            ("tax", e),
        ],
        _ => {
            return Err(format!(
                "no apple graph {which}: 0 is apples, 1 apples and oranges"
            ));
        }
    };
    if let Some((name, _)) = inputs.iter().find(|(_, v)| !v.is_finite()) {
        return Err(format!("{name} is not a number"));
    }
    Ok(if which == 0 {
        buy_apple(a, b, c)
    } else {
        buy_apple_orange(a, b, c, d, e)
    })
}

/// Figure 5-16: `price = apple · apple_num · tax`.
fn buy_apple(apple: f64, apple_num: f64, tax: f64) -> Shopping {
    let g = Graph::new();
    let apple = g.var("apple", apple);
    let apple_num = g.var("apple_num", apple_num);
    let tax = g.var("tax", tax);
    let apple_price = apple * apple_num;
    let price = (apple_price * tax).named("price");
    g.backward(price);
    let values = vec![
        ("apple", g.value(apple)),
        ("apple_num", g.value(apple_num)),
        ("tax", g.value(tax)),
        ("apple_price", g.value(apple_price)),
        ("price", g.value(price)),
        ("dprice", g.grad(price)),
        ("dapple_price", g.grad(apple_price)),
        ("dapple", g.grad(apple)),
        ("dapple_num", g.grad(apple_num)),
        ("dtax", g.grad(tax)),
    ];
    Shopping {
        values,
        svg: inline_svg(g.to_svg()),
    }
}

/// Figure 5-17: `price = (apple · apple_num + orange · orange_num) · tax`.
fn buy_apple_orange(
    apple: f64,
    apple_num: f64,
    orange: f64,
    orange_num: f64,
    tax: f64,
) -> Shopping {
    let g = Graph::new();
    let apple = g.var("apple", apple);
    let apple_num = g.var("apple_num", apple_num);
    let orange = g.var("orange", orange);
    let orange_num = g.var("orange_num", orange_num);
    let tax = g.var("tax", tax);
    let apple_price = (apple * apple_num).named("apple_price");
    let orange_price = (orange * orange_num).named("orange_price");
    let all_price = apple_price + orange_price;
    let price = (all_price * tax).named("price");
    g.backward(price);
    let values = vec![
        ("apple", g.value(apple)),
        ("apple_num", g.value(apple_num)),
        ("orange", g.value(orange)),
        ("orange_num", g.value(orange_num)),
        ("tax", g.value(tax)),
        ("apple_price", g.value(apple_price)),
        ("orange_price", g.value(orange_price)),
        ("all_price", g.value(all_price)),
        ("price", g.value(price)),
        ("dprice", g.grad(price)),
        ("dall_price", g.grad(all_price)),
        ("dapple_price", g.grad(apple_price)),
        ("dorange_price", g.grad(orange_price)),
        ("dapple", g.grad(apple)),
        ("dapple_num", g.grad(apple_num)),
        ("dorange", g.grad(orange)),
        ("dorange_num", g.grad(orange_num)),
        ("dtax", g.grad(tax)),
    ];
    Shopping {
        values,
        svg: inline_svg(g.to_svg()),
    }
}

/// [`shopping`] as `bp_apple` answers: its JSON, or the error message.
///
/// ```
/// let json = backprop_web::apple::apple_json(0, [150.0, 2.0, 1.1, 0.0, 0.0]).unwrap();
/// assert!(json.contains(r#""apple":150.0"#) && json.contains(r#""dtax":300.0"#));
/// assert_eq!(backprop_web::apple::apple_json(0, [1.0, f64::INFINITY, 1.0, 0.0, 0.0]).unwrap_err(), "apple_num is not a number");
/// ```
pub fn apple_json(which: i32, inputs: [f64; 5]) -> Result<String, String> {
    shopping(which, inputs).map(|s| s.to_json())
}

/// `svg` from its `<svg` tag on: the `<?xml …?>` declaration before it belongs to an
/// SVG file, not to SVG inside HTML.
fn inline_svg(svg: String) -> String {
    match svg.find("<svg") {
        Some(start) if start > 0 => svg[start..].to_string(),
        _ => svg,
    }
}
