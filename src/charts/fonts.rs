//! The font every chart is drawn with, shipped in the binary (DejaVu Sans, reports/fonts/, with
//! its licence): no system font is looked up, so a PNG looks the same on every machine. And the
//! PNG encoding of a drawn bitmap.

use std::sync::OnceLock;

use anyhow::{anyhow, Result};
use plotters::style::FontStyle;

const DEJAVU_SANS: &[u8] = include_bytes!("../../reports/fonts/DejaVuSans.ttf");

/// Registers the font as `sans-serif` once.
pub fn register() -> Result<()> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(anyhow!("chart: the shipped font could not be loaded"))
    }
}

/// RGB pixels as PNG bytes (deterministic: the same pixels give the same bytes).
pub fn encode_png(pixels: &[u8], (width, height): (u32, u32)) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // `Default`, not `Best`: at 16× the demo `Best` spent about 17 % of a whole run in deflate's
        // match search (perf); measured at 4× the report stage went 9.12 s → 3.76 s and 16× 32.4 s →
        // 13.5 s, for 21 % more PNG bytes (10.9 → 13.2 MB at 4×).
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder.write_header().map_err(|e| anyhow!("png: {e}"))?;
        writer
            .write_image_data(pixels)
            .map_err(|e| anyhow!("png: {e}"))?;
    }
    Ok(out)
}
