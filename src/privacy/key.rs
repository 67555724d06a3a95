//! The pseudonymisation key: from `[privacy] key_file` (32+ raw bytes) or `DOORSTROOM_KEY` (64+ hex
//! characters). The key is kept apart from the data and never printed.

use std::fmt;

use anyhow::Result;

use crate::exit::input_error;
use crate::project::Project;

/// Minimum key length in bytes (HMAC-SHA256 with a key shorter than the hash adds no strength).
pub const MIN_KEY_BYTES: usize = 32;

/// Secret key bytes. `Debug` does not show them.
pub struct Key(Vec<u8>);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(<{} bytes, hidden>)", self.0.len())
    }
}

impl Key {
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Key> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(input_error(format!(
                "the pseudonymisation key has {} bytes; at least {MIN_KEY_BYTES} are needed",
                bytes.len()
            )));
        }
        Ok(Key(bytes))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Loads the key the project names; `Ok(None)` when identifiers are already pseudonymised.
    pub fn load(project: &Project) -> Result<Option<Key>> {
        if project.privacy.already_pseudonymised {
            return Ok(None);
        }
        if let Some(path) = &project.privacy.key_file {
            let bytes = std::fs::read(path).map_err(|e| {
                input_error(format!(
                    "{}: cannot read the key file named by [privacy] key_file: {e}",
                    path.display()
                ))
            })?;
            return Key::from_bytes(bytes)
                .map(Some)
                .map_err(|e| input_error(format!("{}: {e}", path.display())));
        }
        match std::env::var("DOORSTROOM_KEY") {
            Ok(text) => {
                let text = text.trim();
                if text.len() < 2 * MIN_KEY_BYTES {
                    return Err(input_error(format!(
                        "DOORSTROOM_KEY has {} characters; give at least {} hex characters",
                        text.len(),
                        2 * MIN_KEY_BYTES
                    )));
                }
                let bytes = hex::decode(text)
                    .map_err(|_| input_error("DOORSTROOM_KEY is not hexadecimal (0-9, a-f)"))?;
                Key::from_bytes(bytes).map(Some)
            }
            Err(_) => Err(input_error(
                "no pseudonymisation key: student identifiers are personal data and are never stored \
                 as given. Set [privacy] key_file to a file of 32+ random bytes kept apart from the data \
                 (e.g. `head -c 32 /dev/urandom > sleutel.bin`), or DOORSTROOM_KEY to 64+ hex characters; \
                 or set already_pseudonymised = true if the partnership already pseudonymised them",
            )),
        }
    }
}
