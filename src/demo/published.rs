//! What sources would publish about the demo region, each in its own definition and with the
//! small, known differences that make their numbers differ from ours (domain.md "Why the same
//! cohort has different numbers"): counted here from the generated students, by a second and
//! independent reading of definitions.md §1–§3, so `doorstroom reconcile` can be checked to
//! explain every figure.
//!
//! | file | bron | what differs from our matching definition |
//! |---|---|---|
//! | `gepubliceerd/duo_bestemming.csv` | duo | nothing; counts 1–4 masked as `<5` |
//! | `gepubliceerd/vensters.csv` | vensters | percentage rounded to a whole percent; also `land` rows (national averages, overall and per niveau: in the demo, the region's own alumni) |
//! | `gepubliceerd/nco.csv` | nco | up to cohort 2020 enrolled at any moment of the school year after the diploma (another peildatum), from 2021 on 1 October: a new `definition_version` |
//! | `gepubliceerd/regiomonitor.csv` | regiomonitor | "direct" includes those who entered after a gap year |

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::{date, Alumnus, Enrollment};
use crate::warehouse::write_atomic;

/// One written file, for the configuration.
pub struct Source {
    /// Relative to the demo directory.
    pub path: String,
    /// The source's definition in plain words (`definition = …` in doorstroom.toml).
    pub definition: &'static str,
    pub figures: usize,
}

const HEADER: &str = "bron,bron_indicator,indicator,cohort,eenheid_type,eenheid_id,kenmerken,\
                      teller,noemer,percentage,teller_masker,noemer_masker,percentage_masker,\
                      definition_version\n";

/// The NCO file changes its peildatum from this cohort on.
const NCO_NEW_METHOD: i32 = 2021;

/// What one alumni record did after the diploma, as the figures need it.
#[derive(Default, Clone, Copy)]
struct Status {
    /// Sector rank of the destination on P(Y) (§2: wo 1 … vavo 5), if any.
    direct: Option<u8>,
    /// Enrolled on P(Y+1) (for the within-a-year inflow).
    on_next_peildatum: bool,
    /// Enrolled at any moment of the school year after the diploma (up to 31 July of Y+1).
    any_moment: bool,
}

const SECTORS: [&str; 5] = ["wo", "hbo", "mbo", "vo", "vavo"];

fn rank(sector: &str) -> u8 {
    SECTORS
        .iter()
        .position(|s| *s == sector)
        .map_or(9, |i| i as u8 + 1)
}

fn active(e: &Enrollment, d: NaiveDate) -> bool {
    e.start <= d && e.end.is_none_or(|end| end >= d)
}

fn peildatum(year: i32) -> NaiveDate {
    date(year, 10, 1)
}

fn status(record: &Alumnus, enrollments: &[Enrollment]) -> Status {
    let p0 = peildatum(record.cohort);
    let p1 = peildatum(record.cohort + 1);
    let next_school_year = date(record.cohort + 1, 8, 1);
    Status {
        direct: enrollments
            .iter()
            .filter(|e| active(e, p0))
            .map(|e| rank(e.sector))
            .min(),
        on_next_peildatum: enrollments.iter().any(|e| active(e, p1)),
        any_moment: enrollments
            .iter()
            .any(|e| e.start < next_school_year && e.end.is_none_or(|end| end >= record.diploma)),
    }
}

/// Counts per unit and cohort: records, and the numerators the files need.
#[derive(Default)]
struct Counts {
    records: u64,
    direct: u64,
    within_a_year: u64,
    any_moment: u64,
    by_sector: [u64; 5],
}

impl Counts {
    fn add(&mut self, s: Status) {
        self.records += 1;
        if let Some(r) = s.direct {
            self.direct += 1;
            self.by_sector[usize::from(r) - 1] += 1;
        }
        if s.direct.is_some() || s.on_next_peildatum {
            self.within_a_year += 1;
        }
        if s.any_moment {
            self.any_moment += 1;
        }
    }
}

fn percent(numerator: u64, denominator: u64, decimals: usize) -> String {
    format!(
        "{:.*}",
        decimals,
        100.0 * numerator as f64 / denominator as f64
    )
}

/// The counts per school and afdeling, added to person by person while the generator streams.
#[derive(Default)]
pub struct Tally {
    schools: BTreeMap<(String, i32), Counts>,
    afdelingen: BTreeMap<(String, i32), Counts>,
}

impl Tally {
    /// Counts one alumni record with all of that person's enrollments.
    pub fn add(&mut self, record: &Alumnus, enrollments: &[Enrollment]) {
        let s = status(record, enrollments);
        self.schools
            .entry((record.school.clone(), record.cohort))
            .or_default()
            .add(s);
        self.afdelingen
            .entry((
                format!("{}:{}", record.school, record.afdeling),
                record.cohort,
            ))
            .or_default()
            .add(s);
    }

    /// Writes the files under `dir/gepubliceerd/`; returns what the configuration lists.
    pub fn write(&self, dir: &Path, data_until: NaiveDate) -> Result<Vec<Source>> {
        write(dir, &self.schools, &self.afdelingen, data_until)
    }
}

fn write(
    dir: &Path,
    schools: &BTreeMap<(String, i32), Counts>,
    afdelingen: &BTreeMap<(String, i32), Counts>,
    data_until: NaiveDate,
) -> Result<Vec<Source>> {
    // DUO's and Vensters' figures need P(Y) observed, the others P(Y+1) (which also covers the
    // whole school year after the diploma).
    let observed = |cohort: i32, years: i32| peildatum(cohort + years) <= data_until;
    let out = dir.join("gepubliceerd");
    std::fs::create_dir_all(&out).with_context(|| format!("{}: cannot create", out.display()))?;
    let mut sources = Vec::new();
    let mut file = |name: &str, definition: &'static str, body: String| -> Result<()> {
        let figures = body.lines().count();
        write_atomic(&out.join(name), format!("{HEADER}{body}").as_bytes())?;
        sources.push(Source {
            path: format!("gepubliceerd/{name}"),
            definition,
            figures,
        });
        Ok(())
    };

    let mut duo = String::new();
    for ((school, cohort), c) in schools {
        for (i, sector) in SECTORS.iter().enumerate() {
            let n = c.by_sector[i];
            if n == 0 || !observed(*cohort, 0) {
                continue;
            }
            let (teller, mask) = if n < 5 {
                (String::new(), "<5")
            } else {
                (n.to_string(), "")
            };
            let _ = writeln!(
                duo,
                "duo,bestemming {sector},bestemming_{sector},{cohort},school,{school},,{teller},{},,{mask},,,",
                c.records
            );
        }
    }
    file(
        "duo_bestemming.csv",
        "DUO Bestemming vo-gediplomeerden: enrolled on 1 October of the diploma year, one \
         destination per student (the highest sector); counts 1-4 masked as <5.",
        duo,
    )?;

    let mut vensters = String::new();
    for ((afdeling, cohort), c) in afdelingen {
        if *cohort <= 2022 && observed(*cohort, 0) {
            let _ = writeln!(
                vensters,
                "vensters,doorstroom naar vervolgonderwijs,instroom_direct,{cohort},afdeling,{afdeling},,,,{},,,,",
                percent(c.direct, c.records, 0)
            );
        }
    }
    // Vensters' national averages, overall and per onderwijssoort (`eenheid_type = land`). The
    // demo has no country around its region: these are the region's own alumni, summed per niveau,
    // so the pages can show the comparison; a real export gives the true national figures.
    let mut land: BTreeMap<(String, i32), (u64, u64)> = BTreeMap::new();
    for ((afdeling, cohort), c) in afdelingen {
        let niveau = afdeling.split_once(':').map_or("", |(_, n)| n);
        for kenmerken in [String::new(), format!("niveau={niveau}")] {
            let sum = land.entry((kenmerken, *cohort)).or_default();
            (sum.0, sum.1) = (sum.0 + c.direct, sum.1 + c.records);
        }
    }
    for ((kenmerken, cohort), (direct, records)) in &land {
        if *cohort <= 2022 && observed(*cohort, 0) {
            let _ = writeln!(
                vensters,
                "vensters,doorstroom naar vervolgonderwijs (landelijk),instroom_direct,{cohort},land,NL,{kenmerken},,,{},,,,",
                percent(*direct, *records, 0)
            );
        }
    }
    file(
        "vensters.csv",
        "Vensters (until 2023): share of the exam year's graduates enrolled in funded education on \
         1 October, as a whole percentage; also the national average, overall and per \
         onderwijssoort (in the demo: the demo region's own alumni).",
        vensters,
    )?;

    let mut nco = String::new();
    for ((school, cohort), c) in schools {
        if !observed(*cohort, 1) {
            continue;
        }
        let (n, version) = if *cohort < NCO_NEW_METHOD {
            (c.any_moment, "heel jaar t/m 2020")
        } else {
            (c.direct, "1 oktober vanaf 2021")
        };
        let _ = writeln!(
            nco,
            "nco,ingestroomd in vervolgonderwijs,instroom_direct,{cohort},school,{school},,{n},{},{},,,,{version}",
            c.records,
            percent(n, c.records, 1)
        );
    }
    file(
        "nco.csv",
        "NCO (demo): former pupils enrolled in vervolgonderwijs; up to cohort 2020 at any moment \
         of the school year after the diploma, from cohort 2021 on 1 October itself.",
        nco,
    )?;

    let mut monitor = String::new();
    for ((afdeling, cohort), c) in afdelingen {
        let gap_years_common = afdeling.ends_with(":havo") || afdeling.ends_with(":vwo");
        if gap_years_common && observed(*cohort, 1) && *cohort >= 2019 {
            let _ = writeln!(
                monitor,
                "regiomonitor,directe doorstroom,instroom_direct,{cohort},afdeling,{afdeling},,,,{},,,,",
                percent(c.within_a_year, c.records, 1)
            );
        }
    }
    file(
        "regiomonitor.csv",
        "Regional monitor (demo): 'direct' inflow that also counts those who entered after one gap \
         year, as a percentage with one decimal.",
        monitor,
    )?;
    Ok(sources)
}
