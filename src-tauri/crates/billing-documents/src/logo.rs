//! Decoding the business logo for the PDF: any PNG flavour becomes 8-bit RGB
//! composited on white (transparency is flattened, as on paper).

use std::io::Cursor;

/// Largest logo accepted, in pixels; bigger ones are left out of the PDF.
const MAX_PIXELS: u64 = 2048 * 2048;

/// A decoded logo: `rgb` holds `width * height * 3` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbImage {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

/// Blends `value` over white by `alpha` (all integer).
fn over_white(value: u8, alpha: u8) -> u8 {
    let v = u16::from(value);
    let a = u16::from(alpha);
    let blended = (v * a + 255 * (255 - a) + 127) / 255;
    u8::try_from(blended).unwrap_or(u8::MAX)
}

/// Decodes PNG bytes, or `None` when they are not a usable PNG.
pub fn decode_png(bytes: &[u8]) -> Option<RgbImage> {
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: 32 * 1024 * 1024,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let (w, h) = reader.info().size();
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return None;
    }
    let mut buf = vec![0_u8; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buf).ok()?;
    if frame.bit_depth != png::BitDepth::Eight {
        return None;
    }
    let channels = frame.color_type.samples();
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    for row in buf.chunks(frame.line_size).take(h as usize) {
        for px in row.chunks_exact(channels).take(w as usize) {
            match *px {
                [g] => rgb.extend_from_slice(&[g, g, g]),
                [g, a] => {
                    let v = over_white(g, a);
                    rgb.extend_from_slice(&[v, v, v]);
                }
                [r, g, b] => rgb.extend_from_slice(&[r, g, b]),
                [r, g, b, a] => {
                    rgb.extend_from_slice(&[over_white(r, a), over_white(g, a), over_white(b, a)]);
                }
                _ => return None,
            }
        }
    }
    (rgb.len() == w as usize * h as usize * 3).then_some(RgbImage {
        width: w,
        height: h,
        rgb,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(width: u32, height: u32, color: png::ColorType, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, width, height);
            enc.set_color(color);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header().expect("png header");
            writer.write_image_data(data).expect("png data");
        }
        out
    }

    #[test]
    fn decodes_each_colour_type_to_rgb_on_white() {
        let rgba = decode_png(&encode(1, 1, png::ColorType::Rgba, &[255, 0, 0, 0])).expect("rgba");
        assert_eq!(rgba.rgb, vec![255, 255, 255], "fully transparent is white");
        let rgba = decode_png(&encode(1, 1, png::ColorType::Rgba, &[0, 0, 0, 255])).expect("rgba");
        assert_eq!(rgba.rgb, vec![0, 0, 0]);
        let grey = decode_png(&encode(2, 1, png::ColorType::Grayscale, &[10, 20])).expect("grey");
        assert_eq!(
            (grey.width, grey.height, grey.rgb),
            (2, 1, vec![10, 10, 10, 20, 20, 20])
        );
        let ga = decode_png(&encode(1, 1, png::ColorType::GrayscaleAlpha, &[0, 128])).expect("ga");
        assert_eq!(ga.rgb, vec![127, 127, 127]);
        let rgb = decode_png(&encode(1, 2, png::ColorType::Rgb, &[1, 2, 3, 4, 5, 6])).expect("rgb");
        assert_eq!(rgb.rgb, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(decode_png(b""), None);
        assert_eq!(decode_png(b"\x89PNG\r\n\x1a\n"), None);
        let good = encode(2, 2, png::ColorType::Rgb, &[0; 12]);
        assert_eq!(decode_png(&good[..good.len() - 20]), None);
    }
}
