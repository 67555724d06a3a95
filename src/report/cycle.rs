//! `site/cycle.html`, the quality cycle: every intervention of the register with its pre/post
//! comparison and difference-in-differences against the rest of the region
//! (queries/cycle_interventions.sql, queries/cycle_trends.sql), and what changed since the last
//! run when `[inputs] previous_site` names an earlier site (queries/cycle_run_changes.sql). Every
//! number comes from published figures only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use super::units::percent;
use super::{base_context, chart_out, download, labels, write_page, ChartOut};
use crate::charts::trend::{self, Break, Point, Series};
use crate::engine::{self, TextTable, SITE_MODELS};
use crate::project::{Language, Project};

/// The page's own words.
#[derive(Debug, Serialize)]
struct Texts {
    title: &'static str,
    intro: &'static str,
    interventions: &'static str,
    none: &'static str,
    unit: &'static str,
    groep: &'static str,
    groep_note: &'static str,
    first_cohort: &'static str,
    before: &'static str,
    after: &'static str,
    change: &'static str,
    rest: &'static str,
    did: &'static str,
    verdict: &'static str,
    no_figures: &'static str,
    left_out: &'static str,
    method: &'static str,
    run_changes: &'static str,
    run_changes_none: &'static str,
    run_changes_intro: &'static str,
    status: &'static str,
    rows: &'static str,
    details: &'static str,
    was: &'static str,
    now: &'static str,
    more_in_download: &'static str,
}

fn texts(lang: Language) -> Texts {
    match lang {
        Language::Nl => Texts {
            title: "Kwaliteitscyclus",
            intro: "Heeft wat de school veranderde geholpen? Per interventie uit het register de \
                    cohorten vóór de eerste betrokken cohort tegenover die erna, en hetzelfde voor \
                    de rest van de regio (de regio zonder deze eenheid). Het verschil-in-verschillen \
                    is de verandering bij de eenheid min die in de rest van de regio, met een \
                    95%-interval. Alleen gepubliceerde cijfers tellen mee.",
            interventions: "Interventies",
            none: "Geen interventieregister opgegeven ([inputs] interventions).",
            unit: "Eenheid",
            groep: "Groep",
            groep_note: "vergeleken op de eenheid: een groep heeft geen cohorten van vóór de interventie; \
                         haar eigen cijfers staan op de pagina van de school",
            first_cohort: "Eerste cohort",
            before: "Vóór",
            after: "Na",
            change: "Verandering (pt)",
            rest: "Rest van de regio",
            did: "Verschil-in-verschillen (pt)",
            verdict: "Oordeel",
            no_figures: "Geen gepubliceerde cijfers voor deze eenheid.",
            left_out: "cohort(en) weggelaten omdat een cijfer niet gepubliceerd is",
            method: "Verandering en verschil-in-verschillen met hun 95%-interval (Wald, \
                     onafhankelijke proportions); elke periode telt tot drie cohorten samen.",
            run_changes: "Wat is er veranderd sinds de vorige run",
            run_changes_none: "Geef [inputs] previous_site = \"…/site\" van een eerdere run op om \
                               hier te zien welke cijfers nieuw, gewijzigd of anders onderdrukt zijn.",
            run_changes_intro: "Deze run vergeleken met de gepubliceerde cijfers van de vorige \
                                (site/data/indicators.csv):",
            status: "Status",
            rows: "Cijfers",
            details: "Regio en scholen",
            was: "Was",
            now: "Nu",
            more_in_download: "Alle rijen staan in de download.",
        },
        Language::En => Texts {
            title: "Quality cycle",
            intro: "Did what the school changed help? Per intervention in the register, the cohorts \
                    before its first cohort against those after, and the same for the rest of the \
                    region (the region without this unit). The difference-in-differences is the \
                    unit's change minus the rest of the region's, with a 95% interval. Published \
                    figures only.",
            interventions: "Interventions",
            none: "No intervention register given ([inputs] interventions).",
            unit: "Unit",
            groep: "Group",
            groep_note: "compared on the unit: a group has no cohorts from before the intervention; its own \
                         figures are on the school's page",
            first_cohort: "First cohort",
            before: "Before",
            after: "After",
            change: "Change (pt)",
            rest: "Rest of the region",
            did: "Difference-in-differences (pt)",
            verdict: "Verdict",
            no_figures: "No published figures for this unit.",
            left_out: "cohort(s) left out because a figure is not published",
            method: "Change and difference-in-differences with their 95% interval (Wald, \
                     independent proportions); each period pools up to three cohorts.",
            run_changes: "What changed since the last run",
            run_changes_none: "Give [inputs] previous_site = \"…/site\" of an earlier run to see \
                               here which figures are new, changed or suppressed differently.",
            run_changes_intro: "This run compared with the published figures of the previous one \
                                (site/data/indicators.csv):",
            status: "Status",
            rows: "Figures",
            details: "Region and schools",
            was: "Was",
            now: "Now",
            more_in_download: "Every row is in the download.",
        },
    }
}

/// A verdict on the difference-in-differences from its interval.
fn verdict(did: Option<(f64, f64)>, lang: Language) -> &'static str {
    let (nl, en) = match did {
        None => (
            "niet te berekenen: geen gepubliceerde cohort vóór of na",
            "cannot be computed: no published cohort before or after",
        ),
        Some((low, _)) if low > 0.0 => (
            "steeg meer dan in de rest van de regio",
            "rose more than in the rest of the region",
        ),
        Some((_, high)) if high < 0.0 => (
            "daalde meer dan in de rest van de regio",
            "fell more than in the rest of the region",
        ),
        Some(_) => (
            "geen aantoonbaar verschil met de rest van de regio (interval bevat 0)",
            "no demonstrable difference from the rest of the region (interval contains 0)",
        ),
    };
    labels::choose(lang, nl, en)
}

/// A difference of rates in points with one decimal and a sign (a real minus).
fn points(x: f64, lang: Language) -> String {
    let text = format!("{:+.1}", x * 100.0).replace('-', "−");
    match lang {
        Language::Nl => text.replace('.', ","),
        Language::En => text,
    }
}

/// The cohorts a period pooled (those not left out), as runs: `2018–2020`, `2018, 2020`.
fn cohorts_used(trends: &TextTable, order: &str, indicator: &str, period: &str) -> String {
    let cohorts: Vec<i32> = trends
        .rows
        .iter()
        .filter(|r| {
            trends.get(r, "volgorde") == order
                && trends.get(r, "indicator") == indicator
                && trends.get(r, "period") == period
                && trends.get(r, "left_out") == "false"
        })
        .filter_map(|r| trends.get(r, "cohort").parse().ok())
        .collect();
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for c in cohorts {
        match runs.last_mut() {
            Some(run) if run.1 + 1 == c => run.1 = c,
            _ => runs.push((c, c)),
        }
    }
    runs.iter()
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            1 => format!("{a}, {b}"),
            _ => format!("{a}–{b}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Serialize)]
struct Comparison {
    indicator: String,
    before: String,
    after: String,
    change: String,
    rest: String,
    did: String,
    verdict: &'static str,
    left_out: String,
}

#[derive(Debug, Serialize)]
struct Intervention {
    name: String,
    unit: String,
    groep: String,
    first_cohort: String,
    description: String,
    comparisons: Vec<Comparison>,
    charts: Vec<ChartOut>,
}

#[derive(Debug, Serialize)]
struct StatusCount {
    status: &'static str,
    rows: usize,
}

#[derive(Debug, Serialize)]
struct ChangedRow {
    status: &'static str,
    unit: String,
    indicator: String,
    cohort: String,
    was: String,
    now: String,
}

/// What a run-change status means, in words.
fn status_label(status: &str, lang: Language) -> &'static str {
    let (nl, en) = match status {
        "nieuw" => ("nieuw (bijv. een nieuw cohort)", "new (e.g. a new cohort)"),
        "vervallen" => ("niet meer in de bundel", "no longer in the bundle"),
        "gewijzigd" => ("ander cijfer", "other numbers"),
        "nu_onderdrukt" => ("nu niet gepubliceerd", "now not published"),
        _ => ("nu wel gepubliceerd", "now published"),
    };
    labels::choose(lang, nl, en)
}

/// How many changed rows the page lists; the download has all.
const SHOWN_CHANGES: usize = 60;

/// Renders `<site>/cycle.html`; `previous_given` says whether an earlier site was compared.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
    previous_given: bool,
) -> Result<PathBuf> {
    let lang = project.language;
    let t = texts(lang);
    let page = "cycle.html";
    let register = engine::query_text(ctx, SITE_MODELS, "cycle_interventions").await?;
    let trends = engine::query_text(ctx, SITE_MODELS, "cycle_trends").await?;
    let unit_name = |unit_id: &str| -> String {
        let (school, niveau) = unit_id.split_once(':').unwrap_or((unit_id, ""));
        let name = names.get(school).map_or(school, String::as_str);
        match niveau {
            "" => format!("{name} ({school})"),
            n => format!("{name} {n} ({school})"),
        }
    };
    let mut interventions: Vec<Intervention> = Vec::new();
    let mut chart_no = 0;
    for r in &register.rows {
        let get = |name: &str| register.get(r, name);
        let number = |name: &str| get(name).parse::<f64>().ok();
        let order = get("volgorde");
        if interventions.last().is_none_or(|i| i.name != get("naam")) {
            interventions.push(Intervention {
                name: get("naam").to_string(),
                unit: unit_name(get("unit_id")),
                groep: get("groep").to_string(),
                first_cohort: get("eerste_cohort").to_string(),
                description: get("beschrijving").to_string(),
                comparisons: Vec::new(),
                charts: Vec::new(),
            });
        }
        let indicator = get("indicator");
        if indicator.is_empty() {
            continue;
        }
        let current = interventions.last_mut().expect("pushed above");
        let period = |prefix: &str| -> String {
            match number(&format!("{prefix}_value")) {
                None => "—".into(),
                Some(v) => format!(
                    "{} ({})",
                    percent(v),
                    cohorts_used(&trends, order, indicator, prefix)
                ),
            }
        };
        let with_interval = |name: &str| -> String {
            match (
                number(name),
                number(&format!("{name}_low")),
                number(&format!("{name}_high")),
            ) {
                (Some(x), Some(lo), Some(hi)) => format!(
                    "{} [{}; {}]",
                    points(x, lang),
                    points(lo, lang),
                    points(hi, lang)
                ),
                _ => "—".into(),
            }
        };
        let rest = match (number("voor_rest_value"), number("na_rest_value")) {
            (Some(a), Some(b)) => format!("{} → {}", percent(a), percent(b)),
            _ => "—".into(),
        };
        let left_out = match get("cohorts_left_out") {
            "0" | "" => String::new(),
            n => format!("{n} {}", t.left_out),
        };
        current.comparisons.push(Comparison {
            indicator: labels::indicator_or_id(indicator, lang).to_string(),
            before: period("voor"),
            after: period("na"),
            change: with_interval("change"),
            rest,
            did: with_interval("did"),
            verdict: verdict(number("did_low").zip(number("did_high")), lang),
            left_out,
        });
        chart_no += 1;
        let chart = intervention_chart(&trends, order, indicator, current, lang)?;
        current.charts.push(chart_out(site, page, chart_no, chart)?);
    }
    download::write(
        site,
        "interventions",
        &download::from_text(&register),
        project.data_until,
    )?;
    download::write(
        site,
        "intervention_trends",
        &download::from_text(&trends),
        project.data_until,
    )?;
    let mut downloads = vec!["interventions", "intervention_trends"];
    let mut context = base_context(project, page, &[]);
    if previous_given {
        let changes = engine::query_text(ctx, SITE_MODELS, "cycle_run_changes").await?;
        download::write(
            site,
            "run_changes",
            &download::from_text(&changes),
            project.data_until,
        )?;
        downloads.push("run_changes");
        let (counts, details) = run_changes(&changes, &unit_name, project);
        context.insert("status_counts", &counts);
        context.insert("changed", &details);
    }
    context.insert("downloads", &downloads);
    context.insert("c", &t);
    context.insert("has_register", &!register.rows.is_empty());
    context.insert("interventions", &interventions);
    context.insert("previous_given", &previous_given);
    write_page(site, page, &context)
}

/// The chart of one intervention and indicator: the unit and the rest of the region over the
/// window, with the first affected cohort marked.
fn intervention_chart(
    trends: &TextTable,
    order: &str,
    indicator: &str,
    intervention: &Intervention,
    lang: Language,
) -> Result<trend::Rendered> {
    let rows: Vec<&Vec<String>> = trends
        .rows
        .iter()
        .filter(|r| trends.get(r, "volgorde") == order && trends.get(r, "indicator") == indicator)
        .collect();
    let series = |prefix: &str, label: String| Series {
        label,
        points: rows
            .iter()
            .filter_map(|r| {
                let n = |name: &str| trends.get(r, &format!("{prefix}_{name}")).parse().ok();
                Some(Point {
                    cohort: trends.get(r, "cohort").parse().ok()?,
                    value: n("value")?,
                    low: n("ci_low")?,
                    high: n("ci_high")?,
                })
            })
            .collect(),
    };
    let cohorts: Vec<i32> = rows
        .iter()
        .filter_map(|r| trends.get(r, "cohort").parse().ok())
        .collect();
    let first: i32 = intervention.first_cohort.parse().unwrap_or_default();
    let span = (
        cohorts.iter().copied().min().unwrap_or(first - 1),
        cohorts.iter().copied().max().unwrap_or(first),
    );
    let title = format!(
        "{} — {}",
        intervention.name,
        labels::indicator_or_id(indicator, lang)
    );
    trend::render(
        &title,
        span,
        &[
            series("unit", intervention.unit.clone()),
            series("rest", texts(lang).rest.to_string()),
        ],
        &[Break {
            cohort: first,
            label: intervention.name.clone(),
        }],
    )
}

/// The run changes: rows per status, and the region's and schools' changed rows (not the new
/// ones), the first [`SHOWN_CHANGES`].
fn run_changes(
    changes: &TextTable,
    unit_name: &dyn Fn(&str) -> String,
    project: &Project,
) -> (Vec<StatusCount>, Vec<ChangedRow>) {
    let lang = project.language;
    let statuses = [
        "nieuw",
        "vervallen",
        "gewijzigd",
        "nu_onderdrukt",
        "nu_gepubliceerd",
    ];
    let counts = statuses
        .iter()
        .map(|s| StatusCount {
            status: status_label(s, lang),
            rows: changes
                .rows
                .iter()
                .filter(|r| changes.get(r, "status") == *s)
                .count(),
        })
        .collect();
    let marker = format!("<{}", project.privacy.min_cell);
    let shown = |r: &Vec<String>, prefix: &str| -> String {
        match changes.get(r, &format!("{prefix}_value")).parse::<f64>() {
            Ok(v) => percent(v),
            Err(_) => marker.clone(),
        }
    };
    let details = changes
        .rows
        .iter()
        .filter(|r| {
            changes.get(r, "status") != "nieuw"
                && matches!(changes.get(r, "unit_type"), "regio" | "school")
        })
        .take(SHOWN_CHANGES)
        .map(|r| ChangedRow {
            status: status_label(changes.get(r, "status"), lang),
            unit: match changes.get(r, "unit_type") {
                "regio" => project.name.clone(),
                _ => unit_name(changes.get(r, "unit_id")),
            },
            indicator: labels::indicator_or_id(changes.get(r, "indicator"), lang).to_string(),
            cohort: changes.get(r, "cohort").to_string(),
            was: match changes.get(r, "status") {
                "nieuw" => String::new(),
                _ => shown(r, "before"),
            },
            now: match changes.get(r, "status") {
                "vervallen" => String::new(),
                _ => shown(r, "now"),
            },
        })
        .collect();
    (counts, details)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_the_interval_and_points_read_as_written() {
        let nl = Language::Nl;
        assert!(verdict(Some((0.01, 0.2)), nl).starts_with("steeg"));
        assert!(verdict(Some((-0.2, -0.01)), nl).starts_with("daalde"));
        assert!(verdict(Some((-0.2, 0.01)), nl).starts_with("geen aantoonbaar"));
        assert!(verdict(None, nl).starts_with("niet te berekenen"));
        assert_eq!(points(-0.1234, nl), "−12,3");
        assert_eq!(points(0.05, Language::En), "+5.0");
    }
}
