//! Sections 5.1–5.4: computational graphs on scalars.
//!
//! - 5.1 계산 그래프 (computational graph) and 5.3 역전파 (backpropagation): [`Graph`]
//!   records an expression built from [`Var`] handles, computes every value as it is
//!   built, and [`Graph::backward`] walks it in reverse, accumulating each gradient.
//!   [`Graph::to_dot`] and [`Graph::to_svg`] draw it like the chapter's figures.
//! - 5.2 연쇄법칙 (chain rule): each node knows only its local derivatives; backward
//!   multiplies them along every path, ∂z/∂x = ∂z/∂t · ∂t/∂x.
//! - 5.4 단순한 계층 구현하기 (implementing simple layers): [`MulLayer`] and [`AddLayer`],
//!   the book's forward/backward pair on scalars.
//!
//! ```
//! use backprop::graph::{Graph, Rounded};
//! // z = (x + y)², so ∂z/∂x = 2(x + y).
//! let g = Graph::new();
//! let x = g.var("x", 1.0);
//! let y = g.var("y", 2.0);
//! let z = (x + y).square().named("z");
//! g.backward(z);
//! assert_eq!(Rounded(g.value(z)).to_string(), "9");
//! assert_eq!(g.grad(x), 6.0);
//! ```

mod dot;
mod layers;
mod picture;
mod recorder;
mod rounded;
mod svg;

pub use layers::{AddLayer, MulLayer};
pub use recorder::{Graph, Var};
pub use rounded::Rounded;
