//! The site's icon (`/favicon.ico`), drawn here rather than kept as a
//! binary file: a sheet of paper with three lines of writing on the
//! header's band colour, 32 × 32 pixels, as a Windows icon (one 32-bit
//! bitmap), which every browser reads at that path.

use std::sync::LazyLock;

/// The icon's width and height in pixels.
const SIZE: usize = 32;

/// The header's band (`--band` in the style sheet), the paper and the
/// writing, as red, green, blue.
const BAND: [u8; 3] = [0x0b, 0x4f, 0x6c];
const PAPER: [u8; 3] = [0xff, 0xff, 0xff];
const WRITING: [u8; 3] = [0x0b, 0x6e, 0x4f];

/// The icon file's bytes, drawn once.
pub static ICON: LazyLock<Vec<u8>> = LazyLock::new(draw);

/// The colour of the pixel at column `x`, row `y` (from the top), with its
/// opacity; `None` where the icon is transparent (its rounded corners).
fn pixel(x: usize, y: usize) -> Option<[u8; 3]> {
    // The band: a square with corners rounded by 5 pixels.
    let radius = 5.0_f64;
    let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
    let inner = |v: f64| v.clamp(radius, SIZE as f64 - radius);
    let (cx, cy) = (inner(fx), inner(fy));
    if (fx - cx).powi(2) + (fy - cy).powi(2) > radius * radius {
        return None;
    }
    // The sheet, and the lines written on it (the last one shorter).
    let on_sheet = (8..24).contains(&x) && (5..27).contains(&y);
    if !on_sheet {
        return Some(BAND);
    }
    let line = match y {
        10 | 11 | 15 | 16 => (11..21).contains(&x),
        20 | 21 => (11..17).contains(&x),
        _ => false,
    };
    Some(if line { WRITING } else { PAPER })
}

/// The icon as an ICO file: the directory of one image, then the image as
/// a bitmap (its header, the colours bottom row first as blue, green,
/// red, alpha, and the transparency mask, one bit a pixel).
fn draw() -> Vec<u8> {
    let row_mask_bytes = SIZE.div_ceil(32) * 4;
    let colours = SIZE * SIZE * 4;
    let mask = row_mask_bytes * SIZE;
    let image = 40 + colours + mask;
    let mut out = Vec::with_capacity(6 + 16 + image);
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
    // The directory: reserved, type 1 (icon), one image.
    u16le(&mut out, 0);
    u16le(&mut out, 1);
    u16le(&mut out, 1);
    // Its entry: width, height, no palette, reserved, one plane, 32 bits,
    // the image's size and where it starts.
    out.extend_from_slice(&[SIZE as u8, SIZE as u8, 0, 0]);
    u16le(&mut out, 1);
    u16le(&mut out, 32);
    u32le(&mut out, image as u32);
    u32le(&mut out, 22);
    // The bitmap's header: its height counts the colours and the mask.
    u32le(&mut out, 40);
    u32le(&mut out, SIZE as u32);
    u32le(&mut out, (SIZE * 2) as u32);
    u16le(&mut out, 1);
    u16le(&mut out, 32);
    u32le(&mut out, 0);
    u32le(&mut out, (colours + mask) as u32);
    for _ in 0..4 {
        u32le(&mut out, 0);
    }
    for y in (0..SIZE).rev() {
        for x in 0..SIZE {
            match pixel(x, y) {
                Some([r, g, b]) => out.extend_from_slice(&[b, g, r, 0xff]),
                None => out.extend_from_slice(&[0, 0, 0, 0]),
            }
        }
    }
    for y in (0..SIZE).rev() {
        let mut row = vec![0_u8; row_mask_bytes];
        for x in 0..SIZE {
            if pixel(x, y).is_none() {
                row[x / 8] |= 0x80 >> (x % 8);
            }
        }
        out.extend_from_slice(&row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_is_one_32_pixel_bitmap_whose_sizes_add_up() {
        let icon = &*ICON;
        assert_eq!(&icon[..6], &[0, 0, 1, 0, 1, 0], "an icon of one image");
        assert_eq!((icon[6], icon[7]), (32, 32));
        let size = u32::from_le_bytes([icon[14], icon[15], icon[16], icon[17]]) as usize;
        let offset = u32::from_le_bytes([icon[18], icon[19], icon[20], icon[21]]) as usize;
        assert_eq!(offset, 22);
        assert_eq!(icon.len(), offset + size);
        assert_eq!(size, 40 + 32 * 32 * 4 + 32 * 4);
        // The corners are clear, the middle is the sheet.
        assert_eq!(pixel(0, 0), None);
        assert_eq!(pixel(16, 7), Some(PAPER));
        assert_eq!(pixel(2, 16), Some(BAND));
    }
}
