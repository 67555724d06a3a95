//! First pass over an input file: its sha256, whether it is text at all, and which encoding it is in.
//! Streams the file in chunks; nothing is held whole (formats.md §1: UTF-8, else Windows-1252).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anyhow::Result;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use sha2::{Digest, Sha256};

use crate::exit::input_error;

/// What the first pass learned about a file.
#[derive(Debug, Clone)]
pub struct FileFacts {
    pub sha256: String,
    pub encoding: &'static Encoding,
}

/// Reads `path` once: hashes it, refuses non-text, decides UTF-8 or Windows-1252.
pub fn inspect_text(path: &Path) -> Result<FileFacts> {
    let unreadable = |why: String| {
        input_error(format!(
            "{}: unreadable input file: {why} (rule file.unreadable)",
            path.display()
        ))
    };
    let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut first = true;
    let mut utf8_ok = true;
    // Bytes of an incomplete UTF-8 sequence at the end of the previous chunk.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| unreadable(e.to_string()))?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        hasher.update(chunk);
        if first {
            first = false;
            if chunk.starts_with(&[0xFF, 0xFE])
                || chunk.starts_with(&[0xFE, 0xFF])
                || chunk.starts_with(&[0, 0, 0xFE, 0xFF])
            {
                return Err(unreadable(
                    "it is UTF-16 or UTF-32 (byte order mark); save it as UTF-8 CSV".into(),
                ));
            }
        }
        if chunk.contains(&0) {
            return Err(unreadable(
                "it holds NUL bytes, so it is not a text (CSV) file".into(),
            ));
        }
        if utf8_ok {
            carry.extend_from_slice(chunk);
            match std::str::from_utf8(&carry) {
                Ok(_) => carry.clear(),
                Err(e) if e.error_len().is_none() => {
                    let keep = carry.split_off(e.valid_up_to());
                    carry = keep;
                }
                Err(_) => utf8_ok = false,
            }
        }
    }
    if !carry.is_empty() {
        utf8_ok = false;
    }
    Ok(FileFacts {
        sha256: hex::encode(hasher.finalize()),
        encoding: if utf8_ok { UTF_8 } else { WINDOWS_1252 },
    })
}

/// sha256 of any file (used for XLSX, which is binary by nature).
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(|e| {
        input_error(format!(
            "{}: unreadable input file: {e} (rule file.unreadable)",
            path.display()
        ))
    })?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| {
        input_error(format!(
            "{}: unreadable input file: {e} (rule file.unreadable)",
            path.display()
        ))
    })?;
    Ok(hex::encode(hasher.finalize()))
}
