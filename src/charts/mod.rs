//! Charts drawn with plotters, one file per chart kind. Charts only see published (suppressed)
//! figures: a suppressed point is absent, never drawn as zero.

pub mod fonts;
pub mod sankey;
pub mod trend;

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart in both forms: inline SVG for the page, PNG bytes for the download.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub svg: String,
    pub png: Vec<u8>,
}

/// A chart kind: draws itself on any plotters backend.
trait Chart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// Draws `chart` twice: as SVG, and on a bitmap encoded as PNG, with the font shipped in the binary.
fn render(chart: &impl Chart, size: (u32, u32)) -> Result<Rendered> {
    fonts::register()?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(|e| anyhow!("chart: {e:?}"))?;
    }
    let mut pixels = vec![0u8; (size.0 * size.1 * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(|e| anyhow!("chart: {e:?}"))?;
    }
    Ok(Rendered {
        svg,
        png: fonts::encode_png(&pixels, size)?,
    })
}
