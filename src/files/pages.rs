//! Pages scanned one file each, made into the one multi-page PDF a
//! document is stored as. A JPEG page goes in as it is (PDF's DCTDecode
//! reads JPEG); a PNG page's compressed image data goes in as it is too
//! (FlateDecode with PNG's predictors), so no page is decoded or encoded
//! again and the same pages always make the same bytes (the same hash).
//! Pages with transparency or interlacing, and PDF or TIFF pages (which
//! must come as one file already), are refused with the reason.

use crate::domain::language::Text;
use crate::domain::words::import as words;

/// The resolution assumed when a page does not say its own.
const DEFAULT_DPI: f64 = 200.0;

/// Why a set of pages cannot be made into one PDF.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageError {
    NotAnImage { page: u32 },
    Damaged { page: u32, what: &'static str },
    Unsupported { page: u32, what: &'static str },
}

impl PageError {
    /// The reason in both languages.
    pub fn said(&self) -> Text {
        match self {
            PageError::NotAnImage { page } => words::page_not_an_image(*page),
            PageError::Damaged { page, what } => words::page_damaged(*page, what),
            PageError::Unsupported { page, what } => words::page_unsupported(*page, what),
        }
    }

    /// The reason in Arabic.
    pub fn message_ar(&self) -> String {
        self.said().ar
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said().en)
    }
}

impl std::error::Error for PageError {}

/// One page, ready to be drawn: its image object's dictionary entries and
/// stream, and its size in points.
struct Page {
    width: u32,
    height: u32,
    dpi: (f64, f64),
    /// The image dictionary's entries beyond its size.
    entries: String,
    data: Vec<u8>,
}

/// Makes one PDF of `pages` (each a JPEG or PNG file's bytes), in order,
/// each page the size of its image at its resolution.
pub fn combine(pages: &[Vec<u8>]) -> Result<Vec<u8>, PageError> {
    let pages: Vec<Page> = pages
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let number = i as u32 + 1;
            if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
                jpeg(bytes, number)
            } else if bytes.starts_with(PNG_SIGNATURE) {
                png(bytes, number)
            } else {
                Err(PageError::NotAnImage { page: number })
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(write_pdf(&pages))
}

fn write_pdf(pages: &[Page]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    // Objects: 1 the catalog, 2 the page tree, then three per page (the
    // page, its content, its image).
    let object =
        |out: &mut Vec<u8>, offsets: &mut Vec<usize>, head: &str, stream: Option<&[u8]>| {
            offsets.push(out.len());
            let number = offsets.len();
            out.extend_from_slice(format!("{number} 0 obj\n{head}\n").as_bytes());
            if let Some(stream) = stream {
                out.extend_from_slice(b"stream\n");
                out.extend_from_slice(stream);
                out.extend_from_slice(b"\nendstream\n");
            }
            out.extend_from_slice(b"endobj\n");
        };
    object(
        &mut out,
        &mut offsets,
        "<< /Type /Catalog /Pages 2 0 R >>",
        None,
    );
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 3 + 3 * i))
        .collect();
    object(
        &mut out,
        &mut offsets,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        None,
    );
    for (i, page) in pages.iter().enumerate() {
        let first = 3 + 3 * i;
        let points = |pixels: u32, dpi: f64| (pixels as f64 * 72.0 / dpi * 100.0).round() / 100.0;
        let (w, h) = (
            points(page.width, page.dpi.0),
            points(page.height, page.dpi.1),
        );
        object(
            &mut out,
            &mut offsets,
            &format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Contents {} 0 R /Resources << /XObject << /Im0 {} 0 R >> >> >>",
                first + 1,
                first + 2
            ),
            None,
        );
        let content = format!("q {w} 0 0 {h} 0 0 cm /Im0 Do Q");
        object(
            &mut out,
            &mut offsets,
            &format!("<< /Length {} >>", content.len()),
            Some(content.as_bytes()),
        );
        object(
            &mut out,
            &mut offsets,
            &format!(
                "<< /Type /XObject /Subtype /Image /Width {} /Height {} {} /Length {} >>",
                page.width,
                page.height,
                page.entries,
                page.data.len()
            ),
            Some(&page.data),
        );
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for offset in &offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// A JPEG page: its size and components from the frame header, its
/// resolution from the JFIF header when it gives one in dots per inch or
/// centimetre.
fn jpeg(bytes: &[u8], page: u32) -> Result<Page, PageError> {
    let damaged = |what| PageError::Damaged { page, what };
    let mut dpi = (DEFAULT_DPI, DEFAULT_DPI);
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return Err(damaged("no frame header"));
        }
        let marker = *bytes.get(at + 1).ok_or(damaged("cut short"))?;
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let length = be16(bytes, at + 2).ok_or(damaged("cut short"))? as usize;
        let segment = bytes
            .get(at + 4..at + 2 + length)
            .ok_or(damaged("cut short"))?;
        match marker {
            0xE0 if segment.starts_with(b"JFIF\0") && segment.len() >= 12 => {
                let (x, y) = (
                    be16(segment, 8).unwrap_or(0),
                    be16(segment, 10).unwrap_or(0),
                );
                let per_inch = match segment[7] {
                    1 => 1.0,
                    2 => 2.54,
                    _ => 0.0,
                };
                if per_inch > 0.0 && x > 0 && y > 0 {
                    dpi = (x as f64 * per_inch, y as f64 * per_inch);
                }
            }
            // The start-of-frame markers (not DHT, JPG or DAC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = be16(segment, 1).ok_or(damaged("cut short"))?;
                let width = be16(segment, 3).ok_or(damaged("cut short"))?;
                let colours = match segment.get(5) {
                    Some(1) => "/DeviceGray",
                    Some(3) => "/DeviceRGB",
                    Some(4) => "/DeviceCMYK",
                    _ => return Err(damaged("an unknown number of colour components")),
                };
                if width == 0 || height == 0 {
                    return Err(damaged("no size"));
                }
                return Ok(Page {
                    width,
                    height,
                    dpi,
                    entries: format!(
                        "/ColorSpace {colours} /BitsPerComponent 8 /Filter /DCTDecode"
                    ),
                    data: bytes.to_vec(),
                });
            }
            // Start of scan or end of image before a frame header.
            0xDA | 0xD9 => return Err(damaged("no frame header")),
            _ => {}
        }
        at += 2 + length;
    }
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// A PNG page: its compressed image data (the IDAT chunks joined) with
/// PNG's predictors, which PDF's FlateDecode reads as they are; grey,
/// colour and palette images without transparency or interlacing.
fn png(bytes: &[u8], page: u32) -> Result<Page, PageError> {
    let damaged = |what| PageError::Damaged { page, what };
    let unsupported = |what| PageError::Unsupported { page, what };
    let mut at = PNG_SIGNATURE.len();
    let mut header = None;
    let mut palette: Option<&[u8]> = None;
    let mut data = Vec::new();
    let mut dpi = (DEFAULT_DPI, DEFAULT_DPI);
    loop {
        let length = be32(bytes, at).ok_or(damaged("cut short"))? as usize;
        let kind = bytes.get(at + 4..at + 8).ok_or(damaged("cut short"))?;
        let body = bytes
            .get(at + 8..at + 8 + length)
            .ok_or(damaged("cut short"))?;
        match kind {
            b"IHDR" => header = Some(body),
            b"PLTE" => palette = Some(body),
            b"IDAT" => data.extend_from_slice(body),
            b"tRNS" => return Err(unsupported("transparency")),
            b"pHYs" if body.len() >= 9 && body[8] == 1 => {
                // Pixels per metre.
                let (x, y) = (be32(body, 0).unwrap_or(0), be32(body, 4).unwrap_or(0));
                if x > 0 && y > 0 {
                    dpi = (x as f64 * 0.0254, y as f64 * 0.0254);
                }
            }
            b"IEND" => break,
            _ => {}
        }
        at += 12 + length;
    }
    let header = header
        .filter(|h| h.len() >= 13)
        .ok_or(damaged("no header"))?;
    let (width, height) = (be32(header, 0).unwrap_or(0), be32(header, 4).unwrap_or(0));
    let (depth, colour, interlace) = (header[8], header[9], header[12]);
    if width == 0 || height == 0 || data.is_empty() {
        return Err(damaged("no image"));
    }
    if interlace != 0 {
        return Err(unsupported("interlaced"));
    }
    let (space, colours) = match colour {
        0 => ("/DeviceGray".to_string(), 1),
        2 if matches!(depth, 8 | 16) => ("/DeviceRGB".to_string(), 3),
        3 => {
            let palette = palette
                .filter(|p| !p.is_empty() && p.len() % 3 == 0)
                .ok_or(damaged("no palette"))?;
            let hex: String = palette.iter().map(|b| format!("{b:02X}")).collect();
            (
                format!("[/Indexed /DeviceRGB {} <{hex}>]", palette.len() / 3 - 1),
                1,
            )
        }
        4 | 6 => return Err(unsupported("transparency")),
        _ => return Err(damaged("an unknown colour type")),
    };
    if !matches!(depth, 1 | 2 | 4 | 8 | 16) {
        return Err(damaged("an unknown bit depth"));
    }
    Ok(Page {
        width,
        height,
        dpi,
        entries: format!(
            "/ColorSpace {space} /BitsPerComponent {depth} /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors {colours} /BitsPerComponent {depth} /Columns {width} >>"
        ),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's frame: SOI, a JFIF header at 300 dpi, SOF0 of 600×400 in
    /// colour, SOS, EOI (no image data: enough for the header reader).
    fn jpeg_bytes() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        b.extend_from_slice(b"JFIF\0");
        b.extend_from_slice(&[1, 1, 1, 0x01, 0x2C, 0x01, 0x2C, 0, 0]);
        b.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8, 0x01, 0x90, 0x02, 0x58, 3]);
        b.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        b.extend_from_slice(&[0xFF, 0xD9]);
        b
    }

    fn chunk(kind: &[u8], body: &[u8]) -> Vec<u8> {
        let mut c = (body.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(body);
        c.extend_from_slice(&[0, 0, 0, 0]); // the CRC, not checked
        c
    }

    fn png_bytes(colour: u8, extra: &[(&[u8], &[u8])]) -> Vec<u8> {
        let mut b = PNG_SIGNATURE.to_vec();
        let mut header = 20_u32.to_be_bytes().to_vec();
        header.extend_from_slice(&10_u32.to_be_bytes());
        header.extend_from_slice(&[8, colour, 0, 0, 0]);
        b.extend(chunk(b"IHDR", &header));
        for (kind, body) in extra {
            b.extend(chunk(kind, body));
        }
        b.extend(chunk(b"IDAT", b"zlib-data"));
        b.extend(chunk(b"IEND", b""));
        b
    }

    #[test]
    fn jpeg_and_png_pages_make_one_pdf_with_a_page_each() {
        let pdf = combine(&[jpeg_bytes(), png_bytes(0, &[])]).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.ends_with("%%EOF\n"));
        assert!(text.contains("/Count 2"));
        // 600×400 pixels at 300 dpi is 144×96 points.
        assert!(text.contains("/MediaBox [0 0 144 96]"), "{text}");
        assert!(text.contains(
            "/Width 600 /Height 400 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
        ));
        // A PNG without pHYs is taken at 200 dpi: 20×10 pixels.
        assert!(text.contains("/MediaBox [0 0 7.2 3.6]"), "{text}");
        assert!(text.contains("/Predictor 15 /Colors 1 /BitsPerComponent 8 /Columns 20"));
        // The cross-reference table points at each object.
        let xref = text.find("\nxref\n").unwrap() + 1;
        let entries: Vec<usize> = text[xref..]
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .map(|l| l[..10].parse().unwrap())
            .collect();
        assert_eq!(entries.len(), 8);
        for (i, offset) in entries.iter().enumerate() {
            assert!(pdf[*offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()));
        }
        // The same pages make the same bytes.
        assert_eq!(pdf, combine(&[jpeg_bytes(), png_bytes(0, &[])]).unwrap());
    }

    #[test]
    fn what_cannot_be_combined_is_refused_with_its_page() {
        assert_eq!(
            combine(&[jpeg_bytes(), b"%PDF-1.7".to_vec()]),
            Err(PageError::NotAnImage { page: 2 })
        );
        assert_eq!(
            combine(&[png_bytes(6, &[])]),
            Err(PageError::Unsupported {
                page: 1,
                what: "transparency"
            })
        );
        assert_eq!(
            combine(&[png_bytes(2, &[(b"tRNS", b"\0\0\0\0\0\0")])]),
            Err(PageError::Unsupported {
                page: 1,
                what: "transparency"
            })
        );
        assert_eq!(
            combine(&[png_bytes(3, &[])]),
            Err(PageError::Damaged {
                page: 1,
                what: "no palette"
            })
        );
        let cut = jpeg_bytes()[..12].to_vec();
        assert!(matches!(
            combine(&[cut]),
            Err(PageError::Damaged { page: 1, .. })
        ));
        let palette = combine(&[png_bytes(3, &[(b"PLTE", &[0, 0, 0, 255, 255, 255])])]).unwrap();
        assert!(
            String::from_utf8_lossy(&palette).contains("[/Indexed /DeviceRGB 1 <000000FFFFFF>]")
        );
    }
}
