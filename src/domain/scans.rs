//! Scanned documents as the rest of the code names them: the file types a
//! counter scanner produces, recognised by their first bytes (never by a
//! name), and whose document a scan is (the family's or a member's).

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::family::DocumentKind;
use crate::domain::identifiers::ReferenceNumber;
use crate::domain::language::Words;
use crate::domain::words::fields;

/// The bytes a type is recognised from: enough for every signature.
pub const SNIFF_LEN: usize = 8;

/// A scan's type, from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub enum MediaType {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/tiff")]
    Tiff,
}

impl MediaType {
    pub const ALL: [MediaType; 4] = [
        MediaType::Pdf,
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Tiff,
    ];

    /// The type whose signature `head` (the file's first bytes) starts
    /// with; none for anything else (HTML, SVG, text, an empty file).
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        const SIGNATURES: [(&[u8], MediaType); 5] = [
            (b"%PDF-", MediaType::Pdf),
            (&[0xFF, 0xD8, 0xFF], MediaType::Jpeg),
            (
                &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
                MediaType::Png,
            ),
            (b"II*\0", MediaType::Tiff),
            (b"MM\0*", MediaType::Tiff),
        ];
        SIGNATURES
            .into_iter()
            .find(|(signature, _)| head.starts_with(signature))
            .map(|(_, media_type)| media_type)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Tiff => "image/tiff",
        }
    }

    pub fn parse(text: &str) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// The extension of the file name a browser is given.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Tiff => "tiff",
        }
    }
}

/// Whose document a scan is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    Family,
    /// A member, by their number in the case (from 1).
    Member(u32),
}

impl Owner {
    /// `family`, or a member's number (1, 2, …) as the path names it.
    pub fn parse(text: &str) -> Option<Owner> {
        if text == "family" {
            return Some(Owner::Family);
        }
        if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match text.parse::<u32>() {
            Ok(0) | Err(_) => None,
            Ok(n) => Some(Owner::Member(n)),
        }
    }

    /// As stored: 0 for the family, else the member's number.
    pub fn as_number(self) -> i32 {
        match self {
            Owner::Family => 0,
            Owner::Member(n) => n as i32,
        }
    }

    pub fn from_number(n: i32) -> Owner {
        match u32::try_from(n) {
            Ok(0) | Err(_) => Owner::Family,
            Ok(n) => Owner::Member(n),
        }
    }

    pub fn to_text(self) -> String {
        match self {
            Owner::Family => "family".into(),
            Owner::Member(n) => n.to_string(),
        }
    }
}

/// A back-scanned file's name, by the convention the archive is scanned
/// to: `REFERENCE_OWNER_KIND[_pPAGE].EXT`, for example
/// `HSK-2011-000123_family_application_form.pdf` or
/// `HSK-2011-000123_2_register_extract_p1.jpg` (owner `family` or the
/// member's number; a page number when a paper was scanned one file per
/// page). The extension is ignored: the content says what a file is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanName {
    pub reference: ReferenceNumber,
    pub owner: Owner,
    pub kind: DocumentKind,
    pub page: Option<u32>,
}

/// Why a file's name does not follow the convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanNameError {
    /// Not REFERENCE_OWNER_KIND at all.
    Form,
    Reference,
    Owner,
    Kind,
    Page,
}

impl ScanNameError {
    /// What is wrong with the name, in both languages.
    pub fn words(self) -> Words {
        match self {
            ScanNameError::Form => fields::SCAN_NAME_FORM,
            ScanNameError::Reference => fields::SCAN_NAME_REFERENCE,
            ScanNameError::Owner => fields::SCAN_NAME_OWNER,
            ScanNameError::Kind => fields::SCAN_NAME_KIND,
            ScanNameError::Page => fields::SCAN_NAME_PAGE,
        }
    }

    pub fn message_en(self) -> &'static str {
        self.words().en
    }

    pub fn message_ar(self) -> &'static str {
        self.words().ar
    }
}

impl ScanName {
    /// Reads a file name (without its folder) by the convention.
    pub fn parse(file_name: &str) -> Result<ScanName, ScanNameError> {
        let stem = match file_name.rsplit_once('.') {
            Some((stem, _)) if !stem.is_empty() => stem,
            _ => file_name,
        };
        let (reference, rest) = stem.split_once('_').ok_or(ScanNameError::Form)?;
        let (owner, rest) = rest.split_once('_').ok_or(ScanNameError::Form)?;
        let reference = ReferenceNumber::parse(reference).map_err(|_| ScanNameError::Reference)?;
        let owner = Owner::parse(&owner.to_ascii_lowercase()).ok_or(ScanNameError::Owner)?;
        let rest = rest.to_ascii_lowercase();
        let (kind, page) = match rest.rsplit_once("_p") {
            Some((kind, page)) if !page.is_empty() && page.bytes().all(|b| b.is_ascii_digit()) => {
                match page.parse::<u32>() {
                    Ok(n @ 1..=999) => (kind.to_string(), Some(n)),
                    _ => return Err(ScanNameError::Page),
                }
            }
            _ => (rest, None),
        };
        let kind = DocumentKind::parse(&kind).ok_or(ScanNameError::Kind)?;
        Ok(ScanName {
            reference,
            owner,
            kind,
            page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(head: &[u8], expected: Option<MediaType>) {
        assert_eq!(MediaType::sniff(head), expected, "{head:?}");
    }

    #[test]
    fn types_are_recognised_by_their_first_bytes_only() {
        check(b"%PDF-1.7\n", Some(MediaType::Pdf));
        check(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], Some(MediaType::Jpeg));
        check(
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0],
            Some(MediaType::Png),
        );
        check(b"II*\0\x08\0\0\0", Some(MediaType::Tiff));
        check(b"MM\0*\0\0\0\x08", Some(MediaType::Tiff));
        check(b"<html><body>%PDF-", None);
        check(b"<svg xmlns=", None);
        check(b" %PDF-1.4", None);
        check(b"%PDF", None);
        check(b"", None);
    }

    #[test]
    fn owners_are_the_family_or_a_member_number() {
        assert_eq!(Owner::parse("family"), Some(Owner::Family));
        assert_eq!(Owner::parse("3"), Some(Owner::Member(3)));
        for bad in ["0", "", "-1", "+1", "1.0", "Family", "99999", "../x"] {
            assert_eq!(Owner::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Owner::from_number(Owner::Member(2).as_number()),
            Owner::Member(2)
        );
        assert_eq!(Owner::from_number(0), Owner::Family);
    }

    #[test]
    fn back_scanned_files_are_named_reference_owner_kind_and_page() {
        let name = ScanName::parse("HSK-2011-000123_2_register_extract_p01.JPG").unwrap();
        assert_eq!(name.reference.as_str(), "HSK-2011-000123");
        assert_eq!(name.owner, Owner::Member(2));
        assert_eq!(name.kind, DocumentKind::RegisterExtract);
        assert_eq!(name.page, Some(1));
        let name = ScanName::parse("hsk-2011-000123_family_application_form.pdf").unwrap();
        assert_eq!(name.owner, Owner::Family);
        assert_eq!(name.kind, DocumentKind::ApplicationForm);
        assert_eq!(name.page, None);
        // No extension is as good as any: the content decides.
        assert!(ScanName::parse("HSK-2011-000123_1_photos").is_ok());
        for (bad, why) in [
            ("scan0001.jpg", ScanNameError::Form),
            ("HSK-2011-000123.pdf", ScanNameError::Form),
            ("HSK-11-123_1_photos.jpg", ScanNameError::Reference),
            ("HSK-2011-000123_0_photos.jpg", ScanNameError::Owner),
            ("HSK-2011-000123_wife_photos.jpg", ScanNameError::Owner),
            ("HSK-2011-000123_1_passport.jpg", ScanNameError::Kind),
            ("HSK-2011-000123_1_photos_p0.jpg", ScanNameError::Page),
            ("HSK-2011-000123_1_photos_p1000.jpg", ScanNameError::Page),
        ] {
            assert_eq!(ScanName::parse(bad), Err(why), "{bad}");
        }
    }
}
