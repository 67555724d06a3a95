//! Sankey diagram drawn with plotters primitives (rectangles, polygons, text), in up to three
//! columns: one node on the left — a unit's alumni of one cohort —, its destinations (sectors) in
//! the middle, and the institutions of a destination on the right, each band as wide as its count.
//! Only published counts are drawn; what the published figures leave unexplained (the sum of
//! suppressed destinations, or the institutions of a destination that are not drawn one by one) is
//! a grey band without a number, never a suppressed count.

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

pub use super::Rendered;

/// One band: its label, width and colour (an index into the palette, so a destination keeps its
/// colour from diagram to diagram). `count` is `None` for a grey band of suppressed or undrawn
/// parts. `children` continue a middle band into the right-hand column (its institutions); their
/// widths sum to at most its own.
#[derive(Debug, Clone)]
pub struct Band {
    pub label: String,
    pub count: Option<i64>,
    pub width: i64,
    pub color: usize,
    pub children: Vec<Band>,
}

/// The size of a Sankey in pixels: with a right-hand column, and without one (two columns).
const SIZE: (u32, u32) = (760, 360);
const SIZE_TWO_COLUMNS: (u32, u32) = (520, 360);
/// Where the three columns of nodes stand.
const COLUMNS: [(i32, i32); 3] = [(20, 34), (250, 264), (500, 514)];
const TOP: i32 = 44;
const BOTTOM: i32 = 350;
/// The space between two nodes of the middle and of the right-hand column.
const GAP: i32 = 8;
const CHILD_GAP: i32 = 4;
/// The height of a label's line: labels closer than this are moved apart.
const LINE: f64 = 15.0;

const COLORS: [RGBColor; 6] = [
    RGBColor(31, 95, 168),
    RGBColor(214, 110, 20),
    RGBColor(40, 140, 70),
    RGBColor(150, 60, 150),
    RGBColor(190, 160, 30),
    RGBColor(90, 90, 90),
];
const HIDDEN: RGBColor = RGBColor(200, 200, 200);

/// Renders the diagram: `title` above, `source` (with `total`) on the left node, `bands` in the
/// middle and their children on the right.
pub fn render(title: &str, source: &str, total: i64, bands: &[Band]) -> Result<Rendered> {
    super::render(
        &Sankey {
            title,
            source,
            total,
            bands,
        },
        match bands.iter().any(|b| !b.children.is_empty()) {
            true => SIZE,
            false => SIZE_TWO_COLUMNS,
        },
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

/// A vertical extent in pixels.
type Span = (f64, f64);

/// Where everything stands: the left node, each middle band (on the left node, on its own node),
/// and each child (on its parent's node, on its own node), in the order of `bands`.
#[derive(Debug, PartialEq)]
struct Layout {
    source: Span,
    bands: Vec<(Span, Span)>,
    children: Vec<Vec<(Span, Span)>>,
}

fn layout(total: i64, bands: &[Band]) -> Layout {
    let drawn = |n: usize| {
        i32::try_from(n)
            .unwrap_or(i32::MAX)
            .saturating_sub(1)
            .max(0)
    };
    let middle = drawn(bands.iter().filter(|b| b.width > 0).count());
    let children: Vec<&Band> = bands
        .iter()
        .filter(|b| b.width > 0)
        .flat_map(|b| b.children.iter())
        .collect();
    let right = drawn(children.iter().filter(|c| c.width > 0).count());
    let right_total: i64 = children.iter().map(|c| c.width.max(0)).sum();
    let height = f64::from(BOTTOM - TOP);
    // One scale for all columns: the one that fits the column with the most gaps.
    let fit = |gaps: i32, sum: i64| (height - f64::from(gaps)) / sum as f64;
    let scale = match (total > 0, right_total > 0) {
        (false, _) => 0.0,
        (true, false) => fit(GAP * middle, total),
        (true, true) => fit(GAP * middle, total).min(fit(CHILD_GAP * right, right_total)),
    };
    // The left node is as tall as the bands, centred against the middle nodes and their gaps.
    let extent = total as f64 * scale + f64::from(GAP * middle);
    let top = f64::from(TOP) + (extent - total as f64 * scale) / 2.0;
    let source = (top, top + total as f64 * scale);
    let (mut left, mut mid, mut right_y) = (top, f64::from(TOP), f64::from(TOP));
    let mut out_bands = Vec::new();
    let mut out_children = Vec::new();
    for band in bands {
        let h = band.width.max(0) as f64 * scale;
        out_bands.push(((left, left + h), (mid, mid + h)));
        // The children leave from the top of their parent's node, one after the other.
        let mut on_parent = mid;
        let mut spans = Vec::new();
        for child in band.children.iter().filter(|_| band.width > 0) {
            let c = child.width.max(0) as f64 * scale;
            spans.push(((on_parent, on_parent + c), (right_y, right_y + c)));
            on_parent += c;
            if child.width > 0 {
                right_y += c + f64::from(CHILD_GAP);
            }
        }
        out_children.push(spans);
        left += h;
        mid += h;
        if band.width > 0 {
            mid += f64::from(GAP);
        }
    }
    Layout {
        source,
        bands: out_bands,
        children: out_children,
    }
}

/// A band's outline from column `from` to `to`: the top edge as a smooth curve from left to right,
/// the bottom edge back.
fn band_outline(x: (i32, i32), l: Span, r: Span) -> Vec<(i32, i32)> {
    let (x0, x1) = (f64::from(x.0), f64::from(x.1));
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

/// Label positions: each wants the centre of its node; moved apart so no two are closer than a
/// line, and kept between `TOP` and `BOTTOM` where the column has room for them all.
fn spread(wanted: &[f64]) -> Vec<f64> {
    let mut ys = wanted.to_vec();
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + LINE);
    }
    let overflow = ys.last().map_or(0.0, |&y| y - f64::from(BOTTOM));
    if overflow > 0.0 {
        let room = ys.first().map_or(0.0, |&y| y - f64::from(TOP));
        let shift = overflow.min(room.max(0.0));
        for y in ys.iter_mut() {
            *y -= shift;
        }
        for i in (0..ys.len().saturating_sub(1)).rev() {
            ys[i] = ys[i].min(ys[i + 1] - LINE);
        }
    }
    ys
}

fn fail(e: impl std::fmt::Debug) -> anyhow::Error {
    anyhow!("chart: {e:?}")
}

/// A band's label: `label n (p%)` of the whole cohort, or the label alone for a grey band.
fn label_of(band: &Band, total: i64) -> String {
    match band.count {
        Some(n) if total > 0 => format!(
            "{} {n} ({:.0}%)",
            band.label,
            100.0 * n as f64 / total as f64
        ),
        _ => band.label.clone(),
    }
}

fn fill_of(band: &Band) -> RGBColor {
    match band.count {
        Some(_) => COLORS[band.color % COLORS.len()],
        None => HIDDEN,
    }
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
    root.draw(&text(s.title, (COLUMNS[0].0, 8), 18))
        .map_err(fail)?;
    root.draw(&text(
        &format!("{}: {}", s.source, s.total),
        (COLUMNS[0].0, 28),
        14,
    ))
    .map_err(fail)?;
    let at = layout(s.total, s.bands);
    let node = |column: usize, span: Span, style: ShapeStyle| {
        let (x0, x1) = COLUMNS[column];
        let (top, bottom) = (
            span.0.round() as i32,
            (span.1.round() as i32).max(span.0.round() as i32 + 1),
        );
        Rectangle::new([(x0, top), (x1, bottom)], style)
    };
    let mut labels: [Vec<(f64, String)>; 2] = [Vec::new(), Vec::new()];
    for (i, (band, (l, m))) in s.bands.iter().zip(&at.bands).enumerate() {
        if band.width <= 0 {
            continue;
        }
        let fill = fill_of(band);
        root.draw(&Polygon::new(
            band_outline((COLUMNS[0].1, COLUMNS[1].0), *l, *m),
            fill.mix(0.45).filled(),
        ))
        .map_err(fail)?;
        root.draw(&node(1, *m, fill.filled())).map_err(fail)?;
        labels[0].push(((m.0 + m.1) / 2.0, label_of(band, s.total)));
        for (child, (on_parent, own)) in band.children.iter().zip(&at.children[i]) {
            if child.width <= 0 {
                continue;
            }
            let fill = fill_of(child);
            root.draw(&Polygon::new(
                band_outline((COLUMNS[1].1, COLUMNS[2].0), *on_parent, *own),
                fill.mix(0.3).filled(),
            ))
            .map_err(fail)?;
            root.draw(&node(2, *own, fill.filled())).map_err(fail)?;
            labels[1].push(((own.0 + own.1) / 2.0, label_of(child, s.total)));
        }
    }
    for (column, list) in labels.iter().enumerate() {
        let wanted: Vec<f64> = list.iter().map(|(y, _)| *y).collect();
        for (y, (_, label)) in spread(&wanted).iter().zip(list) {
            let x = COLUMNS[column + 1].1 + 6;
            root.draw(&text(label, (x, y.round() as i32 - 7), 13))
                .map_err(fail)?;
        }
    }
    if !s.bands.is_empty() && s.total > 0 {
        root.draw(&node(0, at.source, BLACK.mix(0.75).filled()))
            .map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(label: &str, count: Option<i64>, width: i64, children: Vec<Band>) -> Band {
        Band {
            label: label.into(),
            count,
            width,
            color: 1,
            children,
        }
    }

    #[test]
    fn middle_bands_fill_the_left_node_and_stand_apart() {
        // 30 + 0 + 10 of 40, no children: the empty band takes no room and no gap.
        let bands = [
            band("a", Some(30), 30, vec![]),
            band("b", Some(0), 0, vec![]),
            band("c", Some(10), 10, vec![]),
        ];
        let at = layout(40, &bands);
        let (top, bottom, gap) = (f64::from(TOP), f64::from(BOTTOM), f64::from(GAP));
        let space = bottom - top - gap;
        // Left: one block of `space`, centred; middle: the same heights with one gap between.
        assert_eq!(at.source, (top + gap / 2.0, bottom - gap / 2.0));
        assert_eq!(
            at.bands[0].0,
            (top + gap / 2.0, top + gap / 2.0 + space * 0.75)
        );
        assert_eq!(at.bands[2].0 .1, bottom - gap / 2.0);
        assert_eq!(at.bands[0].1, (top, top + space * 0.75));
        assert_eq!(at.bands[2].1, (top + space * 0.75 + gap, bottom));
    }

    #[test]
    fn children_leave_their_parent_in_order_and_fit_the_right_column() {
        // hbo 30 → 21HA 20 + grey 10; mbo 10 → 25LJ 6 + 26XY 4.
        let bands = [
            band(
                "hbo",
                Some(30),
                30,
                vec![
                    band("21HA", Some(20), 20, vec![]),
                    band("rest", None, 10, vec![]),
                ],
            ),
            band(
                "mbo",
                Some(10),
                10,
                vec![
                    band("25LJ", Some(6), 6, vec![]),
                    band("26XY", Some(4), 4, vec![]),
                ],
            ),
        ];
        let at = layout(40, &bands);
        // Four right-hand nodes, three gaps: that column sets the scale.
        let scale = (f64::from(BOTTOM - TOP) - 3.0 * f64::from(CHILD_GAP)) / 40.0;
        let hbo = at.bands[0].1;
        assert_eq!(hbo.1 - hbo.0, 30.0 * scale);
        let kids = &at.children[0];
        assert_eq!(kids[0].0, (hbo.0, hbo.0 + 20.0 * scale));
        assert_eq!(kids[1].0, (hbo.0 + 20.0 * scale, hbo.1));
        assert_eq!(kids[0].1 .0, f64::from(TOP));
        assert_eq!(kids[1].1 .0, kids[0].1 .1 + f64::from(CHILD_GAP));
        let last = at.children[1][1].1;
        assert!((last.1 - f64::from(BOTTOM)).abs() < 1e-9, "{last:?}");
        // The middle column has one gap and room to spare.
        assert!(at.bands[1].1 .1 < f64::from(BOTTOM));
    }

    #[test]
    fn labels_move_apart_and_stay_inside() {
        let ys = spread(&[100.0, 101.0, 102.0]);
        assert_eq!(ys, vec![100.0, 115.0, 130.0]);
        let near_bottom = spread(&[f64::from(BOTTOM) - 1.0, f64::from(BOTTOM)]);
        assert_eq!(near_bottom[1], f64::from(BOTTOM));
        assert_eq!(near_bottom[0], f64::from(BOTTOM) - LINE);
    }

    #[test]
    fn grey_bands_carry_no_number() {
        let bands = [
            band(
                "hbo",
                Some(53),
                53,
                vec![
                    band("21HA", Some(40), 40, vec![]),
                    band("andere instellingen", None, 13, vec![]),
                ],
            ),
            band("afgeschermd", None, 7, vec![]),
        ];
        let r = render("Bestemmingen 2023", "Gediplomeerden", 60, &bands).unwrap();
        assert!(r.svg.contains("hbo 53 (88%)"));
        assert!(r.svg.contains("21HA 40 (67%)"));
        assert!(
            r.svg.contains("\nafgeschermd\n"),
            "the label on a line of its own"
        );
        assert!(r.svg.contains("\nandere instellingen\n"));
        assert!(!r.svg.contains("afgeschermd 7"));
        assert!(!r.svg.contains("instellingen 13"));
        assert!(r.png.starts_with(b"\x89PNG"));
    }
}
