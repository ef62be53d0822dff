//! The file side of [`save`](super::save) and [`load`](super::load): reading a whole
//! file by its real size, and writing through a temporary file renamed into place, so
//! that a failed save never leaves half a model under the real name.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::WeightsError;

/// The whole file, allocating what its real size asks and no more.
pub(super) fn read_whole(path: &Path) -> Result<Vec<u8>, WeightsError> {
    let io_error = |source: io::Error| WeightsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = fs::File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => WeightsError::Missing {
            path: path.to_path_buf(),
        },
        _ => io_error(e),
    })?;
    let len = file.metadata().map_err(io_error)?.len();
    let mut bytes = Vec::new();
    usize::try_from(len)
        .ok()
        .and_then(|n| bytes.try_reserve_exact(n).ok())
        .ok_or_else(|| {
            io_error(io::Error::new(
                io::ErrorKind::OutOfMemory,
                format!("{len} bytes do not fit in memory"),
            ))
        })?;
    file.take(len).read_to_end(&mut bytes).map_err(io_error)?;
    Ok(bytes)
}

/// Writes `bytes` to `<path>.tmp` in `path`'s directory (created if needed), then
/// renames it to `path`.
pub(super) fn write_through_temporary(path: &Path, bytes: &[u8]) -> Result<(), WeightsError> {
    let io_error = |path: &Path, source| WeightsError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    if let Err(e) = fs::write(&temporary, bytes) {
        let _ = fs::remove_file(&temporary);
        return Err(io_error(&temporary, e));
    }
    fs::rename(&temporary, path).map_err(|e| {
        let _ = fs::remove_file(&temporary);
        io_error(path, e)
    })
}
