//! The tiles of the micro-kernel, one pair (f32, f64) for each build of
//! [`super::run_on`].

use std::mem::size_of;

use super::Path;
use crate::Float;

/// A tile of the micro-kernel: `mr` rows of `C` by `nr` columns; the width `nh` of a
/// last, narrower panel (when at most `nh` columns are left after the full panels,
/// they are packed and computed `nh` wide); `lanes`, the elements of one vector of
/// the build (the dot products of [`super::thin`] run `lanes` wide); and `thin`, how many
/// columns left past the panels are computed thin instead of in a panel of mostly
/// zeros (the book's 50 columns on the AVX2 f32 tile are 3 panels of 16 and 2 thin
/// columns; before, a fourth panel computed 8 for those 2). The convolution's products
/// ([`super::shifted`]) use the plain and AVX2 f32 tiles only: their pieces are
/// `lanes` pixels, and their filter gradient's dot products `lanes` wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tile {
    pub mr: usize,
    pub nr: usize,
    pub nh: usize,
    pub lanes: usize,
    pub thin: usize,
}

/// The tiles of the plain and AVX2+FMA builds: 6 rows × two 256-bit vectors, 12
/// accumulators of the 16 registers (f32 6 × 16, f64 6 × 8), chosen by measurement on
/// the training step's shapes (Zen 4, AVX2; benches/README.md); up to 2 thin columns,
/// as measured on Zen 3 (benches/README.md). (In the plain build a vector is two
/// SSE2 registers.)
pub(super) const TILE32: Tile = Tile {
    mr: 6,
    nr: 16,
    nh: 8,
    lanes: 8,
    thin: 2,
};
pub(super) const TILE64: Tile = Tile {
    mr: 6,
    nr: 8,
    nh: 4,
    lanes: 4,
    thin: 2,
};
/// The tiles of the AVX-512 build: 10 rows × two 512-bit vectors, 20 accumulators of
/// the 32 registers, leaving room for the two lines of `B` and a broadcast of `A`
/// (f32 10 × 32, f64 10 × 16). Ten rows divide the book's batch of 100 (no partial
/// tile, and the thread split cuts it 50 / 50); two vectors a row cover the 50-wide
/// hidden layer with four f32 vectors (two panels of 32; no narrower panel pays, as
/// ⌈50 / 16⌉ = 4 vectors is the least any tiling needs) and six f64 ones (three
/// panels of 16) and 2 thin columns; the 10-wide output is one 16-wide f32 panel, one
/// f64 panel of 16. No thin columns in f32: on Ice Lake, 50 as 32 + 16 + 2 thin took
/// 1.09 times as long as two panels of 32; in f64, 2 thin columns instead of a last
/// 8-wide panel took 0.94 times as long a step. An f32 product whose `A` is read by
/// rows runs [`ROWS32_512`] instead. The convolution's forward runs on the AVX2 build
/// ([`super::shifted`]). (The measurements are in benches/README.md.)
pub(super) const TILE32_512: Tile = Tile {
    mr: 10,
    nr: 32,
    nh: 16,
    lanes: 16,
    thin: 0,
};
/// The AVX-512 f32 tile of a product whose `A` is read in place by rows (`X` in
/// `X·W`): 8 rows × three 512-bit vectors, 24 accumulators, three lines of `B` and a
/// broadcast of `A` in the 32 registers, written with explicit vectors
/// ([`super::audited::tile_8x48`]). It takes 8 broadcasts of `A` for 24 multiply-adds
/// where [`TILE32_512`] takes 10 for 20, and the book's 50 hidden columns are one
/// panel and 2 thin columns instead of 64 columns of panels. Other products keep
/// [`TILE32_512`]: `Xᵀ·dY` computed turned round with it took less time than with
/// this tile either way round, and the convolution's filter gradient (30 filters of
/// 25 weights in the book's net) fits its 10 × 32. (benches/README.md)
pub(super) const ROWS32_512: Tile = Tile {
    mr: 8,
    nr: 48,
    nh: 16,
    lanes: 16,
    thin: 2,
};
pub(super) const TILE64_512: Tile = Tile {
    mr: 10,
    nr: 16,
    nh: 8,
    lanes: 8,
    thin: 2,
};

/// The plain build's tiles: the AVX2 ones without thin columns, which were measured
/// in the AVX2 build only (and each build that takes them compiles their code: the
/// train example's clean build took 2.6 s longer with them in all three).
pub(super) const TILE32_PLAIN: Tile = Tile { thin: 0, ..TILE32 };
pub(super) const TILE64_PLAIN: Tile = Tile { thin: 0, ..TILE64 };

/// The tile of a product on `path` for `T` whose `A` is read in place by rows
/// (`a_by_rows`) or not: [`ROWS32_512`] for the former in the AVX-512 `f32` build,
/// else the build's tile ([`tile_of`]).
pub(crate) fn product_tile<T: Float>(path: Path, a_by_rows: bool) -> Tile {
    for_product(tile_of::<T>(path), a_by_rows)
}

/// The tile a product with `A` read by rows (or not) runs where the build's tile is
/// `tile`: see [`product_tile`].
pub(super) const fn for_product(tile: Tile, a_by_rows: bool) -> Tile {
    let is_512_f32 = tile.mr == TILE32_512.mr && tile.nr == TILE32_512.nr;
    if a_by_rows && is_512_f32 {
        ROWS32_512
    } else {
        tile
    }
}

/// The tile `path` uses for `T`.
pub(super) fn tile_of<T: Float>(path: Path) -> Tile {
    match (path, size_of::<T>() == 4) {
        (Path::Avx512, true) => TILE32_512,
        (Path::Avx512, false) => TILE64_512,
        (Path::Plain, true) => TILE32_PLAIN,
        (Path::Plain, false) => TILE64_PLAIN,
        (_, true) => TILE32,
        (_, false) => TILE64,
    }
}
