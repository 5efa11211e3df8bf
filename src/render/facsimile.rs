//! A document's facsimiles as the site publishes them: its pages in the order the
//! texts turn them, with the image of each where the bundle has one; the copies of
//! each image made for the screen (1600 px wide) and as thumbnails (200 px), by
//! name and size; what the document page's viewer is given; and the document's
//! IIIF Presentation 3 manifest (`documents/<id>/manifest.json`), which lets any
//! IIIF viewer show the pages.
//!
//! Not here: reading or resizing images. Their sizes and hashes come from `load`
//! (which reads their headers and bytes), and the copies are made by `write` from
//! what this module says they are ([`super::Derivative`]). The page markers in the
//! texts are `text`'s.

use super::sources::Reader;
use super::text::percent_encode;
use crate::links::{document_address, Address, Links};
use crate::model::{AnnotatedDocument, BundleFile, ContentEvent, Document, ImageSize};
use serde::Serialize;
use serde_json::{json, Value};

/// The sizes images are published at besides their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Size {
    /// To read on screen, in the viewer beside the text.
    Web,
    /// For lists of pages (the IIIF manifest's thumbnails).
    Thumbnail,
}

impl Size {
    pub(super) const ALL: [Size; 2] = [Size::Web, Size::Thumbnail];

    /// The width of the copy: at most this, never more than the image's own.
    pub(super) fn width(self) -> u32 {
        match self {
            Size::Web => 1600,
            Size::Thumbnail => 200,
        }
    }

    /// The folder of the document's copies at this size.
    fn folder(self) -> &'static str {
        match self {
            Size::Web => "web",
            Size::Thumbnail => "thumbnails",
        }
    }
}

/// Where the copy of `file` (an image of `document`'s bundle) at `size` is in the
/// site, if the file is an image: `documents/<id>/web/36.<hash>.1600.jpg`, after
/// the image's name without its extension, the first 12 digits of the hash of its
/// bytes and the copy's largest width. Copies are JPEG whatever the image is (a
/// scan kept as PNG is a tenth the size as a JPEG on screen).
///
/// The name says what the copy is made of: a copy of the same name is the same
/// copy. So `write` takes a copy the output it replaces already has instead of
/// making it again, and a browser may keep it as long as it likes (a new scan is
/// a new address). Two images of the same stem (`36.jpg` and `36.png`) have copies
/// of their own names by their hashes (unless they are the same bytes, and then
/// the same copies). The folders keep copies apart from the bundle's own files,
/// which are published beside the page and have no folders.
pub(super) fn derivative_path(
    document: &Document,
    file: &BundleFile,
    size: Size,
) -> Option<String> {
    let image = file.image?;
    let stem = file
        .name
        .rsplit_once('.')
        .map_or(file.name.as_str(), |(stem, _)| stem);
    Some(format!(
        "{}{}/{stem}.{}.{}.jpg",
        document_address(&document.id),
        size.folder(),
        image.short_hash(),
        size.width()
    ))
}

/// The size of the copy of an image at `size`, if the file is an image.
pub(super) fn derivative_size(file: &BundleFile, size: Size) -> Option<ImageSize> {
    file.image.map(|image| image.size.at_most(size.width()))
}

/// A page of a document: its number (or name), and its image if it has one.
pub(super) struct Page<'a> {
    pub label: &'a str,
    pub file: Option<&'a BundleFile>,
}

/// The document's pages in the order its texts turn them: the original's page
/// breaks, then those only a translation or the headnote marks, then pages the
/// metadata gives an image for that no text marks. Each page once.
pub(super) fn pages<'a>(document: &'a Document, annotated: &'a AnnotatedDocument) -> Vec<Page<'a>> {
    let mut labels: Vec<&'a str> = Vec::new();
    let texts = annotated.texts.iter().chain([&annotated.headnote]);
    for text in texts {
        for segment in &text.segments {
            for event in segment.content.events() {
                if let ContentEvent::PageBreak { label, .. } = event {
                    if !labels.contains(&label) {
                        labels.push(label);
                    }
                }
            }
        }
    }
    for label in document.meta.facsimiles.keys() {
        if !labels.contains(&label.as_str()) {
            labels.push(label);
        }
    }
    labels
        .into_iter()
        .map(|label| Page {
            label,
            file: document
                .facsimile_file(label)
                .filter(|file| file.image.is_some()),
        })
        .collect()
}

/// Whether the document has any page image to show.
pub(super) fn has_images(document: &Document) -> bool {
    document.files.iter().any(|f| f.image.is_some())
}

/// The media type of an image, by its name's extension.
pub(super) fn media_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "image/jpeg",
    }
}

/// What an image says to a reader who cannot see it, and its caption.
fn description(label: &str, title: &str) -> String {
    format!("Page {label} of {title}")
}

/// The viewer of a document's page images, beside its text.
#[derive(Serialize)]
pub(super) struct FacsimileView {
    pages: Vec<PageView>,
    /// The first page with an image: what the viewer holds before the script
    /// chooses (an `img` needs a `src`).
    first: Option<usize>,
    /// The IIIF manifest, for IIIF viewers.
    manifest: String,
}

#[derive(Serialize)]
struct PageView {
    label: String,
    /// "Page 36 of <title>": the image's alternative text and its caption.
    description: String,
    image: Option<PageImage>,
}

#[derive(Serialize)]
struct PageImage {
    /// The copy for the screen, and its size.
    src: String,
    width: u32,
    height: u32,
    thumbnail: String,
    thumbnail_width: u32,
    thumbnail_height: u32,
    /// The image as the editor gave it, at its full size.
    full: String,
}

/// The viewer of the document at position `doc`, on the page at `address`; none
/// if the document has no page image (its page then has no viewer at all).
pub(super) fn view(r: &Reader, doc: usize, address: &Address) -> Option<FacsimileView> {
    let document = r.document(doc);
    if !has_images(document) {
        return None;
    }
    let annotated = r.annotation(doc);
    let links = r.links();
    let title = &document.meta.title;
    let href = |path: &str| encoded(links, address, path);
    let pages: Vec<PageView> = pages(document, annotated)
        .into_iter()
        .map(|page| PageView {
            label: page.label.to_string(),
            description: description(page.label, title),
            image: page.file.and_then(|file| {
                let web = derivative_size(file, Size::Web)?;
                let thumbnail = derivative_size(file, Size::Thumbnail)?;
                Some(PageImage {
                    src: href(&derivative_path(document, file, Size::Web)?),
                    width: web.width,
                    height: web.height,
                    thumbnail: href(&derivative_path(document, file, Size::Thumbnail)?),
                    thumbnail_width: thumbnail.width,
                    thumbnail_height: thumbnail.height,
                    full: href(&format!("{}{}", document_address(&document.id), file.name)),
                })
            }),
        })
        .collect();
    let first = pages.iter().position(|p: &PageView| p.image.is_some());
    Some(FacsimileView {
        first,
        pages,
        manifest: links.href(address, &manifest_path(&document.id)),
    })
}

/// `path` (a file of the site) with its name percent-encoded: file names are the
/// editor's (spaces and the like), and a link must not read them as more.
pub(super) fn encoded_path(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((folder, name)) => format!("{folder}/{}", percent_encode(name)),
        None => percent_encode(path),
    }
}

/// A link from `from` to the file at `path`.
fn encoded(links: &Links, from: &Address, path: &str) -> String {
    links.href(from, &encoded_path(path))
}

/// The address of a document's IIIF manifest in the site.
pub(super) fn manifest_path(id: &str) -> String {
    format!("{}manifest.json", document_address(id))
}

/// The document's IIIF Presentation 3 manifest: a canvas per page image (the size
/// of the image, labelled with the page's number), painted with its copy for the
/// screen, with its thumbnail; the document's title, date and archival reference
/// as metadata; its page as `homepage`, and its TEI and JSON (the transcription)
/// as `seeAlso`. Addresses are full when the edition has a public address (as IIIF
/// wants); otherwise relative to the manifest.
pub(super) fn manifest(r: &Reader, doc: usize) -> Vec<u8> {
    let document = r.document(doc);
    let annotated = r.annotation(doc);
    let links = r.links();
    let here = manifest_path(&document.id);
    let url = |path: &str| links.for_machines(&here, &encoded_path(path));
    let meta = &document.meta;
    let language = r.settings().language.clone();
    let words = |text: &str| json!({ language.clone(): [text] });
    let none = |text: &str| json!({ "none": [text] });
    let id = links.for_machines(&here, &here);
    let mut metadata = vec![
        json!({ "label": words("Title"), "value": words(&meta.title) }),
        json!({ "label": words("Date"), "value": none(&meta.date.to_string()) }),
    ];
    if let Some(archive) = &meta.archive {
        metadata.push(json!({ "label": words("Archive"), "value": none(&archive.citation()) }));
    }
    let canvases: Vec<Value> = pages(document, annotated)
        .into_iter()
        .filter_map(|page| {
            let file = page.file?;
            let full = file.image?.size;
            let web = derivative_size(file, Size::Web)?;
            let thumbnail = derivative_size(file, Size::Thumbnail)?;
            let canvas = format!("{id}#page-{}", percent_encode(page.label));
            Some(json!({
                "id": canvas,
                "type": "Canvas",
                "label": none(page.label),
                "width": full.width,
                "height": full.height,
                "thumbnail": [{
                    "id": url(&derivative_path(document, file, Size::Thumbnail)?),
                    "type": "Image",
                    "format": "image/jpeg",
                    "width": thumbnail.width,
                    "height": thumbnail.height,
                }],
                "items": [{
                    "id": format!("{canvas}-painting"),
                    "type": "AnnotationPage",
                    "items": [{
                        "id": format!("{canvas}-image"),
                        "type": "Annotation",
                        "motivation": "painting",
                        "label": words(&description(page.label, &meta.title)),
                        "body": {
                            "id": url(&derivative_path(document, file, Size::Web)?),
                            "type": "Image",
                            "format": "image/jpeg",
                            "width": web.width,
                            "height": web.height,
                        },
                        "target": canvas,
                    }],
                }],
            }))
        })
        .collect();
    let mut manifest = json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": id,
        "type": "Manifest",
        "label": words(&meta.title),
        "metadata": metadata,
        "homepage": [{
            "id": links.for_machines(&here, &document_address(&document.id)),
            "type": "Text",
            "label": words(&meta.title),
            "format": "text/html",
        }],
        "seeAlso": [
            {
                "id": url(&super::data::document_file(&document.id, "xml")),
                "type": "Dataset",
                "label": words("The transcription and translations in TEI P5"),
                "format": "application/tei+xml",
                "profile": "https://tei-c.org/ns/1.0/",
            },
            {
                "id": url(&super::data::document_file(&document.id, "json")),
                "type": "Dataset",
                "label": words("The transcription and translations as JSON"),
                "format": "application/json",
            },
        ],
        "items": canvases,
    });
    if let Some(summary) = &meta.summary {
        manifest["summary"] = words(summary);
    }
    let mut bytes = serde_json::to_vec_pretty(&manifest).expect("JSON serialises");
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::media_type;

    #[test]
    fn an_image_s_media_type_is_read_from_its_extension_in_any_case() {
        assert_eq!(media_type("50.png"), "image/png");
        assert_eq!(media_type("cover.WebP"), "image/webp");
        assert_eq!(media_type("49.jpg"), "image/jpeg");
        assert_eq!(media_type("49.JPEG"), "image/jpeg");
    }
}
