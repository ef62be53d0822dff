//! What can go wrong saving or loading a network's weights.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use safetensors::SafeTensorError;

/// The bytes at the start of a safetensors file that give the header's length.
const LENGTH_BYTES: usize = 8;

/// What to do when there is no model file yet, appended to [`WeightsError::Missing`].
const MISSING_HINT: &str = "train one: cargo run --release --example train -- --save PATH";

/// What went wrong saving or loading a network's weights. Every variant names the
/// file (for bytes in memory, the name given to [`from_bytes`](super::from_bytes), or
/// the network's name for [`to_bytes`](super::to_bytes)), and those about one tensor
/// name it too, with both shapes or dtypes; the message is one line.
///
/// ```
/// use backprop::Affine;
/// use backprop::weights::{WeightsError, load};
/// let mut net = (Affine::<2, 1>::zeros(),);
/// let err = load(&mut net, "no/such/model.safetensors").unwrap_err();
/// assert!(matches!(err, WeightsError::Missing { .. }));
/// assert_eq!(
///     err.to_string(),
///     "no/such/model.safetensors: no such file; \
///      train one: cargo run --release --example train -- --save PATH"
/// );
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum WeightsError {
    /// The model file does not exist.
    Missing {
        /// The file looked for.
        path: PathBuf,
    },
    /// The file (or its directory, or the temporary file a save writes first) could
    /// not be read or written.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The bytes are not a safetensors file: too short for the 8-byte header length, a
    /// header that claims more bytes than the file holds, a header that is not JSON,
    /// tensors whose offsets run past the end of the file (a truncated file). Also a
    /// network whose parameters cannot be written as one (two with the same name).
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong, in the `safetensors` crate's words where it found it.
        reason: String,
    },
    /// The network has a parameter the file has no tensor for.
    MissingTensor {
        /// The file.
        path: PathBuf,
        /// The parameter's name, e.g. `0.w`.
        name: String,
    },
    /// The file has a tensor the network has no parameter for.
    ExtraTensor {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        name: String,
    },
    /// A tensor whose shape is not the parameter's.
    Shape {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        name: String,
        /// The parameter's shape as its layer declares it: `[rows, cols]` for a matrix, `[n]` for a vector.
        expected: Vec<usize>,
        /// The tensor's shape in the file.
        found: Vec<usize>,
    },
    /// A tensor whose element type is not the network's.
    Dtype {
        /// The file.
        path: PathBuf,
        /// The tensor's name.
        name: String,
        /// The network's element type as safetensors names it: `F32` or `F64`.
        expected: String,
        /// The tensor's element type in the file, e.g. `F64` or `BF16`.
        found: String,
    },
}

impl fmt::Display for WeightsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeightsError::Missing { path } => {
                write!(f, "{}: no such file; {MISSING_HINT}", path.display())
            }
            WeightsError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            WeightsError::Format { path, reason } => {
                write!(
                    f,
                    "{}: not a valid safetensors file: {reason}",
                    path.display()
                )
            }
            WeightsError::MissingTensor { path, name } => write!(
                f,
                "{}: no tensor `{name}`, which the network needs",
                path.display()
            ),
            WeightsError::ExtraTensor { path, name } => write!(
                f,
                "{}: tensor `{name}` is not a parameter of the network",
                path.display()
            ),
            WeightsError::Shape {
                path,
                name,
                expected,
                found,
            } => write!(
                f,
                "{}: tensor `{name}` has shape {found:?}, the network needs {expected:?}",
                path.display()
            ),
            WeightsError::Dtype {
                path,
                name,
                expected,
                found,
            } => write!(
                f,
                "{}: tensor `{name}` is {found}, the network needs {expected}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for WeightsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WeightsError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The crate's message for a file it refused, with the numbers behind it.
pub(super) fn explain(e: &SafeTensorError, bytes: &[u8]) -> String {
    let claimed = bytes
        .get(..LENGTH_BYTES)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes);
    match (e, claimed) {
        (SafeTensorError::HeaderTooSmall, _) => format!(
            "{e}: the file has {} bytes, fewer than the {LENGTH_BYTES} that give the header's length",
            bytes.len()
        ),
        (SafeTensorError::HeaderTooLarge | SafeTensorError::InvalidHeaderLength, Some(n)) => {
            format!(
                "{e}: the header claims {n} bytes, the file holds {} after its first {LENGTH_BYTES}",
                bytes.len() - LENGTH_BYTES
            )
        }
        (SafeTensorError::MetadataIncompleteBuffer, _) => format!(
            "{e}: the tensors the header lists do not end where the file ends ({} bytes): \
             a truncated file, or bytes the header does not describe",
            bytes.len()
        ),
        _ => e.to_string(),
    }
}

/// A [`WeightsError::Format`] for `path`.
pub(super) fn format_error(path: &Path, reason: String) -> WeightsError {
    WeightsError::Format {
        path: path.to_path_buf(),
        reason,
    }
}
