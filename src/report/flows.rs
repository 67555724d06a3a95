//! The flows page (`site/flows.html`): for the region and every school, a Sankey diagram of where
//! its latest cohort with a published direct inflow was on 1 October after the diploma — funded
//! education by sector, or none, and on to the institution and the programme where the bundle has
//! those rows — with its table and a PNG; all cohorts in the `flows` download. The numbers come
//! from report_flows.sql (published rows only); suppressed destinations are drawn together as one
//! grey band without a number (the part of the published direct inflow that the published
//! destinations leave unexplained).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use datafusion::prelude::SessionContext;
use serde::Serialize;

use super::{base_context, chart_out, download, write_page, ChartOut};
use crate::charts::sankey::{self, Band};
use crate::engine::{self, SITE_MODELS};
use crate::project::{InstitutionFlows, Language, ProgrammeFlows, Project};

/// The page's own words.
#[derive(Debug, Serialize)]
struct Texts {
    intro: &'static str,
    /// Which units go on to the institutions (`[privacy] institution_flows`); `{n}` is min_cell.
    institutions: &'static str,
    institutions_schools: &'static str,
    institutions_both: &'static str,
    /// Which units go on to the programmes (`[privacy] programme_flows`); `{n}` is min_cell.
    programmes: &'static str,
    programmes_schools: &'static str,
    programmes_both: &'static str,
    chart_title: &'static str,
    alumni: &'static str,
    destination: &'static str,
    count: &'static str,
    share: &'static str,
    hidden: &'static str,
    none_shown: &'static str,
    not_shown: &'static str,
    /// The institutions counted together (`overig`, ind_flows.sql).
    together: &'static str,
    /// An institution's programmes counted together.
    programmes_together: &'static str,
    /// A grey band of a destination's institutions, or an institution's programmes, not drawn one
    /// by one.
    not_drawn: &'static str,
}

fn texts(lang: Language) -> Texts {
    match lang {
        Language::Nl => Texts {
            intro: "Waar de oud-leerlingen van het laatste cohort op 1 oktober na hun diploma stonden \
                    ingeschreven (per eenheid het laatste cohort waarvan de instroom gepubliceerd is): \
                    per sector van het bekostigde vervolgonderwijs (bij twee inschrijvingen telt de \
                    hoogste sector), of nergens. Kleine aantallen zijn afgeschermd en staan samen als \
                    grijze band, zonder aantal. Alle cohorten staan in de download.",
            institutions: "Per sector staat ook bij welke instellingen, voor de regio (de drie \
                           grootste in het diagram, alle in de tabel; instellingen met minder dan \
                           {n} oud-leerlingen samen).",
            institutions_schools: "Per sector staat ook bij welke instellingen, per school (de drie \
                                   grootste in het diagram, alle in de tabel; instellingen met minder \
                                   dan {n} oud-leerlingen van de school samen).",
            institutions_both: "Per sector staat ook bij welke instellingen, voor de regio en per \
                                school (de drie grootste in het diagram, alle in de tabel; \
                                instellingen met minder dan {n} oud-leerlingen van de regio samen, \
                                ook bij elke school).",
            programmes: "Per instelling staat voor de regio ook in welke opleidingen (de twee \
                         grootste in het diagram, alle in de tabel; opleidingen met minder dan {n} \
                         oud-leerlingen samen).",
            programmes_schools: "Per instelling staat per school ook in welke opleidingen (de \
                                 twee grootste in het diagram, alle in de tabel; opleidingen met \
                                 minder dan {n} oud-leerlingen van de school samen).",
            programmes_both: "Per instelling staat voor de regio en per school ook in welke \
                              opleidingen (de twee grootste in het diagram, alle in de tabel; \
                              opleidingen met minder dan {n} oud-leerlingen van de regio samen, \
                              ook bij elke school).",
            chart_title: "Bestemming op 1 oktober",
            alumni: "Gediplomeerden",
            destination: "Bestemming",
            count: "Aantal",
            share: "Aandeel",
            hidden: "afgeschermd (samen)",
            none_shown: "Geen cohort met gepubliceerde instroom.",
            not_shown: "Niet getekend (de directe instroom is in geen cohort gepubliceerd)",
            together: "andere instellingen (samen)",
            programmes_together: "andere opleidingen (samen)",
            not_drawn: "overige (niet getekend)",
        },
        Language::En => Texts {
            intro: "Where the latest cohort's former students were enrolled on 1 October after their \
                    diploma (per unit the latest cohort whose inflow is published): by sector of funded \
                    further education (with two enrollments the highest sector counts), or nowhere. \
                    Small counts are hidden and drawn together as one grey band, without a number. \
                    Every cohort is in the download.",
            institutions: "Per sector, the receiving institutions are shown for the region (the three \
                           largest in the diagram, all in the table; institutions with fewer than {n} \
                           former students together).",
            institutions_schools: "Per sector, the receiving institutions are shown per school (the \
                                   three largest in the diagram, all in the table; institutions with \
                                   fewer than {n} of the school's former students together).",
            institutions_both: "Per sector, the receiving institutions are shown for the region and \
                                per school (the three largest in the diagram, all in the table; \
                                institutions with fewer than {n} of the region's former students \
                                together, also for each school).",
            programmes: "Per institution, the programmes are shown for the region (the two \
                         largest in the diagram, all in the table; programmes with fewer than {n} \
                         former students together).",
            programmes_schools: "Per institution, the programmes are shown per school (the two \
                                 largest in the diagram, all in the table; programmes with fewer \
                                 than {n} of the school's former students together).",
            programmes_both: "Per institution, the programmes are shown for the region and per \
                              school (the two largest in the diagram, all in the table; programmes \
                              with fewer than {n} of the region's former students together, also \
                              for each school).",
            chart_title: "Destination on 1 October",
            alumni: "Graduates",
            destination: "Destination",
            count: "Count",
            share: "Share",
            hidden: "hidden (together)",
            none_shown: "No cohort with published inflow.",
            not_shown: "Not drawn (the direct inflow is published for no cohort)",
            together: "other institutions (together)",
            programmes_together: "other programmes (together)",
            not_drawn: "others (not drawn)",
        },
    }
}

/// A destination's name on the page.
fn destination_label(id: &str, lang: Language) -> &'static str {
    match (id, lang) {
        ("wo", _) => "wo",
        ("hbo", _) => "hbo",
        ("mbo", _) => "mbo",
        ("vo", Language::Nl) => "vo (stapelen)",
        ("vo", Language::En) => "vo (stacking)",
        ("vavo", _) => "vavo",
        (_, Language::Nl) => "geen bekostigd onderwijs",
        (_, Language::En) => "no funded education",
    }
}

/// An institution's or programme's name in a diagram: its code, and its name where the input has
/// one, cut short; `overig` (the parts counted together, ind_flows.sql) as `together`.
fn part_label(code: &str, name: Option<&String>, together: &str) -> String {
    if code == OTHERS {
        return together.to_string();
    }
    match name {
        Some(name) => {
            let short: String = name.chars().take(24).collect();
            let cut = if short.len() < name.len() { "…" } else { "" };
            format!("{code} {short}{cut}")
        }
        None => code.to_string(),
    }
}

/// The names of institutions (by `brin`) and programmes (by `brin:opleidingscode`).
#[derive(Debug, Default)]
struct Names {
    institutions: BTreeMap<String, String>,
    programmes: BTreeMap<String, String>,
}

impl Names {
    fn institution(&self, brin: &str, together: &str) -> String {
        part_label(brin, self.institutions.get(brin), together)
    }

    fn programme(&self, brin: &str, code: &str, together: &str) -> String {
        part_label(
            code,
            self.programmes.get(&format!("{brin}:{code}")),
            together,
        )
    }
}

#[derive(Debug, Serialize)]
struct FlowRow {
    label: String,
    /// `institution` under its destination, `programme` under its institution (indented); empty
    /// for a destination.
    level: &'static str,
    count: String,
    share: String,
    suppressed: bool,
}

#[derive(Debug, Serialize)]
struct FlowUnit {
    anchor: String,
    heading: String,
    cohort: i32,
    chart: ChartOut,
    rows: Vec<FlowRow>,
}

/// One part of a unit's cohort: destination, institution (empty for the destination itself),
/// programme (empty but for an institution's programmes), count (none when suppressed).
type Part = (String, String, String, Option<i64>);
/// A unit's cohort, alumni, direct inflow and parts, in report_flows.sql's order.
type Latest = (i32, i64, i64, Vec<Part>);

/// How many institutions of a destination, and programmes of an institution, are drawn one by
/// one; the rest of it is one grey band (the table lists them all).
const INSTITUTIONS_DRAWN: usize = 3;
const PROGRAMMES_DRAWN: usize = 2;
/// The parts that received few of the alumni, counted together (ind_flows.sql).
const OTHERS: &str = "overig";

/// Renders `site/flows.html` and the `flows` download.
pub async fn render(
    ctx: &SessionContext,
    project: &Project,
    site: &Path,
    names: &BTreeMap<String, String>,
) -> Result<()> {
    let lang = project.language;
    let t = texts(lang);
    let table = engine::query_text(ctx, SITE_MODELS, "report_flows").await?;
    download::write(
        site,
        "flows",
        &download::from_text(&table),
        project.data_until,
    )?;
    // (unit type, unit id) → its latest cohort with a published direct inflow: (cohort, alumni,
    // direct inflow, destinations in order). The rows come by unit and cohort.
    let mut units: BTreeMap<(String, String), Latest> = BTreeMap::new();
    for r in &table.rows {
        let cohort: i32 = table.get(r, "cohort").parse()?;
        let key = (
            table.get(r, "unit_type").to_string(),
            table.get(r, "unit_id").to_string(),
        );
        let entry = units.entry(key).or_insert((cohort, 0, 0, Vec::new()));
        if entry.0 != cohort {
            *entry = (cohort, 0, 0, Vec::new());
        }
        entry.1 = table.get(r, "alumni").parse()?;
        entry.2 = table.get(r, "direct").parse()?;
        let count = match table.get(r, "suppressed") {
            "true" => None,
            _ => Some(table.get(r, "alumni_count").parse()?),
        };
        entry.3.push((
            table.get(r, "destination").to_string(),
            table.get(r, "instelling").to_string(),
            table.get(r, "opleiding").to_string(),
            count,
        ));
    }
    let parts_named = part_names(ctx).await?;

    let marker = format!("<{}", project.privacy.min_cell);
    let mut shown = Vec::new();
    for (i, ((unit_type, unit_id), (cohort, alumni, direct, parts))) in units.iter().enumerate() {
        let heading = super::units::heading_of(project, names, unit_type, unit_id);
        let chart = sankey::render(
            &format!("{} {cohort}", t.chart_title),
            &format!("{heading} — {}", t.alumni),
            *alumni,
            &bands(parts, *direct, lang, &t, &parts_named),
        )?;
        shown.push(FlowUnit {
            anchor: format!("{unit_type}-{unit_id}"),
            heading,
            cohort: *cohort,
            chart: chart_out(site, "flows.html", i + 1, chart)?,
            rows: parts
                .iter()
                .map(|(id, brin, programme, count)| FlowRow {
                    label: match (brin.as_str(), programme.as_str()) {
                        ("", _) => destination_label(id, lang).to_string(),
                        (_, "") => parts_named.institution(brin, t.together),
                        _ => parts_named.programme(brin, programme, t.programmes_together),
                    },
                    level: match (brin.as_str(), programme.as_str()) {
                        ("", _) => "",
                        (_, "") => "institution",
                        _ => "programme",
                    },
                    count: count.map_or(marker.clone(), |n| n.to_string()),
                    share: count.map_or(String::new(), |n| {
                        super::units::percent(n as f64 / *alumni as f64)
                    }),
                    suppressed: count.is_none(),
                })
                .collect(),
        });
    }
    let missing: Vec<String> = names
        .keys()
        .filter(|id| !units.contains_key(&("school".to_string(), id.to_string())))
        .map(|id| super::units::heading_of(project, names, "school", id))
        .collect();
    let mut context = base_context(project, "flows.html", &["flows"]);
    let institutions = match project.privacy.institution_flows {
        InstitutionFlows::Region => t.institutions,
        InstitutionFlows::Schools => t.institutions_schools,
        InstitutionFlows::Both => t.institutions_both,
    };
    let programmes = match project.privacy.programme_flows {
        ProgrammeFlows::None => "",
        ProgrammeFlows::Region => t.programmes,
        ProgrammeFlows::Schools => t.programmes_schools,
        ProgrammeFlows::Both => t.programmes_both,
    };
    let min_cell = project.privacy.min_cell.to_string();
    let said = format!("{institutions} {programmes}");
    context.insert(
        "institutions",
        said.trim_end().replace("{n}", &min_cell).as_str(),
    );
    context.insert("f", &t);
    context.insert("units", &shown);
    context.insert("missing", &missing);
    write_page(site, "flows.html", &context)?;
    Ok(())
}

/// Institution names by `brin` and programme names by `brin:opleidingscode`
/// (report_institutions.sql; empty without `instellingsnaam` / `opleidingsnaam`).
async fn part_names(ctx: &SessionContext) -> Result<Names> {
    let table = engine::query_text(ctx, SITE_MODELS, "report_institutions").await?;
    let mut names = Names::default();
    for r in &table.rows {
        let (id, name) = (table.get(r, "unit_id"), table.get(r, "name"));
        let list = match table.get(r, "unit_type") {
            "instelling" => &mut names.institutions,
            "opleiding" => &mut names.programmes,
            _ => continue,
        };
        list.insert(id.to_string(), name.to_string());
    }
    Ok(names)
}

/// A band without a number: what the published parts drawn beside it leave unexplained.
fn grey(label: &str, width: i64) -> Band {
    Band {
        label: label.to_string(),
        count: None,
        width,
        color: 0,
        children: Vec::new(),
    }
}

/// The bands a published count of `n` continues into, from its parts (code, count): its `most`
/// largest published parts (ties by code), the parts counted together (`overig`) where published
/// and `others` asks for them, and one grey band for the rest of `n` (suppressed parts and those
/// not drawn), without a number. Nothing when no part is drawn.
fn continued<'p>(
    parts: impl Iterator<Item = (&'p str, Option<i64>)>,
    n: i64,
    (most, others): (usize, bool),
    not_drawn: &str,
    band: impl Fn(&'p str, i64) -> Band,
) -> Vec<Band> {
    let shown: Vec<(i64, &str)> = parts
        .filter_map(|(code, count)| count.filter(|&c| c > 0).map(|c| (c, code)))
        .collect();
    let mut drawn: Vec<(i64, &str)> = shown
        .iter()
        .copied()
        .filter(|&(_, code)| code != OTHERS)
        .collect();
    drawn.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    drawn.truncate(most);
    if others {
        drawn.extend(shown.iter().copied().filter(|&(_, code)| code == OTHERS));
    }
    let mut out: Vec<Band> = drawn.iter().map(|&(c, code)| band(code, c)).collect();
    let rest = n - drawn.iter().map(|d| d.0).sum::<i64>();
    if !out.is_empty() && rest > 0 {
        out.push(grey(not_drawn, rest));
    }
    out
}

/// The bands of one diagram: the published destinations, one grey band for what the suppressed
/// ones hold together (the direct inflow minus the published destinations: a sum the published
/// rows already give away, drawn without a number), and those without funded education last.
/// A published destination continues into its largest published institutions, the institutions
/// counted together (`overig`) where published, and one grey band for the rest of it; a drawn
/// institution into its largest published programmes and one grey band for the rest of it (its
/// programmes counted together among them: the diagram's last column has the least room).
fn bands(parts: &[Part], direct: i64, lang: Language, t: &Texts, names: &Names) -> Vec<Band> {
    let order = ["wo", "hbo", "mbo", "vo", "vavo", "geen"];
    let color = |id: &str| order.iter().position(|o| *o == id).unwrap_or(order.len());
    let programmes = |id: &str, brin: &str, n: i64| -> Vec<Band> {
        let list = parts
            .iter()
            .filter(|(d, b, p, _)| d == id && b == brin && !p.is_empty())
            .map(|(_, _, p, count)| (p.as_str(), *count));
        continued(
            list,
            n,
            (PROGRAMMES_DRAWN, false),
            t.not_drawn,
            |code, c| Band {
                label: names.programme(brin, code, t.programmes_together),
                count: Some(c),
                width: c,
                color: color(id),
                children: Vec::new(),
            },
        )
    };
    let institutions = |id: &str, n: i64| -> Vec<Band> {
        let list = parts
            .iter()
            .filter(|(d, b, p, _)| d == id && !b.is_empty() && p.is_empty())
            .map(|(_, b, _, count)| (b.as_str(), *count));
        continued(
            list,
            n,
            (INSTITUTIONS_DRAWN, true),
            t.not_drawn,
            |brin, c| Band {
                label: names.institution(brin, t.together),
                count: Some(c),
                width: c,
                color: color(id),
                children: match brin {
                    OTHERS => Vec::new(),
                    _ => programmes(id, brin, c),
                },
            },
        )
    };
    let band = |id: &str, n: i64| Band {
        label: destination_label(id, lang).to_string(),
        count: Some(n),
        width: n,
        color: color(id),
        children: match id {
            "geen" => Vec::new(),
            _ => institutions(id, n),
        },
    };
    let sectors = || parts.iter().filter(|(_, brin, _, _)| brin.is_empty());
    let mut out: Vec<Band> = sectors()
        .filter(|(id, _, _, _)| id != "geen")
        .filter_map(|(id, _, _, count)| count.map(|n| band(id, n)))
        .collect();
    let known: i64 = out.iter().map(|b| b.width).sum();
    if sectors().any(|(_, _, _, c)| c.is_none()) && direct > known {
        out.push(grey(t.hidden, direct - known));
    }
    out.extend(
        sectors()
            .filter(|(id, _, _, _)| id == "geen")
            .filter_map(|(id, _, _, count)| count.map(|n| band(id, n))),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(destination: &str, brin: &str, count: Option<i64>) -> Part {
        programme(destination, brin, "", count)
    }

    fn programme(destination: &str, brin: &str, code: &str, count: Option<i64>) -> Part {
        (destination.into(), brin.into(), code.into(), count)
    }

    fn labels(b: &[Band]) -> Vec<(&str, Option<i64>, i64)> {
        b.iter()
            .map(|b| (b.label.as_str(), b.count, b.width))
            .collect()
    }

    #[test]
    fn suppressed_destinations_become_one_band_without_a_number() {
        let parts: Vec<Part> = vec![
            part("wo", "", Some(20)),
            part("hbo", "", None),
            part("mbo", "", Some(50)),
            part("vo", "", None),
            part("vavo", "", Some(0)),
            part("geen", "", Some(12)),
        ];
        // 90 direct entrants, 70 of them in published sectors: 20 in the two hidden ones.
        let t = texts(Language::Nl);
        let b = bands(&parts, 90, Language::Nl, &t, &Names::default());
        assert_eq!(
            labels(&b),
            vec![
                ("wo", Some(20), 20),
                ("mbo", Some(50), 50),
                ("vavo", Some(0), 0),
                ("afgeschermd (samen)", None, 20),
                ("geen bekostigd onderwijs", Some(12), 12),
            ]
        );
        assert!(b.iter().all(|b| b.children.is_empty()));
    }

    #[test]
    fn a_destination_continues_into_its_largest_published_institutions_and_one_grey_rest() {
        // mbo 60: five institutions (one suppressed) and 10 counted together; the three largest
        // published are drawn (ties by code), then those together, and the other 7 + the
        // suppressed one's are one grey band of 60 - 36 - 10 = 14.
        let parts: Vec<Part> = vec![
            part("mbo", "", Some(60)),
            part("mbo", "25LJ", Some(12)),
            part("mbo", "26XY", Some(12)),
            part("mbo", "27AB", None),
            part("mbo", "28CD", Some(7)),
            part("mbo", "24ZZ", Some(12)),
            part("mbo", "overig", Some(10)),
            part("hbo", "", None),
            part("hbo", "21HA", Some(9)),
            part("geen", "", Some(10)),
        ];
        let mut names = Names::default();
        names.institutions.insert(
            "25LJ".to_string(),
            "ROC van de Lange Naam Aan Zee".to_string(),
        );
        let t = texts(Language::En);
        let b = bands(&parts, 70, Language::En, &t, &names);
        assert_eq!(
            labels(&b[0].children),
            vec![
                ("24ZZ", Some(12), 12),
                ("25LJ ROC van de Lange Naam Aa…", Some(12), 12),
                ("26XY", Some(12), 12),
                ("other institutions (together)", Some(10), 10),
                ("others (not drawn)", None, 14),
            ]
        );
        // No programme rows: no fourth column.
        assert!(b[0].children.iter().all(|c| c.children.is_empty()));
        // A suppressed destination is not continued, even where an institution of it is published.
        assert_eq!(b[1].label, "hidden (together)");
        assert_eq!(b[1].width, 10);
        assert!(b[1].children.is_empty());
    }

    #[test]
    fn an_institution_continues_into_its_two_largest_published_programmes_and_one_grey_rest() {
        // hbo 40 at 21HA 30 (programmes 34567 12, 34999 9, 35000 5, one suppressed, 3 together)
        // and 10 together. 21HA: the two largest drawn, then grey 30 - 21 = 9 (5 + the
        // suppressed one's 1 + the 3 together: the last column has no `overig` node). The
        // institutions counted together are not split.
        let parts: Vec<Part> = vec![
            part("hbo", "", Some(40)),
            part("hbo", "21HA", Some(30)),
            programme("hbo", "21HA", "34567", Some(12)),
            programme("hbo", "21HA", "34999", Some(9)),
            programme("hbo", "21HA", "35000", Some(5)),
            programme("hbo", "21HA", "35111", None),
            programme("hbo", "21HA", "overig", Some(3)),
            part("hbo", "overig", Some(10)),
            part("geen", "", Some(5)),
        ];
        let mut names = Names::default();
        names
            .programmes
            .insert("21HA:34999".to_string(), "B Verpleegkunde".to_string());
        // Another institution's programme of the same code is not this one's name.
        names
            .programmes
            .insert("22XX:34567".to_string(), "B Rechten".to_string());
        let t = texts(Language::Nl);
        let b = bands(&parts, 45, Language::Nl, &t, &names);
        let ha = &b[0].children[0];
        assert_eq!(ha.label, "21HA");
        assert_eq!(
            labels(&ha.children),
            vec![
                ("34567", Some(12), 12),
                ("34999 B Verpleegkunde", Some(9), 9),
                ("overige (niet getekend)", None, 9),
            ]
        );
        let others = &b[0].children[1];
        assert_eq!(others.label, "andere instellingen (samen)");
        assert!(others.children.is_empty());
    }
}
