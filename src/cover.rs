//! Covering the places of a screenshot that show a secret: rectangles painted over the
//! picture's pixels after the capture, so the page itself is never marked (a mask in the
//! page's DOM tells a watching page which of its strings is the secret).

/// A rectangle in CSS pixels of the top document's viewport: [x, y, width, height].
pub type Rect = [f64; 4];

/// The colour a covered place is painted: dark grey, as a redaction reads.
const COVER: [u8; 3] = [0x3b, 0x3b, 0x3b];

/// Paints `rects` (CSS pixels; `scale` device pixels per CSS pixel) over the PNG `png`
/// and returns the new PNG. An error when the PNG cannot be read or written: the caller
/// then has no picture, never an uncovered one.
pub fn paint(png: &[u8], rects: &[Rect], scale: f64) -> Result<Vec<u8>, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("the browser's screenshot is not a PNG this tool reads ({e})"))?;
    let size = reader
        .output_buffer_size()
        .ok_or("the browser's screenshot is too large to read")?;
    let mut pixels = vec![0; size];
    let info = reader
        .next_frame(&mut pixels)
        .map_err(|e| format!("the browser's screenshot could not be decoded ({e})"))?;
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Indexed => {
            return Err("the browser's screenshot kept its palette after expansion".into())
        }
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let stride = info.line_size;
    for r in rects {
        let Some((x0, y0, x1, y1)) = device_box(r, scale, w, h) else {
            continue;
        };
        for y in y0..y1 {
            let row = &mut pixels[y * stride..(y + 1) * stride];
            for x in x0..x1 {
                let px = &mut row[x * channels..(x + 1) * channels];
                match channels {
                    1 | 2 => px[0] = COVER[0],
                    _ => px[..3].copy_from_slice(&COVER),
                }
                if channels == 2 || channels == 4 {
                    px[channels - 1] = 255;
                }
            }
        }
    }
    let mut out = Vec::with_capacity(png.len());
    {
        let mut encoder = png::Encoder::new(&mut out, info.width, info.height);
        encoder.set_color(info.color_type);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        let mut writer = encoder
            .write_header()
            .map_err(|e| format!("cannot encode the covered screenshot ({e})"))?;
        writer
            .write_image_data(&pixels[..stride * h])
            .map_err(|e| format!("cannot encode the covered screenshot ({e})"))?;
    }
    Ok(out)
}

/// A CSS-pixel rectangle as device pixels, grown outward to whole pixels and cut to the
/// picture; None when nothing of it is on the picture.
fn device_box(r: &Rect, scale: f64, w: usize, h: usize) -> Option<(usize, usize, usize, usize)> {
    let [x, y, rw, rh] = *r;
    if !(x.is_finite() && y.is_finite() && rw.is_finite() && rh.is_finite()) {
        return None;
    }
    let clamp = |v: f64, max: usize| v.max(0.0).min(max as f64) as usize;
    let x0 = clamp((x * scale).floor(), w);
    let y0 = clamp((y * scale).floor(), h);
    let x1 = clamp(((x + rw) * scale).ceil(), w);
    let y1 = clamp(((y + rh) * scale).ceil(), h);
    (x1 > x0 && y1 > y0).then_some((x0, y0, x1, y1))
}

/// `r` moved by (dx, dy) and cut to `clip`; None when nothing is left.
pub fn place(r: &Rect, dx: f64, dy: f64, clip: &Rect) -> Option<Rect> {
    let x0 = (r[0] + dx).max(clip[0]);
    let y0 = (r[1] + dy).max(clip[1]);
    let x1 = (r[0] + dx + r[2]).min(clip[0] + clip[2]);
    let y1 = (r[1] + dy + r[3]).min(clip[1] + clip[3]);
    (x1 > x0 && y1 > y0).then_some([x0, y0, x1 - x0, y1 - y0])
}

/// Whether every rectangle of `now` lies inside one of `covered` (to a pixel): what must
/// be covered now was covered in the picture.
pub fn all_covered(now: &[Rect], covered: &[Rect]) -> bool {
    now.iter().all(|n| {
        covered.iter().any(|c| {
            n[0] >= c[0] - 1.0
                && n[1] >= c[1] - 1.0
                && n[0] + n[2] <= c[0] + c[2] + 1.0
                && n[1] + n[3] <= c[1] + c[3] + 1.0
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        let mut wr = e.write_header().unwrap();
        let px: Vec<u8> = (0..w * h)
            .flat_map(|_| [rgb[0], rgb[1], rgb[2], 255])
            .collect();
        wr.write_image_data(&px).unwrap();
        drop(wr);
        out
    }

    fn pixels(png: &[u8]) -> (usize, Vec<u8>) {
        let mut r = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        (info.width as usize, buf)
    }

    #[test]
    fn painted_rectangles_cover_exactly_their_pixels_at_the_device_scale() {
        let red = image(20, 10, [255, 0, 0]);
        // 2 device pixels per CSS pixel: CSS (1, 1, 2x2) is device (2, 2)..(6, 6).
        let out = paint(&red, &[[1.0, 1.0, 2.0, 2.0]], 2.0).unwrap();
        let (w, px) = pixels(&out);
        let at = |x: usize, y: usize| &px[(y * w + x) * 4..(y * w + x) * 4 + 3];
        assert_eq!(at(2, 2), COVER);
        assert_eq!(at(5, 5), COVER);
        assert_eq!(at(6, 6), [255, 0, 0]);
        assert_eq!(at(1, 2), [255, 0, 0]);
        // Off the picture, or not a number: nothing painted, no panic.
        let same = paint(
            &red,
            &[[50.0, 50.0, 5.0, 5.0], [f64::NAN, 0.0, 1.0, 1.0]],
            1.0,
        )
        .unwrap();
        assert_eq!(pixels(&same).1, pixels(&red).1);
        // A rectangle running past the edge is cut there.
        let edge = paint(&red, &[[15.0, 5.0, 100.0, 100.0]], 1.0).unwrap();
        let (w, px) = pixels(&edge);
        assert_eq!(&px[(9 * w + 19) * 4..(9 * w + 19) * 4 + 3], COVER);
    }

    #[test]
    fn a_picture_that_is_not_a_png_is_an_error() {
        assert!(paint(b"not a png", &[[0.0, 0.0, 1.0, 1.0]], 1.0).is_err());
    }

    #[test]
    fn a_frames_rectangle_is_moved_to_the_top_viewport_and_cut_to_the_frame() {
        let clip = [100.0, 50.0, 200.0, 100.0];
        assert_eq!(
            place(&[10.0, 10.0, 20.0, 5.0], 100.0, 50.0, &clip),
            Some([110.0, 60.0, 20.0, 5.0])
        );
        assert_eq!(
            place(&[190.0, 0.0, 50.0, 5.0], 100.0, 50.0, &clip),
            Some([290.0, 50.0, 10.0, 5.0])
        );
        assert_eq!(place(&[0.0, 200.0, 5.0, 5.0], 100.0, 50.0, &clip), None);
    }

    #[test]
    fn coverage_holds_only_when_every_place_was_covered() {
        let covered = [[10.0, 10.0, 100.0, 20.0]];
        assert!(all_covered(&[[10.5, 10.0, 50.0, 20.0]], &covered));
        assert!(all_covered(&[], &covered));
        assert!(!all_covered(&[[10.0, 40.0, 50.0, 20.0]], &covered));
        assert!(!all_covered(&[[10.0, 10.0, 50.0, 20.0]], &[]));
    }
}
