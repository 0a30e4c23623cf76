//! Pre-compressed copies of the text files, for hosts that serve them as they are.
//!
//! `chorus build --compress` (or `compress: true` in `site.yaml`) writes `page.html.gz` and
//! `page.html.br` beside `page.html`. nginx's `gzip_static`/`brotli_static`, and object stores
//! that keep a `Content-Encoding` with each object, then send those bytes instead of
//! compressing every response themselves, at a better ratio than a server can afford per
//! request. Recipes per host are in `docs/deploy.md`.
//!
//! Only text formats are compressed: images and fonts are compressed already. Files of 1 KB or
//! less are left alone: the HTTP headers alone outweigh what compressing them saves.
//! The levels were chosen by measuring the site in this repository (`docs/deploy.md`): gzip's best level
//! costs next to nothing more than its default; Brotli quality 10 is 13% smaller than quality 9
//! for twice the CPU time, while quality 11 more than doubles that again for 2.5% less.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::FileData;

/// The extensions of the files that get compressed copies, compared ignoring capitals.
pub const EXTENSIONS: [&str; 6] = ["html", "css", "js", "json", "xml", "svg"];

/// Files of at most this many bytes are not compressed.
pub const MIN_SIZE: u64 = 1024;

/// The gzip level: 9, the best.
const GZIP_LEVEL: u32 = 9;

/// The Brotli quality, 0–11.
const BROTLI_QUALITY: i32 = 10;

/// Whether a file at `path` of `len` bytes gets compressed copies.
pub fn wanted(path: &Path, len: u64) -> bool {
    len > MIN_SIZE
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Writes `<path>.gz` and `<path>.br` holding `data` compressed, when [`wanted`]. A copied
/// static file is read from its source, which the write stage copies to `path` as it is.
pub fn write_beside(path: &Path, data: &FileData) -> io::Result<()> {
    let bytes = match data {
        FileData::Bytes(bytes) if wanted(path, bytes.len() as u64) => Cow::Borrowed(&bytes[..]),
        FileData::Copy(from) if wanted(path, std::fs::metadata(from)?.len()) => {
            Cow::Owned(std::fs::read(from)?)
        }
        _ => return Ok(()),
    };
    let (gz, br) = rayon::join(|| gzip(&bytes), || brotli(&bytes));
    std::fs::write(suffixed(path, "gz"), gz?)?;
    std::fs::write(suffixed(path, "br"), br?)
}

/// `bytes` as a gzip stream. The header carries no file name and no time, so the same input
/// always gives the same output.
pub fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(GZIP_LEVEL),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// `bytes` as a Brotli stream.
pub fn brotli(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut output = Vec::with_capacity(bytes.len() / 4);
    brotli::BrotliCompress(&mut &bytes[..], &mut output, &params)?;
    Ok(output)
}

/// `path` with `.<suffix>` appended to its whole name: `index.html` → `index.html.gz`.
fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_files_over_one_kilobyte_are_wanted() {
        assert!(wanted(Path::new("a/index.html"), 1025));
        assert!(wanted(Path::new("style.1234.CSS"), 5000));
        assert!(!wanted(Path::new("a/index.html"), 1024));
        assert!(!wanted(Path::new("data/quotes.csv"), 50_000));
        assert!(!wanted(Path::new("robots"), 50_000));
    }

    #[test]
    fn compressed_names_keep_the_whole_name() {
        assert_eq!(
            suffixed(Path::new("a/index.html"), "br"),
            Path::new("a/index.html.br")
        );
    }
}
