//! The element types a [`Matrix`](crate::Matrix) can hold: `f32` and `f64`.
//!
//! [`Float`] is sealed: the crate implements it for exactly these two types, so
//! every kernel can rely on IEEE-754 arithmetic and on the GEMM backend's support.
//! `f32` is the default (fast training); `f64` makes a gradient check precise to
//! about 1e-10.

use std::fmt::{Debug, Display, LowerExp};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

pub(crate) mod sealed {
    use crate::matrix::gemm::elementwise::Elementwise;
    use crate::matrix::gemm::shifted::{Shifts, filter_gradient_of, forward_of};
    use crate::matrix::gemm::{Operand, Packs, gemm_of};

    // `Sealed` cannot be named outside the crate, so the crate's own types in its
    // methods are not part of any interface a user sees.
    #[allow(private_interfaces)]
    pub trait Sealed: Sized {
        /// `true` for `f32`, `false` for `f64`: a constant the GEMM matches on to pick
        /// its tile, so that each type compiles only its own.
        const IS_F32: bool;
        /// `s` itself when `Self` is `f32`, else `None`: how the GEMM hands an `f32`
        /// panel to the one tile written for `f32` alone.
        fn as_f32s(s: &[Self]) -> Option<&[f32]>;
        /// `as_f32s` for a slice to write.
        fn as_f32s_mut(s: &mut [Self]) -> Option<&mut [f32]>;
        /// This type's half of a thread's GEMM packing buffers.
        fn packs(both: &mut (Packs<f32>, Packs<f64>)) -> &mut Packs<Self>;
        /// The GEMM for this type: a plain function of this crate (not generic), so it
        /// is compiled here, with this crate's optimization level.
        fn gemm(
            shape: (usize, usize, usize),
            a: Operand<'_, Self>,
            b: Operand<'_, Self>,
            c: &mut [Self],
            accumulate: bool,
        );
        /// `y += a·x`, element by element (the SGD update), compiled here like `gemm` and
        /// run in its build for this CPU (`Elementwise`).
        fn axpy(a: Self, x: &[Self], y: &mut [Self]);
        /// `acc += Σ_rows row` over the rows of `width` in `rows` (a bias gradient),
        /// compiled and run like `axpy`.
        fn add_rows(rows: &[Self], width: usize, acc: &mut [Self]);
        /// `y = max(x, 0)` (ReLU's forward pass), compiled and run like `axpy`.
        fn relu(x: &[Self], y: &mut [Self]);
        /// `dx = dy where x > 0, else 0` (ReLU's backward pass), compiled and run like
        /// `axpy`.
        fn relu_grad(x: &[Self], dy: &[Self], dx: &mut [Self]);
        /// One Adam update of `w` with gradient `g` and moments `m`, `v`
        /// (`crate::Adam`; `keep = (1 − β₁, 1 − β₂)`), compiled and run like `axpy`.
        fn adam(
            lr_t: Self,
            eps: Self,
            keep: (Self, Self),
            w: &mut [Self],
            g: &[Self],
            mv: [&mut [Self]; 2],
        );
        /// A stride-1 convolution's `Y = W·col + b` read from the image, compiled here
        /// like `gemm` (see `crate::matrix::gemm::shifted`); `f32` only.
        fn conv_forward(s: &Shifts, w: &[Self], bias: &[Self], image: &[Self], y: &mut [Self]);
        /// A stride-1 convolution's `∂L/∂W = ∂L/∂Y·colᵀ` and `∂L/∂b`, compiled here
        /// like `gemm`.
        fn conv_filter_gradient(
            s: &Shifts,
            dy: &[Self],
            image: &[Self],
            dw_db: (&mut [Self], &mut [Self]),
            accumulate: bool,
        );
    }

    /// The methods whose bodies are the same for `f32` and `f64`: each a plain function
    /// of this crate (`#[inline(never)]`, so compiled here, at this crate's optimization
    /// level) that hands its slices to the GEMM or to an [`Elementwise`] pass.
    macro_rules! compiled_here {
        () => {
            #[inline(never)]
            fn gemm(
                shape: (usize, usize, usize),
                a: Operand<'_, Self>,
                b: Operand<'_, Self>,
                c: &mut [Self],
                accumulate: bool,
            ) {
                gemm_of(shape, a, b, c, accumulate)
            }
            #[inline(never)]
            fn axpy(a: Self, x: &[Self], y: &mut [Self]) {
                Elementwise::Axpy { a, x, y }.run()
            }
            #[inline(never)]
            fn add_rows(rows: &[Self], width: usize, acc: &mut [Self]) {
                Elementwise::AddRows { rows, width, acc }.run()
            }
            #[inline(never)]
            fn relu(x: &[Self], y: &mut [Self]) {
                Elementwise::Relu { x, y }.run()
            }
            #[inline(never)]
            fn relu_grad(x: &[Self], dy: &[Self], dx: &mut [Self]) {
                Elementwise::ReluGrad { x, dy, dx }.run()
            }
            #[inline(never)]
            fn adam(
                lr_t: Self,
                eps: Self,
                keep: (Self, Self),
                w: &mut [Self],
                g: &[Self],
                [m, v]: [&mut [Self]; 2],
            ) {
                Elementwise::Adam {
                    lr_t,
                    eps,
                    keep,
                    w,
                    g,
                    m,
                    v,
                }
                .run()
            }
        };
    }

    #[allow(private_interfaces)]
    impl Sealed for f32 {
        const IS_F32: bool = true;
        fn as_f32s(s: &[f32]) -> Option<&[f32]> {
            Some(s)
        }
        fn as_f32s_mut(s: &mut [f32]) -> Option<&mut [f32]> {
            Some(s)
        }
        fn packs(both: &mut (Packs<f32>, Packs<f64>)) -> &mut Packs<f32> {
            &mut both.0
        }
        compiled_here!();
        #[inline(never)]
        fn conv_forward(s: &Shifts, w: &[f32], bias: &[f32], image: &[f32], y: &mut [f32]) {
            forward_of((s, w, bias, image, y))
        }
        #[inline(never)]
        fn conv_filter_gradient(
            s: &Shifts,
            dy: &[f32],
            image: &[f32],
            dw_db: (&mut [f32], &mut [f32]),
            accumulate: bool,
        ) {
            filter_gradient_of((s, dy, image, dw_db, accumulate))
        }
    }
    #[allow(private_interfaces)]
    impl Sealed for f64 {
        const IS_F32: bool = false;
        fn as_f32s(_: &[f64]) -> Option<&[f32]> {
            None
        }
        fn as_f32s_mut(_: &mut [f64]) -> Option<&mut [f32]> {
            None
        }
        fn packs(both: &mut (Packs<f32>, Packs<f64>)) -> &mut Packs<f64> {
            &mut both.1
        }
        compiled_here!();
        // Not compiled for f64: `Conv2d` reads the image in f32 only (`READS_IMAGE`).
        fn conv_forward(_: &Shifts, _: &[f64], _: &[f64], _: &[f64], _: &mut [f64]) {
            unreachable!("conv: the shifted convolution runs in f32 only (Conv2d::READS_IMAGE)")
        }
        fn conv_filter_gradient(
            _: &Shifts,
            _: &[f64],
            _: &[f64],
            _: (&mut [f64], &mut [f64]),
            _: bool,
        ) {
            unreachable!("conv: the shifted convolution runs in f32 only (Conv2d::READS_IMAGE)")
        }
    }
}

/// A floating-point element type: implemented for `f32` and `f64` only.
///
/// ```
/// use backprop::Float;
/// fn half<T: Float>(x: T) -> T {
///     x * T::from_f64(0.5)
/// }
/// assert_eq!(half(3.0_f32), 1.5);
/// assert_eq!(half(3.0_f64).to_f64(), 1.5);
/// assert_eq!(<f32 as Float>::EPSILON, 2f32.powi(-23));
/// assert_eq!(Float::tanh(0.0_f64), 0.0);
/// assert_eq!(Float::powi(0.9_f64, 2), 0.81);
/// ```
pub trait Float:
    sealed::Sealed
    + Copy
    + Default
    + PartialOrd
    + Debug
    + Display
    + LowerExp
    + Send
    + Sync
    + 'static
    + Sum
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// The machine epsilon, the gap between 1 and the next number up: 2⁻²³ for `f32`,
    /// 2⁻⁵² for `f64`.
    const EPSILON: Self;
    /// The type's name, `"f32"` or `"f64"`, for messages and tables.
    const NAME: &'static str;
    /// Converts from `f64`, rounding to nearest for `f32`.
    fn from_f64(x: f64) -> Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// eˣ.
    fn exp(self) -> Self;
    /// The natural logarithm.
    fn ln(self) -> Self;
    /// The square root.
    fn sqrt(self) -> Self;
    /// |x|.
    fn abs(self) -> Self;
    /// The hyperbolic tangent, `(eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)`, for activations.
    fn tanh(self) -> Self;
    /// `xⁿ` for an integer `n` (Adam's `β₁ᵗ`).
    fn powi(self, n: i32) -> Self;
    /// The larger of two values (the non-NaN one if one is NaN).
    fn max(self, other: Self) -> Self;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
    /// `a · b + c`, fused where the hardware allows.
    fn mul_add(self, b: Self, c: Self) -> Self;
}

macro_rules! impl_float {
    ($t:ident) => {
        impl Float for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const EPSILON: Self = $t::EPSILON;
            const NAME: &'static str = stringify!($t);
            #[inline]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline]
            fn exp(self) -> Self {
                $t::exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                $t::ln(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                $t::sqrt(self)
            }
            #[inline]
            fn abs(self) -> Self {
                $t::abs(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                $t::tanh(self)
            }
            #[inline]
            fn powi(self, n: i32) -> Self {
                $t::powi(self, n)
            }
            #[inline]
            fn max(self, other: Self) -> Self {
                $t::max(self, other)
            }
            #[inline]
            fn is_finite(self) -> bool {
                $t::is_finite(self)
            }
            #[inline]
            fn mul_add(self, b: Self, c: Self) -> Self {
                $t::mul_add(self, b, c)
            }
        }
    };
}

impl_float!(f32);
impl_float!(f64);
