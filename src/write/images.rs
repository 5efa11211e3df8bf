//! Copies of the edition's images at smaller sizes (facsimiles for the screen and
//! thumbnails), made as `render` says ([`Derivative`]), or taken from the output
//! the build replaces.
//!
//! Resizing a scan costs a hundred times what writing a page does, so a copy is
//! made only when the site does not have it yet. A copy's path names what it is
//! made of (the hash of its image's bytes and its width: see
//! `render::facsimile::derivative_path`), so a file at that path in the previous
//! output is that copy: a build takes it from there (a hard link, no bytes
//! copied; a copy where links cannot be made), and `serve`, which updates the
//! output in place, leaves it where it is. Nothing is kept anywhere else: the
//! output folder is all dossier writes. The images of a build are done in
//! parallel (rayon), each decoded once for all its sizes, and only if one of its
//! copies is missing.
//!
//! Not here: which copies there are, their names and their sizes
//! (`render::facsimile`), or the hashes (`load`).

use super::{io_error, WriteError};
use crate::render::Derivative;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How much image work a build did: copies made (an image decoded and resized)
/// and copies taken from the previous output. A build after one that made them
/// all makes none.
#[derive(Debug, Default)]
pub(crate) struct ImageWork {
    pub made: AtomicUsize,
    pub reused: AtomicUsize,
}

/// JPEG quality of the copies: scans of typescript stay legible at 1600 px, at a
/// fifth of the bytes of quality 95.
const QUALITY: u8 = 85;

/// Puts each copy (`(path in the site, what)`) in the site at `site`: taken from
/// the site at `previous` (the output being replaced, or `site` itself when it is
/// updated in place) if that has a file at the same path, else made.
pub(crate) fn derive_all(
    site: &Path,
    previous: Option<&Path>,
    jobs: &[(&str, &Derivative)],
    work: &ImageWork,
) -> Result<(), WriteError> {
    let mut by_image: BTreeMap<&Path, Vec<(&str, &Derivative)>> = BTreeMap::new();
    for &(path, derivative) in jobs {
        by_image
            .entry(&derivative.source)
            .or_default()
            .push((path, derivative));
    }
    by_image
        .into_par_iter()
        .try_for_each(|(source, copies)| derive_image(site, previous, source, &copies, work))
}

/// The copies of one image.
fn derive_image(
    site: &Path,
    previous: Option<&Path>,
    source: &Path,
    copies: &[(&str, &Derivative)],
    work: &ImageWork,
) -> Result<(), WriteError> {
    let mut decoded: Option<image::DynamicImage> = None;
    for &(path, derivative) in copies {
        let target = site.join(path);
        let kept = previous.map(|p| p.join(path)).filter(|kept| is_file(kept));
        if let Some(kept) = kept {
            if kept != target {
                place(&kept, &target)?;
            }
            work.reused.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        if decoded.is_none() {
            let bytes = std::fs::read(source).map_err(io_error(source))?;
            decoded = Some(decode(source, &bytes)?);
        }
        let image = decoded.as_ref().expect("decoded above");
        let size = derivative.size;
        let jpeg = resize_to_jpeg(image, size.width, size.height)
            .map_err(|error| unreadable(source, error))?;
        write_whole(&target, &jpeg)?;
        work.made.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

/// Whether `path` is a file itself (not a link to one: the output holds none, and
/// one put there is not followed).
fn is_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
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

/// Writes a copy made to `path`: under a name of its own, then renamed, so that a
/// run stopped halfway (`serve` writes into the output itself) never leaves half a
/// copy under the name that says it is whole, for the next build to take.
fn write_whole(path: &Path, jpeg: &[u8]) -> Result<(), WriteError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp-dossier"));
    std::fs::write(&temporary, jpeg).map_err(io_error(&temporary))?;
    std::fs::rename(&temporary, path).map_err(io_error(path))
}

/// Puts the copy the previous output has at `kept` at `path` in the new one: a hard
/// link (no bytes copied, and the file's times stay as they were), or a copy where
/// links cannot be made (a file system without them).
fn place(kept: &Path, path: &Path) -> Result<(), WriteError> {
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
    fn copies_are_made_once_and_taken_from_the_previous_output_after() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("36.png");
        scan(&source, 640, 480);
        let web = Derivative {
            source: source.clone(),
            size: ImageSize {
                width: 640,
                height: 480,
            },
        };
        let thumb = Derivative {
            size: ImageSize {
                width: 200,
                height: 150,
            },
            ..web.clone()
        };
        let jobs = [("web.jpg", &web), ("thumb.jpg", &thumb)];
        let first = dir.path().join("first");
        std::fs::create_dir_all(&first).unwrap();
        let work = ImageWork::default();
        derive_all(&first, None, &jobs, &work).unwrap();
        assert_eq!(work.made.load(Ordering::Relaxed), 2);
        let made = image::open(first.join("thumb.jpg")).unwrap();
        assert_eq!((made.width(), made.height()), (200, 150));
        let made = image::open(first.join("web.jpg")).unwrap();
        assert_eq!((made.width(), made.height()), (640, 480), "never enlarged");
        let leftovers = std::fs::read_dir(&first).unwrap().count();
        assert_eq!(leftovers, 2, "no temporary files left");

        // A new site replacing the first: its copies, linked.
        let second = dir.path().join("second");
        std::fs::create_dir_all(&second).unwrap();
        let again = ImageWork::default();
        derive_all(&second, Some(&first), &jobs, &again).unwrap();
        assert_eq!(again.made.load(Ordering::Relaxed), 0);
        assert_eq!(again.reused.load(Ordering::Relaxed), 2);
        assert_eq!(
            std::fs::read(second.join("thumb.jpg")).unwrap(),
            std::fs::read(first.join("thumb.jpg")).unwrap()
        );

        // The same site updated in place: left as it is; one missing, made.
        std::fs::remove_file(second.join("web.jpg")).unwrap();
        let in_place = ImageWork::default();
        derive_all(&second, Some(&second), &jobs, &in_place).unwrap();
        assert_eq!(in_place.made.load(Ordering::Relaxed), 1);
        assert_eq!(in_place.reused.load(Ordering::Relaxed), 1);
        assert!(second.join("web.jpg").is_file());
    }

    #[test]
    #[cfg(unix)]
    fn a_link_in_the_previous_output_is_not_taken_for_a_copy() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("36.png");
        scan(&source, 64, 48);
        let previous = dir.path().join("previous");
        std::fs::create_dir_all(&previous).unwrap();
        std::os::unix::fs::symlink(&source, previous.join("web.jpg")).unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let derivative = Derivative {
            source,
            size: ImageSize {
                width: 32,
                height: 24,
            },
        };
        let work = ImageWork::default();
        derive_all(&site, Some(&previous), &[("web.jpg", &derivative)], &work).unwrap();
        assert_eq!(work.made.load(Ordering::Relaxed), 1);
        assert!(!site.join("web.jpg").is_symlink());
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
        };
        let jobs = [("out.jpg", &derivative)];
        let error = derive_all(dir.path(), None, &jobs, &ImageWork::default()).unwrap_err();
        assert!(error.to_string().contains("36.jpg"), "{error}");
    }
}
