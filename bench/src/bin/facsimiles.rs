//! The facsimile benchmark's editions (issue 22): `facsimiles FOLDER [--scans N]`
//! makes, unless they are there, `FOLDER/with-images`, an edition of N/10
//! documents of ten pages each with a 3000 × 4000 JPEG scan of every page (N = 100
//! by default), and `FOLDER/without-images`, the same edition without its scans,
//! whose build time is what a build with the scans is compared with.
//!
//! `facsimiles --compare-resize` times the steps of making a copy of one such scan
//! for the screen (1600 px wide): decoding, resizing with image's own filters and
//! with fast_image_resize's, encoding; one line `step=ms` each.

use std::path::Path;
use std::time::Instant;

const WIDTH: u32 = 3000;
const HEIGHT: u32 = 4000;

/// A scan of a typed page: paper with noise, lines of "type", the page's number as
/// bars at the top (so no two pages are alike, as no two scans are).
fn scan(page: u32) -> image::RgbImage {
    let mut state: u32 = page.wrapping_mul(2_654_435_761) | 1;
    let digits: Vec<u32> = page
        .to_string()
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    image::RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 18) as u8;
        let (bx, by) = (x / 150, y / 100);
        let number = digits
            .iter()
            .enumerate()
            .any(|(k, &d)| by == 1 + k as u32 && bx >= 1 && bx <= d);
        let typed = y > 600
            && (y / 60) % 2 == 0
            && (y % 60) > 20
            && x > 250
            && x < WIDTH - 250
            && !(x / 37 + y / 60 + page).is_multiple_of(9)
            && !(x / 9 + state % 3).is_multiple_of(3);
        let ink = number || typed;
        let base: u8 = if ink { 45 } else { 232 };
        image::Rgb([
            base.saturating_sub(noise),
            base.saturating_sub(noise + 6),
            base.saturating_sub(noise + 22),
        ])
    })
}

fn jpeg(image: &image::RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(image)
        .expect("encodes");
    bytes
}

fn document(root: &Path, d: u32, pages: u32, with_images: bool) {
    let id = format!("scanned-{d:03}");
    let folder = root.join("content/documents").join(&id);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("index.md"),
        format!("---\ntitle: Scanned report {d}\ndate: 1956-09-{:02}\narchive:\n  repository: Test archive\n  fond: 5\n  listy: {}-{}\n---\n", 1 + d % 28, d * pages + 1, (d + 1) * pages),
    )
    .unwrap();
    let mut text = String::new();
    for p in 0..pages {
        let page = d * pages + p + 1;
        text.push_str(&format!("{{pb {page}}}\n\n"));
        for k in 0..4 {
            text.push_str(&format!(
                "Paragraph {k} of page {page}: the delegation discussed the questions of the plenum at length, and the report was read out in full before the vote.\n\n"
            ));
        }
    }
    std::fs::write(folder.join("en.md"), text).unwrap();
    if with_images {
        use rayon::prelude::*;
        (0..pages).into_par_iter().for_each(|p| {
            let page = d * pages + p + 1;
            std::fs::write(folder.join(format!("{page}.jpg")), jpeg(&scan(page))).unwrap();
        });
    }
}

fn edition(root: &Path, scans: u32, with_images: bool) {
    if root.join("content").exists() {
        return;
    }
    dossier::scaffold::new_edition(root).expect("a new edition");
    let pages = 10;
    for d in 0..scans.div_ceil(pages) {
        document(root, d, pages, with_images);
    }
}

fn ms(since: Instant) -> u128 {
    since.elapsed().as_millis()
}

fn compare_resize() {
    let bytes = jpeg(&scan(36));
    let started = Instant::now();
    let decoded = image::load_from_memory(&bytes).expect("decodes");
    println!("decode_ms={}", ms(started));
    let (width, height) = (1600, 2133);
    for (name, filter) in [
        ("image_triangle", image::imageops::FilterType::Triangle),
        ("image_catmullrom", image::imageops::FilterType::CatmullRom),
        ("image_lanczos3", image::imageops::FilterType::Lanczos3),
    ] {
        let started = Instant::now();
        let _ = decoded.resize_exact(width, height, filter);
        println!("{name}_ms={}", ms(started));
    }
    let mut resizer = fast_image_resize::Resizer::new();
    for (name, filter) in [
        ("fir_bilinear", fast_image_resize::FilterType::Bilinear),
        ("fir_catmullrom", fast_image_resize::FilterType::CatmullRom),
        ("fir_lanczos3", fast_image_resize::FilterType::Lanczos3),
    ] {
        let mut resized = image::DynamicImage::ImageRgb8(image::RgbImage::new(width, height));
        let options = fast_image_resize::ResizeOptions::new()
            .resize_alg(fast_image_resize::ResizeAlg::Convolution(filter));
        let started = Instant::now();
        resizer
            .resize(&decoded, &mut resized, &options)
            .expect("resizes");
        println!("{name}_ms={}", ms(started));
    }
    let web = decoded.resize_exact(width, height, image::imageops::FilterType::Triangle);
    let started = Instant::now();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&web)
        .expect("encodes");
    println!("encode_1600_ms={}", ms(started));
    println!("scan_bytes={} copy_bytes={}", bytes.len(), out.len());
}

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args
        .next()
        .expect("FOLDER [--scans N], or --compare-resize");
    if first == "--compare-resize" {
        compare_resize();
        return;
    }
    let folder = Path::new(&first);
    let mut scans = 100;
    while let Some(arg) = args.next() {
        if arg == "--scans" {
            scans = args.next().and_then(|n| n.parse().ok()).expect("a number");
        }
    }
    edition(&folder.join("with-images"), scans, true);
    edition(&folder.join("without-images"), scans, false);
}
