//! The picture as SVG, laid out in pure Rust by the `layout-rs` crate (no Graphviz
//! needed).

use super::picture::{Picture, Shape};
use super::recorder::Graph;
use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::style::StyleAttr;
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;

/// Colours the gradient line of every arrow label red.
///
/// layout-rs draws a label as one `<text>` with a `<tspan>` per line. An arrow's label
/// has five lines, blank / value / blank / gradient / blank: the arrow passes through
/// the middle line, so the value sits above it and the gradient below, as in the book,
/// and the blank outer lines keep neighbouring labels apart. Node labels have one line,
/// so the fourth `<tspan>` of a `<text>` is always a gradient.
const GRADIENT_STYLE: &str = "<style>text > tspan:nth-child(4) { fill: #d00000; }</style>";

impl Graph {
    /// The graph as an SVG image, laid out left to right like the book's figures: a box
    /// per variable, a circle per operation (×, +, **2), each arrow with its forward value
    /// above it and, once backward has run, its gradient below it in red.
    ///
    /// ```
    /// use backprop::graph::Graph;
    /// let g = Graph::new();
    /// let apple = g.var("apple", 100.0);
    /// let apple_num = g.var("apple_num", 2.0);
    /// let price = (apple * apple_num).named("price");
    /// g.backward(price);
    /// let svg = g.to_svg();
    /// assert!(svg.contains("<svg") && svg.contains("apple_num"));
    /// assert!(svg.contains(">200<") && svg.contains(">100<"));
    /// ```
    pub fn to_svg(&self) -> String {
        let picture = Picture::of(self);
        let direction = Orientation::LeftToRight;
        let text_look = StyleAttr::simple();
        // A larger font for the operation symbols, which are a single character or three.
        let symbol_look = StyleAttr {
            font_size: 20,
            ..StyleAttr::simple()
        };
        let mut visual = VisualGraph::new(direction);
        let handles: Vec<_> = picture
            .shapes
            .iter()
            .map(|shape| {
                let (shape, look) = match shape {
                    Shape::Box(name) => (ShapeKind::new_box(name), text_look.clone()),
                    Shape::Circle(symbol) => (ShapeKind::new_circle(symbol), symbol_look.clone()),
                };
                let size = get_shape_size(direction, &shape, look.font_size, false);
                visual.add_node(Element::create(shape, look, direction, size))
            })
            .collect();
        for edge in &picture.edges {
            let grad = edge.grad.as_deref().unwrap_or(" ");
            let label = format!(" \n{}\n \n{grad}\n ", edge.value);
            visual.add_edge(Arrow::simple(&label), handles[edge.from], handles[edge.to]);
        }
        let mut writer = SVGWriter::new();
        // layout-rs panics on a graph without nodes; an empty graph is an empty image.
        if !handles.is_empty() {
            visual.do_it(false, false, false, &mut writer);
        }
        with_style(&writer.finalize())
    }
}

/// Inserts [`GRADIENT_STYLE`] right after the opening `<svg …>` tag.
fn with_style(svg: &str) -> String {
    let open = svg
        .find("<svg")
        .and_then(|start| svg[start..].find('>').map(|end| start + end + 1))
        .expect("layout-rs output has an <svg> tag");
    format!("{}\n{GRADIENT_STYLE}{}", &svg[..open], &svg[open..])
}
