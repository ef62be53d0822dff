//! The JSON the exports answer with, written by hand: objects of numbers, strings,
//! arrays of numbers and nested JSON. Strings are escaped as RFC 8259 asks, and a
//! number that is NaN or infinite becomes `null` (JSON has no such numbers).

use std::fmt::Write;

/// A number as JSON: finite values in Rust's shortest round-trip form, anything else
/// `null`.
pub trait Number: Copy {
    /// Appends the number's JSON to `out`.
    ///
    /// ```
    /// use backprop_web::json::Number;
    /// let mut out = String::new();
    /// 2.5_f64.write_json(&mut out);
    /// f32::NAN.write_json(&mut out);
    /// assert_eq!(out, "2.5null");
    /// ```
    fn write_json(self, out: &mut String);
}

impl Number for f64 {
    fn write_json(self, out: &mut String) {
        if self.is_finite() {
            // `{:?}` is the shortest text that parses back to the same f64, with an
            // exponent for very large or small values (`1e-7`): valid JSON either way.
            let _ = write!(out, "{self:?}");
        } else {
            out.push_str("null");
        }
    }
}

impl Number for f32 {
    fn write_json(self, out: &mut String) {
        if self.is_finite() {
            // The shortest form of the f32 itself (`0.1`, not the f64 `0.10000000149…`).
            let _ = write!(out, "{self:?}");
        } else {
            out.push_str("null");
        }
    }
}

impl Number for usize {
    fn write_json(self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

impl Number for u64 {
    fn write_json(self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
}

/// `s` as a JSON string, quoted: `"` and `\` escaped, control characters as `\n`,
/// `\r`, `\t` or `\u00XX`; everything else as is (JSON text is UTF-8).
///
/// ```
/// use backprop_web::json::string;
/// assert_eq!(string("a \"b\"\\\n\u{1}é"), r#""a \"b\"\\\n\u0001é""#);
/// ```
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON array of numbers.
///
/// ```
/// use backprop_web::json::array;
/// assert_eq!(array([1.5_f64, f64::INFINITY, 0.0]), "[1.5,null,0.0]");
/// assert_eq!(array(Vec::<f32>::new()), "[]");
/// ```
pub fn array<N: Number>(items: impl IntoIterator<Item = N>) -> String {
    let mut out = String::from("[");
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        x.write_json(&mut out);
    }
    out.push(']');
    out
}

/// A JSON object built one member at a time, in order; keys are escaped like values.
///
/// ```
/// use backprop_web::json::Object;
/// let json = Object::new()
///     .number("loss", 0.25_f64)
///     .number("acc", f64::NAN)
///     .string("name", "say \"hi\"")
///     .raw("list", "[1,2]")
///     .finish();
/// assert_eq!(json, r#"{"loss":0.25,"acc":null,"name":"say \"hi\"","list":[1,2]}"#);
/// assert_eq!(Object::new().finish(), "{}");
/// ```
#[derive(Debug, Clone)]
pub struct Object {
    out: String,
}

impl Default for Object {
    fn default() -> Self {
        Self::new()
    }
}

impl Object {
    /// An empty object.
    ///
    /// ```
    /// assert_eq!(backprop_web::json::Object::new().finish(), "{}");
    /// ```
    pub fn new() -> Self {
        Self {
            out: String::from("{"),
        }
    }

    /// Adds `"key":value` for a number.
    ///
    /// ```
    /// use backprop_web::json::Object;
    /// assert_eq!(Object::new().number("n", 3_usize).finish(), r#"{"n":3}"#);
    /// ```
    pub fn number(self, key: &str, value: impl Number) -> Self {
        let mut text = String::new();
        value.write_json(&mut text);
        self.raw(key, &text)
    }

    /// Adds `"key":"value"` for a string, escaped.
    ///
    /// ```
    /// use backprop_web::json::Object;
    /// assert_eq!(Object::new().string("s", "a\tb").finish(), r#"{"s":"a\tb"}"#);
    /// ```
    pub fn string(self, key: &str, value: &str) -> Self {
        self.raw(key, &string(value))
    }

    /// Adds `"key":json` where `json` is already JSON text (an array, an object).
    ///
    /// ```
    /// use backprop_web::json::{Object, array};
    /// let json = Object::new().raw("xs", &array([1_usize, 2])).finish();
    /// assert_eq!(json, r#"{"xs":[1,2]}"#);
    /// ```
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        self.out.push_str(&string(key));
        self.out.push(':');
        self.out.push_str(json);
        self
    }

    /// The object's JSON text.
    ///
    /// ```
    /// use backprop_web::json::Object;
    /// assert_eq!(Object::new().number("a", 1.0_f32).finish(), r#"{"a":1.0}"#);
    /// ```
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}
