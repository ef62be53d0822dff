//! Keep what you trained: a network's parameters saved to, and loaded from, a
//! [safetensors](https://github.com/huggingface/safetensors) file — the format candle,
//! dfdx, burn and PyTorch read.
//!
//! The file is an 8-byte little-endian length `n`, then `n` bytes of JSON header, then
//! the tensors' bytes back to back. The header lists, for each tensor, its dtype, its
//! shape and where its bytes lie; [`save`] writes one tensor a parameter of the
//! [parameter visitor](crate::Params):
//!
//! - the name is the visitor's: `0.w`, `0.b`, `2.w`, `2.b` for the book's
//!   `(Affine<784, 50>, Relu, Affine<50, 10>)`;
//! - the shape is the one the layer declares ([`ParamRef::shape`](crate::ParamRef)),
//!   row-major: an `Affine<I, O>`'s `w` is `[I, O]` (the book's layout, `Y = X·W + b`)
//!   and its bias `b` is `[O]`;
//! - the dtype is `F32` or `F64`, as the network's element type, little-endian;
//! - the header's `__metadata__` records `format` (`backprop`), `backprop_version`,
//!   `network` (its [name](crate::Named)), `summary` (one line a parameter, e.g.
//!   `0.w [784, 50] f32`) and `parameters` (the total count), in this order, so
//!   that the same weights always give the same bytes.
//!
//! [`load`] checks the whole file against the network before it changes anything, so
//! a failed load leaves the network as it was. [`to_bytes`] and [`from_bytes`] are the
//! same two without a file system: the file's bytes in memory (what [`save`] writes
//! and [`load`] reads, which are built on them).
//!
//! ```
//! use backprop::{Affine, Matrix, Network, Relu};
//! use backprop::weights::{load, save};
//! use rand::{SeedableRng, rngs::StdRng};
//!
//! let mut rng = StdRng::seed_from_u64(0);
//! let mut trained = (Affine::<4, 3>::random(0.5, &mut rng), Relu::new(), Affine::<3, 2>::random(0.5, &mut rng));
//! let path = std::env::temp_dir().join(format!("backprop-doc-{}.safetensors", std::process::id()));
//! save(&trained, &path)?;
//!
//! let mut fresh = (Affine::<4, 3>::zeros(), Relu::new(), Affine::<3, 2>::zeros());
//! load(&mut fresh, &path)?;
//! let x = Matrix::<1, 4>::new([[1.0, -2.0, 0.5, 3.0]]);
//! assert_eq!(fresh.predict(&x).as_slice(), trained.predict(&x).as_slice());
//! # std::fs::remove_file(&path).unwrap();
//! # Ok::<(), backprop::weights::WeightsError>(())
//! ```

mod error;
mod file;
mod header;

use std::collections::HashSet;
use std::path::Path;

use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

pub use error::WeightsError;
use error::{explain, format_error};
use file::{read_whole, write_through_temporary};

use crate::{Float, Named, Param, ParamRef, Params};

/// Saves every parameter of `net` to the safetensors file `path`, in the layout of
/// the [module](self) documentation, from a shared borrow.
///
/// Creates the file's directory if needed, and writes `<path>.tmp` first, then renames
/// it to `path`: a failed save leaves no half-written model (and an earlier one at
/// `path` stays whole).
///
/// # Errors
/// [`WeightsError::Io`] if the directory or the file cannot be written;
/// [`WeightsError::Format`] if two parameters have the same name.
///
/// ```
/// use backprop::{Affine, Relu};
/// use backprop::weights::save;
/// let net = (Affine::<784, 50>::zeros(), Relu::new(), Affine::<50, 10>::zeros());
/// let dir = std::env::temp_dir().join(format!("backprop-doc-save-{}", std::process::id()));
/// let path = dir.join("model.safetensors");
/// save(&net, &path)?;
/// // 8 + the header + (784·50 + 50 + 50·10 + 10) values of 4 bytes.
/// let size = std::fs::metadata(&path).unwrap().len();
/// assert!(size > 8 + 39_760 * 4 && size < 8 + 39_760 * 4 + 1_000, "{size}");
/// assert!(!dir.join("model.safetensors.tmp").exists());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), backprop::weights::WeightsError>(())
/// ```
pub fn save<T: Float, N: Params<T> + Named + ?Sized>(
    net: &N,
    path: impl AsRef<Path>,
) -> Result<(), WeightsError> {
    let path = path.as_ref();
    let bytes = encode(net, path)?;
    write_through_temporary(path, &bytes)
}

/// The safetensors file [`save`] would write for `net`, as bytes in memory: for a
/// download, a database, or WebAssembly, where there is no file system.
///
/// # Errors
/// [`WeightsError::Format`] if two parameters have the same name; the error names
/// the network (its [name](Named)) where a file error names the file.
///
/// ```
/// use backprop::{Affine, Matrix, Network, Relu};
/// use backprop::weights::{from_bytes, to_bytes};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut rng = StdRng::seed_from_u64(0);
/// let mut trained = (Affine::<4, 3>::random(0.5, &mut rng), Relu::new(), Affine::<3, 2>::random(0.5, &mut rng));
/// let bytes = to_bytes(&trained)?;
/// // 8 bytes of header length, the JSON header, then (4·3 + 3 + 3·2 + 2) f32 values.
/// let header = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
/// assert_eq!(bytes.len(), 8 + header + 23 * 4);
///
/// let mut fresh = (Affine::<4, 3>::zeros(), Relu::new(), Affine::<3, 2>::zeros());
/// from_bytes(&mut fresh, &bytes, "trained")?;
/// let x = Matrix::<1, 4>::new([[1.0, -2.0, 0.5, 3.0]]);
/// assert_eq!(fresh.predict(&x).as_slice(), trained.predict(&x).as_slice());
/// # Ok::<(), backprop::weights::WeightsError>(())
/// ```
pub fn to_bytes<T: Float, N: Params<T> + Named + ?Sized>(net: &N) -> Result<Vec<u8>, WeightsError> {
    encode(net, Path::new(&net.name()))
}

/// The safetensors bytes of `net`, in the layout of the [module](self)
/// documentation; errors name `path`.
fn encode<T: Float, N: Params<T> + Named + ?Sized>(
    net: &N,
    path: &Path,
) -> Result<Vec<u8>, WeightsError> {
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    inspect_all(net, &mut |p| {
        let mut bytes = Vec::with_capacity(size_of_val(p.values));
        for &x in p.values {
            push_le_bytes(&mut bytes, x);
        }
        tensors.push((p.name.to_string(), p.shape.to_vec(), bytes));
    });
    let mut names = HashSet::new();
    if let Some((name, ..)) = tensors.iter().find(|(name, ..)| !names.insert(name)) {
        return Err(format_error(
            path,
            format!("two parameters of the network are both named `{name}`"),
        ));
    }

    let summary: Vec<String> = tensors
        .iter()
        .map(|(name, shape, _)| format!("{name} {shape:?} {}", T::NAME))
        .collect();
    let metadata = [
        ("format", "backprop".to_string()),
        ("backprop_version", env!("CARGO_PKG_VERSION").to_string()),
        ("network", net.name()),
        ("summary", summary.join("\n")),
        ("parameters", net.param_count().to_string()),
    ];

    let dtype = dtype_of::<T>();
    let views = tensors
        .iter()
        .map(|(name, shape, bytes)| {
            TensorView::new(dtype, shape.clone(), bytes).map(|view| (name.as_str(), view))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format_error(path, e.to_string()))?;
    let tensors_only =
        safetensors::serialize(views, None).map_err(|e| format_error(path, e.to_string()))?;
    header::with_metadata(&tensors_only, &metadata, path)
}

/// Loads the parameters of `net` from the safetensors file `path`, as [`save`] wrote
/// them (or any writer using the same names, shapes and dtype).
///
/// The file is read whole (as many bytes as it really has, whatever its header
/// claims), then checked against the network before anything changes: every parameter
/// must have a tensor of the network's dtype and shape, and no tensor may be left
/// over. On any error the network is exactly as it was.
///
/// # Errors
/// [`WeightsError::Missing`] (no such file), [`WeightsError::Io`],
/// [`WeightsError::Format`] (not a safetensors file, or a truncated one),
/// [`WeightsError::MissingTensor`], [`WeightsError::ExtraTensor`],
/// [`WeightsError::Shape`], [`WeightsError::Dtype`].
///
/// # Panics
/// If the network's [`visit_params`](Params::visit_params) and
/// [`inspect_params`](Params::inspect_params) list different parameters (a
/// hand-written [`Params`] that breaks its contract; [`params!`](crate::params!)
/// cannot). This is checked before any value changes.
///
/// ```
/// use backprop::{Affine, Matrix, Params};
/// use backprop::weights::{WeightsError, load, save};
/// let dir = std::env::temp_dir().join(format!("backprop-doc-load-{}", std::process::id()));
/// let path = dir.join("wide.safetensors");
/// save(&(Affine::<3, 5>::zeros(),), &path)?;
///
/// // A network of another shape refuses the file and keeps its own values.
/// let mut net = (Affine::<5, 3>::new(Matrix::new([[1.0; 3]; 5]), Matrix::new([[2.0; 3]])),);
/// let err = load(&mut net, &path).unwrap_err();
/// assert!(matches!(err, WeightsError::Shape { .. }));
/// assert!(err.to_string().ends_with("tensor `0.w` has shape [3, 5], the network needs [5, 3]"));
/// let mut values = Vec::new();
/// net.inspect_params(&mut |p| values.extend_from_slice(p.values));
/// assert_eq!(values, [vec![1.0; 15], vec![2.0; 3]].concat());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), WeightsError>(())
/// ```
pub fn load<T: Float, N: Params<T> + ?Sized>(
    net: &mut N,
    path: impl AsRef<Path>,
) -> Result<(), WeightsError> {
    let path = path.as_ref();
    from_bytes(net, &read_whole(path)?, path)
}

/// Loads the parameters of `net` from the bytes of a safetensors file already in
/// memory (as [`to_bytes`] or [`save`] made them; an upload, a download, an embedded
/// model), with the same checks as [`load`]: on any error the network is exactly as
/// it was. `name` says what the bytes are (`"the uploaded model"`, a URL); errors name
/// it where [`load`]'s name the file.
///
/// # Errors
/// [`WeightsError::Format`] (not a safetensors file, or a truncated one),
/// [`WeightsError::MissingTensor`], [`WeightsError::ExtraTensor`],
/// [`WeightsError::Shape`], [`WeightsError::Dtype`].
///
/// # Panics
/// As [`load`]: only for a hand-written [`Params`] whose two visitors disagree.
///
/// ```
/// use backprop::{Affine, Params};
/// use backprop::weights::{WeightsError, from_bytes, to_bytes};
/// let mut net = (Affine::<2, 2>::zeros(),);
/// let err = from_bytes(&mut net, b"not a model", "the uploaded model").unwrap_err();
/// assert!(matches!(err, WeightsError::Format { .. }));
/// assert!(err.to_string().starts_with("the uploaded model: not a valid safetensors file: "));
///
/// let bytes = to_bytes(&(Affine::<2, 3>::zeros(),))?;
/// let err = from_bytes(&mut net, &bytes, "model.bin").unwrap_err();
/// assert_eq!(err.to_string(), "model.bin: tensor `0.w` has shape [2, 3], the network needs [2, 2]");
/// # Ok::<(), WeightsError>(())
/// ```
pub fn from_bytes<T: Float, N: Params<T> + ?Sized>(
    net: &mut N,
    bytes: &[u8],
    name: impl AsRef<Path>,
) -> Result<(), WeightsError> {
    let path = name.as_ref();
    let file =
        SafeTensors::deserialize(bytes).map_err(|e| format_error(path, explain(&e, bytes)))?;
    let values = check::<T, N>(net, path, &file)?;

    // The updating visitor must walk the parameters just checked; make sure of it
    // before writing any of them.
    let mut index = 0;
    visit_all(net, &mut |p| {
        let name = p.name.to_string();
        let agrees = values
            .get(index)
            .is_some_and(|(checked, v)| *checked == name && v.len() == p.values.len());
        assert!(
            agrees,
            "visit_params and inspect_params disagree at parameter {index} ({name})"
        );
        index += 1;
    });
    assert_eq!(
        index,
        values.len(),
        "visit_params lists fewer parameters than inspect_params"
    );

    let mut next = values.into_iter();
    visit_all(net, &mut |p| {
        if let Some((_, v)) = next.next() {
            p.values.copy_from_slice(&v);
        }
    });
    Ok(())
}

/// Every parameter's tensor, checked and decoded in visitor order; then no tensor
/// left over.
fn check<T: Float, N: Params<T> + ?Sized>(
    net: &N,
    path: &Path,
    file: &SafeTensors<'_>,
) -> Result<Vec<(String, Vec<T>)>, WeightsError> {
    let mut values = Vec::new();
    let mut failed = None;
    inspect_all(net, &mut |p| {
        if failed.is_none() {
            let name = p.name.to_string();
            match decode::<T>(file, path, &name, p.shape.to_vec()) {
                Ok(v) => values.push((name, v)),
                Err(e) => failed = Some(e),
            }
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let known: HashSet<&str> = values.iter().map(|(name, _)| name.as_str()).collect();
    let mut extra: Vec<&str> = file
        .names()
        .into_iter()
        .filter(|name| !known.contains(name))
        .collect();
    extra.sort_unstable();
    match extra.first() {
        Some(name) => Err(WeightsError::ExtraTensor {
            path: path.to_path_buf(),
            name: (*name).to_string(),
        }),
        None => Ok(values),
    }
}

/// The tensor `name`, if its dtype is `T`'s and its shape `expected`, as values.
fn decode<T: Float>(
    file: &SafeTensors<'_>,
    path: &Path,
    name: &str,
    expected: Vec<usize>,
) -> Result<Vec<T>, WeightsError> {
    let view = file.tensor(name).map_err(|_| WeightsError::MissingTensor {
        path: path.to_path_buf(),
        name: name.to_string(),
    })?;
    let dtype = dtype_of::<T>();
    if view.dtype() != dtype {
        return Err(WeightsError::Dtype {
            path: path.to_path_buf(),
            name: name.to_string(),
            expected: dtype.to_string(),
            found: view.dtype().to_string(),
        });
    }
    if view.shape() != expected.as_slice() {
        return Err(WeightsError::Shape {
            path: path.to_path_buf(),
            name: name.to_string(),
            expected,
            found: view.shape().to_vec(),
        });
    }
    let (data, size) = (view.data(), size_of::<T>());
    let count: usize = expected.iter().product();
    if data.len() != count * size {
        return Err(format_error(
            path,
            format!(
                "tensor `{name}` holds {} bytes, its shape and dtype need {}",
                data.len(),
                count * size
            ),
        ));
    }
    Ok(data.chunks_exact(size).map(from_le_bytes::<T>).collect())
}

/// `F32` or `F64`.
fn dtype_of<T: Float>() -> Dtype {
    if size_of::<T>() == 4 {
        Dtype::F32
    } else {
        Dtype::F64
    }
}

/// Appends `x` as little-endian bytes of its own width (the conversions through
/// `f64` are exact).
fn push_le_bytes<T: Float>(bytes: &mut Vec<u8>, x: T) {
    if size_of::<T>() == 4 {
        bytes.extend_from_slice(&(x.to_f64() as f32).to_le_bytes());
    } else {
        bytes.extend_from_slice(&x.to_f64().to_le_bytes());
    }
}

/// The value of 4 or 8 little-endian bytes (`T`'s width).
fn from_le_bytes<T: Float>(bytes: &[u8]) -> T {
    if let Ok(b) = <[u8; 4]>::try_from(bytes) {
        T::from_f64(f64::from(f32::from_le_bytes(b)))
    } else {
        let mut b = [0; 8];
        b.copy_from_slice(bytes);
        T::from_f64(f64::from_le_bytes(b))
    }
}

/// Every parameter, then every piece of state (batch norm's running statistics), as
/// saved: both are part of what a trained network is.
fn inspect_all<T: Float, N: Params<T> + ?Sized>(net: &N, f: &mut dyn FnMut(ParamRef<'_, T>)) {
    net.inspect_params(f);
    net.inspect_state(f);
}

/// [`inspect_all`], to write the values.
fn visit_all<T: Float, N: Params<T> + ?Sized>(net: &mut N, f: &mut dyn FnMut(Param<'_, T>)) {
    net.visit_params(f);
    net.visit_state(f);
}
