//! Section 5.4.2: 2 apples at 100 and 3 oranges at 150, plus a tax of 1.1 (figure 5-17).
//!
//! With `MulLayer` and `AddLayer` wired by hand, as in the book's
//! `buy_apple_orange.py`, then with the graph recorder, which also draws the figure.
//!
//!     cargo run --example buy_apple_orange      # pictures go to out/ or $BACKPROP_OUT

use backprop::graph::{AddLayer, Graph, MulLayer, Rounded};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let (apple, apple_num) = (100.0, 2.0);
    let (orange, orange_num) = (150.0, 3.0);
    let tax = 1.1;

    println!("MulLayer and AddLayer, as in buy_apple_orange.py");
    let mut mul_apple_layer = MulLayer::new();
    let mut mul_orange_layer = MulLayer::new();
    let mut add_apple_orange_layer = AddLayer::new();
    let mut mul_tax_layer = MulLayer::new();
    let apple_price = mul_apple_layer.forward(apple, apple_num);
    let orange_price = mul_orange_layer.forward(orange, orange_num);
    let all_price = add_apple_orange_layer.forward(apple_price, orange_price);
    let price = mul_tax_layer.forward(all_price, tax);
    let dprice = 1.0;
    let (dall_price, dtax) = mul_tax_layer.backward(dprice);
    let (dapple_price, dorange_price) = add_apple_orange_layer.backward(dall_price);
    let (dorange, dorange_num) = mul_orange_layer.backward(dorange_price);
    let (dapple, dapple_num) = mul_apple_layer.backward(dapple_price);
    print_results(price, [dapple, dapple_num, dorange, dorange_num, dtax]);

    println!();
    println!("Graph recorder");
    let g = Graph::new();
    let apple = g.var("apple", apple);
    let apple_num = g.var("apple_num", apple_num);
    let orange = g.var("orange", orange);
    let orange_num = g.var("orange_num", orange_num);
    let tax = g.var("tax", tax);
    let apple_price = (apple * apple_num).named("apple_price");
    let orange_price = (orange * orange_num).named("orange_price");
    let price = ((apple_price + orange_price) * tax).named("price");
    g.backward(price);
    let grads = [apple, apple_num, orange, orange_num, tax].map(|v| g.grad(v));
    print_results(g.value(price), grads);

    let out = std::env::var_os("BACKPROP_OUT").map_or_else(|| PathBuf::from("out"), PathBuf::from);
    match g.write_pictures(&out, "buy_apple_orange") {
        Ok(paths) => {
            for path in paths {
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("buy_apple_orange: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the price and the gradients in the book's order and wording.
fn print_results(price: f64, [dapple, dapple_num, dorange, dorange_num, dtax]: [f64; 5]) {
    println!("price: {}", Rounded(price));
    println!("dApple: {}", Rounded(dapple));
    println!("dApple_num: {}", Rounded(dapple_num));
    println!("dOrange: {}", Rounded(dorange));
    println!("dOrange_num: {}", Rounded(dorange_num));
    println!("dTax: {}", Rounded(dtax));
}
