//! The stride-1 convolution read from the image against its definition, on every
//! build this CPU runs with every build's tile.

use super::*;
use crate::matrix::gemm::tests::values;
use crate::matrix::gemm::tile::{TILE32, TILE32_512, TILE32_PLAIN};
use crate::matrix::gemm::{AVX2, AVX512, Path, run_on};

/// `(channels, height, width, fh, fw, filters)` of a padded image: the book's
/// SimpleConvNet, rows that are not a multiple of any tile's lanes (an odd number of
/// pieces), a single output pixel, 1×1 filters, filter counts that are not a multiple
/// of any tile's height, output rows of 4 (a 16-lane piece's lanes past its row cross
/// three more rows), depths `C·FH·FW` over one gradient panel (84 weights: 3 panels of
/// 32), a filter row longer than one copy of a run (`FW = 11`), and a depth that fills
/// whole gradient panels (32: no lane left for the ones that sum `∂L/∂b`).
const CASES: [(usize, usize, usize, usize, usize, usize); 10] = [
    (1, 28, 28, 5, 5, 30),
    (2, 9, 11, 3, 2, 7),
    (3, 5, 5, 5, 5, 1),
    (1, 4, 20, 1, 1, 13),
    (2, 10, 21, 2, 3, 5),
    (4, 3, 40, 3, 7, 2),
    (2, 6, 9, 1, 1, 4),
    (2, 12, 6, 3, 3, 3),
    (1, 5, 14, 2, 11, 3),
    (2, 6, 7, 4, 4, 4),
];

/// `(Y, ∂L/∂W, ∂L/∂b)` by the definition: `Y[f][i][j] = b[f] + Σ_{c,u,v} W[f][c][u][v]·
/// x[c][i + u][j + v]`, `∂L/∂W[f][c][u][v] = Σ_{i,j} ∂L/∂Y[f][i][j]·x[c][i + u][j + v]`,
/// `∂L/∂b[f] = Σ_{i,j} ∂L/∂Y[f][i][j]`.
fn by_definition<T: Float>(s: &Shifts, w: &[T], b: &[T], x: &[T], dy: &[T]) -> [Vec<T>; 3] {
    let (oh, ow, k) = (s.oh(), s.ow(), s.depth());
    let filters = b.len();
    let (mut y, mut dw, mut db) = (vec![], vec![T::ZERO; filters * k], vec![T::ZERO; filters]);
    for f in 0..filters {
        for i in 0..oh {
            for j in 0..ow {
                let mut sum = b[f];
                let d = dy[(f * oh + i) * ow + j];
                db[f] += d;
                for p in 0..k {
                    let (c, u, v) = (p / (s.fh * s.fw), p / s.fw % s.fh, p % s.fw);
                    let pixel = x[(c * s.height + i + u) * s.width + j + v];
                    sum += w[f * k + p] * pixel;
                    dw[f * k + p] += d * pixel;
                }
                y.push(sum);
            }
        }
    }
    [y, dw, db]
}

/// Each case through `forward` and `gradient` (a tile's two kernels) against the
/// definition: exact, since every value is a small multiple of 1/4. The outputs start
/// as NaN to show they are overwritten; with `accumulate`, `∂L/∂W` and `∂L/∂b` start
/// at 1 and gain the product.
fn agrees_with_definition<T: Float>(
    name: &str,
    forward: &dyn Fn(ForwardArgs<'_, T>, &mut Vec<T>),
    gradient: &dyn Fn(GradientArgs<'_, T>, &mut Vec<T>),
) {
    for (channels, height, width, fh, fw, filters) in CASES {
        let s = Shifts {
            channels,
            height,
            width,
            fh,
            fw,
        };
        let (k, pixels) = (s.depth(), s.oh() * s.ow());
        let mut x = values::<T>(channels * height * width + SLACK, 1);
        x[channels * height * width..].fill(T::ZERO);
        let (w, b) = (values::<T>(filters * k, 2), values::<T>(filters, 3));
        let dy = values::<T>(filters * pixels, 4);
        let [y_def, dw_def, db_def] = by_definition(&s, &w, &b, &x, &dy);
        let mut buf = Vec::new();
        let mut y = vec![T::from_f64(f64::NAN); filters * pixels];
        forward((&s, &w, &b, &x, &mut y), &mut buf);
        assert_eq!(y, y_def, "{name}: Y for {s:?}, {filters} filters");
        for accumulate in [false, true] {
            let start = T::from_f64(if accumulate { 1.0 } else { f64::NAN });
            let (mut dw, mut db) = (vec![start; filters * k], vec![start; filters]);
            gradient((&s, &dy, &x, (&mut dw, &mut db), accumulate), &mut buf);
            let plus = |v: &[T]| -> Vec<T> {
                v.iter()
                    .map(|&v| if accumulate { v + T::ONE } else { v })
                    .collect()
            };
            assert_eq!(
                dw,
                plus(&dw_def),
                "{name}: ∂L/∂W for {s:?}, accumulate {accumulate}"
            );
            assert_eq!(
                db,
                plus(&db_def),
                "{name}: ∂L/∂b for {s:?}, accumulate {accumulate}"
            );
        }
    }
}

/// The entry points, and every build this CPU runs with every build's `f32` tile (the
/// type the layer runs these in).
#[test]
fn every_tile_agrees_with_the_definition() {
    agrees_with_definition::<f32>(
        "the selected path",
        &|(s, w, b, x, y), _| forward(s, w, b, x, y),
        &|(s, dy, x, dw_db, acc), _| filter_gradient(s, dy, x, dw_db, acc),
    );
    macro_rules! each {
        ($p:ident; $($tile:ident)*) => {$(
            agrees_with_definition::<f32>(
                &format!("{} build, {} tile", stringify!($p), stringify!($tile)),
                &|args, buf| {
                    let bufs = (&mut Vec::new(), buf);
                    let job = Forward::<f32, { $tile.mr }, { $tile.nr }, { $tile.lanes }>(args, bufs);
                    assert!(run_on::<$p, _>(job).is_ok());
                },
                &|args, buf| {
                    let job = Gradient::<f32, { $tile.mr }, { $tile.nr }>(args, buf);
                    assert!(run_on::<$p, _>(job).is_ok());
                },
            );
        )*};
    }
    each!(PLAIN; TILE32_PLAIN TILE32 TILE32_512);
    if Path::Avx2Fma.supported() {
        each!(AVX2; TILE32_PLAIN TILE32 TILE32_512);
    }
    if Path::Avx512.supported() {
        each!(AVX512; TILE32_PLAIN TILE32 TILE32_512);
    }
}

#[test]
#[should_panic(
    expected = "conv: the padded image has 784 elements, fewer than its 784 and 16 of slack"
)]
fn an_image_without_its_slack_is_refused() {
    let s = Shifts {
        channels: 1,
        height: 28,
        width: 28,
        fh: 5,
        fw: 5,
    };
    let (w, b, x) = (vec![0.0_f32; 25], vec![0.0_f32; 1], vec![0.0_f32; 784]);
    forward(&s, &w, &b, &x, &mut vec![0.0; 576]);
}
