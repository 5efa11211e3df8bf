//! Fingerprints: 64-bit hashes that tell one version of a thing from another.
//!
//! The pipeline keeps what each stage made and redoes only what depends on inputs
//! whose fingerprint changed: a document's files, a register entry, an annotation,
//! a page's contents. Fingerprints compare versions of the same thing, never
//! unrelated things, so a fast hash does (rustc-hash's, which reads bytes in blocks).

use std::hash::{Hash, Hasher};

/// A hasher for fingerprints.
#[derive(Default)]
pub(crate) struct Fingerprinter(rustc_hash::FxHasher);

impl Fingerprinter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds anything hashable.
    pub(crate) fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    /// Adds a value as serde sees it (for types that serialise but do not hash).
    pub(crate) fn add_serialized<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        // JSON is unambiguous: a different value is a different text.
        let _ = serde_json::to_writer(&mut *self, value);
        self.0.write_u8(0xFF);
        self
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl std::io::Write for Fingerprinter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of one hashable value.
pub(crate) fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    Fingerprinter::new().add(value).finish()
}

/// The fingerprint of a file's contents.
pub(crate) fn of_bytes(contents: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(contents);
    hasher.write_usize(contents.len());
    hasher.finish()
}
