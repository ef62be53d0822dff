//! Section 5.4.1: buying 2 apples at 100 each with a consumption tax of 1.1 (figure 5-16).
//!
//! First with two `MulLayer`s wired by hand, as in the book's `buy_apple.py`, then with
//! the graph recorder, which also draws the figure: every arrow carries its forward value
//! and, below it in red, its gradient.
//!
//!     cargo run --example buy_apple             # pictures go to out/
//!     BACKPROP_OUT=/tmp/pics cargo run --example buy_apple

use backprop::graph::{Graph, MulLayer, Rounded};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let (apple, apple_num, tax) = (100.0, 2.0, 1.1);

    println!("MulLayer, as in buy_apple.py");
    let mut mul_apple_layer = MulLayer::new();
    let mut mul_tax_layer = MulLayer::new();
    let apple_price = mul_apple_layer.forward(apple, apple_num);
    let price = mul_tax_layer.forward(apple_price, tax);
    let dprice = 1.0;
    let (dapple_price, dtax) = mul_tax_layer.backward(dprice);
    let (dapple, dapple_num) = mul_apple_layer.backward(dapple_price);
    println!("price: {}", Rounded(price));
    println!("dApple: {}", Rounded(dapple));
    println!("dApple_num: {}", Rounded(dapple_num));
    println!("dTax: {}", Rounded(dtax));

    println!();
    println!("Graph recorder");
    let g = Graph::new();
    let apple = g.var("apple", apple);
    let apple_num = g.var("apple_num", apple_num);
    let tax = g.var("tax", tax);
    let price = (apple * apple_num * tax).named("price");
    g.backward(price);
    println!("price: {}", Rounded(g.value(price)));
    println!("dApple: {}", Rounded(g.grad(apple)));
    println!("dApple_num: {}", Rounded(g.grad(apple_num)));
    println!("dTax: {}", Rounded(g.grad(tax)));

    let out = std::env::var_os("BACKPROP_OUT").map_or_else(|| PathBuf::from("out"), PathBuf::from);
    match g.write_pictures(&out, "buy_apple") {
        Ok(paths) => {
            for path in paths {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("buy_apple: {error}");
            ExitCode::FAILURE
        }
    }
}
