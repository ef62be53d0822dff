//! The file's `__metadata__` in a fixed key order, so that the same weights always give
//! the same bytes. safetensors takes the metadata as a hash map and writes its keys in
//! the map's order, which is drawn afresh for every map; so [`encode`](super::encode)
//! has safetensors write the tensors alone and adds the metadata here, exactly as
//! safetensors would have written it with the keys in the order given.

use std::path::Path;

use super::WeightsError;
use super::error::format_error;

/// The bytes at the start of a safetensors file that give the header's length.
const LENGTH_BYTES: usize = 8;

/// `file`, as `safetensors::serialize` wrote it without metadata, with `metadata` as
/// the header's first entry, `__metadata__`, keys in the order given. The layout is
/// safetensors' own: compact JSON (`{"__metadata__":{"k":"v",…},"0.b":{…},…}`), padded
/// with spaces to a multiple of 8 bytes, after its length as 8 little-endian bytes. The
/// tensors' offsets count from the end of the header, so they stay as they were.
///
/// # Errors
/// [`WeightsError::Format`], naming `path`, if `file` does not start with such a
/// header.
pub(super) fn with_metadata(
    file: &[u8],
    metadata: &[(&str, String)],
    path: &Path,
) -> Result<Vec<u8>, WeightsError> {
    let malformed = || {
        format_error(
            path,
            "the header safetensors wrote is not a JSON object".into(),
        )
    };
    let (length, rest) = file
        .split_first_chunk::<LENGTH_BYTES>()
        .ok_or_else(malformed)?;
    let length = usize::try_from(u64::from_le_bytes(*length)).map_err(|_| malformed())?;
    let (tensors, data) = rest.split_at_checked(length).ok_or_else(malformed)?;
    // `{}` without tensors, `{"0.b":{…},…}` with: keep what follows the brace.
    let after_brace = tensors
        .trim_ascii_end()
        .strip_prefix(b"{")
        .ok_or_else(malformed)?;

    let mut header = String::from(r#"{"__metadata__":{"#);
    for (i, (key, value)) in metadata.iter().enumerate() {
        if i > 0 {
            header.push(',');
        }
        push_json_string(&mut header, key);
        header.push(':');
        push_json_string(&mut header, value);
    }
    header.push('}');
    if after_brace != b"}" {
        header.push(',');
    }
    let mut header = header.into_bytes();
    header.extend_from_slice(after_brace);
    header.resize(header.len().next_multiple_of(LENGTH_BYTES), b' ');

    let mut bytes = Vec::with_capacity(LENGTH_BYTES + header.len() + data.len());
    bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(data);
    Ok(bytes)
}

/// Appends `text` as a JSON string, escaped as serde_json (safetensors' writer) does:
/// `"` and `\` and control characters only, the short forms where JSON has them.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str(r#"\""#),
            '\\' => out.push_str(r"\\"),
            '\u{8}' => out.push_str(r"\b"),
            '\t' => out.push_str(r"\t"),
            '\n' => out.push_str(r"\n"),
            '\u{c}' => out.push_str(r"\f"),
            '\r' => out.push_str(r"\r"),
            c if c < ' ' => out.push_str(&format!(r"\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use safetensors::tensor::TensorView;
    use safetensors::{Dtype, SafeTensors};

    use super::with_metadata;

    /// Two small tensors, as safetensors writes them with `metadata`.
    fn serialized(metadata: Option<&[(&str, String)]>) -> Vec<u8> {
        let (a, b) = ([0u8; 12], [1u8; 8]);
        let views = [
            ("b", TensorView::new(Dtype::F32, vec![2], &b).unwrap()),
            ("a", TensorView::new(Dtype::F32, vec![1, 3], &a).unwrap()),
        ];
        let metadata = metadata.map(|m| {
            m.iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect()
        });
        safetensors::serialize(views, metadata).unwrap()
    }

    /// With one key (one order only), the bytes are safetensors' own, escapes included.
    #[test]
    fn one_key_gives_the_bytes_safetensors_writes() {
        let tricky = "a \"net\" \\ of\n(Affine<2, 3>)\t\u{1}\u{7f} é 층".to_string();
        for value in ["", "x", "0123456", tricky.as_str()] {
            let metadata = [("network", value.to_string())];
            let ours = with_metadata(&serialized(None), &metadata, Path::new("t")).unwrap();
            assert_eq!(ours, serialized(Some(&metadata)), "{value:?}");
        }
        let none: &[(&str, String)] = &[];
        let empty = safetensors::serialize::<&str, TensorView<'_>, _>([], None).unwrap();
        let with_empty = safetensors::serialize::<&str, TensorView<'_>, _>(
            [],
            Some([("k".to_string(), "v".to_string())].into()),
        )
        .unwrap();
        assert_eq!(
            with_metadata(&empty, &[("k", "v".to_string())], Path::new("t")).unwrap(),
            with_empty
        );
        assert_eq!(
            &with_metadata(&empty, none, Path::new("t")).unwrap()[8..],
            b"{\"__metadata__\":{}}     "
        );
    }

    /// With several keys they come in the order given, and safetensors reads them all
    /// back, and the tensors where they were.
    #[test]
    fn several_keys_come_in_the_order_given_and_read_back() {
        let metadata = [
            ("z", "last letter".to_string()),
            ("a", "first".to_string()),
            ("m", "\"quoted\"\n".to_string()),
        ];
        let bytes = with_metadata(&serialized(None), &metadata, Path::new("t")).unwrap();
        let length = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        assert_eq!(length % 8, 0);
        let header = std::str::from_utf8(&bytes[8..8 + length]).unwrap();
        assert!(
            header.starts_with(
                r#"{"__metadata__":{"z":"last letter","a":"first","m":"\"quoted\"\n"},"a":"#
            ),
            "{header}"
        );
        let file = SafeTensors::deserialize(&bytes).unwrap();
        assert_eq!(file.tensor("a").unwrap().data(), [0u8; 12]);
        assert_eq!(file.tensor("b").unwrap().data(), [1u8; 8]);
        let (_, read) = SafeTensors::read_metadata(&bytes).unwrap();
        let read = read.metadata().as_ref().unwrap();
        assert_eq!(read.len(), metadata.len());
        for (key, value) in &metadata {
            assert_eq!(read.get(*key), Some(value), "{key}");
        }
    }

    #[test]
    fn a_file_without_a_header_is_refused() {
        for file in [&b""[..], b"\xc8\0\0\0\0\0\0\0{", b"\x02\0\0\0\0\0\0\0[]"] {
            let err = with_metadata(file, &[], Path::new("t")).unwrap_err();
            assert_eq!(
                err.to_string(),
                "t: not a valid safetensors file: the header safetensors wrote is not a JSON object"
            );
        }
    }
}
