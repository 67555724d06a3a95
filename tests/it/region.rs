//! A tiny region written to a temporary directory, run through the binary, and its indicators read
//! back with the csv crate (independently of the code under test).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub const ALUMNI_HEADER: &str = "persoon_id,brin,vestiging,niveau,diplomadatum";
pub const ENROLLMENT_HEADER: &str =
    "persoon_id,brin,sector,opleidingscode,startdatum,einddatum,diploma,hoofdinschrijving";

/// Builder for a region: alumni rows, enrollment rows, data_until.
pub struct Region {
    pub dir: TempDir,
    data_until: String,
    alumni: Vec<String>,
    enrollments: Vec<String>,
}

/// Indicator rows keyed by (cohort, cohort_basis, inflow_basis, window, unit_type, unit_id, indicator).
pub type Key = (i32, String, String, u8, String, String, String);

#[derive(Debug, Clone)]
pub struct Row {
    pub numerator: i64,
    pub denominator: i64,
    pub value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

pub struct Outcome {
    pub dir: PathBuf,
    pub rows: BTreeMap<Key, Row>,
    pub status: i32,
    pub stderr: String,
    pub stdout: String,
}

impl Region {
    pub fn new(data_until: &str) -> Region {
        Region {
            dir: tempfile::tempdir().unwrap(),
            data_until: data_until.into(),
            alumni: Vec::new(),
            enrollments: Vec::new(),
        }
    }

    /// An alumni record: person, school as `BRIN` + 2-digit vestiging (e.g. `97XA01`), niveau, date.
    pub fn alumnus(mut self, person: &str, school: &str, niveau: &str, date: &str) -> Self {
        let (brin, vestiging) = school.split_at(4);
        self.alumni
            .push(format!("{person},{brin},{vestiging},{niveau},{date}"));
        self
    }

    /// An enrollment: person, brin, sector, programme, start, end ("" while running), diploma, main.
    #[allow(clippy::too_many_arguments)]
    pub fn enrollment(
        mut self,
        person: &str,
        brin: &str,
        sector: &str,
        code: &str,
        start: &str,
        end: &str,
        diploma: &str,
        main: &str,
    ) -> Self {
        self.enrollments.push(format!(
            "{person},{brin},{sector},{code},{start},{end},{diploma},{main}"
        ));
        self
    }

    /// Shorthand: a running-or-ended enrollment without diploma and without main flag.
    pub fn enrolled(
        self,
        person: &str,
        brin: &str,
        sector: &str,
        code: &str,
        start: &str,
        end: &str,
    ) -> Self {
        self.enrollment(person, brin, sector, code, start, end, "nee", "")
    }

    pub fn write(&self) -> PathBuf {
        let d = self.dir.path();
        std::fs::write(
            d.join("gediplomeerden.csv"),
            format!("{ALUMNI_HEADER}\n{}\n", self.alumni.join("\n")),
        )
        .unwrap();
        std::fs::write(
            d.join("inschrijvingen.csv"),
            format!("{ENROLLMENT_HEADER}\n{}\n", self.enrollments.join("\n")),
        )
        .unwrap();
        std::fs::write(d.join("sleutel.bin"), [7u8; 32]).unwrap();
        let config = format!(
            "[project]\nname = \"Toets\"\ndata_until = \"{}\"\n\n[inputs]\nalumni = \"gediplomeerden.csv\"\n\
             enrollments = \"inschrijvingen.csv\"\n\n[privacy]\nkey_file = \"sleutel.bin\"\n\n[output]\ndir = \"out\"\n",
            self.data_until
        );
        std::fs::write(d.join("doorstroom.toml"), config).unwrap();
        d.join("doorstroom.toml")
    }

    /// Writes the files (unless the test already wrote and edited them) and runs `doorstroom run`.
    pub fn run(self) -> Outcome {
        let config = self.dir.path().join("doorstroom.toml");
        if !config.exists() {
            self.write();
        }
        let out = Command::cargo_bin("doorstroom")
            .unwrap()
            .arg("run")
            .arg(&config)
            .output()
            .unwrap();
        let dir = self.dir.path().to_path_buf();
        let csv = dir.join("out/warehouse/indicators.csv");
        let rows = if csv.exists() {
            read_indicators(&csv)
        } else {
            BTreeMap::new()
        };
        // Keep the directory alive for the caller by leaking the TempDir handle (tests are short).
        std::mem::forget(self.dir);
        Outcome {
            dir,
            rows,
            status: out.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        }
    }
}

/// The columns of `indicators.csv`, written out from formats.md §5 (not taken from the code).
pub const INDICATOR_HEADER: [&str; 12] = [
    "cohort",
    "cohort_basis",
    "inflow_basis",
    "cohort_window",
    "unit_type",
    "unit_id",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
];

pub fn read_indicators(path: &Path) -> BTreeMap<Key, Row> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, INDICATOR_HEADER);
    let mut rows = BTreeMap::new();
    for rec in reader.records() {
        let r = rec.unwrap();
        let key: Key = (
            r[0].parse().unwrap(),
            r[1].to_string(),
            r[2].to_string(),
            r[3].parse().unwrap(),
            r[4].to_string(),
            r[5].to_string(),
            r[6].to_string(),
        );
        let row = Row {
            numerator: r[7].parse().unwrap(),
            denominator: r[8].parse().unwrap(),
            value: r[9].parse().unwrap(),
            ci_low: r[10].parse().unwrap(),
            ci_high: r[11].parse().unwrap(),
        };
        assert!(
            rows.insert(key, row).is_none(),
            "duplicate key in indicators.csv"
        );
    }
    rows
}

impl Outcome {
    /// (numerator, denominator) of a single-cohort row, if the row exists.
    pub fn get(
        &self,
        cohort: i32,
        basis: &str,
        inflow: &str,
        unit_type: &str,
        unit_id: &str,
        indicator: &str,
    ) -> Option<(i64, i64)> {
        self.get_window(cohort, basis, inflow, 1, unit_type, unit_id, indicator)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn get_window(
        &self,
        cohort: i32,
        basis: &str,
        inflow: &str,
        window: u8,
        unit_type: &str,
        unit_id: &str,
        indicator: &str,
    ) -> Option<(i64, i64)> {
        let key = (
            cohort,
            basis.into(),
            inflow.into(),
            window,
            unit_type.into(),
            unit_id.into(),
            indicator.into(),
        );
        self.rows.get(&key).map(|r| (r.numerator, r.denominator))
    }

    /// Diploma basis, region unit.
    pub fn regio(&self, cohort: i32, inflow: &str, indicator: &str) -> Option<(i64, i64)> {
        self.get(cohort, "diploma", inflow, "regio", "regio", indicator)
    }

    /// The year-one outcome (jaar1_*) that has numerator 1 for a one-entrant region, direct basis.
    pub fn outcome(&self, cohort: i32, inflow: &str) -> String {
        let hits: Vec<&str> = [
            "zelfde_opleiding",
            "diploma",
            "switch_intern",
            "switch_extern",
            "switch_sector",
            "uitval",
        ]
        .into_iter()
        .filter(|o| self.regio(cohort, inflow, &format!("jaar1_{o}")) == Some((1, 1)))
        .collect();
        assert_eq!(
            hits.len(),
            1,
            "expected exactly one outcome, got {hits:?}\n{}",
            self.stderr
        );
        hits[0].to_string()
    }

    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, 0, "stderr: {}", self.stderr);
        self
    }
}

/// Every row of a Parquet file as column name → display text (empty for null).
pub fn parquet_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    use arrow::array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path).unwrap();
    let mut rows = Vec::new();
    for batch in ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap()
    {
        let b = batch.unwrap();
        for i in 0..b.num_rows() {
            let mut row = BTreeMap::new();
            for (f, col) in b.schema().fields().iter().zip(b.columns()) {
                let text = if col.is_null(i) {
                    String::new()
                } else {
                    arrow::util::display::array_value_to_string(col, i).unwrap()
                };
                row.insert(f.name().clone(), text);
            }
            rows.push(row);
        }
    }
    rows
}

/// Runs `doorstroom run CONFIG`.
pub fn run_config(config: &Path) -> std::process::Output {
    Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .arg(config)
        .output()
        .unwrap()
}

/// Edits a written configuration; the text to replace must be there (a silent no-op edit once hid a
/// test that never exercised what it named).
pub fn edit_config(config: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(config).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", config.display());
    std::fs::write(config, text.replace(from, to)).unwrap();
}

/// `out/manifest.json` of a project directory.
pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/manifest.json")).unwrap()).unwrap()
}

/// Runs `doorstroom ARGS` with `dir` as the working directory.
pub fn doorstroom_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("doorstroom")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Asserts an exit status, showing the program's stderr when it differs.
pub fn assert_status(out: &std::process::Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The committed demo project (`data/demo/`) run into a temporary directory; returns it.
pub fn run_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_demo(&dir.path().join("data/demo"));
    assert_status(&doorstroom_in(dir.path(), &["run"]), 0);
    dir
}

/// The demo project in a temporary directory with `[engine]` set to `engine`, run.
pub fn run_demo_with_engine(engine: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    copy_demo(&dir.path().join("data/demo"));
    let config = dir.path().join("data/demo/doorstroom.toml");
    edit_config(
        &config,
        "[output]",
        &format!("[engine]\n{engine}\n\n[output]"),
    );
    let out = doorstroom_in(dir.path(), &["run"]);
    (dir, out)
}

/// The first line of the run's stderr that starts with `prefix` (a report such as `engine: …`).
pub fn stderr_line(out: &std::process::Output, prefix: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in:\n{stderr}"))
        .to_string()
}

/// The number that follows `marker` in `line` (up to the next space).
pub fn number_after<T: std::str::FromStr>(line: &str, marker: &str) -> T {
    line.split(marker)
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after {marker:?} in {line:?}"))
}

/// Asserts that two runs wrote the same files with the same bytes under `out/<dir>`.
pub fn assert_same_output(a: &Path, b: &Path, dir: &str, why: &str) {
    let a = files_under(&a.join("out").join(dir));
    let b = files_under(&b.join("out").join(dir));
    assert!(!a.is_empty(), "no files under out/{dir}");
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{dir}: other files {why}"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{dir}/{name} differs {why}");
    }
}

/// Every file `doorstroom demo` writes, relative to its directory.
pub const DEMO_FILES: &[&str] = &[
    "gediplomeerden.csv",
    "inschrijvingen.csv",
    "doorstroom.toml",
    "sleutel.bin",
    "interventies.csv",
    "enquete.csv",
    "gepubliceerd/duo_bestemming.csv",
    "gepubliceerd/vensters.csv",
    "gepubliceerd/nco.csv",
    "gepubliceerd/regiomonitor.csv",
];

/// Copies the committed demo project (`data/demo/`) to `to`.
pub fn copy_demo(to: &Path) {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    for f in DEMO_FILES {
        let dest = to.join(f);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(committed.join(f), dest).unwrap();
    }
}

/// Every file of a site as text, as a recipient sees it: pages, CSV and JSON as they are, each
/// workbook (`.xlsx`) as its cells (every sheet, row by row, tab-separated); PNG charts are left
/// out (pixels).
pub fn site_texts(site: &Path) -> Vec<(std::path::PathBuf, String)> {
    use calamine::{Reader, Xlsx};
    let mut out = Vec::new();
    let mut dirs = vec![site.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "xlsx") {
                let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
                let mut text = String::new();
                for name in book.sheet_names() {
                    let range = book.worksheet_range(&name).unwrap();
                    for row in range.rows() {
                        let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
                        text.push_str(&cells.join("\t"));
                        text.push('\n');
                    }
                }
                out.push((path, text));
            } else if path.extension().is_some_and(|e| e == "png") {
                // A chart's pixels: no text to read (its numbers are the page's, drawn).
                continue;
            } else {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// One CSV row as column name → cell.
pub type Cells = BTreeMap<String, String>;

/// A CSV file as rows of named cells.
pub fn read_table(path: &Path) -> Vec<Cells> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Every file under `out`, by path relative to it, with its bytes.
pub fn files_under(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.insert(
                    p.strip_prefix(out).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    files
}
