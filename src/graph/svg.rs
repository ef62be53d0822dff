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

/// Colours every gradient red (the `grad` class [`spread_labels`] gives it).
const GRADIENT_STYLE: &str = "<style>.grad { fill: #d00000; }</style>";

/// The blank lines of an arrow's label: a no-break space, which SVG renderers keep
/// (Chromium drops a line of plain spaces, which put the gradient on the arrow).
const BLANK: char = '\u{a0}';

/// How far each line of an arrow's five-line label starts below the one before, in
/// ems: layout-rs writes `1.0em` for each, which puts the value and the gradient 1 em
/// from the arrow, their glyphs close to its line; these put them 1.2 em from it, so
/// the value is clearly above the arrow and the gradient below it, as in the book.
/// The sum stays 5 em, so the label's extent is unchanged.
const LABEL_LINE_STEPS: [&str; 5] = ["1.0em", "0.8em", "1.2em", "1.2em", "0.8em"];

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
            // Five lines, blank / value / blank / gradient / blank: the arrow passes
            // through the middle line, so the value sits above it and the gradient
            // below, and the blank outer lines keep neighbouring labels apart.
            let blank = BLANK.to_string();
            let grad = edge.grad.as_deref().unwrap_or(&blank);
            let label = format!("{BLANK}\n{}\n{BLANK}\n{grad}\n{BLANK}", edge.value);
            visual.add_edge(Arrow::simple(&label), handles[edge.from], handles[edge.to]);
        }
        let mut writer = SVGWriter::new();
        // layout-rs panics on a graph without nodes; an empty graph is an empty image.
        if !handles.is_empty() {
            visual.do_it(false, false, false, &mut writer);
        }
        with_style(&spread_labels(&writer.finalize()))
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

/// Spreads the lines of every arrow label (a `<text>` of five `<tspan>`s: node labels
/// have one line) by [`LABEL_LINE_STEPS`] and gives the gradient, the fourth line,
/// the class `grad`.
fn spread_labels(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + 256);
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let end = rest[start..]
            .find("</text>")
            .map_or(rest.len(), |e| start + e);
        out.push_str(&rest[..start]);
        let text = &rest[start..end];
        if text.matches("<tspan").count() == LABEL_LINE_STEPS.len() {
            let mut parts = text.split("<tspan");
            out.push_str(parts.next().unwrap_or_default());
            for (i, (part, step)) in parts.zip(LABEL_LINE_STEPS).enumerate() {
                let class = if i == 3 { " class=\"grad\"" } else { "" };
                out.push_str("<tspan");
                out.push_str(class);
                out.push_str(&part.replacen("dy=\"1.0em\"", &format!("dy=\"{step}\""), 1));
            }
        } else {
            out.push_str(text);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
