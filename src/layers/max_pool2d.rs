//! Max pooling (section 7.4.4).

use super::size_check::output_size;
use crate::{Buffers, Float, Images, Layer, Named, Params};

/// Max pooling over `PH × PW` windows moved by stride `S` (2 by default), channel by
/// channel, giving `OH × OW` images:
///
/// ```text
/// OH = (H − PH)/S + 1,   OW = (W − PW)/S + 1
/// forward:  y[n][c][i][j] = max over the window at (i·S, j·S) of x[n][c]
/// backward: ∂L/∂x = ∂L/∂y at the maximum of each window, 0 elsewhere
///           (a pixel that is the maximum of several windows sums their gradients)
/// ```
///
/// The first of equal maxima is the one chosen. The position of each window's maximum
/// is kept in the workspace ([`PoolArgmax`]). The output size is in the type and checked
/// when the layer is compiled for an input shape, as [`Conv2d`](crate::Conv2d)'s is.
///
/// ```
/// use backprop::{Images, Layer, MaxPool2d};
/// let mut pool = MaxPool2d::<2, 2, 1, 2>::new();
/// let mut work = Default::default();
/// let x = Images::<1, 1, 2, 4>::from_slice(&[1.0, 5.0, 2.0, 0.0, 3.0, 4.0, 8.0, 1.0])?;
/// assert_eq!(pool.forward(&x, &mut work).as_slice(), &[5.0, 8.0]);
/// let dx = pool.backward(&x, &Images::from_slice(&[10.0, 20.0])?, &mut work);
/// assert_eq!(dx.as_slice(), &[0.0, 10.0, 0.0, 0.0, 0.0, 0.0, 20.0, 0.0]);
/// # Ok::<(), backprop::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MaxPool2d<
    const PH: usize,
    const PW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize = 2,
>;

impl<const PH: usize, const PW: usize, const OH: usize, const OW: usize, const S: usize>
    MaxPool2d<PH, PW, OH, OW, S>
{
    /// A pooling layer (it has no parameters).
    ///
    /// ```
    /// let pool = backprop::MaxPool2d::<2, 2, 12, 12>::new();
    /// assert_eq!(backprop::Params::<f32>::param_count(&pool), 0);
    /// ```
    pub fn new() -> Self {
        Self
    }
}

impl<const PH: usize, const PW: usize, const OH: usize, const OW: usize, const S: usize>
    MaxPool2d<PH, PW, OH, OW, S>
{
    /// Checks that the type's output size is the formula's for `H × W` channels, and
    /// that a channel's pixels can be counted in a `u32`. Callers evaluate it in a
    /// `const` block, so that a wrong size stops the build where the layer is used.
    pub(crate) const fn check_sizes<const H: usize, const W: usize>() {
        output_size("MaxPool2d", "height", H, 0, PH, S, OH);
        output_size("MaxPool2d", "width", W, 0, PW, S, OW);
        assert!(
            H * W <= u32::MAX as usize,
            "MaxPool2d: a channel must have fewer than 2^32 pixels"
        );
    }

    /// Whether the windows tile an `h × w` channel: stride = window, nothing left over
    /// (the book's 2×2 with stride 2 on an even size), so that no two windows share a
    /// pixel.
    pub(crate) const fn tiles(h: usize, w: usize) -> bool {
        S == PH && S == PW && OH * S == h && OW * S == w
    }

    /// The forward for one `H × W` channel (of sizes checked by [`Self::check_sizes`]):
    /// each window's maximum into `out` (`OH × OW`) and its index in the channel into
    /// `argmax`.
    pub(crate) fn pool_channel<T: Float, const H: usize, const W: usize>(
        channel: &[T],
        out: &mut [T],
        argmax: &mut [u32],
    ) {
        let rows = out.chunks_exact_mut(OW).zip(argmax.chunks_exact_mut(OW));
        for (i, (out, argmax)) in rows.enumerate() {
            // A row of windows at a time, in blocks of at most `ROW_BLOCK` (a row that
            // fits is one block of a length known when compiled).
            let first = i * S * W;
            if OW <= ROW_BLOCK {
                pool_windows::<T, OW, PH, PW, S>(channel, (first, W), out, argmax);
            } else {
                let blocks = out.chunks_mut(ROW_BLOCK).zip(argmax.chunks_mut(ROW_BLOCK));
                for (b, (out, argmax)) in blocks.enumerate() {
                    let start = (first + b * ROW_BLOCK * S, W);
                    pool_windows::<T, ROW_BLOCK, PH, PW, S>(channel, start, out, argmax);
                }
            }
        }
    }

    /// The backward for one channel: each gradient of `dy` (`OH × OW`) to its window's
    /// maximum (`argmax`, from [`Self::pool_channel`]) in `dx` (`H × W`), 0 elsewhere.
    fn route_channel<T: Float, const H: usize, const W: usize>(
        dy: &[T],
        argmax: &[u32],
        dx: &mut [T],
    ) {
        // Windows that tile the image are written whole, one pass over ∂L/∂X;
        // otherwise ∂L/∂X is cleared and each gradient added to its maximum
        // (overlapping windows can share one).
        if Self::tiles(H, W) {
            for (k, (&g, &at)) in dy.iter().zip(argmax).enumerate() {
                let (i, j) = (k / OW, k % OW);
                for u in 0..PH {
                    let line = (i * S + u) * W + j * S;
                    dx[line..line + PW].fill(T::ZERO);
                }
                dx[at as usize] = g;
            }
        } else {
            dx.fill(T::ZERO);
            for (&g, &at) in dy.iter().zip(argmax) {
                dx[at as usize] += g;
            }
        }
    }
}

/// Most windows of a row pooled together (kept on the stack: a row may be of any length).
const ROW_BLOCK: usize = 64;

/// The maxima of `out.len() ≤ B` neighbouring windows of a row, and where they are, into
/// `out` and `argmax`: the first window's first pixel at `start` of `channel`, lines `w`
/// apart. One window position `(u, v)` at a time across the windows, in the order of a
/// window's pixels: each step is the same operation on neighbouring windows
/// (vectorized; twice as fast as window by window for the SimpleConvNet), and each
/// window still takes the first of equal maxima. The selects have no branch: which
/// pixel of a window is largest is a coin toss.
#[inline(always)]
fn pool_windows<T: Float, const B: usize, const PH: usize, const PW: usize, const S: usize>(
    channel: &[T],
    (start, w): (usize, usize),
    out: &mut [T],
    argmax: &mut [u32],
) {
    let n = out.len();
    let (mut max, mut best) = ([T::ZERO; B], [0u32; B]);
    for u in 0..PH {
        for v in 0..PW {
            let at0 = start + u * w + v;
            let pixels = &channel[at0..=at0 + (n - 1) * S];
            let first = (u, v) == (0, 0);
            for j in 0..n {
                let value = pixels[j * S];
                let larger = first || value > max[j];
                max[j] = if larger { value } else { max[j] };
                let at = (at0 + j * S) as u32;
                best[j] = if larger { at } else { best[j] };
            }
        }
    }
    out.copy_from_slice(&max[..n]);
    argmax.copy_from_slice(&best[..n]);
}

/// What [`MaxPool2d`] keeps in its workspace: for each output pixel, the index (within
/// its channel) of the input pixel that was its window's maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolArgmax<const N: usize, const C: usize, const OH: usize, const OW: usize>(
    pub Vec<u32>,
);

impl<const N: usize, const C: usize, const OH: usize, const OW: usize> Default
    for PoolArgmax<N, C, OH, OW>
{
    fn default() -> Self {
        Self(vec![0; N * C * OH * OW])
    }
}

impl<
    const N: usize,
    const C: usize,
    const H: usize,
    const W: usize,
    const PH: usize,
    const PW: usize,
    const OH: usize,
    const OW: usize,
    const S: usize,
    T: Float,
> Layer<Images<N, C, H, W, T>> for MaxPool2d<PH, PW, OH, OW, S>
{
    type Out = Images<N, C, OH, OW, T>;
    type Workspace =
        Buffers<Images<N, C, OH, OW, T>, Images<N, C, H, W, T>, PoolArgmax<N, C, OH, OW>>;
    const HAS_PARAMS: bool = false;

    fn output(work: &Self::Workspace) -> &Images<N, C, OH, OW, T> {
        &work.out
    }

    fn infer<'w>(
        &self,
        x: &Images<N, C, H, W, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, OH, OW, T> {
        const { Self::check_sizes::<H, W>() };
        let channels = x.as_slice().chunks_exact(H * W);
        let outputs = work.out.as_mut_slice().chunks_exact_mut(OH * OW);
        let argmaxes = work.keep.0.chunks_exact_mut(OH * OW);
        for ((channel, out), argmax) in channels.zip(outputs).zip(argmaxes) {
            Self::pool_channel::<T, H, W>(channel, out, argmax);
        }
        &work.out
    }

    /// Each output gradient to its window's maximum.
    fn backward<'w>(
        &mut self,
        _x: &Images<N, C, H, W, T>,
        dout: &Images<N, C, OH, OW, T>,
        work: &'w mut Self::Workspace,
    ) -> &'w Images<N, C, H, W, T> {
        let channels = work.dx.as_mut_slice().chunks_exact_mut(H * W);
        let grads = dout.as_slice().chunks_exact(OH * OW);
        for ((dx, dy), argmax) in channels.zip(grads).zip(work.keep.0.chunks_exact(OH * OW)) {
            Self::route_channel::<T, H, W>(dy, argmax, dx);
        }
        &work.dx
    }
}

/// Named `MaxPool2d<PH, PW, OH, OW, S>`.
impl<const PH: usize, const PW: usize, const OH: usize, const OW: usize, const S: usize> Named
    for MaxPool2d<PH, PW, OH, OW, S>
{
    fn name(&self) -> String {
        format!("MaxPool2d<{PH}, {PW}, {OH}, {OW}, {S}>")
    }
}

/// Pooling has no parameters.
impl<const PH: usize, const PW: usize, const OH: usize, const OW: usize, const S: usize, T: Float>
    Params<T> for MaxPool2d<PH, PW, OH, OW, S>
{
}

#[cfg(test)]
mod tests {
    use crate::{Images, Layer, MaxPool2d};

    /// Each window's maximum and the first place it is at, window by window.
    fn by_definition(
        x: &[f64],
        (h, w): (usize, usize),
        (ph, pw, s): (usize, usize, usize),
    ) -> (Vec<f64>, Vec<u32>) {
        let (oh, ow) = ((h - ph) / s + 1, (w - pw) / s + 1);
        let mut out = (Vec::new(), Vec::new());
        for channel in x.chunks_exact(h * w) {
            for (i, j) in (0..oh).flat_map(|i| (0..ow).map(move |j| (i, j))) {
                let window =
                    (0..ph).flat_map(|u| (0..pw).map(move |v| (i * s + u) * w + j * s + v));
                let at = window.reduce(|a, b| if channel[b] > channel[a] { b } else { a });
                out.0.push(channel[at.unwrap()]);
                out.1.push(at.unwrap() as u32);
            }
        }
        out
    }

    /// Pools `Images<2, 2, H, W>` of small integers (many ties) with `MaxPool2d<PH, PW,
    /// OH, OW, S>` and checks the maxima and where they are against the definition.
    fn agrees<
        const H: usize,
        const W: usize,
        const PH: usize,
        const PW: usize,
        const OH: usize,
        const OW: usize,
        const S: usize,
    >() {
        let x: Vec<f64> = (0..4 * H * W)
            .map(|k| ((k * 7919) % 13) as f64 - 6.0)
            .collect();
        let images = Images::<2, 2, H, W, f64>::from_slice(&x).unwrap();
        let mut work = Default::default();
        let y = MaxPool2d::<PH, PW, OH, OW, S>::new()
            .forward(&images, &mut work)
            .as_slice()
            .to_vec();
        let (y_def, at_def) = by_definition(&x, (H, W), (PH, PW, S));
        assert_eq!(y, y_def, "{PH}×{PW} stride {S} over {H}×{W}");
        assert_eq!(work.keep.0, at_def, "{PH}×{PW} stride {S} over {H}×{W}");
    }

    #[test]
    fn each_window_takes_its_first_maximum_whatever_the_geometry() {
        agrees::<24, 24, 2, 2, 12, 12, 2>(); // the SimpleConvNet's
        agrees::<5, 7, 3, 3, 3, 5, 1>(); // overlapping windows
        agrees::<7, 9, 3, 2, 3, 4, 2>(); // wider than the stride; pixels left over
        agrees::<5, 200, 2, 3, 2, 66, 3>(); // rows longer than one block of windows
    }

    #[test]
    fn overlapping_windows_add_the_gradients_of_a_shared_maximum() {
        // 2×2 windows with stride 1 over a 3×3 image: the centre 9 is every window's
        // maximum, so it gets all four gradients.
        let mut pool = MaxPool2d::<2, 2, 2, 2, 1>::new();
        let mut work = Default::default();
        let x =
            Images::<1, 1, 3, 3, f64>::from_slice(&[1.0, 2.0, 3.0, 4.0, 9.0, 5.0, 6.0, 7.0, 8.0])
                .unwrap();
        assert_eq!(pool.forward(&x, &mut work).as_slice(), &[9.0; 4]);
        let dx = pool.backward(
            &x,
            &Images::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap(),
            &mut work,
        );
        assert_eq!(
            dx.as_slice(),
            &[0.0, 0.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0]
        );
    }

    #[test]
    fn windows_that_leave_pixels_over_give_them_no_gradient() {
        // 2×2 stride 2 over 5×5: the last row and column belong to no window.
        let mut pool = MaxPool2d::<2, 2, 2, 2>::new();
        let mut work = Default::default();
        let x = Images::<1, 1, 5, 5, f64>::from_slice(&(0..25).map(f64::from).collect::<Vec<_>>())
            .unwrap();
        assert_eq!(
            pool.forward(&x, &mut work).as_slice(),
            &[6.0, 8.0, 16.0, 18.0]
        );
        let dx = pool.backward(&x, &Images::filled(1.0), &mut work);
        let ones: Vec<usize> = (0..25).filter(|&k| dx.as_slice()[k] != 0.0).collect();
        assert_eq!(ones, [6, 8, 16, 18]);
    }

    #[test]
    fn a_second_backward_leaves_nothing_of_the_first() {
        // Tiling windows write ∂L/∂X whole, without clearing it first.
        let mut pool = MaxPool2d::<2, 2, 1, 2>::new();
        let mut work = Default::default();
        let x = Images::<1, 1, 2, 4, f64>::from_slice(&[1.0, 0.0, 0.0, 3.0, 0.0, 0.0, 2.0, 0.0])
            .unwrap();
        pool.forward(&x, &mut work);
        pool.backward(&x, &Images::from_slice(&[5.0, 6.0]).unwrap(), &mut work);
        let x2 = Images::from_slice(&[0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0]).unwrap();
        pool.forward(&x2, &mut work);
        let dx = pool.backward(&x2, &Images::from_slice(&[7.0, 8.0]).unwrap(), &mut work);
        assert_eq!(dx.as_slice(), &[0.0, 0.0, 0.0, 0.0, 0.0, 7.0, 8.0, 0.0]);
    }
}
