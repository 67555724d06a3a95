//! Sankey diagram drawn with plotters primitives (rectangles, polygons, text), in up to four
//! columns: one node on the left — a unit's alumni of one cohort —, its destinations (sectors),
//! the institutions of a destination and the programmes of an institution, each band as wide as
//! its count. Only published counts are drawn; what the published figures leave unexplained (the
//! sum of suppressed destinations, or the parts of a destination or institution that are not drawn
//! one by one) is a grey band without a number, never a suppressed count.

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

pub use super::Rendered;

/// One band: its label, width and colour (an index into the palette, so a destination keeps its
/// colour from diagram to diagram). `count` is `None` for a grey band of suppressed or undrawn
/// parts. `children` continue a band into the next column (a destination's institutions, an
/// institution's programmes); their widths sum to at most its own.
#[derive(Debug, Clone)]
pub struct Band {
    pub label: String,
    pub count: Option<i64>,
    pub width: i64,
    pub color: usize,
    pub children: Vec<Band>,
}

/// Where the columns of nodes stand; a diagram is as wide as its columns and their labels.
const COLUMNS: [(i32, i32); 4] = [(20, 34), (250, 264), (500, 514), (750, 764)];
const LABEL_ROOM: i32 = 280;
const TOP: i32 = 44;
/// The lowest the nodes reach in a diagram with few labels; one with more grows to fit them.
const BOTTOM: i32 = 350;
/// The space between two nodes of the destinations' column and of the columns after it.
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
/// next column and their children (and theirs) in the columns after it.
pub fn render(title: &str, source: &str, total: i64, bands: &[Band]) -> Result<Rendered> {
    let at = layout(total, bands);
    let columns = at.nodes.iter().map(|n| n.column).max().unwrap_or(1);
    let width = COLUMNS[columns.min(COLUMNS.len() - 1)].0 + LABEL_ROOM;
    let height = at.bottom.ceil() as i32 + 10;
    super::render(
        &Sankey {
            title,
            source,
            total,
            at,
        },
        (width as u32, height as u32),
    )
}

struct Sankey<'a> {
    title: &'a str,
    source: &'a str,
    total: i64,
    at: Layout<'a>,
}

impl super::Chart for Sankey<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        draw(root, self)
    }
}

/// A vertical extent in pixels.
type Span = (f64, f64);

/// One band where it stands: its column (1 for the destinations), where it leaves the node before
/// it (the left node or its parent's) and its own node.
#[derive(Debug)]
struct Node<'a> {
    column: usize,
    band: &'a Band,
    on_parent: Span,
    own: Span,
}

/// Where everything stands: the left node and every band, depth first in the order of `bands`;
/// `bottom` is the lowest a node reaches (`BOTTOM`, or lower where a column has more labels).
#[derive(Debug)]
struct Layout<'a> {
    bottom: f64,
    source: Span,
    nodes: Vec<Node<'a>>,
}

/// The bands of each column (depth first); a band of width 0 does not continue.
fn by_column<'a>(bands: &'a [Band], depth: usize, out: &mut Vec<Vec<&'a Band>>) {
    for band in bands {
        if out.len() <= depth {
            out.push(Vec::new());
        }
        out[depth].push(band);
        if band.width > 0 {
            by_column(&band.children, depth + 1, out);
        }
    }
}

/// The space after a drawn node of a column.
fn gap(depth: usize) -> f64 {
    f64::from(if depth == 0 { GAP } else { CHILD_GAP })
}

fn layout(total: i64, bands: &[Band]) -> Layout<'_> {
    let mut columns = Vec::new();
    by_column(bands, 0, &mut columns);
    let drawn = |column: &[&Band]| column.iter().filter(|b| b.width > 0).count();
    let most = columns.iter().map(|c| drawn(c)).max().unwrap_or(0);
    let bottom = f64::from(BOTTOM).max(f64::from(TOP) + most as f64 * LINE);
    let height = bottom - f64::from(TOP);
    // One scale for all columns: the one that fits the column with the most gaps. The
    // destinations fill the left node; the columns after it may hold less than their parents.
    let scale = (total > 0).then_some(()).map_or(0.0, |_| {
        columns
            .iter()
            .enumerate()
            .filter_map(|(depth, column)| {
                let sum = match depth {
                    0 => total,
                    _ => column.iter().map(|b| b.width.max(0)).sum(),
                };
                let gaps = drawn(column).saturating_sub(1) as f64 * gap(depth);
                (sum > 0).then(|| (height - gaps) / sum as f64)
            })
            .fold(f64::INFINITY, f64::min)
    });
    let scale = if scale.is_finite() { scale } else { 0.0 };
    // The left node is as tall as the bands, centred against the first column and its gaps.
    let first_gaps = columns
        .first()
        .map_or(0.0, |c| drawn(c).saturating_sub(1) as f64 * gap(0));
    let top = f64::from(TOP) + first_gaps / 2.0;
    let source = (top, top + total as f64 * scale);
    let mut cursors = vec![f64::from(TOP); columns.len()];
    let mut nodes = Vec::new();
    place(bands, 0, source.0, scale, &mut cursors, &mut nodes);
    Layout {
        bottom,
        source,
        nodes,
    }
}

/// Stacks `bands` in column `depth + 1`, each below the last drawn one, and leaving the node before
/// them from `from` down; then their children, from the top of their own node.
fn place<'a>(
    bands: &'a [Band],
    depth: usize,
    mut from: f64,
    scale: f64,
    cursors: &mut [f64],
    out: &mut Vec<Node<'a>>,
) {
    for band in bands {
        let h = band.width.max(0) as f64 * scale;
        let y = cursors[depth];
        out.push(Node {
            column: depth + 1,
            band,
            on_parent: (from, from + h),
            own: (y, y + h),
        });
        from += h;
        if band.width > 0 {
            cursors[depth] += h + gap(depth);
            place(&band.children, depth + 1, y, scale, cursors, out);
        }
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
/// line, and kept between `TOP` and `bottom` where the column has room for them all.
fn spread(wanted: &[f64], bottom: f64) -> Vec<f64> {
    let mut ys = wanted.to_vec();
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + LINE);
    }
    let overflow = ys.last().map_or(0.0, |&y| y - bottom);
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
    let at = &s.at;
    let node = |column: usize, span: Span, style: ShapeStyle| {
        let (x0, x1) = COLUMNS[column];
        let (top, bottom) = (
            span.0.round() as i32,
            (span.1.round() as i32).max(span.0.round() as i32 + 1),
        );
        Rectangle::new([(x0, top), (x1, bottom)], style)
    };
    let mut labels: Vec<Vec<(f64, String)>> = vec![Vec::new(); COLUMNS.len()];
    for n in at.nodes.iter().filter(|n| n.band.width > 0) {
        let fill = fill_of(n.band);
        let opacity = if n.column == 1 { 0.45 } else { 0.3 };
        root.draw(&Polygon::new(
            band_outline(
                (COLUMNS[n.column - 1].1, COLUMNS[n.column].0),
                n.on_parent,
                n.own,
            ),
            fill.mix(opacity).filled(),
        ))
        .map_err(fail)?;
        root.draw(&node(n.column, n.own, fill.filled()))
            .map_err(fail)?;
        labels[n.column].push(((n.own.0 + n.own.1) / 2.0, label_of(n.band, s.total)));
    }
    for (column, list) in labels.iter().enumerate() {
        let wanted: Vec<f64> = list.iter().map(|(y, _)| *y).collect();
        for (y, (_, label)) in spread(&wanted, at.bottom).iter().zip(list) {
            let x = COLUMNS[column].1 + 6;
            root.draw(&text(label, (x, y.round() as i32 - 7), 13))
                .map_err(fail)?;
        }
    }
    if !at.nodes.is_empty() && s.total > 0 {
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

    /// The node of the band labelled `label`: (on its parent, its own).
    fn at(layout: &Layout, label: &str) -> (Span, Span) {
        let n = layout.nodes.iter().find(|n| n.band.label == label).unwrap();
        (n.on_parent, n.own)
    }

    #[test]
    fn middle_bands_fill_the_left_node_and_stand_apart() {
        // 30 + 0 + 10 of 40, no children: the empty band takes no room and no gap.
        let bands = [
            band("a", Some(30), 30, vec![]),
            band("b", Some(0), 0, vec![]),
            band("c", Some(10), 10, vec![]),
        ];
        let layout = layout(40, &bands);
        let (top, bottom, gap) = (f64::from(TOP), f64::from(BOTTOM), f64::from(GAP));
        let space = bottom - top - gap;
        assert_eq!(layout.bottom, bottom);
        // Left: one block of `space`, centred; middle: the same heights with one gap between.
        assert_eq!(layout.source, (top + gap / 2.0, bottom - gap / 2.0));
        let (a, c) = (at(&layout, "a"), at(&layout, "c"));
        assert_eq!(a.0, (top + gap / 2.0, top + gap / 2.0 + space * 0.75));
        assert_eq!(c.0 .1, bottom - gap / 2.0);
        assert_eq!(a.1, (top, top + space * 0.75));
        assert_eq!(c.1, (top + space * 0.75 + gap, bottom));
        assert!(layout.nodes.iter().all(|n| n.column == 1));
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
        let layout = layout(40, &bands);
        // Four right-hand nodes, three gaps: that column sets the scale.
        let scale = (f64::from(BOTTOM - TOP) - 3.0 * f64::from(CHILD_GAP)) / 40.0;
        let hbo = at(&layout, "hbo").1;
        assert_eq!(hbo.1 - hbo.0, 30.0 * scale);
        let (ha, rest) = (at(&layout, "21HA"), at(&layout, "rest"));
        assert_eq!(ha.0, (hbo.0, hbo.0 + 20.0 * scale));
        assert_eq!(rest.0, (hbo.0 + 20.0 * scale, hbo.1));
        assert_eq!(ha.1 .0, f64::from(TOP));
        assert_eq!(rest.1 .0, ha.1 .1 + f64::from(CHILD_GAP));
        let last = at(&layout, "26XY").1;
        assert!((last.1 - f64::from(BOTTOM)).abs() < 1e-9, "{last:?}");
        // The middle column has one gap and room to spare.
        assert!(at(&layout, "mbo").1 .1 < f64::from(BOTTOM));
        assert_eq!(at(&layout, "26XY").1 .0, at(&layout, "25LJ").1 .1 + 4.0);
    }

    #[test]
    fn programmes_leave_their_institution_in_a_fourth_column() {
        // mbo 40 → 25LJ 30 (→ 25168 20, grey 10) + 26XY 10; 24 programme-column labels would
        // not fit 350 px: the diagram grows to a line per label.
        let programmes: Vec<Band> = (0..24)
            .map(|i| band(&format!("p{i}"), Some(1), 1, vec![]))
            .collect();
        let bands = [
            band(
                "mbo",
                Some(40),
                40,
                vec![
                    band(
                        "25LJ",
                        Some(30),
                        30,
                        vec![
                            band("25168", Some(20), 20, vec![]),
                            band("rest", None, 10, vec![]),
                        ],
                    ),
                    band("26XY", Some(10), 10, vec![]),
                ],
            ),
            band(
                "hbo",
                Some(24),
                24,
                vec![band("21HA", Some(24), 24, programmes)],
            ),
        ];
        let layout = layout(64, &bands);
        assert_eq!(layout.bottom, f64::from(TOP) + 26.0 * LINE);
        let column = |label: &str| {
            layout
                .nodes
                .iter()
                .find(|n| n.band.label == label)
                .unwrap()
                .column
        };
        assert_eq!((column("mbo"), column("25LJ"), column("25168")), (1, 2, 3));
        let lj = at(&layout, "25LJ").1;
        let (p, rest) = (at(&layout, "25168"), at(&layout, "rest"));
        // The programmes leave the top of their institution's node, one after the other, and
        // stand from the top of the fourth column.
        assert_eq!(p.0 .0, lj.0);
        assert!((rest.0 .1 - lj.1).abs() < 1e-9);
        assert_eq!(p.1 .0, f64::from(TOP));
        assert_eq!(rest.1 .0, p.1 .1 + f64::from(CHILD_GAP));
        // Every column fits above the bottom.
        assert!(layout.nodes.iter().all(|n| n.own.1 <= layout.bottom + 1e-9));
        let r = render("t", "s", 64, &bands).unwrap();
        assert!(r.svg.contains("25168 20 (31%)"));
        assert!(r
            .svg
            .contains(&format!("width=\"{}\"", COLUMNS[3].0 + LABEL_ROOM)));
    }

    #[test]
    fn labels_move_apart_and_stay_inside() {
        let ys = spread(&[100.0, 101.0, 102.0], f64::from(BOTTOM));
        assert_eq!(ys, vec![100.0, 115.0, 130.0]);
        let bottom = f64::from(BOTTOM);
        let near_bottom = spread(&[bottom - 1.0, bottom], bottom);
        assert_eq!(near_bottom[1], bottom);
        assert_eq!(near_bottom[0], bottom - LINE);
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
