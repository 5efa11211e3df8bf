//! dossier: a static website generator for documentary editions.
//!
//! The build is a pipeline, one module per stage, over data types defined once in
//! [`model`]:
//!
//! 1. [`load`]: read `content/`, `templates/` and `static/` into an
//!    [`model::Edition`];
//! 2. [`annotate`]: turn each text into data: segments of words with their
//!    structure, editorial apparatus and mentions of register entries;
//! 3. [`index`]: derive what needs the whole edition ([`model::SiteIndex`]), and
//!    `search` the index of words the search page reads;
//! 4. [`render`]: make the site's files (pages through Tera templates);
//! 5. [`write`]: put them on disk, replacing the output folder only on success.
//!
//! [`pipeline`] runs them in order, each stage reusing what did not change since its
//! last run; [`build`] and [`check`] run it once, [`serve`] after every edit.
//! [`diagnostics`] carries every problem with its place.

// What is public is what the binary, the site tests and the benchmarks use; the rest
// is `pub(crate)` and this lint keeps it so.
#![warn(unreachable_pub)]

/// Like `eprintln!`, but a closed stderr (`dossier build 2>&1 | head -1`) is not a
/// reason to panic in the middle of a build: the message is dropped.
#[macro_export]
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Like `eprint!`, without panicking on a closed stderr.
#[macro_export]
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

/// Like `println!`, without panicking on a closed stdout.
#[macro_export]
macro_rules! stdout_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

// Public modules are those the binary, the site tests and the benchmarks use; each
// says why. The rest is the crate's own.
pub mod annotate;
mod build;
pub mod diagnostics;
mod fingerprint;
mod html;
pub mod import;
mod index;
mod links;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod progress;
mod render;
pub mod scaffold;
mod search;
pub mod serve;
mod write;

pub use build::{
    build, build_showing, check, check_showing, BuildError, BuildOptions, BuildReport,
};
