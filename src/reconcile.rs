//! `doorstroom reconcile --unit … --cohort …`: one unit and cohort under every definition we
//! compute, the named steps from one definition to the next, and every published figure beside
//! ours with what explains the difference. All numbers come from `queries/reconcile_*.sql` over
//! the warehouse of the last run; this file only formats them. Data-owner output (unsuppressed):
//! it is printed, never written to `site/`.

use std::fmt::Write as _;
use std::sync::Arc;

use std::path::{Path, PathBuf};

use anyhow::Result;
use datafusion::arrow::array::{ArrayRef, Int32Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::prelude::SessionContext;

use crate::engine::{self, TextTable, RECONCILE_MODELS, STAGING_MODELS};
use crate::exit::input_error;
use crate::ingest::published::mapped::UNIT_TYPES;
use crate::ingest::published::presets::{self, PRESETS};
use crate::project::{Language, Project};
use crate::report::download;
use crate::report::labels::{self, choose};
use crate::warehouse::write_atomic;

/// The unit as `type:id` (`school:90AA00`, `afdeling:90AA00:havo`, `regio`), or an id whose type
/// is clear from its shape (`90AA00` a school, `90AA00:havo` an afdeling).
pub fn parse_unit(unit: &str) -> Result<(String, String)> {
    let unit = unit.trim();
    if unit == "regio" {
        return Ok(("regio".into(), "regio".into()));
    }
    if let Some((t, id)) = unit.split_once(':') {
        if UNIT_TYPES.contains(&t) {
            return Ok((t.to_string(), id.to_string()));
        }
        return Ok(("afdeling".into(), unit.to_string()));
    }
    if unit.len() == 6 {
        return Ok(("school".into(), unit.to_string()));
    }
    Err(input_error(format!(
        "--unit {unit}: give type:id ({}), e.g. school:90AA00 or instelling:21HA",
        UNIT_TYPES.join(", ")
    )))
}

/// Registers `reconcile_filter`: the unit and cohort asked for, null where not given.
async fn register_filter(
    ctx: &SessionContext,
    unit: Option<&(String, String)>,
    cohort: Option<i32>,
) -> Result<()> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("unit_type", DataType::Utf8, true),
        Field::new("unit_id", DataType::Utf8, true),
        Field::new("cohort", DataType::Int32, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec![unit.map(|u| u.0.as_str())])),
        Arc::new(StringArray::from(vec![unit.map(|u| u.1.as_str())])),
        Arc::new(Int32Array::from(vec![cohort])),
    ];
    let batch = RecordBatch::try_new(schema, columns)?;
    engine::register_batch(ctx, "reconcile_filter", &batch).await
}

fn heading(out: &mut String, lang: Language, nl: &str, en: &str) -> std::fmt::Result {
    writeln!(out, "\n{}", choose(lang, nl, en))
}

/// Formats a rate as a percentage with one decimal, in the report language's decimal mark.
fn pct(value: &str, lang: Language) -> String {
    match value.parse::<f64>() {
        Ok(v) => decimal(format!("{:.1}%", v * 100.0), lang),
        Err(_) => "–".into(),
    }
}

fn decimal(text: String, lang: Language) -> String {
    match lang {
        Language::Nl => text.replace('.', ","),
        Language::En => text,
    }
}

/// What a step adds, in plain words.
fn added_label(added: &str, lang: Language) -> &'static str {
    let (nl, en) = match added {
        "jaar1_switch_sector" => (
            "plus wie naar een andere sector overstapte",
            "plus those who switched to another sector",
        ),
        "jaar1_switch_extern" => (
            "plus wie binnen de sector naar een andere instelling overstapte",
            "plus those who switched to another institution in the sector",
        ),
        "jaar1_switch_intern" => (
            "plus wie binnen de instelling van opleiding wisselde",
            "plus those who switched programme within the institution",
        ),
        "na_1_jaar" => (
            "plus wie na één tussenjaar instroomde",
            "plus those who entered after one gap year",
        ),
        "na_2_jaar" => (
            "plus wie na twee tussenjaren instroomde",
            "plus those who entered after two gap years",
        ),
        "na_tussenjaar" => (
            "plus wie na een tussenjaar instroomde (instroombasis binnen 1 jaar)",
            "plus those who entered after a gap year (inflow basis within 1 year)",
        ),
        "ander_moment" => (
            "plus wie alleen op een ander moment dan 1 oktober ingeschreven was (tussen diploma en volgende peildatum)",
            "plus those enrolled only at another moment than 1 October (between diploma and the next peildatum)",
        ),
        "eerdere_cohorten" => (
            "plus de twee cohorten ervoor (drie cohorten samen)",
            "plus the two cohorts before (three cohorts pooled)",
        ),
        _ => ("", ""),
    };
    choose(lang, nl, en)
}

/// The likely cause of a difference, with our variant nearest to the published figure.
fn cause(t: &TextTable, row: &[String], lang: Language) -> String {
    let closest = t.get(row, "closest_indicator");
    if closest.is_empty() {
        return String::new();
    }
    let parts: Vec<&str> = t
        .get(row, "cause")
        .split(',')
        .map(|code| labels::cause(code, lang))
        .collect();
    let ties = match t.get(row, "closest_ties") {
        "" | "1" => String::new(),
        n => format!(
            "; {n} {}",
            choose(
                lang,
                "van onze varianten geven dit cijfer even goed",
                "of our variants give this figure equally well"
            )
        ),
    };
    format!(
        "{}: {} {} ({}{}, {} {}{}){ties}",
        choose(lang, "waarschijnlijke oorzaak", "likely cause"),
        parts.join(", "),
        pct(t.get(row, "closest_value"), lang),
        closest,
        match t.get(row, "closest_inflow_basis") {
            "" => String::new(),
            b => format!("/{b}"),
        },
        choose(lang, "venster", "window"),
        t.get(row, "closest_window"),
        match t.get(row, "closest_peildatum") {
            "1_oktober" | "" => String::new(),
            p => format!(", peildatum {p}"),
        }
    )
}

fn variants_section(out: &mut String, t: &TextTable, lang: Language) -> std::fmt::Result {
    heading(
        out,
        lang,
        "Elke variant die wij berekenen",
        "Every variant we compute",
    )?;
    for r in &t.rows {
        let inflow = t.get(r, "inflow_basis");
        writeln!(
            out,
            "  {:<24} {:<8} {:<14} {} {:<10} {:>8} {:>9}  [{} – {}]",
            t.get(r, "indicator"),
            t.get(r, "cohort_basis"),
            if inflow.is_empty() { "-" } else { inflow },
            t.get(r, "cohort_window"),
            t.get(r, "peildatum"),
            pct(t.get(r, "value"), lang),
            format!("{}/{}", t.get(r, "numerator"), t.get(r, "denominator")),
            pct(t.get(r, "ci_low"), lang),
            pct(t.get(r, "ci_high"), lang),
        )?;
    }
    Ok(())
}

fn steps_section(out: &mut String, t: &TextTable, lang: Language) -> std::fmt::Result {
    heading(
        out,
        lang,
        "Van de ene definitie naar de volgende",
        "From one definition to the next",
    )?;
    for r in &t.rows {
        let concept = t.get(r, "concept");
        let from = t.get(r, "from_indicator");
        // Basis and pooling steps for the dropout and inflow headline figures only.
        if matches!(concept, "basis" | "pooling")
            && !matches!(
                from,
                "uitval_onderwijs" | "uitval_sector" | "instroom_direct" | "diploma_binnen_5_jaar"
            )
        {
            continue;
        }
        let points: f64 = t.get(r, "points").parse().unwrap_or(f64::NAN);
        let students = choose(lang, "studenten", "students");
        let denominator_change = match t.get(r, "added_denominator") {
            "0" => String::new(),
            d => format!(
                ", {d} {} {}",
                students,
                choose(lang, "meer in de noemer", "more in the denominator")
            ),
        };
        writeln!(
            out,
            "  [{} {}{}, {} {}] {} {} ({}/{}) → {}: {} {}{}, {} {} → {} {} ({}/{})",
            t.get(r, "cohort_basis"),
            t.get(r, "from_inflow_basis"),
            if t.get(r, "from_inflow_basis").is_empty() {
                "-"
            } else {
                ""
            },
            choose(lang, "venster", "window"),
            t.get(r, "from_window"),
            from,
            pct(t.get(r, "from_value"), lang),
            t.get(r, "from_numerator"),
            t.get(r, "from_denominator"),
            added_label(t.get(r, "added"), lang),
            t.get(r, "added_numerator"),
            students,
            denominator_change,
            decimal(format!("{:+.1}", points * 100.0), lang),
            choose(lang, "punt", "points"),
            t.get(r, "to_indicator"),
            pct(t.get(r, "to_value"), lang),
            t.get(r, "to_numerator"),
            t.get(r, "to_denominator"),
        )?;
    }
    Ok(())
}

/// The source's definition of a figure: the configuration's `definition` for its file, else the
/// preset its file was read with, or for a file in our own long layout the only preset of that
/// `bron` (none when the `bron` has several).
pub fn source_definition(project: &Project, file: &str, bron: &str) -> Option<String> {
    let input = project.published.iter().find(|i| {
        i.path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == file)
    })?;
    if let Some(text) = &input.definition {
        return Some(text.clone());
    }
    match presets::find(&input.preset) {
        Some(p) if p.name != "long" => Some(p.definition.to_string()),
        _ => {
            let mut of_bron = PRESETS.iter().filter(|p| p.bron == bron);
            match (of_bron.next(), of_bron.next()) {
                (Some(p), None) => Some(p.definition.to_string()),
                _ => None,
            }
        }
    }
}

fn published_section(out: &mut String, t: &TextTable, project: &Project) -> std::fmt::Result {
    let lang = project.language;
    heading(
        out,
        lang,
        "Gepubliceerde cijfers naast de onze",
        "Published figures beside ours",
    )?;
    if t.rows.is_empty() {
        writeln!(
            out,
            "  {}",
            choose(
                lang,
                "geen gepubliceerd cijfer voor deze eenheid en dit cohort ([inputs] published)",
                "no published figure for this unit and cohort ([inputs] published)"
            )
        )?;
    }
    for r in &t.rows {
        let shown = match (t.get(r, "teller_masker"), t.get(r, "percentage_masker")) {
            ("", "") => pct(t.get(r, "published_value"), lang),
            (m, "") | ("", m) => m.to_string(),
            (m, _) => m.to_string(),
        };
        writeln!(
            out,
            "  {} {} ({}) = {} {}  |  {} {} ({}/{})  |  {} {}  |  {}{}",
            t.get(r, "bron"),
            t.get(r, "bron_indicator"),
            t.get(r, "indicator"),
            shown,
            match (t.get(r, "teller"), t.get(r, "noemer")) {
                ("", _) | (_, "") => String::new(),
                (a, b) => format!("({a}/{b})"),
            },
            choose(lang, "wij", "ours"),
            pct(t.get(r, "value"), lang),
            t.get(r, "numerator"),
            t.get(r, "denominator"),
            choose(lang, "verschil", "difference"),
            match t.get(r, "difference_points").parse::<f64>() {
                Ok(d) => decimal(format!("{d:+.1}"), lang),
                Err(_) => "–".into(),
            },
            labels::explanation(t.get(r, "explanation"), lang),
            match t.get(r, "mask_fits") {
                "false" => choose(
                    lang,
                    " (ons aantal past NIET bij het masker)",
                    " (our count does NOT fit the mask)",
                ),
                _ => "",
            }
        )?;
        if matches!(t.get(r, "explanation"), "definition" | "unexplained") {
            writeln!(out, "      {}", cause(t, r, lang))?;
        }
        if let Some(text) = source_definition(project, t.get(r, "bron_bestand"), t.get(r, "bron")) {
            let version = match t.get(r, "definition_version") {
                "" => String::new(),
                v => format!(" [{} {v}]", choose(lang, "versie", "version")),
            };
            writeln!(
                out,
                "      {}{version}: {text}",
                choose(lang, "definitie van de bron", "source definition"),
            )?;
        }
    }
    Ok(())
}

/// What `doorstroom reconcile` was asked for.
#[derive(Debug, Default)]
pub struct Request {
    /// `--unit`: type:id.
    pub unit: Option<String>,
    /// `--cohort`.
    pub cohort: Option<i32>,
    /// `--csv FILE`: every published figure in scope beside ours, as a table.
    pub csv: Option<PathBuf>,
}

/// Runs the reconciliation models; returns the text to print: for one unit and cohort the whole
/// reconciliation, with `--csv` a line saying where the table of every figure in scope went.
pub fn reconcile(config: Option<&Path>, request: &Request) -> Result<String> {
    let unit = request.unit.as_deref().map(parse_unit).transpose()?;
    if request.csv.is_none() && (unit.is_none() || request.cohort.is_none()) {
        return Err(input_error(
            "give --unit and --cohort for one unit and cohort, or --csv FILE for every published \
             figure (narrowed by --unit or --cohort when given)",
        ));
    }
    let (project, indicators) = crate::run::last_run(config)?;
    let warehouse = project.out_dir.join("warehouse");
    let lang = project.language;
    engine::runtime()?.block_on(async {
        let ctx = engine::session(&project.engine, &project.out_dir).await?;
        crate::run::register_warehouse(&ctx, &project, &warehouse).await?;
        engine::build_views(&ctx, STAGING_MODELS).await?;
        engine::register_parquet(&ctx, "indicators_output", &indicators).await?;
        register_filter(&ctx, unit.as_ref(), request.cohort).await?;
        engine::build(&ctx, &RECONCILE_MODELS[..3]).await?;
        if let Some(path) = &request.csv {
            let published =
                engine::query_text(&ctx, RECONCILE_MODELS, "reconcile_published").await?;
            write_atomic(
                path,
                &download::csv_bytes(&download::from_text(&published))?,
            )?;
            return Ok(format!(
                "{} published figures reconciled: {}",
                published.rows.len(),
                path.display()
            ));
        }
        let (unit, cohort) = (unit.expect("checked"), request.cohort.expect("checked"));
        let rows = engine::query_text(&ctx, RECONCILE_MODELS, "reconcile_rows").await?;
        if rows.rows.is_empty() {
            return Err(input_error(format!(
                "no indicator for {} {} in cohort {cohort}",
                unit.0, unit.1
            )));
        }
        let steps = engine::query_text(&ctx, RECONCILE_MODELS, "reconcile_steps").await?;
        let published = engine::query_text(&ctx, RECONCILE_MODELS, "reconcile_published").await?;
        let mut out = format!("{} {} — cohort {cohort}\n", unit.0, unit.1);
        variants_section(&mut out, &rows, lang)?;
        steps_section(&mut out, &steps, lang)?;
        published_section(&mut out, &published, &project)?;
        Ok(out)
    })
}
