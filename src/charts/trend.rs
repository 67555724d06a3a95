//! Trend chart: one line per indicator over the cohorts, with its 95% interval as a band. A
//! suppressed cohort leaves a gap in the line; nothing is drawn for it. A source's method change
//! is a break: the versions are separate series, never one line, and a dashed vertical line with
//! a label marks the first cohort of the new method.

use anyhow::{anyhow, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One published point: a cohort and its rate with interval, all as fractions.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub cohort: i32,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// One line: a label for the legend and its points (suppressed cohorts left out).
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
}

const COLORS: [RGBColor; 5] = [
    RGBColor(31, 95, 168),
    RGBColor(214, 110, 20),
    RGBColor(40, 140, 70),
    RGBColor(150, 60, 150),
    RGBColor(120, 120, 120),
];

/// Consecutive runs of points without a missing cohort between them.
fn runs(points: &[Point]) -> Vec<&[Point]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=points.len() {
        if i == points.len() || points[i].cohort != points[i - 1].cohort + 1 {
            out.push(&points[start..i]);
            start = i;
        }
    }
    out
}

/// A method change to mark: the first cohort of the new method and its label.
#[derive(Debug, Clone)]
pub struct Break {
    pub cohort: i32,
    pub label: String,
}

pub use super::Rendered;

/// The size of every trend chart, in pixels (SVG user units and PNG pixels alike).
const SIZE: (u32, u32) = (520, 280);

/// Renders the chart as an SVG document string.
pub fn svg(title: &str, cohorts: (i32, i32), series: &[Series]) -> Result<String> {
    svg_with_breaks(title, cohorts, series, &[])
}

/// Renders the chart as SVG, with method changes marked.
pub fn svg_with_breaks(
    title: &str,
    cohorts: (i32, i32),
    series: &[Series],
    breaks: &[Break],
) -> Result<String> {
    Ok(render(title, cohorts, series, breaks)?.svg)
}

/// Renders the chart as SVG and as PNG (a plotters bitmap drawn with the font shipped in the
/// binary, encoded with the `png` crate), with method changes marked.
pub fn render(
    title: &str,
    cohorts: (i32, i32),
    series: &[Series],
    breaks: &[Break],
) -> Result<Rendered> {
    super::render(
        &Trend {
            title,
            cohorts,
            series,
            breaks,
        },
        SIZE,
    )
}

struct Trend<'a> {
    title: &'a str,
    cohorts: (i32, i32),
    series: &'a [Series],
    breaks: &'a [Break],
}

impl super::Chart for Trend<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        draw(root, self.title, self.cohorts, self.series, self.breaks)
    }
}

/// Draws the chart on any plotters backend.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    cohorts: (i32, i32),
    series: &[Series],
    breaks: &[Break],
) -> Result<()> {
    root.fill(&WHITE).map_err(|e| anyhow!("chart: {e:?}"))?;
    let (first, last) = (cohorts.0, cohorts.1.max(cohorts.0 + 1));
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(45)
        .build_cartesian_2d(first as f64 - 0.3..last as f64 + 0.3, 0f64..100f64)
        .map_err(|e| anyhow!("chart: {e:?}"))?;
    chart
        .configure_mesh()
        .x_labels((last - first + 1) as usize)
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(|e| anyhow!("chart: {e:?}"))?;
    for b in breaks {
        let x = b.cohort as f64 - 0.5;
        let dashes = (0..20).map(|k| {
            let y = k as f64 * 5.0;
            PathElement::new(vec![(x, y), (x, y + 2.5)], BLACK.mix(0.6).stroke_width(1))
        });
        chart
            .draw_series(dashes)
            .map_err(|e| anyhow!("chart: {e:?}"))?;
        chart
            .draw_series(std::iter::once(Text::new(
                b.label.clone(),
                (x + 0.05, 97.0),
                ("sans-serif", 11).into_font().color(&BLACK.mix(0.8)),
            )))
            .map_err(|e| anyhow!("chart: {e:?}"))?;
    }
    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let has_interval = s.points.iter().any(|p| p.high > p.low);
        for run in runs(&s.points) {
            if !has_interval {
                chart
                    .draw_series(LineSeries::new(
                        run.iter().map(|p| (p.cohort as f64, p.value * 100.0)),
                        color.stroke_width(2),
                    ))
                    .map_err(|e| anyhow!("chart: {e:?}"))?;
                continue;
            }
            let mut band: Vec<(f64, f64)> = run
                .iter()
                .map(|p| (p.cohort as f64, p.high * 100.0))
                .collect();
            band.extend(run.iter().rev().map(|p| (p.cohort as f64, p.low * 100.0)));
            chart
                .draw_series(std::iter::once(Polygon::new(band, color.mix(0.15))))
                .map_err(|e| anyhow!("chart: {e:?}"))?;
            chart
                .draw_series(LineSeries::new(
                    run.iter().map(|p| (p.cohort as f64, p.value * 100.0)),
                    color.stroke_width(2),
                ))
                .map_err(|e| anyhow!("chart: {e:?}"))?;
        }
        chart
            .draw_series(
                s.points
                    .iter()
                    .map(|p| Circle::new((p.cohort as f64, p.value * 100.0), 3, color.filled())),
            )
            .map_err(|e| anyhow!("chart: {e:?}"))?
            .label(s.label.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 12, y + 4)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|e| anyhow!("chart: {e:?}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cohort: i32) -> Point {
        Point {
            cohort,
            value: 0.5,
            low: 0.4,
            high: 0.6,
        }
    }

    #[test]
    fn a_missing_cohort_breaks_the_line() {
        let points = [p(2018), p(2019), p(2021), p(2022), p(2024)];
        let lens: Vec<usize> = runs(&points).iter().map(|r| r.len()).collect();
        assert_eq!(lens, vec![2, 2, 1]);
    }

    #[test]
    fn a_method_change_is_marked_and_its_versions_are_not_joined() {
        let old = Series {
            label: "nco: heel jaar".into(),
            points: vec![p(2018), p(2019), p(2020)],
        };
        let new = Series {
            label: "nco: 1 oktober".into(),
            points: vec![p(2021), p(2022)],
        };
        let s = svg_with_breaks(
            "Instroom",
            (2018, 2022),
            &[old, new],
            &[Break {
                cohort: 2021,
                label: "methode gewijzigd".into(),
            }],
        )
        .unwrap();
        assert!(s.contains("methode gewijzigd"));
        // Each version is its own line: two polylines of 3 and 2 points, none of 5.
        let lines: Vec<usize> = s
            .match_indices("<polyline")
            .map(|(i, _)| {
                let rest = &s[i..];
                let points = rest.split("points=\"").nth(1).unwrap();
                points.split('"').next().unwrap().split_whitespace().count()
            })
            .filter(|&n| n > 2)
            .collect();
        assert!(
            lines.contains(&3) && !lines.iter().any(|&n| n >= 5),
            "{lines:?}"
        );
    }

    #[test]
    fn svg_is_a_document_with_the_title() {
        let s = svg(
            "Instroom",
            (2018, 2020),
            &[Series {
                label: "direct".into(),
                points: vec![p(2018), p(2020)],
            }],
        )
        .unwrap();
        assert!(s.starts_with("<svg"));
        assert!(s.contains("Instroom"));
    }
}
