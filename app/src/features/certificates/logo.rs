//! The course's logo on its certificates: a PNG that staff upload, checked and flattened once
//! (RGB on white, within a size that keeps certificates small), kept beside the uploads.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest file accepted.
pub const MAX_BYTES: usize = 512 * 1024;
/// Largest picture accepted, in pixels; it is printed within 150 × 44 points.
pub const MAX_WIDTH: u32 = 1200;
pub const MAX_HEIGHT: u32 = 600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub width: u32,
    pub height: u32,
    /// Three bytes per pixel, row by row.
    pub rgb: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoProblem {
    TooLarge,
    NotPng,
    TooManyPixels,
}

impl From<LogoProblem> for crate::domain::outcome::Outcome {
    fn from(problem: LogoProblem) -> Self {
        use crate::domain::outcome::Outcome;
        match problem {
            LogoProblem::TooLarge => Outcome::TooLarge,
            LogoProblem::NotPng => Outcome::NotPng,
            LogoProblem::TooManyPixels => Outcome::TooManyPixels,
        }
    }
}

/// Reads a PNG upload into a flat RGB picture (transparency laid over white).
pub fn decode(bytes: &[u8]) -> Result<Logo, LogoProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(LogoProblem::TooLarge);
    }
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(bytes),
        png::Limits {
            bytes: 16 * 1024 * 1024,
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|_| LogoProblem::NotPng)?;
    let (width, height) = (reader.info().width, reader.info().height);
    if width == 0 || height == 0 || width > MAX_WIDTH || height > MAX_HEIGHT {
        return Err(LogoProblem::TooManyPixels);
    }
    let size = reader.output_buffer_size().ok_or(LogoProblem::NotPng)?;
    let mut buffer = vec![0; size];
    let frame = reader
        .next_frame(&mut buffer)
        .map_err(|_| LogoProblem::NotPng)?;
    let data = &buffer[..frame.buffer_size()];
    let over_white = |value: u8, alpha: u8| -> u8 {
        ((u16::from(value) * u16::from(alpha) + 255 * (255 - u16::from(alpha))) / 255) as u8
    };
    let rgb: Vec<u8> = match frame.color_type {
        png::ColorType::Rgb => data.to_vec(),
        png::ColorType::Rgba => data
            .chunks_exact(4)
            .flat_map(|p| {
                [
                    over_white(p[0], p[3]),
                    over_white(p[1], p[3]),
                    over_white(p[2], p[3]),
                ]
            })
            .collect(),
        png::ColorType::Grayscale => data.iter().flat_map(|g| [*g, *g, *g]).collect(),
        png::ColorType::GrayscaleAlpha => data
            .chunks_exact(2)
            .flat_map(|p| {
                let g = over_white(p[0], p[1]);
                [g, g, g]
            })
            .collect(),
        // EXPAND turns palettes into RGB(A); nothing else is left.
        png::ColorType::Indexed => return Err(LogoProblem::NotPng),
    };
    if rgb.len() != width as usize * height as usize * 3 {
        return Err(LogoProblem::NotPng);
    }
    Ok(Logo { width, height, rgb })
}

pub fn path_for(upload_dir: &Path, course_id: i32) -> PathBuf {
    upload_dir
        .join("logos")
        .join(format!("course-{course_id}.rgb"))
}

/// Kept as width and height (4 bytes each, little-endian) followed by the pixels.
pub async fn store(upload_dir: &Path, course_id: i32, logo: &Logo) -> std::io::Result<()> {
    let path = path_for(upload_dir, course_id);
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let mut bytes = Vec::with_capacity(8 + logo.rgb.len());
    bytes.extend_from_slice(&logo.width.to_le_bytes());
    bytes.extend_from_slice(&logo.height.to_le_bytes());
    bytes.extend_from_slice(&logo.rgb);
    tokio::fs::write(path, bytes).await
}

pub async fn remove(upload_dir: &Path, course_id: i32) {
    let _ = tokio::fs::remove_file(path_for(upload_dir, course_id)).await;
}

/// The course's logo, if it has one (a damaged file counts as none).
pub async fn load(upload_dir: &Path, course_id: i32) -> Option<Arc<Logo>> {
    let bytes = tokio::fs::read(path_for(upload_dir, course_id))
        .await
        .ok()?;
    let width = u32::from_le_bytes(bytes.get(0..4)?.try_into().ok()?);
    let height = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?);
    let rgb = bytes.get(8..)?.to_vec();
    (width <= MAX_WIDTH
        && height <= MAX_HEIGHT
        && rgb.len() == width as usize * height as usize * 3)
        .then(|| Arc::new(Logo { width, height, rgb }))
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A `width` × `height` PNG with a transparent half.
    pub fn sample_png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().expect("header");
            let pixels: Vec<u8> = (0..width * height)
                .flat_map(|i| {
                    let x = i % width;
                    [0x10, 0x50, 0x90, if x < width / 2 { 255 } else { 0 }]
                })
                .collect();
            writer.write_image_data(&pixels).expect("pixels");
        }
        out
    }

    #[test]
    fn pngs_are_flattened_over_white() {
        let logo = decode(&sample_png(8, 2)).expect("a PNG");
        assert_eq!((logo.width, logo.height), (8, 2));
        assert_eq!(&logo.rgb[..3], &[0x10, 0x50, 0x90], "opaque pixels kept");
        assert_eq!(
            &logo.rgb[7 * 3..8 * 3],
            &[255, 255, 255],
            "transparent ones white"
        );
    }

    #[test]
    fn other_files_and_huge_pictures_are_refused() {
        assert_eq!(decode(b"%PDF-1.7 not a picture"), Err(LogoProblem::NotPng));
        assert_eq!(decode(&[]), Err(LogoProblem::NotPng));
        let mut truncated = sample_png(8, 2);
        truncated.truncate(truncated.len() - 20);
        assert_eq!(decode(&truncated), Err(LogoProblem::NotPng));
        assert_eq!(
            decode(&sample_png(MAX_WIDTH + 1, 1)),
            Err(LogoProblem::TooManyPixels)
        );
        assert_eq!(decode(&vec![0; MAX_BYTES + 1]), Err(LogoProblem::TooLarge));
    }
}
