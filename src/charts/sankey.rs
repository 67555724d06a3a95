//! Sankey diagram drawn with plotters primitives (rectangles, polygons, text): one node on the
//! left — a unit's alumni of one cohort — and its destinations on the right, each band as wide as
//! its count. Only published counts are drawn; what the published figures leave unexplained (the
//! sum of suppressed destinations) is one grey band without a number, never a suppressed count.

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

pub use super::Rendered;

/// One band: its label, width and colour (an index into the palette, so a destination keeps its
/// colour from diagram to diagram). `count` is `None` for the grey band of suppressed parts.
#[derive(Debug, Clone)]
pub struct Band {
    pub label: String,
    pub count: Option<i64>,
    pub width: i64,
    pub color: usize,
}

/// The size of every Sankey, in pixels: that of a trend chart, so the pages' figures line up.
const SIZE: (u32, u32) = (520, 280);
/// Where the nodes stand and how far apart the right-hand ones are.
const LEFT: (i32, i32) = (20, 34);
const RIGHT: (i32, i32) = (270, 284);
const TOP: i32 = 44;
const BOTTOM: i32 = 270;
const GAP: i32 = 8;

const COLORS: [RGBColor; 6] = [
    RGBColor(31, 95, 168),
    RGBColor(214, 110, 20),
    RGBColor(40, 140, 70),
    RGBColor(150, 60, 150),
    RGBColor(190, 160, 30),
    RGBColor(90, 90, 90),
];
const HIDDEN: RGBColor = RGBColor(200, 200, 200);

/// Renders the diagram: `title` above, `source` (with `total`) on the left node, `bands` right.
pub fn render(title: &str, source: &str, total: i64, bands: &[Band]) -> Result<Rendered> {
    super::render(
        &Sankey {
            title,
            source,
            total,
            bands,
        },
        SIZE,
    )
}

struct Sankey<'a> {
    title: &'a str,
    source: &'a str,
    total: i64,
    bands: &'a [Band],
}

impl super::Chart for Sankey<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        draw(root, self)
    }
}

/// The vertical extent of each drawn band on the left node and on its right node.
fn layout(total: i64, widths: &[i64]) -> Vec<((f64, f64), (f64, f64))> {
    let drawn = widths.iter().filter(|&&w| w > 0).count() as i32;
    let space = f64::from(BOTTOM - TOP - GAP * (drawn - 1).max(0));
    let scale = if total > 0 { space / total as f64 } else { 0.0 };
    // The left node is as tall as the bands, centred against the right nodes and their gaps.
    let mut left = f64::from(TOP) + f64::from(GAP * (drawn - 1).max(0)) / 2.0;
    let mut right = f64::from(TOP);
    widths
        .iter()
        .map(|&w| {
            let h = w as f64 * scale;
            let spans = ((left, left + h), (right, right + h));
            left += h;
            right += h;
            if w > 0 {
                right += f64::from(GAP);
            }
            spans
        })
        .collect()
}

/// A band's outline: the top edge as a smooth curve from left to right, the bottom edge back.
fn band_outline(l: (f64, f64), r: (f64, f64)) -> Vec<(i32, i32)> {
    let (x0, x1) = (f64::from(LEFT.1), f64::from(RIGHT.0));
    let curve = |y0: f64, y1: f64, t: f64| {
        // A cubic Bézier with horizontal tangents at both ends.
        let s = 1.0 - t;
        let x = s * s * s * x0 + 3.0 * s * t * (s + t) * (x0 + x1) / 2.0 + t * t * t * x1;
        let y = (s * s * s + 3.0 * s * s * t) * y0 + (3.0 * s * t * t + t * t * t) * y1;
        (x.round() as i32, y.round() as i32)
    };
    let steps = 32;
    let mut points: Vec<(i32, i32)> = (0..=steps)
        .map(|i| curve(l.0, r.0, f64::from(i) / f64::from(steps)))
        .collect();
    points.extend(
        (0..=steps)
            .rev()
            .map(|i| curve(l.1, r.1, f64::from(i) / f64::from(steps))),
    );
    points
}

fn fail(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow!("chart: {e:?}")
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &Sankey) -> Result<()> {
    root.fill(&WHITE).map_err(fail)?;
    let text = |t: &str, at: (i32, i32), size: i32| {
        Text::new(
            t.to_string(),
            at,
            ("sans-serif", size).into_font().color(&BLACK),
        )
    };
    root.draw(&text(s.title, (LEFT.0, 8), 18)).map_err(fail)?;
    root.draw(&text(
        &format!("{}: {}", s.source, s.total),
        (LEFT.0, 28),
        14,
    ))
    .map_err(fail)?;
    let widths: Vec<i64> = s.bands.iter().map(|b| b.width).collect();
    let spans = layout(s.total, &widths);
    for (band, (l, r)) in s.bands.iter().zip(&spans) {
        if band.width <= 0 {
            continue;
        }
        let fill = match band.count {
            Some(_) => COLORS[band.color % COLORS.len()],
            None => HIDDEN,
        };
        root.draw(&Polygon::new(band_outline(*l, *r), fill.mix(0.45).filled()))
            .map_err(fail)?;
        let (top, bottom) = (
            r.0.round() as i32,
            (r.1.round() as i32).max(r.0.round() as i32 + 1),
        );
        root.draw(&Rectangle::new(
            [(RIGHT.0, top), (RIGHT.1, bottom)],
            fill.filled(),
        ))
        .map_err(fail)?;
        let label = match band.count {
            Some(n) => format!(
                "{} {n} ({:.0}%)",
                band.label,
                100.0 * n as f64 / s.total as f64
            ),
            None => band.label.clone(),
        };
        root.draw(&text(&label, (RIGHT.1 + 6, (top + bottom) / 2 - 7), 14))
            .map_err(fail)?;
    }
    if let (Some(first), Some(last)) = (spans.first(), spans.last()) {
        let (top, bottom) = (first.0 .0.round() as i32, last.0 .1.round() as i32);
        root.draw(&Rectangle::new(
            [(LEFT.0, top), (LEFT.1, bottom)],
            BLACK.mix(0.75).filled(),
        ))
        .map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_fill_the_left_node_and_stand_apart_on_the_right() {
        // 30 + 0 + 10 of 40: the empty band takes no room and no gap.
        let spans = layout(40, &[30, 0, 10]);
        let (top, bottom, gap) = (f64::from(TOP), f64::from(BOTTOM), f64::from(GAP));
        let space = bottom - top - gap;
        // Left: one block of `space`, centred; right: the same heights with one gap between.
        assert_eq!(
            spans[0].0,
            (top + gap / 2.0, top + gap / 2.0 + space * 0.75)
        );
        assert_eq!(spans[2].0 .1, bottom - gap / 2.0);
        assert_eq!(spans[0].1, (top, top + space * 0.75));
        assert_eq!(spans[2].1, (top + space * 0.75 + gap, bottom));
    }

    #[test]
    fn the_grey_band_carries_no_number() {
        let bands = [
            Band {
                label: "hbo".into(),
                count: Some(53),
                width: 53,
                color: 1,
            },
            Band {
                label: "afgeschermd".into(),
                count: None,
                width: 7,
                color: 0,
            },
        ];
        let r = render("Bestemmingen 2023", "Gediplomeerden", 60, &bands).unwrap();
        assert!(r.svg.contains("hbo 53 (88%)"));
        assert!(
            r.svg.contains("\nafgeschermd\n"),
            "the label on a line of its own"
        );
        assert!(!r.svg.contains("afgeschermd 7"));
        assert!(r.png.starts_with(b"\x89PNG"));
    }
}
