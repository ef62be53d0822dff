//! Compile-time checks of the sizes a layer's type states but stable Rust cannot
//! compute: a convolution's output `(H + 2P − FH)/S + 1`, a flattened width `C·H·W`.
//!
//! Each check is a `const fn` that a layer evaluates in an inline `const` block, so a
//! wrong size stops the build (when the layer is compiled for an input shape) with a
//! message that states the formula with the numbers and the right value:
//!
//! ```text
//! Conv2d: output height is (28 + 2·0 − 5)/1 + 1 = 24, the type says 25
//! ```

/// A message built in a `const fn`: stable `const` panics print a `&str` argument, so
/// the numbers are written into a fixed buffer first.
struct Message {
    bytes: [u8; 192],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Self {
            bytes: [0; 192],
            len: 0,
        }
    }

    const fn text(mut self, s: &str) -> Self {
        let s = s.as_bytes();
        let mut i = 0;
        while i < s.len() && self.len < self.bytes.len() {
            self.bytes[self.len] = s[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn number(mut self, mut v: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut n = 0;
        loop {
            digits[n] = b'0' + (v % 10) as u8;
            n += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        while n > 0 && self.len < self.bytes.len() {
            n -= 1;
            self.bytes[self.len] = digits[n];
            self.len += 1;
        }
        self
    }

    const fn fail(&self) -> ! {
        let (used, _) = self.bytes.split_at(self.len);
        match core::str::from_utf8(used) {
            Ok(s) => panic!("{}", s),
            Err(_) => panic!("a layer's size check failed"),
        }
    }
}

/// Checks that a window of `window` pixels moved by `stride` over `input` pixels padded
/// by `pad` on each side gives `typed` outputs: `(input + 2·pad − window)/stride + 1`.
/// `layer` and `dim` ("height", "width") name it in the message.
pub(crate) const fn output_size(
    layer: &str,
    dim: &str,
    input: usize,
    pad: usize,
    window: usize,
    stride: usize,
    typed: usize,
) {
    let head = Message::new().text(layer).text(": ");
    if stride == 0 {
        head.text("the stride must be at least 1").fail();
    }
    if window == 0 {
        head.text("the window must be at least 1 pixel").fail();
    }
    let padded = input + 2 * pad;
    if padded < window {
        head.text("the ")
            .text(dim)
            .text(" ")
            .number(input)
            .text(" + 2·")
            .number(pad)
            .text(" is smaller than the window, ")
            .number(window)
            .fail();
    }
    let out = (padded - window) / stride + 1;
    if out != typed {
        head.text("output ")
            .text(dim)
            .text(" is (")
            .number(input)
            .text(" + 2·")
            .number(pad)
            .text(" − ")
            .number(window)
            .text(")/")
            .number(stride)
            .text(" + 1 = ")
            .number(out)
            .text(", the type says ")
            .number(typed)
            .fail();
    }
}

/// Checks that `C·H·W` values are `typed` wide, for `Flatten` and `Unflatten`.
pub(crate) const fn flat_width(layer: &str, c: usize, h: usize, w: usize, typed: usize) {
    if c * h * w != typed {
        Message::new()
            .text(layer)
            .text(": C·H·W = ")
            .number(c)
            .text("·")
            .number(h)
            .text("·")
            .number(w)
            .text(" = ")
            .number(c * h * w)
            .text(", the type says ")
            .number(typed)
            .fail();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_sizes_pass() {
        output_size("Conv2d", "height", 28, 0, 5, 1, 24);
        output_size("MaxPool2d", "width", 24, 0, 2, 2, 12);
        output_size("Conv2d", "height", 28, 2, 5, 1, 28);
        output_size("Conv2d", "height", 7, 1, 3, 2, 4);
        flat_width("Flatten", 30, 12, 12, 4320);
    }

    #[test]
    #[should_panic(
        expected = "Conv2d: output height is (28 + 2·0 − 5)/1 + 1 = 24, the type says 25"
    )]
    fn a_wrong_output_size_names_the_formula_and_the_numbers() {
        output_size("Conv2d", "height", 28, 0, 5, 1, 25);
    }

    #[test]
    #[should_panic(expected = "Flatten: C·H·W = 30·12·12 = 4320, the type says 4321")]
    fn a_wrong_flat_width_names_the_product() {
        flat_width("Flatten", 30, 12, 12, 4321);
    }

    #[test]
    #[should_panic(expected = "MaxPool2d: the height 1 + 2·0 is smaller than the window, 2")]
    fn a_window_larger_than_the_input_is_refused() {
        output_size("MaxPool2d", "height", 1, 0, 2, 2, 1);
    }
}
