//! Scanned documents as the rest of the code names them: the file types a
//! counter scanner produces, recognised by their first bytes (never by a
//! name), and whose document a scan is (the family's or a member's).

use serde::Serialize;
use utoipa::ToSchema;

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
}
