//! [`Images<N, C, H, W, T>`](Images): a batch of `N` images of `C` channels, `H × W`
//! pixels each, whose shape is in its type (chapter 7).
//!
//! The layout is the book's and PyTorch's, `N·C·H·W` row-major: image after image,
//! within an image channel after channel, within a channel row after row. The data lives
//! on the heap in one boxed slice of exactly `N·C·H·W` elements, as a [`Matrix`]'s does,
//! so that a batch of MNIST digits is the same bytes as a `Matrix<N, 784>` of them.

use std::fmt;
use std::ops::{Index, IndexMut};

use rand::Rng;
use rand_distr::{Distribution, Normal};

use crate::{Error, Float, Matrix};

/// `N` images of `C` channels of `H × W` pixels, `T` (`f32` unless said otherwise)
/// each, stored `N·C·H·W` row-major on the heap.
///
/// ```
/// use backprop::Images;
/// let mut x = Images::<2, 3, 4, 5>::zeros();
/// x[(1, 2, 3, 4)] = 7.0; // image 1, channel 2, row 3, column 4: the last element
/// assert_eq!(x.as_slice()[2 * 3 * 4 * 5 - 1], 7.0);
/// assert_eq!(Images::<2, 3, 4, 5>::DIMS, [2, 3, 4, 5]);
/// assert_eq!(x.channel(1, 2)[3 * 5 + 4], 7.0);
/// ```
#[derive(PartialEq)]
pub struct Images<const N: usize, const C: usize, const H: usize, const W: usize, T = f32> {
    data: Box<[T]>,
}

impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float>
    Images<N, C, H, W, T>
{
    /// `[N, C, H, W]`.
    pub const DIMS: [usize; 4] = [N, C, H, W];
    /// The number of elements, `N·C·H·W`.
    pub const LEN: usize = N * C * H * W;
    /// The elements of one image, `C·H·W`.
    pub const IMAGE: usize = C * H * W;

    /// A batch of zeros.
    ///
    /// ```
    /// let x = backprop::Images::<1, 1, 2, 2, f64>::zeros();
    /// assert_eq!(x.as_slice(), &[0.0; 4]);
    /// ```
    pub fn zeros() -> Self {
        Self::filled(T::ZERO)
    }

    /// A batch with every element equal to `value`.
    ///
    /// ```
    /// assert_eq!(backprop::Images::<1, 2, 1, 1>::filled(3.0).as_slice(), &[3.0, 3.0]);
    /// ```
    pub fn filled(value: T) -> Self {
        Self {
            data: vec![value; N * C * H * W].into_boxed_slice(),
        }
    }

    /// A batch copied from an `N·C·H·W` row-major slice.
    ///
    /// # Errors
    /// [`Error::Length`] when `data.len() != N·C·H·W`, naming the batch as `N` rows of
    /// `C·H·W`.
    ///
    /// ```
    /// use backprop::{Error, Images};
    /// let x = Images::<1, 1, 2, 2>::from_slice(&[1.0, 2.0, 3.0, 4.0])?;
    /// assert_eq!(x[(0, 0, 1, 0)], 3.0);
    /// let err = Images::<2, 1, 2, 2>::from_slice(&[1.0; 7]).unwrap_err();
    /// assert_eq!(err, Error::Length { rows: 2, cols: 4, expected: 8, actual: 7 });
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_slice(data: &[T]) -> Result<Self, Error> {
        if data.len() != N * C * H * W {
            return Err(Error::Length {
                rows: N,
                cols: C * H * W,
                expected: N * C * H * W,
                actual: data.len(),
            });
        }
        Ok(Self { data: data.into() })
    }

    /// Every element drawn from N(0, std²) with the caller's RNG (the book's conv
    /// filters start with `std = 0.01`).
    ///
    /// # Panics
    /// If `std` is negative or not finite: it is the caller's own constant.
    ///
    /// ```
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let w = backprop::Images::<30, 1, 5, 5>::random_normal(0.01, &mut StdRng::seed_from_u64(0));
    /// assert!(w.as_slice().iter().all(|v| v.abs() < 0.1));
    /// ```
    pub fn random_normal<G: Rng + ?Sized>(std: f64, rng: &mut G) -> Self {
        let normal = Normal::new(0.0, std)
            .unwrap_or_else(|e| panic!("random_normal: bad standard deviation {std}: {e}"));
        let data = (0..N * C * H * W)
            .map(|_| T::from_f64(normal.sample(rng)))
            .collect();
        Self { data }
    }

    /// The same elements as `N` rows of `F = C·H·W`: what a `Flatten` hands the first
    /// `Affine`. `F` is checked when this is compiled for a shape (a build error that
    /// states `C·H·W`).
    ///
    /// ```
    /// let x = backprop::Images::<2, 3, 2, 2>::filled(1.0);
    /// let m: backprop::Matrix<2, 12> = x.to_matrix();
    /// assert_eq!(m.row(1).len(), 12);
    /// ```
    pub fn to_matrix<const F: usize>(&self) -> Matrix<N, F, T> {
        const { assert!(F == C * H * W, "Images::to_matrix: F must be C·H·W") };
        Matrix::from_slice(&self.data).expect("N·F elements, as checked above")
    }

    /// Image `n`: its `C·H·W` elements, channel after channel.
    ///
    /// # Panics
    /// If `n >= N`.
    ///
    /// ```
    /// let x = backprop::Images::<2, 1, 1, 2>::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(x.image(1), &[3.0, 4.0]);
    /// ```
    pub fn image(&self, n: usize) -> &[T] {
        assert!(n < N, "image {n} out of range for a batch of {N}");
        &self.data[n * C * H * W..(n + 1) * C * H * W]
    }

    /// Image `n`, mutable.
    ///
    /// # Panics
    /// If `n >= N`.
    ///
    /// ```
    /// let mut x = backprop::Images::<2, 1, 1, 2>::zeros();
    /// x.image_mut(1)[0] = 5.0;
    /// assert_eq!(x.as_slice(), &[0.0, 0.0, 5.0, 0.0]);
    /// ```
    pub fn image_mut(&mut self, n: usize) -> &mut [T] {
        assert!(n < N, "image {n} out of range for a batch of {N}");
        &mut self.data[n * C * H * W..(n + 1) * C * H * W]
    }

    /// Channel `c` of image `n`: `H·W` pixels, row after row.
    ///
    /// # Panics
    /// If `n >= N` or `c >= C`.
    ///
    /// ```
    /// let x = backprop::Images::<1, 2, 1, 2>::from_slice(&[1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(x.channel(0, 1), &[3.0, 4.0]);
    /// ```
    pub fn channel(&self, n: usize, c: usize) -> &[T] {
        assert!(
            n < N && c < C,
            "channel ({n}, {c}) out of range for {N} images of {C} channels"
        );
        let start = (n * C + c) * H * W;
        &self.data[start..start + H * W]
    }

    /// `[N, C, H, W]`, the same as [`Images::DIMS`], from a value.
    ///
    /// ```
    /// assert_eq!(backprop::Images::<2, 3, 4, 5>::zeros().shape(), [2, 3, 4, 5]);
    /// ```
    pub fn shape(&self) -> [usize; 4] {
        [N, C, H, W]
    }

    /// All elements, `N·C·H·W` row-major.
    ///
    /// ```
    /// assert_eq!(backprop::Images::<1, 1, 1, 3>::filled(1.0).as_slice().len(), 3);
    /// ```
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// All elements, mutable.
    ///
    /// ```
    /// let mut x = backprop::Images::<1, 1, 1, 2>::zeros();
    /// x.as_mut_slice()[1] = 2.0;
    /// assert_eq!(x[(0, 0, 0, 1)], 2.0);
    /// ```
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    fn offset(&self, (n, c, h, w): (usize, usize, usize, usize)) -> usize {
        assert!(
            n < N && c < C && h < H && w < W,
            "index ({n}, {c}, {h}, {w}) out of range for images {N}×{C}×{H}×{W}"
        );
        ((n * C + c) * H + h) * W + w
    }
}

/// `clone_from` copies into the existing buffer.
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Clone> Clone
    for Images<N, C, H, W, T>
{
    fn clone(&self) -> Self {
        Self {
            data: self.data.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.data.clone_from_slice(&source.data);
    }
}

impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float> Default
    for Images<N, C, H, W, T>
{
    fn default() -> Self {
        Self::zeros()
    }
}

/// `x[(n, c, h, w)]`: image `n`, channel `c`, row `h`, column `w`.
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float>
    Index<(usize, usize, usize, usize)> for Images<N, C, H, W, T>
{
    type Output = T;
    fn index(&self, at: (usize, usize, usize, usize)) -> &T {
        &self.data[self.offset(at)]
    }
}

impl<const N: usize, const C: usize, const H: usize, const W: usize, T: Float>
    IndexMut<(usize, usize, usize, usize)> for Images<N, C, H, W, T>
{
    fn index_mut(&mut self, at: (usize, usize, usize, usize)) -> &mut T {
        let k = self.offset(at);
        &mut self.data[k]
    }
}

/// The shape and the first few values, not every pixel.
impl<const N: usize, const C: usize, const H: usize, const W: usize, T: fmt::Debug> fmt::Debug
    for Images<N, C, H, W, T>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.data.len().min(8);
        write!(f, "Images<{N}, {C}, {H}, {W}> {:?}", &self.data[..shown])?;
        if shown < self.data.len() {
            write!(f, " …")?;
        }
        Ok(())
    }
}
