//! The IDX file format: a big-endian header, then the elements, row-major.
//!
//! ```text
//! bytes 0..4    magic 0x0000TTDD: TT the element type (0x08 = unsigned byte), DD the
//!               number of dimensions
//! then          DD sizes, one big-endian u32 each
//! then          the payload: the product of the sizes, one byte per element
//! ```
//!
//! MNIST images are `0x00000803` (2051: bytes, 3 dimensions `[count, 28, 28]`), labels
//! `0x00000801` (2049: bytes, 1 dimension `[count]`). The files usually come
//! gzip-compressed; the reader looks at the first two bytes (`1f 8b` is gzip) rather
//! than at the name.
//!
//! A header is a claim, not a fact, so nothing is allocated from it: the payload is
//! read through [`Read::take`] limited to the header's length plus one byte, into a
//! buffer that grows only as bytes actually arrive. A 16-byte file claiming 4·10⁹
//! images fails at once as truncated, and a gzip bomb behind a small header stops
//! after one byte too many, as trailing bytes.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::DataError;

/// The first two bytes of every gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// The IDX element-type code for unsigned bytes, the only type MNIST uses.
const UNSIGNED_BYTE: u8 = 0x08;

/// One IDX file of unsigned bytes: its dimensions and its payload, checked to agree.
///
/// ```
/// use backprop::data::idx::IdxFile;
/// // magic 0x00000801 (bytes, 1 dimension), size 3, payload 7 8 9
/// let bytes = [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9];
/// let file = IdxFile::from_bytes("labels.idx", &bytes)?;
/// assert_eq!(file.magic(), 2049);
/// assert_eq!(file.dims(), &[3]);
/// assert_eq!(file.data(), &[7, 8, 9]);
/// # Ok::<(), backprop::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct IdxFile {
    path: PathBuf,
    dims: Vec<usize>,
    data: Vec<u8>,
}

impl IdxFile {
    /// Reads and checks the IDX file at `path`, gzip-compressed or raw.
    ///
    /// # Errors
    /// [`DataError::Missing`] if there is no such file, [`DataError::Io`] if it cannot
    /// be read, [`DataError::Gzip`] if it starts like gzip but does not decompress, and
    /// the errors of [`IdxFile::from_bytes`] for a malformed header or payload.
    ///
    /// ```
    /// use backprop::data::{DEFAULT_DIR, idx::IdxFile};
    /// let path = format!("{DEFAULT_DIR}/t10k-labels-idx1-ubyte.gz");
    /// let labels = IdxFile::read(&path)?;
    /// assert_eq!(labels.dims(), &[10_000]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Self, DataError> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => DataError::Missing {
                path: path.to_path_buf(),
                also_tried: None,
            },
            _ => DataError::Io {
                path: path.to_path_buf(),
                source,
            },
        })?;
        decode(path, BufReader::new(file), ErrorSource::File)
    }

    /// Parses an IDX file already in memory, gzip-compressed or raw; `path` is only
    /// used to name the file in errors.
    ///
    /// # Errors
    /// [`DataError::Gzip`] if the bytes start like gzip but do not decompress;
    /// [`DataError::Truncated`] if they end inside the header or the payload;
    /// [`DataError::TrailingBytes`] if the payload is longer than the header says;
    /// [`DataError::Magic`] if the magic number is not `0x000008NN` with `NN ≥ 1`;
    /// [`DataError::Dims`] if the sizes multiply past `u64::MAX`.
    ///
    /// ```
    /// use backprop::data::{DataError, idx::IdxFile};
    /// // the header claims 5 labels, the payload has 3
    /// let err = IdxFile::from_bytes("short.idx", &[0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3]).unwrap_err();
    /// assert!(matches!(err, DataError::Truncated { expected: 5, actual: 3, .. }));
    /// assert!(err.to_string().starts_with("short.idx: truncated"));
    /// ```
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<Self, DataError> {
        decode(&path.into(), bytes, ErrorSource::Memory)
    }

    /// The file this was read from (or the name given to [`IdxFile::from_bytes`]).
    ///
    /// ```
    /// use backprop::data::idx::IdxFile;
    /// let file = IdxFile::from_bytes("a.idx", &[0, 0, 8, 1, 0, 0, 0, 0])?;
    /// assert_eq!(file.path().to_str(), Some("a.idx"));
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The magic number, `0x0800 + number of dimensions` (2049 for labels, 2051 for
    /// images).
    ///
    /// ```
    /// use backprop::data::idx::IdxFile;
    /// let file = IdxFile::from_bytes("a.idx", &[0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2])?;
    /// assert_eq!(file.magic(), 2051);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn magic(&self) -> u32 {
        // `decode` accepted at most 255 dimensions (one header byte counts them).
        (u32::from(UNSIGNED_BYTE) << 8) | self.dims.len() as u32
    }

    /// The sizes from the header, outermost first (`[count, 28, 28]` for MNIST images).
    ///
    /// ```
    /// use backprop::data::idx::IdxFile;
    /// let file = IdxFile::from_bytes("a.idx", &[0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 5, 6])?;
    /// assert_eq!(file.dims(), &[1, 2]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// The payload: exactly the product of [`dims`](IdxFile::dims) bytes, row-major.
    ///
    /// ```
    /// use backprop::data::idx::IdxFile;
    /// let file = IdxFile::from_bytes("a.idx", &[0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 5, 6])?;
    /// assert_eq!(file.data(), &[5, 6]);
    /// # Ok::<(), backprop::data::DataError>(())
    /// ```
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Checks that this is an image file (magic 2051, dimensions `[count, rows, cols]`,
    /// `count ≥ 1`) and returns its pixels, `count · rows · cols` bytes, image after image.
    ///
    /// # Errors
    /// [`DataError::Magic`] for another magic number, [`DataError::Dims`] for other
    /// image sizes or no images at all.
    ///
    /// ```
    /// use backprop::data::{DataError, idx::IdxFile};
    /// let bytes = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 10, 20];
    /// let pixels = IdxFile::from_bytes("img.idx", &bytes)?.into_images(1, 2)?;
    /// assert_eq!(pixels, vec![10, 20]);
    /// let err = IdxFile::from_bytes("img.idx", &bytes)?.into_images(28, 28).unwrap_err();
    /// assert!(matches!(err, DataError::Dims { .. }));
    /// # Ok::<(), DataError>(())
    /// ```
    pub fn into_images(self, rows: usize, cols: usize) -> Result<Vec<u8>, DataError> {
        self.expect_magic(0x0803)?;
        if self.dims[0] == 0 || self.dims[1..] != [rows, cols] {
            return Err(DataError::Dims {
                path: self.path,
                found: self.dims,
                expected: format!("[count ≥ 1, {rows}, {cols}]"),
            });
        }
        Ok(self.data)
    }

    /// Checks that this is a label file (magic 2049, one dimension) whose every label
    /// is below `classes`, and returns the labels.
    ///
    /// # Errors
    /// [`DataError::Magic`] for another magic number, [`DataError::Label`] naming the
    /// first label out of range.
    ///
    /// ```
    /// use backprop::data::{DataError, idx::IdxFile};
    /// let bytes = [0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4];
    /// assert_eq!(IdxFile::from_bytes("t.idx", &bytes)?.into_labels(10)?, vec![5, 0, 4]);
    /// let err = IdxFile::from_bytes("t.idx", &bytes)?.into_labels(5).unwrap_err();
    /// assert!(matches!(err, DataError::Label { index: 0, label: 5, .. }));
    /// # Ok::<(), DataError>(())
    /// ```
    pub fn into_labels(self, classes: usize) -> Result<Vec<u8>, DataError> {
        self.expect_magic(0x0801)?;
        if let Some(index) = self.data.iter().position(|&l| usize::from(l) >= classes) {
            return Err(DataError::Label {
                label: self.data[index],
                path: self.path,
                index,
                classes,
            });
        }
        Ok(self.data)
    }

    fn expect_magic(&self, expected: u32) -> Result<(), DataError> {
        let found = self.magic();
        if found == expected {
            Ok(())
        } else {
            Err(DataError::Magic {
                path: self.path.clone(),
                found,
                expected: Some(expected),
            })
        }
    }
}

/// Where the reader's bytes come from, to tell a decompression error from an I/O one.
#[derive(Clone, Copy)]
enum ErrorSource {
    File,
    Memory,
}

/// Reads the header, then at most the payload it announces plus one byte.
fn decode(
    path: &Path,
    mut reader: impl BufRead,
    source: ErrorSource,
) -> Result<IdxFile, DataError> {
    let io_error = |e: io::Error| DataError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let is_gzip = reader
        .fill_buf()
        .map_err(io_error)?
        .starts_with(&GZIP_MAGIC);
    if is_gzip {
        let gzip_error = |e: io::Error| match (source, e.kind()) {
            // Reading an in-memory slice cannot fail, so every error is the decoder's;
            // from a file, the decoder reports bad data with these kinds.
            (ErrorSource::Memory, _)
            | (
                _,
                io::ErrorKind::InvalidInput
                | io::ErrorKind::InvalidData
                | io::ErrorKind::UnexpectedEof,
            ) => DataError::Gzip {
                path: path.to_path_buf(),
                source: e,
            },
            _ => io_error(e),
        };
        parse(
            path,
            flate2::bufread::MultiGzDecoder::new(reader),
            gzip_error,
        )
    } else {
        parse(path, reader, io_error)
    }
}

fn parse(
    path: &Path,
    mut reader: impl Read,
    error: impl Fn(io::Error) -> DataError,
) -> Result<IdxFile, DataError> {
    let truncated = |part, expected: usize, actual: usize| DataError::Truncated {
        path: path.to_path_buf(),
        part,
        expected: expected as u64,
        actual: actual as u64,
    };

    let mut magic = [0u8; 4];
    let got = read_up_to(&mut reader, &mut magic).map_err(&error)?;
    if got < magic.len() {
        return Err(truncated("header", magic.len(), got));
    }
    let [zero0, zero1, element_type, ndims] = magic;
    if zero0 != 0 || zero1 != 0 || element_type != UNSIGNED_BYTE || ndims == 0 {
        return Err(DataError::Magic {
            path: path.to_path_buf(),
            found: u32::from_be_bytes(magic),
            expected: None,
        });
    }

    // At most 255 sizes: 1020 bytes, bounded by the format, not by the file.
    let mut sizes = vec![0u8; 4 * usize::from(ndims)];
    let got = read_up_to(&mut reader, &mut sizes).map_err(&error)?;
    if got < sizes.len() {
        return Err(truncated("header", 4 + sizes.len(), 4 + got));
    }
    let dims: Vec<usize> = sizes
        .chunks_exact(4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .collect();
    let expected = dims
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
        .ok_or_else(|| DataError::Dims {
            path: path.to_path_buf(),
            found: dims.clone(),
            expected: "sizes whose product fits in a u64".to_string(),
        })?;

    // The buffer grows only as bytes arrive, and no more than one past the claim.
    let mut data = Vec::new();
    reader
        .take(expected.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(&error)?;
    let actual = data.len() as u64;
    if actual < expected {
        return Err(DataError::Truncated {
            path: path.to_path_buf(),
            part: "payload",
            expected,
            actual,
        });
    }
    if actual > expected {
        return Err(DataError::TrailingBytes {
            path: path.to_path_buf(),
            expected,
        });
    }
    Ok(IdxFile {
        path: path.to_path_buf(),
        dims,
        data,
    })
}

/// Fills `buf` as far as the reader goes; returns how many bytes it got.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
