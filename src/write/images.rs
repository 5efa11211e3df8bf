//! Copies of the edition's images at smaller sizes (facsimiles for the screen and
//! thumbnails), made as `render` says ([`Derivative`]) and kept between builds.
//!
//! Resizing a scan costs a hundred times what writing a page does, so each copy is
//! made once: it is kept in the edition's cache folder (`.dossier/cache/images/`)
//! under the hash of its image's bytes and its size, and a build whose image did
//! not change takes it from there (a hard link into the site, a copy where the
//! site is on another disk). A new process finds the copies of the last one, and a
//! renamed or moved image keeps its copies. The images of a build are done in
//! parallel (rayon), each read and decoded once for all its sizes.
//!
//! Not here: which copies there are and their sizes (`render::facsimile`).

use super::{io_error, WriteError};
use crate::render::Derivative;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How much image work a build did: copies made (an image decoded and resized)
/// and copies taken from the cache. A build after one that made them all makes
/// none.
#[derive(Debug, Default)]
pub(crate) struct ImageWork {
    pub made: AtomicUsize,
    pub reused: AtomicUsize,
}

/// JPEG quality of the copies: scans of typescript stay legible at 1600 px, at a
/// fifth of the bytes of quality 95.
const QUALITY: u8 = 85;

/// Puts each copy at its path (`(path, what)`), making those the cache does not
/// have. Each image is read once, and decoded only if one of its copies is missing.
pub(crate) fn derive_all(
    jobs: &[(PathBuf, &Derivative)],
    work: &ImageWork,
) -> Result<(), WriteError> {
    let mut by_image: BTreeMap<&Path, Vec<(&Path, &Derivative)>> = BTreeMap::new();
    for (path, derivative) in jobs {
        by_image
            .entry(&derivative.source)
            .or_default()
            .push((path, derivative));
    }
    by_image
        .into_par_iter()
        .try_for_each(|(source, copies)| derive_image(source, &copies, work))
}

/// The copies of one image.
fn derive_image(
    source: &Path,
    copies: &[(&Path, &Derivative)],
    work: &ImageWork,
) -> Result<(), WriteError> {
    let bytes = std::fs::read(source).map_err(io_error(source))?;
    // The first 128 bits of BLAKE3: copies are found by what their image is, not by
    // its name or time (which a checkout or a copy of the edition changes).
    let hash = blake3::hash(&bytes).to_hex();
    let key = &hash.as_str()[..32];
    let mut decoded: Option<image::DynamicImage> = None;
    for (path, derivative) in copies {
        let cache = &derivative.cache;
        let size = derivative.size;
        let kept = cache.join(format!("{key}-{}x{}.jpg", size.width, size.height));
        if kept.is_file() {
            work.reused.fetch_add(1, Ordering::Relaxed);
        } else {
            if decoded.is_none() {
                decoded = Some(decode(source, &bytes)?);
            }
            let image = decoded.as_ref().expect("decoded above");
            let jpeg = resize_to_jpeg(image, size.width, size.height)
                .map_err(|error| unreadable(source, error))?;
            keep(cache, &kept, &jpeg)?;
            work.made.fetch_add(1, Ordering::Relaxed);
        }
        place(&kept, path)?;
    }
    Ok(())
}

fn unreadable(source: &Path, error: impl std::fmt::Display) -> WriteError {
    WriteError::Io {
        path: source.to_path_buf(),
        error: io::Error::new(io::ErrorKind::InvalidData, error.to_string()),
    }
}

/// The image's pixels, as 8-bit grey or RGB (what a JPEG holds; transparency, which
/// a scan has no use for, is left out).
fn decode(source: &Path, bytes: &[u8]) -> Result<image::DynamicImage, WriteError> {
    let image = image::ImageReader::new(io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(source, e))?
        .decode()
        .map_err(|e| unreadable(source, e))?;
    Ok(match image {
        image::DynamicImage::ImageLuma8(_) | image::DynamicImage::ImageRgb8(_) => image,
        image::DynamicImage::ImageLuma16(_) | image::DynamicImage::ImageLumaA8(_) => {
            image::DynamicImage::ImageLuma8(image.to_luma8())
        }
        other => image::DynamicImage::ImageRgb8(other.to_rgb8()),
    })
}

/// The image at `width` × `height`, as a JPEG. The resize is fast_image_resize's
/// (SIMD convolution, Lanczos 3): 14 ms for a 3000 × 4000 scan to 1600 px wide,
/// where `image`'s own took 230 ms (see BENCHMARKS.md).
fn resize_to_jpeg(image: &image::DynamicImage, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let resized = if (width, height) == (image.width(), image.height()) {
        image.clone()
    } else {
        let mut resized = match image {
            image::DynamicImage::ImageLuma8(_) => {
                image::DynamicImage::ImageLuma8(image::GrayImage::new(width, height))
            }
            _ => image::DynamicImage::ImageRgb8(image::RgbImage::new(width, height)),
        };
        let options = fast_image_resize::ResizeOptions::new().resize_alg(
            fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
        );
        fast_image_resize::Resizer::new()
            .resize(image, &mut resized, &options)
            .map_err(|e| e.to_string())?;
        resized
    };
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY)
        .encode_image(&resized)
        .map_err(|e| e.to_string())?;
    Ok(jpeg)
}

/// Puts a copy in the cache: written under a name of its own, then renamed, so that
/// a build stopped halfway, or another building beside it, never leaves half a copy
/// under the name that is taken for a whole one.
fn keep(cache: &Path, kept: &Path, jpeg: &[u8]) -> Result<(), WriteError> {
    std::fs::create_dir_all(cache).map_err(io_error(cache))?;
    let name = kept
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = cache.join(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&temporary, jpeg).map_err(io_error(&temporary))?;
    std::fs::rename(&temporary, kept).map_err(io_error(kept))
}

/// Puts the copy kept at `kept` at `path`: a hard link (no bytes copied), or a copy
/// where links cannot be made (another disk, a file system without them).
fn place(kept: &Path, path: &Path) -> Result<(), WriteError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(path)(e)),
        _ => {}
    }
    if std::fs::hard_link(kept, path).is_ok() {
        return Ok(());
    }
    std::fs::copy(kept, path)
        .map(|_| ())
        .map_err(io_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ImageSize;

    fn scan(path: &Path, width: u32, height: u32) {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 200])
        });
        image.save(path).unwrap();
    }

    #[test]
    fn copies_are_made_once_and_taken_from_the_cache_after() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("36.png");
        scan(&source, 640, 480);
        let cache = dir.path().join("cache");
        let web = Derivative {
            source: source.clone(),
            size: ImageSize {
                width: 640,
                height: 480,
            },
            cache: cache.clone(),
        };
        let thumb = Derivative {
            size: ImageSize {
                width: 200,
                height: 150,
            },
            ..web.clone()
        };
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let jobs = [
            (site.join("web.jpg"), &web),
            (site.join("thumb.jpg"), &thumb),
        ];
        let work = ImageWork::default();
        derive_all(&jobs, &work).unwrap();
        assert_eq!(work.made.load(Ordering::Relaxed), 2);
        let made = image::open(site.join("thumb.jpg")).unwrap();
        assert_eq!((made.width(), made.height()), (200, 150));
        let made = image::open(site.join("web.jpg")).unwrap();
        assert_eq!((made.width(), made.height()), (640, 480), "never enlarged");

        let again = ImageWork::default();
        derive_all(&jobs, &again).unwrap();
        assert_eq!(again.made.load(Ordering::Relaxed), 0);
        assert_eq!(again.reused.load(Ordering::Relaxed), 2);
        assert!(site.join("thumb.jpg").is_file());
    }

    #[test]
    fn an_image_that_cannot_be_decoded_is_an_error_at_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("36.jpg");
        std::fs::write(&source, b"not a jpeg").unwrap();
        let derivative = Derivative {
            source: source.clone(),
            size: ImageSize {
                width: 10,
                height: 10,
            },
            cache: dir.path().join("cache"),
        };
        let jobs = [(dir.path().join("out.jpg"), &derivative)];
        let error = derive_all(&jobs, &ImageWork::default()).unwrap_err();
        assert!(error.to_string().contains("36.jpg"), "{error}");
    }
}
