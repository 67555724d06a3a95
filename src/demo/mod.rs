//! The demo region: a fictional region generated reproducibly from a seed, in the exchange format.
//!
//! About 12 vo schools covering every afdeling, 3 mbo, 2 hbo and 1 wo institution; cohorts
//! 2018–2024 of about 2,500 alumni a year; enrollments up to 1 October 2025. Rates are set to look
//! like the Netherlands (vmbo → mbo ~95%, havo → hbo ~70% direct and ~15% after a gap year, vwo → wo
//! ~75%, hbo first-year dropout and switch ~15% each, mbo startersresultaat ~85%). One school
//! (Het Baken) starts a LOB programme for havo with cohort 2021, and its figures improve from then.
//! A few students start in February or stop in September, before the first peildatum. After a
//! diploma some study on (mbo-2 to a higher mbo level, mbo to hbo, bachelor to master's), drawn
//! from a random stream of their own so the rest of the demo does not depend on them.
//! The generator writes what partners export; the indicators come from the pipeline, never from
//! here. It also writes what sources would publish about the region (`published`), each in its
//! own definition, counted from the students it generated.
//!
//! At scale (`--scale N --first-cohort Y`, #7) it writes N copies of the region's schools, each
//! with its own BRINs, whose students go to up to 25 sets of institutions (a country has about as
//! many mbo, hbo and wo institutions), for the cohorts Y–2024: `--scale 100 --first-cohort 2005`
//! is a national size (about 5 million alumni). Rows are streamed to the files person by person,
//! so memory does not grow with the scale. Scale 1 from 2018 is the demo region itself.
//! `--per-school-year` writes each enrollment as one row per school year, as exports built from
//! 1cijferHO or BRON do: 57,810 rows for the demo's 23,156 enrollments, 19.1 million nationally.
//! `--all-enrolled` adds the rest of what a national export holds, none with an alumni record:
//! students of earlier vo cohorts still studying when the export starts, adults in mbo, students
//! from abroad in hbo and wo (25.5 million rows nationally, one per school year).

mod published;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::warehouse::{write_atomic, TextSink};

/// The demo region's first cohort; `--first-cohort` generates earlier ones too.
pub const FIRST_COHORT: i32 = 2018;
const LAST_COHORT: i32 = 2024;
/// At most this many copies of the region's schools (a copy's BRINs differ in their two digits).
pub const MAX_SCALE: u32 = 100;
/// Sets of institutions the copies' students go to.
const INSTITUTION_SETS: u32 = 25;
/// The export date: enrollments running on it have no einddatum.
const DATA_UNTIL: (i32, u32, u32) = (2025, 10, 1);
/// A key that says what it is: fictional, for the demo only.
pub const DEMO_KEY: &[u8] = b"DEMO-KEY fictief, niet geheim: doorstroom";

struct School {
    brin: &'static str,
    vestiging: &'static str,
    name: &'static str,
    /// Alumni per year per afdeling, in the order of AFDELINGEN.
    sizes: [u32; 6],
}

const AFDELINGEN: [&str; 6] = ["vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "havo", "vwo"];

const SCHOOLS: &[School] = &[
    School {
        brin: "90AA",
        vestiging: "0",
        name: "Het Baken",
        sizes: [0, 0, 0, 60, 90, 60],
    },
    School {
        brin: "90AB",
        vestiging: "0",
        name: "Stedelijk Lyceum",
        sizes: [0, 0, 0, 0, 110, 120],
    },
    School {
        brin: "90AC",
        vestiging: "1",
        name: "De Vaart",
        sizes: [45, 50, 25, 40, 0, 0],
    },
    School {
        brin: "90AC",
        vestiging: "2",
        name: "De Vaart Noord",
        sizes: [30, 35, 0, 45, 0, 0],
    },
    School {
        brin: "90AD",
        vestiging: "0",
        name: "Zuiderpark",
        sizes: [0, 0, 20, 80, 85, 45],
    },
    School {
        brin: "90AE",
        vestiging: "0",
        name: "Maerlant",
        sizes: [0, 0, 0, 0, 95, 110],
    },
    School {
        brin: "90AF",
        vestiging: "0",
        name: "Technova",
        sizes: [55, 60, 30, 35, 0, 0],
    },
    School {
        brin: "90AG",
        vestiging: "0",
        name: "Dijkzicht",
        sizes: [20, 30, 20, 70, 75, 40],
    },
    School {
        brin: "90AH",
        vestiging: "0",
        name: "Erasmus",
        sizes: [0, 0, 0, 0, 60, 130],
    },
    School {
        brin: "90AJ",
        vestiging: "0",
        name: "Groenhove",
        sizes: [40, 40, 15, 30, 0, 0],
    },
    School {
        brin: "90AK",
        vestiging: "0",
        name: "Kompas",
        sizes: [15, 25, 10, 60, 70, 35],
    },
    School {
        brin: "90AL",
        vestiging: "0",
        name: "Polderland",
        sizes: [25, 30, 15, 50, 50, 30],
    },
];

struct Institution {
    brin: &'static str,
    sector: &'static str,
    /// Programme codes; the first digits hint at the field.
    programmes: &'static [&'static str],
    /// Master's programmes (CROHO 4xxxx in hbo, 6xxxx in wo), entered only after a diploma.
    masters: &'static [&'static str],
}

const MBO: &[Institution] = &[
    Institution {
        brin: "25MA",
        sector: "mbo",
        programmes: &["25180", "25181", "25406", "25491", "25655", "25168"],
        masters: &[],
    },
    Institution {
        brin: "25MB",
        sector: "mbo",
        programmes: &["25250", "25182", "25407", "25600", "25140"],
        masters: &[],
    },
    Institution {
        brin: "25MC",
        sector: "mbo",
        programmes: &["25480", "25160", "25260", "25570"],
        masters: &[],
    },
];
const HBO: &[Institution] = &[
    Institution {
        brin: "21HA",
        sector: "hbo",
        programmes: &["34402", "34139", "35520", "34035", "39205", "34410"],
        masters: &["44402", "49205"],
    },
    Institution {
        brin: "21HB",
        sector: "hbo",
        programmes: &["34588", "30020", "34950", "35539", "34407"],
        masters: &["44588", "49950"],
    },
];
const WO: &[Institution] = &[Institution {
    brin: "21WA",
    sector: "wo",
    programmes: &["50206", "56604", "56827", "50033", "56978", "59325"],
    masters: &["60206", "66604", "66827", "66978", "69325"],
}];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid generated date")
}

/// A generated alumni record (the valid ones only: what the region's figures count).
struct Alumnus {
    /// School id as the pipeline builds it: BRIN + 2-digit vestiging.
    school: String,
    afdeling: &'static str,
    cohort: i32,
    diploma: NaiveDate,
}

/// A generated enrollment before it is written.
struct Enrollment {
    person: String,
    brin: String,
    sector: &'static str,
    programme: &'static str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    diploma: bool,
}

struct Generator {
    rng: ChaCha8Rng,
    /// The current person's enrollments, written when the person is done.
    enrollments: Vec<Enrollment>,
    data_until: NaiveDate,
    /// The copy of the region's schools the current person comes from.
    copy: u32,
    /// The set of institutions the current person goes to.
    set: u32,
    /// A stream of its own for studies after a diploma (`follow_on`), so that adding them left
    /// every other draw, and so the demo's other figures, as they were.
    follow: ChaCha8Rng,
    /// Whether `rng` is the follow-on stream now (swapped in by the outermost `follow_on`).
    following: bool,
}

/// With `all_enrolled`: the vo cohorts before the first whose students may still be enrolled when
/// the export starts (a vwo alumnus with a gap year, a bachelor and a master's studies seven years).
const EARLIER_COHORTS: i32 = 6;

/// With `all_enrolled`: people a year per copy of the region who enter without an alumni record in
/// the exchange, by sector: adults in mbo (BBL, mostly), students from abroad in hbo and wo. Set so
/// that a national school year holds about as many enrollments per sector as the Netherlands has
/// students (about 0.5 M in mbo and in hbo, 0.35 M in wo: our reading of published student
/// numbers, not measured here) where the alumni's paths alone give 0.44, 0.37 and 0.21 M.
const NEWCOMERS: [(&str, u32); 3] = [("mbo", 150), ("hbo", 200), ("wo", 200)];

/// A BRIN of copy or set `n`: the base BRIN with its two digits shifted by `n` (`n` = 0 is the
/// base itself).
fn shifted(base: &str, n: u32) -> String {
    let digits: u32 = base[..2]
        .parse()
        .expect("generated BRINs start with two digits");
    format!("{:02}{}", (digits + n) % 100, &base[2..])
}

/// Chances of the first-year outcome of a spell (the rest stays in the programme).
struct YearOne {
    switch_intern: f64,
    switch_extern: f64,
    switch_sector: f64,
    dropout: f64,
}

impl Generator {
    /// A cohort's alumni of one afdeling at one school: its base size plus 0–16 %.
    fn cohort_size(&mut self, base: u32) -> u32 {
        (base as f64 * (1.0 + 0.16 * self.rng.random::<f64>())).round() as u32
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.random_range(0..items.len())]
    }

    fn start_date(&mut self, year: i32) -> NaiveDate {
        date(year, 8, 20) + chrono::Duration::days(self.rng.random_range(0..13))
    }

    /// Adds an enrollment, cutting it off at the export date as a partner's export would. `at`
    /// holds the base BRIN; a vo BRIN is the person's copy of that school, any other the person's
    /// set of that institution.
    fn push(
        &mut self,
        person: &str,
        at: (&'static str, &'static str),
        programme: &'static str,
        span: (NaiveDate, NaiveDate),
        diploma: bool,
    ) {
        let ((brin, sector), (start, end)) = (at, span);
        if start > self.data_until {
            return;
        }
        let (end, diploma) = if end > self.data_until {
            (None, false)
        } else {
            (Some(end), diploma)
        };
        let brin = shifted(brin, if sector == "vo" { self.copy } else { self.set });
        self.enrollments.push(Enrollment {
            person: person.to_string(),
            brin,
            sector,
            programme,
            start,
            end,
            diploma,
        });
    }

    /// Simulates a person's path from a first enrollment in `sector` starting in `year`.
    fn path(
        &mut self,
        person: &str,
        sector: &'static str,
        year: i32,
        nominal_years: i32,
        y1: &YearOne,
    ) {
        let pool: &'static [Institution] = match sector {
            "mbo" => MBO,
            "hbo" => HBO,
            _ => WO,
        };
        let inst = self.pick(pool);
        let programme = *self.pick(inst.programmes);
        let start = self.start_date(year);
        // Stopped in September, before the first peildatum: on no peildatum at all.
        if self.chance(0.01) {
            let end = start + chrono::Duration::days(self.rng.random_range(7..25));
            self.push(person, (inst.brin, sector), programme, (start, end), false);
            return;
        }
        // February intake: first counted on the next year's peildatum.
        if self.chance(0.015) {
            let start = date(year + 1, 2, 1);
            let end = date(year + nominal_years, 6, 30);
            let diploma = self.chance(0.7);
            self.push(
                person,
                (inst.brin, sector),
                programme,
                (start, end),
                diploma,
            );
            return;
        }
        let r = self.rng.random::<f64>();
        let mut acc = y1.dropout;
        if r < acc {
            let end = date(year, 11, 1) + chrono::Duration::days(self.rng.random_range(0..240));
            self.push(person, (inst.brin, sector), programme, (start, end), false);
            return;
        }
        let switch_end =
            date(year + 1, 6, 30) + chrono::Duration::days(self.rng.random_range(0..30));
        acc += y1.switch_sector;
        if r < acc {
            self.push(
                person,
                (inst.brin, sector),
                programme,
                (start, switch_end),
                false,
            );
            // From mbo on to hbo or to vavo at a ROC; from ho back to mbo.
            let (brin, next, code) = if sector != "mbo" {
                let to = self.pick(MBO);
                (to.brin, "mbo", *self.pick(to.programmes))
            } else if self.chance(0.5) {
                (self.pick(MBO).brin, "vavo", "VAVO-H")
            } else {
                let to = self.pick(HBO);
                (to.brin, "hbo", *self.pick(to.programmes))
            };
            let start = self.start_date(year + 1);
            let diploma = self.chance(0.6);
            self.push(
                person,
                (brin, next),
                code,
                (start, date(year + 3, 7, 1)),
                diploma,
            );
            return;
        }
        acc += y1.switch_extern;
        let (next_inst, switched) = if r < acc {
            let others: Vec<&'static Institution> =
                pool.iter().filter(|i| i.brin != inst.brin).collect();
            // A sector with one institution (wo) switches to hbo, which is still sector group HO.
            let target = if others.is_empty() {
                self.pick(HBO)
            } else {
                *self.pick(&others)
            };
            (target, true)
        } else if r < acc + y1.switch_intern {
            (inst, true)
        } else {
            (inst, false)
        };
        if switched {
            self.push(
                person,
                (inst.brin, inst.sector),
                programme,
                (start, switch_end),
                false,
            );
            let mut code = *self.pick(next_inst.programmes);
            while next_inst.brin == inst.brin && code == programme {
                code = *self.pick(next_inst.programmes);
            }
            self.finish_programme(person, next_inst, code, year + 1, nominal_years);
        } else {
            self.finish_programme(person, inst, programme, year, nominal_years);
        }
    }

    /// A programme followed to its end: mostly a diploma in nominal time or one year more.
    fn finish_programme(
        &mut self,
        person: &str,
        inst: &'static Institution,
        programme: &'static str,
        year: i32,
        nominal: i32,
    ) {
        let start = self.start_date(year);
        let r = self.rng.random::<f64>();
        let (years, diploma) = if r < 0.62 {
            (nominal, true)
        } else if r < 0.85 {
            (nominal + 1, true)
        } else {
            (self.rng.random_range(2..=nominal.max(2)), false)
        };
        let end = date(year + years, 6, 20) + chrono::Duration::days(self.rng.random_range(0..40));
        self.push(
            person,
            (inst.brin, inst.sector),
            programme,
            (start, end),
            diploma,
        );
        if diploma {
            self.follow_on(person, inst, programme, nominal, end);
        }
    }

    /// Study after a diploma, from the next school year: mbo-2 on to a higher mbo level (45 %),
    /// a longer mbo programme on to hbo (35 %), an hbo bachelor on to a master's (15 %, in hbo or
    /// wo), a wo bachelor on to a wo master's (85 %). A master's is not followed by more.
    fn follow_on(
        &mut self,
        person: &str,
        inst: &'static Institution,
        programme: &'static str,
        nominal: i32,
        diploma: NaiveDate,
    ) {
        let outer = !self.following;
        if outer {
            std::mem::swap(&mut self.rng, &mut self.follow);
            self.following = true;
        }
        let year = school_year(diploma) + 1;
        let master = inst.masters.contains(&programme);
        match inst.sector {
            "mbo" if nominal == 2 && self.chance(0.45) => {
                let to = if self.chance(0.7) {
                    inst
                } else {
                    self.pick(MBO)
                };
                let code = *self.pick(to.programmes);
                self.finish_programme(person, to, code, year, 3);
            }
            "mbo" if nominal > 2 && self.chance(0.35) => {
                self.path(person, "hbo", year, 4, &ho_year_one(0.2));
            }
            "hbo" if !master && self.chance(0.15) => {
                let to = if self.chance(0.6) { inst } else { &WO[0] };
                let code = *self.pick(to.masters);
                let years = if to.sector == "wo" { 1 } else { 2 };
                self.finish_programme(person, to, code, year, years);
            }
            "wo" if !master && self.chance(0.85) => {
                let code = *self.pick(inst.masters);
                let years = if self.chance(0.7) { 1 } else { 2 };
                self.finish_programme(person, inst, code, year, years);
            }
            _ => {}
        }
        if outer {
            std::mem::swap(&mut self.rng, &mut self.follow);
            self.following = false;
        }
    }
}

/// How much the demo generates.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Copies of the region's schools (1..=MAX_SCALE).
    pub scale: u32,
    /// The first cohort (the last is 2024).
    pub first_cohort: i32,
    /// One enrollment row per school year instead of one per enrollment.
    pub per_school_year: bool,
    /// Everyone enrolled at the institutions, not only the alumni's paths (`all_enrolled`).
    pub all_enrolled: bool,
}

/// The two exchange files being written, person by person.
struct Files {
    alumni: TextSink,
    enrollments: TextSink,
    alumni_rows: u64,
    enrollment_rows: u64,
    per_school_year: bool,
    data_until: NaiveDate,
}

impl Files {
    /// Writes the person's enrollments in start order (a stable sort: ties keep their order),
    /// each as one row or as one row per school year. With `since` (the export's first day) only
    /// what runs on or after it: an enrollment that ended before is left out, and so is a row
    /// per school year of an earlier school year.
    fn flush_person(
        &mut self,
        enrollments: &mut Vec<Enrollment>,
        since: Option<NaiveDate>,
    ) -> Result<()> {
        enrollments.sort_by_key(|e| e.start);
        let w = self.enrollments.writer();
        for e in enrollments.drain(..) {
            if since.is_some_and(|since| e.end.is_some_and(|end| end < since)) {
                continue;
            }
            let mut spans = if self.per_school_year {
                school_years(e.start, e.end, e.diploma, self.data_until)
            } else {
                vec![(e.start, e.end, e.diploma)]
            };
            if let Some(since) = since.filter(|_| self.per_school_year) {
                spans.retain(|(start, _, _)| school_year(*start) >= school_year(since));
            }
            for (start, end, diploma) in spans {
                let end = end.map(|d| d.to_string()).unwrap_or_default();
                writeln!(
                    w,
                    "{},{},{},{},{start},{end},{}",
                    e.person,
                    e.brin,
                    e.sector,
                    e.programme,
                    if diploma { "ja" } else { "nee" }
                )?;
                self.enrollment_rows += 1;
            }
        }
        Ok(())
    }
}

/// The school year a date falls in: the year of the 1 August that starts it.
fn school_year(d: NaiveDate) -> i32 {
    use chrono::Datelike as _;
    if d.month() >= 8 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// An enrollment cut at every 31 July / 1 August it spans, as exports with one row per school year
/// have it: the pieces cover the same days (so it is active on the same peildata), the first keeps
/// the start, the last the end (empty while running on `data_until`) and the diploma.
fn school_years(
    start: NaiveDate,
    end: Option<NaiveDate>,
    diploma: bool,
    data_until: NaiveDate,
) -> Vec<(NaiveDate, Option<NaiveDate>, bool)> {
    let (first, last) = (school_year(start), school_year(end.unwrap_or(data_until)));
    (first..=last)
        .map(|year| {
            let from = if year == first {
                start
            } else {
                date(year, 8, 1)
            };
            if year == last {
                (from, end, diploma)
            } else {
                (from, Some(date(year + 1, 7, 31)), false)
            }
        })
        .collect()
}

/// Writes the demo region into `dir`; returns a one-line summary.
pub fn write(dir: &Path, seed: u64, size: Size) -> Result<String> {
    anyhow::ensure!(
        (1..=MAX_SCALE).contains(&size.scale),
        "--scale {}: give 1 to {MAX_SCALE} copies of the region's schools",
        size.scale
    );
    anyhow::ensure!(
        (2000..=LAST_COHORT).contains(&size.first_cohort),
        "--first-cohort {}: give a year from 2000 to {LAST_COHORT}",
        size.first_cohort
    );
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let data_until = date(DATA_UNTIL.0, DATA_UNTIL.1, DATA_UNTIL.2);
    let mut g = Generator {
        rng: ChaCha8Rng::seed_from_u64(seed),
        enrollments: Vec::new(),
        data_until,
        copy: 0,
        set: 0,
        follow: ChaCha8Rng::seed_from_u64(seed ^ 0xf011_0e0e),
        following: false,
    };
    let mut files = Files {
        alumni: TextSink::create(dir)?,
        enrollments: TextSink::create(dir)?,
        alumni_rows: 0,
        enrollment_rows: 0,
        per_school_year: size.per_school_year,
        data_until,
    };
    writeln!(
        files.alumni.writer(),
        "persoon_id,brin,vestiging,schoolnaam,niveau,diplomadatum,geslacht,groep"
    )?;
    writeln!(
        files.enrollments.writer(),
        "persoon_id,brin,sector,opleidingscode,startdatum,einddatum,diploma"
    )?;
    let sets = size.scale.min(INSTITUTION_SETS);
    let mut tally = published::Tally::default();
    let mut survey = Survey::new(seed);
    let mut person_no = 0u32;
    for cohort in size.first_cohort..=LAST_COHORT {
        for copy in 0..size.scale {
            g.copy = copy;
            g.set = copy % sets;
            for school in SCHOOLS {
                let brin = shifted(school.brin, copy);
                let name = if copy == 0 {
                    school.name.to_string()
                } else {
                    format!("{} ({})", school.name, copy + 1)
                };
                for (afdeling, &size) in AFDELINGEN.iter().zip(&school.sizes) {
                    for _ in 0..g.cohort_size(size) {
                        person_no += 1;
                        let person = format!("D{person_no:06}");
                        let day =
                            date(cohort, 6, 28) + chrono::Duration::days(g.rng.random_range(0..14));
                        let gender = if g.chance(0.5) { "v" } else { "m" };
                        let lob =
                            school.name == "Het Baken" && *afdeling == "havo" && cohort >= 2021;
                        let group = if lob { "LOB-plus" } else { "" };
                        writeln!(
                            files.alumni.writer(),
                            "{person},{brin},{},{name},{afdeling},{day},{gender},{group}",
                            school.vestiging
                        )?;
                        files.alumni_rows += 1;
                        after_diploma(&mut g, &person, afdeling, cohort, lob, school.name);
                        if copy == 0 {
                            let school_id = format!("{brin}{:0>2}", school.vestiging);
                            survey.respond(cohort, &school_id, afdeling, lob);
                        }
                        let record = Alumnus {
                            school: format!("{brin}{:0>2}", school.vestiging),
                            afdeling,
                            cohort,
                            diploma: day,
                        };
                        tally.add(&record, &g.enrollments);
                        files.flush_person(&mut g.enrollments, None)?;
                    }
                }
            }
        }
    }
    // People who enter the region's hbo and wo from elsewhere: in inschrijvingen only.
    for year in size.first_cohort..=DATA_UNTIL.0 {
        for i in 0..(60 * size.scale) {
            person_no += 1;
            let person = format!("E{person_no:06}");
            g.set = i % sets;
            let sector = if g.chance(0.5) { "hbo" } else { "wo" };
            let nominal = if sector == "hbo" { 4 } else { 3 };
            g.path(&person, sector, year, nominal, &ho_year_one(0.15));
            files.flush_person(&mut g.enrollments, None)?;
        }
    }
    if size.all_enrolled {
        all_enrolled(&mut g, &mut files, size, &mut person_no)?;
    }
    // A few rows as real exports have them, which validation must reject.
    let alumni = files.alumni.writer();
    alumni.write_all(b"D999901,90AA,0,Het Baken,havo,2022-13-01,v,\n")?;
    alumni.write_all(b"D999902,90AA,0,Het Baken,atheneum,2022-07-01,m,\n")?;
    alumni.write_all(b",90AB,0,Stedelijk Lyceum,vwo,2022-07-01,m,\n")?;
    let enrollments = files.enrollments.writer();
    enrollments.write_all(b"D999903,25MA,mbo,25180,2022-09-01,2022-08-01,nee\n")?;
    enrollments.write_all(b"D999904,21HA,hogeschool,34402,2022-09-01,,nee\n")?;
    survey.text.push_str("2022;90AA00;havo;99999;7;4;4\n");

    let (alumni_rows, enrollment_rows) = (files.alumni_rows, files.enrollment_rows);
    files.alumni.commit(&dir.join("gediplomeerden.csv"))?;
    files.enrollments.commit(&dir.join("inschrijvingen.csv"))?;
    write_atomic(&dir.join("sleutel.bin"), DEMO_KEY)?;
    write_atomic(&dir.join("interventies.csv"), INTERVENTIONS.as_bytes())?;
    write_atomic(&dir.join("enquete.csv"), survey.text.as_bytes())?;
    let sources = tally.write(dir, data_until)?;
    write_atomic(
        &dir.join("doorstroom.toml"),
        demo_config(data_until, &sources).as_bytes(),
    )?;
    Ok(format!(
        "demo region written to {}: {alumni_rows} alumni records, {enrollment_rows} enrollments, \
         {} published figures (seed {seed})",
        dir.display(),
        sources.iter().map(|s| s.figures).sum::<usize>()
    ))
}

/// The rest of a national enrollment export (`--all-enrolled`), after everything else so that the
/// demo's other draws stay as they were: students of the `EARLIER_COHORTS` vo cohorts before the
/// first (ids `V…`; only what runs from the first cohort's school year on, as an export starting
/// then holds it), then the `NEWCOMERS` of each year (ids `N…`). None of them has an alumni record.
fn all_enrolled(
    g: &mut Generator,
    files: &mut Files,
    size: Size,
    person_no: &mut u32,
) -> Result<()> {
    let sets = size.scale.min(INSTITUTION_SETS);
    let since = date(size.first_cohort, 8, 1);
    for cohort in size.first_cohort - EARLIER_COHORTS..size.first_cohort {
        for copy in 0..size.scale {
            g.copy = copy;
            g.set = copy % sets;
            for school in SCHOOLS {
                for (afdeling, &base) in AFDELINGEN.iter().zip(&school.sizes) {
                    for _ in 0..g.cohort_size(base) {
                        *person_no += 1;
                        let person = format!("V{person_no:06}");
                        after_diploma(g, &person, afdeling, cohort, false, school.name);
                        files.flush_person(&mut g.enrollments, Some(since))?;
                    }
                }
            }
        }
    }
    for year in size.first_cohort..=DATA_UNTIL.0 {
        for (sector, per_copy) in NEWCOMERS {
            for i in 0..per_copy * size.scale {
                *person_no += 1;
                let person = format!("N{person_no:06}");
                g.set = i % sets;
                match sector {
                    "mbo" => {
                        let nominal = g.rng.random_range(2..=4);
                        g.path(&person, "mbo", year, nominal, &MBO_YEAR_ONE);
                    }
                    "hbo" => g.path(&person, "hbo", year, 4, &ho_year_one(0.15)),
                    _ => g.path(&person, "wo", year, 3, &ho_year_one(0.10)),
                }
                files.flush_person(&mut g.enrollments, None)?;
            }
        }
    }
    Ok(())
}

/// The alumni survey of the region's own schools (not of the copies `--scale` adds): about a third
/// of the alumni answer, from cohort 2019 on. Drawn from its own random stream, so the rest of the
/// demo does not depend on it. Het Baken's LOB-plus havo alumni feel better prepared.
struct Survey {
    rng: ChaCha8Rng,
    text: String,
    respondents: u32,
}

/// The survey's items: header, and the chance of agreeing without and with LOB-plus.
const SURVEY_ITEMS: [(&str, f64, f64); 3] = [
    ("goed voorbereid op studiekeuze", 0.55, 0.8),
    ("meeloopdagen nuttig", 0.45, 0.75),
    ("tevreden met studiekeuze", 0.7, 0.75),
];

impl Survey {
    fn new(seed: u64) -> Survey {
        let header: Vec<&str> = SURVEY_ITEMS.iter().map(|i| i.0).collect();
        Survey {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5eed),
            text: format!("cohort;school;afdeling;respondent;{}\n", header.join(";")),
            respondents: 0,
        }
    }

    fn respond(&mut self, cohort: i32, school: &str, afdeling: &str, lob: bool) {
        if cohort < 2019 || self.rng.random::<f64>() >= 0.35 {
            return;
        }
        self.respondents += 1;
        let mut row = format!("{cohort};{school};{afdeling};{}", self.respondents);
        for (_, plain, with_lob) in SURVEY_ITEMS {
            let agree = if lob { with_lob } else { plain };
            let score = if self.rng.random::<f64>() < 0.05 {
                String::new()
            } else if self.rng.random::<f64>() < agree {
                self.rng.random_range(4..=5).to_string()
            } else {
                self.rng.random_range(1..=3).to_string()
            };
            row.push(';');
            row.push_str(&score);
        }
        row.push('\n');
        self.text.push_str(&row);
    }
}

/// The schools' intervention register. Only Het Baken's LOB programme changed what the generator
/// does (`after_diploma`); the other two are there to show what no effect looks like.
const INTERVENTIONS: &str = "naam;school;afdeling;groep;eerste_cohort;beschrijving;indicatoren\n\
LOB-plus havo;90AA00;havo;LOB-plus;2021;Loopbaanbegeleiding met meeloopdagen in het hbo en een \
terugkomgesprek na de eerste periode.;uitval_onderwijs,bestemming_hbo,instroom_direct\n\
Mentoraat vmbo-tl;90AD00;vmbo-tl;;2022;Een vast mentoruur per week in het examenjaar.;\n\
Alumnidag;90AF00;;;2020;Oud-leerlingen vertellen over hun eerste jaar in het mbo.;\
instroom_direct,bestemming_mbo\n";

fn demo_config(data_until: NaiveDate, sources: &[published::Source]) -> String {
    let published: String = sources
        .iter()
        .map(|s| {
            format!(
                "  {{ path = \"{}\", definition = \"{}\" }},\n",
                s.path, s.definition
            )
        })
        .collect();
    format!(
        "# The demo region: fictional schools and students, generated by `doorstroom demo`.\n\
         [project]\nname = \"Regio Voorbeeld (fictief)\"\ndata_until = \"{data_until}\"\nlanguage = \"nl\"\n\n\
         [inputs]\nalumni = \"gediplomeerden.csv\"\nenrollments = \"inschrijvingen.csv\"\n\
         # The schools' intervention register (the quality cycle page).\n\
         interventions = \"interventies.csv\"\n\
         # The alumni survey: one row per respondent, Likert items 1-5 (shown beside the outcomes).\n\
         survey = \"enquete.csv\"\n\
         # What sources published about the region, each in its own definition (written by the demo).\n\
         published = [\n{published}]\n\n\
         [privacy]\n# A fictional key for the demo only. Keep a real key apart from the data.\n\
         key_file = \"sleutel.bin\"\nmin_cell = 5\nmin_denominator = 10\n\n\
         [output]\ndir = \"out\"\n\n\
         # The schools' own norms (rates), shown beside their figures.\n\
         [[norms]]\nindicator = \"instroom_direct\"\nmin = 0.85\n\n\
         [[norms]]\nindicator = \"uitval_onderwijs\"\nniveau = \"havo\"\nmax = 0.1\n"
    )
}

fn ho_year_one(dropout: f64) -> YearOne {
    YearOne {
        switch_intern: 0.09,
        switch_extern: 0.06,
        switch_sector: 0.04,
        dropout,
    }
}

const MBO_YEAR_ONE: YearOne = YearOne {
    switch_intern: 0.05,
    switch_extern: 0.04,
    switch_sector: 0.02,
    dropout: 0.06,
};

/// What happens after the vo diploma: direct inflow, a gap year, or nothing in the data.
fn after_diploma(
    g: &mut Generator,
    person: &str,
    afdeling: &str,
    cohort: i32,
    lob: bool,
    school: &str,
) {
    let r = g.rng.random::<f64>();
    match afdeling {
        "vmbo-bb" | "vmbo-kb" | "vmbo-gl" | "vmbo-tl" => {
            let stapelen = matches!(afdeling, "vmbo-gl" | "vmbo-tl") && r < 0.04;
            if stapelen {
                // Stapelen: on to havo (vo) at a school of the region, for two years.
                let start = g.start_date(cohort);
                let ok = g.chance(0.8);
                g.push(
                    person,
                    ("90AD", "vo"),
                    "HAVO",
                    (start, date(cohort + 2, 7, 5)),
                    ok,
                );
            } else if r < 0.97 {
                let nominal = match afdeling {
                    "vmbo-bb" => 2,
                    "vmbo-kb" => 3,
                    _ => 4,
                };
                g.path(person, "mbo", cohort, nominal, &MBO_YEAR_ONE);
            } else if g.chance(0.5) {
                g.path(person, "mbo", cohort + 1, 3, &MBO_YEAR_ONE);
            }
        }
        "havo" => {
            // Het Baken's havo alumni dropped out of hbo often until its LOB programme (cohort 2021).
            let dropout = if school == "Het Baken" {
                if lob {
                    0.09
                } else {
                    0.26
                }
            } else {
                0.15
            };
            let direct_hbo = if school == "Het Baken" && !lob {
                0.64
            } else {
                0.70
            };
            if r < direct_hbo {
                g.path(person, "hbo", cohort, 4, &ho_year_one(dropout));
            } else if r < direct_hbo + 0.09 {
                g.path(person, "mbo", cohort, 3, &MBO_YEAR_ONE);
            } else if r < direct_hbo + 0.09 + 0.15 {
                g.path(person, "hbo", cohort + 1, 4, &ho_year_one(dropout * 0.8));
            }
        }
        _ => {
            if r < 0.75 {
                g.path(person, "wo", cohort, 3, &ho_year_one(0.10));
            } else if r < 0.86 {
                g.path(person, "hbo", cohort, 4, &ho_year_one(0.12));
            } else if r < 0.97 {
                g.path(person, "wo", cohort + 1, 3, &ho_year_one(0.10));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrollment_is_cut_at_each_school_year_it_spans() {
        let until = date(2025, 10, 1);
        // Four years with a diploma: the diploma and the real end only on the last row.
        assert_eq!(
            school_years(date(2020, 8, 25), Some(date(2024, 6, 30)), true, until),
            [
                (date(2020, 8, 25), Some(date(2021, 7, 31)), false),
                (date(2021, 8, 1), Some(date(2022, 7, 31)), false),
                (date(2022, 8, 1), Some(date(2023, 7, 31)), false),
                (date(2023, 8, 1), Some(date(2024, 6, 30)), true),
            ]
        );
        // A February intake ending in its first school year stays one row.
        assert_eq!(
            school_years(date(2021, 2, 1), Some(date(2021, 6, 30)), false, until),
            [(date(2021, 2, 1), Some(date(2021, 6, 30)), false)]
        );
        // Still running on the export date: the last row has no end.
        assert_eq!(
            school_years(date(2024, 8, 30), None, false, until),
            [
                (date(2024, 8, 30), Some(date(2025, 7, 31)), false),
                (date(2025, 8, 1), None, false),
            ]
        );
    }
}
