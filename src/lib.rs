//! dossier: a static website generator for documentary editions.
//!
//! The build is a pipeline, one module per stage, over data types defined once in
//! [`model`]:
//!
//! 1. [`load`]: read `content/` (YAML, Markdown) into an [`model::Edition`];
//! 2. [`annotate`]: turn each text into segments of HTML (editorial markup,
//!    footnotes, page breaks);
//! 3. [`index`]: derive what needs the whole edition ([`model::SiteIndex`]);
//! 4. [`render`]: lay out pages through Tera templates ([`theme`] supplies them);
//! 5. [`write`]: replace the output folder, only on success.
//!
//! [`build`] runs them; [`check`] runs them without writing and adds hints for the
//! editor; [`diagnostics`] carries every problem with its place.

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

pub mod annotate;
mod build;
pub mod diagnostics;
mod html;
pub mod index;
pub mod links;
pub mod load;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod theme;
pub mod write;

pub use build::{build, check, BuildError, BuildOptions, BuildReport};
