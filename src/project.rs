//! The resolved project: `doorstroom.toml` parsed once, every path made absolute and every setting
//! validated before any stage runs (formats.md §3).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::exit::input_error;

/// Where the demo project lives, relative to the working directory.
pub const DEMO_CONFIG: &str = "data/demo/doorstroom.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    project: RawProject,
    inputs: RawInputs,
    #[serde(default)]
    privacy: RawPrivacy,
    #[serde(default)]
    output: RawOutput,
    /// `[[norms]]`: the school's own norms, shown beside its figures.
    #[serde(default)]
    norms: Vec<Norm>,
    /// `[engine]`: how the queries run (memory limit, spill directory).
    #[serde(default)]
    engine: RawEngine,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEngine {
    #[serde(default)]
    kind: Option<String>,
    scheduler: Option<String>,
    memory_limit: Option<toml::Value>,
    spill_dir: Option<PathBuf>,
    target_partitions: Option<usize>,
    #[serde(default)]
    spill_joins: bool,
}

/// `[engine]`: resources of the query engine (formats.md §3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineSettings {
    /// Where the queries run: in this process, or on a Ballista cluster.
    pub kind: EngineKind,
    /// Bytes the engine's operators may hold at once; beyond it sorts, joins and aggregates spill
    /// to `spill_dir` (DataFusion's FairSpillPool). `None`: no limit.
    pub memory_limit: Option<u64>,
    /// Where spills and the materialized models go; by default a scratch directory beside the
    /// output directory (never the system temp, which may be memory).
    pub spill_dir: Option<PathBuf>,
    /// Partitions a query is split into; by default the number of cores.
    pub target_partitions: Option<usize>,
    /// Sort-merge joins instead of hash joins: slower, but they spill, where a hash join's build
    /// side must fit in memory (the national run failed on one under a 3 GiB limit).
    pub spill_joins: bool,
}

/// `[engine] kind`: the same `queries/` run in this process or on an Apache DataFusion Ballista
/// cluster (cargo feature `ballista`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum EngineKind {
    #[default]
    Local,
    Ballista(Scheduler),
}

/// `[engine] scheduler`: a running Ballista scheduler, or one started inside this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheduler {
    /// `"standalone"`: a scheduler and one executor in this process (for trying and testing).
    Standalone,
    /// `"df://host:port"`: the scheduler of a cluster.
    Remote(String),
}

/// A norm the school set itself (`[[norms]]`): a figure of `indicator` should be at least `min`
/// and at most `max` (rates, 0–1). Without `niveau` it applies to the region and the schools; with
/// `niveau` (`havo`, `vmbo-tl`, …) to the afdelingen of that level.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Norm {
    pub indicator: String,
    pub niveau: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    name: String,
    data_until: String,
    #[serde(default = "default_language")]
    language: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInputs {
    alumni: OneOrMany,
    enrollments: OneOrMany,
    #[serde(default)]
    published: Vec<RawPublished>,
    /// The intervention register (CSV, XLSX or TOML; `src/ingest/interventions.rs`).
    interventions: Option<RawInput>,
    /// The alumni survey (CSV or XLSX; `src/ingest/survey.rs`).
    survey: Option<RawInput>,
    /// The `site/` directory of an earlier run, for "what changed since the last run".
    previous_site: Option<PathBuf>,
}

/// One input or a list (several exports of one table, e.g. per school or per partner).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(RawInput),
    Many(Vec<RawInput>),
}

/// A path, or `{ path = "…", sheet = "…" }` to read a named sheet of a workbook.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
enum RawInput {
    Path(PathBuf),
    Table {
        path: PathBuf,
        sheet: Option<String>,
    },
}

impl OneOrMany {
    fn inputs(&self) -> Vec<RawInput> {
        match self {
            OneOrMany::One(p) => vec![p.clone()],
            OneOrMany::Many(ps) => ps.clone(),
        }
    }
}

/// An input file; `sheet` names the workbook sheet to read (default: the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    pub sheet: Option<String>,
}

impl InputFile {
    /// The first sheet (or a CSV file).
    pub fn new(path: impl Into<PathBuf>) -> InputFile {
        InputFile {
            path: path.into(),
            sheet: None,
        }
    }
}

/// A published-figures input: a plain path means preset `long`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawPublished {
    Path(PathBuf),
    Table {
        path: PathBuf,
        #[serde(default = "default_preset")]
        preset: String,
        /// Long-table column → the file's own header, for exports the preset's defaults miss.
        #[serde(default)]
        columns: BTreeMap<String, String>,
        /// The workbook sheet to read (default: the first).
        sheet: Option<String>,
        /// The source's definition in plain words, shown beside its figures (for a `long` file,
        /// whose preset cannot know it; for another preset it replaces the preset's text).
        definition: Option<String>,
    },
}

fn default_preset() -> String {
    "long".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    key_file: Option<PathBuf>,
    #[serde(default)]
    already_pseudonymised: bool,
    #[serde(default = "default_min_cell")]
    min_cell: u64,
    #[serde(default = "default_min_denominator")]
    min_denominator: u64,
    #[serde(default)]
    extremes: Extremes,
    #[serde(default = "default_pool_below")]
    pool_below: u64,
    #[serde(default)]
    institution_flows: InstitutionFlows,
    programme_flows: Option<ProgrammeFlows>,
}

impl Default for RawPrivacy {
    fn default() -> Self {
        RawPrivacy {
            key_file: None,
            already_pseudonymised: false,
            min_cell: default_min_cell(),
            min_denominator: default_min_denominator(),
            extremes: Extremes::default(),
            pool_below: default_pool_below(),
            institution_flows: InstitutionFlows::default(),
            programme_flows: None,
        }
    }
}

/// How rates near 0 % and 100 % are published (`[privacy] extremes`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Extremes {
    /// Published like any other rate (the default).
    #[default]
    Exact,
    /// NCO's convention that rates below 5 % or above 95 % are not shown exactly: such rates are
    /// suppressed (a shown bound such as "<5%" would be a relation the audit must also weigh, and
    /// with a known denominator can leave a single value).
    Nco,
}

/// Whose alumni the shared bundle follows on to the receiving institutions (`[privacy]
/// institution_flows`, queries/ind_flows.sql): the region's, each school's, or both. Each setting
/// costs other figures differently (measured on the demo; README "Sharing safely").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstitutionFlows {
    /// The region's (the default).
    #[default]
    Region,
    /// Each school's, each with its own `overig`.
    Schools,
    /// The region's and each school's: the schools take the region's institutions and `overig`,
    /// with a 0 row where a school sent nobody, so they sum to the region's.
    Both,
}

impl InstitutionFlows {
    /// Whether a unit type's destinations per institution are published.
    pub fn publishes(self, unit_type: &str) -> bool {
        match self {
            InstitutionFlows::Region => unit_type == "regio",
            InstitutionFlows::Schools => unit_type == "school",
            InstitutionFlows::Both => unit_type == "regio" || unit_type == "school",
        }
    }

    /// The setting as written in doorstroom.toml (`run_params.institution_flows`).
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionFlows::Region => "region",
            InstitutionFlows::Schools => "schools",
            InstitutionFlows::Both => "both",
        }
    }
}

/// Whose alumni the shared bundle follows on from an institution to its programmes (`[privacy]
/// programme_flows`, queries/ind_flows.sql): only units whose institutions are published. By
/// default the units `institution_flows` names, but under `both` the region's only: the schools'
/// programmes on the region's programmes cost many other figures (README "Sharing safely").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgrammeFlows {
    None,
    Region,
    Schools,
    Both,
}

impl ProgrammeFlows {
    /// The default for an `institution_flows` setting.
    fn default_for(institutions: InstitutionFlows) -> ProgrammeFlows {
        match institutions {
            InstitutionFlows::Region | InstitutionFlows::Both => ProgrammeFlows::Region,
            InstitutionFlows::Schools => ProgrammeFlows::Schools,
        }
    }

    /// Whether a unit type's destinations per programme are published.
    pub fn publishes(self, unit_type: &str) -> bool {
        let units = match self {
            ProgrammeFlows::None => return false,
            ProgrammeFlows::Region => InstitutionFlows::Region,
            ProgrammeFlows::Schools => InstitutionFlows::Schools,
            ProgrammeFlows::Both => InstitutionFlows::Both,
        };
        units.publishes(unit_type)
    }

    /// The setting as written in doorstroom.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeFlows::None => "none",
            ProgrammeFlows::Region => "region",
            ProgrammeFlows::Schools => "schools",
            ProgrammeFlows::Both => "both",
        }
    }
}

/// `programme_flows` within `institution_flows`: a programme row splits its institution's row,
/// which must be published beside it.
fn checked_programme_flows(
    programmes: Option<ProgrammeFlows>,
    institutions: InstitutionFlows,
    config: &Path,
) -> Result<ProgrammeFlows> {
    let Some(programmes) = programmes else {
        return Ok(ProgrammeFlows::default_for(institutions));
    };
    match ["regio", "school"]
        .iter()
        .find(|u| programmes.publishes(u) && !institutions.publishes(u))
    {
        None => Ok(programmes),
        Some(_) => Err(input_error(format!(
            "{}: [privacy] programme_flows = \"{}\" follows units whose institutions are not \
             published (institution_flows = \"{}\"): a programme row splits its institution's \
             row; give programme_flows = \"{}\" or \"none\", or widen institution_flows",
            config.display(),
            programmes.as_str(),
            institutions.as_str(),
            ProgrammeFlows::default_for(institutions).as_str(),
        ))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    #[serde(default = "default_out_dir")]
    dir: PathBuf,
    #[serde(default = "default_true")]
    csv: bool,
}

impl Default for RawOutput {
    fn default() -> Self {
        RawOutput {
            dir: default_out_dir(),
            csv: true,
        }
    }
}

fn default_language() -> String {
    "nl".into()
}
fn default_min_cell() -> u64 {
    5
}
fn default_min_denominator() -> u64 {
    10
}
/// Schools and afdelingen with fewer alumni than this per cohort (on average over a three-cohort
/// window) are shown pooled over the window instead of per cohort (definitions.md §8).
fn default_pool_below() -> u64 {
    20
}
fn default_out_dir() -> PathBuf {
    PathBuf::from("out")
}
fn default_true() -> bool {
    true
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }
}

/// A published-figures file and the adapter preset that reads it.
#[derive(Debug, Clone)]
pub struct PublishedInput {
    pub path: PathBuf,
    pub sheet: Option<String>,
    pub preset: String,
    pub columns: BTreeMap<String, String>,
    /// `definition = "…"`: the source's definition as the configuration states it.
    pub definition: Option<String>,
}

/// Disclosure-control settings (definitions.md §9).
#[derive(Debug, Clone)]
pub struct Privacy {
    pub key_file: Option<PathBuf>,
    pub already_pseudonymised: bool,
    pub min_cell: u64,
    pub min_denominator: u64,
    pub extremes: Extremes,
    /// `pool_below`: a school or afdeling with fewer alumni per cohort than this, on average over
    /// a fixed three-cohort window, is published pooled over that window (0: never).
    pub pool_below: u64,
    /// `institution_flows`: whose destinations per institution are published.
    pub institution_flows: InstitutionFlows,
    /// `programme_flows`: whose destinations per programme are published.
    pub programme_flows: ProgrammeFlows,
}

/// Every setting of a run, validated.
#[derive(Debug, Clone)]
pub struct Project {
    pub config_path: PathBuf,
    /// The configuration's directory; input paths are resolved against it.
    pub base_dir: PathBuf,
    /// sha256 of the configuration file's bytes, for the manifest.
    pub config_sha256: String,
    pub name: String,
    pub data_until: NaiveDate,
    pub language: Language,
    pub alumni: Vec<InputFile>,
    pub enrollments: Vec<InputFile>,
    pub published: Vec<PublishedInput>,
    /// `[inputs] interventions`: the intervention register, if any.
    pub interventions: Option<InputFile>,
    /// `[inputs] survey`: the alumni survey, if any.
    pub survey: Option<InputFile>,
    /// `[inputs] previous_site`: an earlier run's `site/`, compared with this run's.
    pub previous_site: Option<PathBuf>,
    pub privacy: Privacy,
    pub out_dir: PathBuf,
    pub write_csv: bool,
    pub norms: Vec<Norm>,
    pub engine: EngineSettings,
}

fn input_file(raw: &RawInput, resolve: &dyn Fn(&Path) -> PathBuf) -> InputFile {
    match raw {
        RawInput::Path(p) => InputFile {
            path: resolve(p),
            sheet: None,
        },
        RawInput::Table { path, sheet } => InputFile {
            path: resolve(path),
            sheet: sheet.clone(),
        },
    }
}

impl Project {
    /// A path as the manifest shows it: relative to the configuration's directory when inside it, so
    /// the manifest does not depend on where the project lives.
    pub fn shown_path(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.base_dir)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Finds the configuration: the given path, else `./doorstroom.toml`, else the demo project.
/// The demo's output goes to `./out` whatever its file says.
pub fn locate(config: Option<&Path>) -> Result<(PathBuf, Option<PathBuf>)> {
    if let Some(path) = config {
        return Ok((path.to_path_buf(), None));
    }
    let local = PathBuf::from("doorstroom.toml");
    if local.is_file() {
        return Ok((local, None));
    }
    let demo = PathBuf::from(DEMO_CONFIG);
    if demo.is_file() {
        return Ok((demo, Some(PathBuf::from("out"))));
    }
    Err(input_error(
        "no configuration: give a path to doorstroom.toml, or run from a directory that has one \
         (or from the doorstroom checkout, which ships data/demo/doorstroom.toml)",
    ))
}

impl Project {
    /// Reads and validates `path`; `out_override` replaces `[output] dir` (used for the demo).
    pub fn load(path: &Path, out_override: Option<PathBuf>) -> Result<Project> {
        let bytes = std::fs::read(path).map_err(|e| {
            input_error(format!(
                "{}: cannot read the configuration: {e}",
                path.display()
            ))
        })?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| {
            input_error(format!(
                "{}: the configuration is not UTF-8 text",
                path.display()
            ))
        })?;
        let raw: RawConfig = toml::from_str(&text)
            .map_err(|e| input_error(format!("{}: invalid configuration: {e}", path.display())))?;
        let base = path
            .canonicalize()
            .with_context(|| format!("{}: cannot resolve the path", path.display()))?
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let resolve = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };

        let data_until = NaiveDate::parse_from_str(raw.project.data_until.trim(), "%Y-%m-%d")
            .map_err(|_| {
                input_error(format!(
                    "{}: [project] data_until = {:?} is not a date like 2025-10-01",
                    path.display(),
                    raw.project.data_until
                ))
            })?;
        let language = match raw.project.language.trim().to_lowercase().as_str() {
            "nl" => Language::Nl,
            "en" => Language::En,
            other => {
                return Err(input_error(format!(
                    "{}: [project] language = {other:?}: use \"nl\" or \"en\"",
                    path.display()
                )))
            }
        };
        let privacy = raw.privacy;
        if privacy.min_cell < 3 {
            return Err(input_error(format!(
                "{}: [privacy] min_cell = {} is below 3, which definitions.md §9 never allows",
                path.display(),
                privacy.min_cell
            )));
        }
        let published = raw
            .inputs
            .published
            .iter()
            .map(|p| match p {
                RawPublished::Path(path) => PublishedInput {
                    path: resolve(path),
                    sheet: None,
                    preset: "long".into(),
                    columns: BTreeMap::new(),
                    definition: None,
                },
                RawPublished::Table {
                    path,
                    preset,
                    columns,
                    sheet,
                    definition,
                } => PublishedInput {
                    path: resolve(path),
                    sheet: sheet.clone(),
                    preset: preset.clone(),
                    columns: columns.clone(),
                    definition: definition.clone(),
                },
            })
            .collect();
        Ok(Project {
            config_path: path.to_path_buf(),
            base_dir: base.clone(),
            config_sha256: hex::encode(Sha256::digest(text.as_bytes())),
            name: raw.project.name,
            data_until,
            language,
            alumni: raw
                .inputs
                .alumni
                .inputs()
                .iter()
                .map(|i| input_file(i, &resolve))
                .collect(),
            enrollments: raw
                .inputs
                .enrollments
                .inputs()
                .iter()
                .map(|i| input_file(i, &resolve))
                .collect(),
            published,
            interventions: raw
                .inputs
                .interventions
                .as_ref()
                .map(|i| input_file(i, &resolve)),
            survey: raw.inputs.survey.as_ref().map(|i| input_file(i, &resolve)),
            previous_site: raw
                .inputs
                .previous_site
                .as_deref()
                .map(|p| checked_previous_site(resolve(p), path))
                .transpose()?,
            privacy: Privacy {
                key_file: privacy.key_file.as_deref().map(resolve),
                already_pseudonymised: privacy.already_pseudonymised,
                min_cell: privacy.min_cell,
                min_denominator: privacy.min_denominator,
                extremes: privacy.extremes,
                pool_below: privacy.pool_below,
                institution_flows: privacy.institution_flows,
                programme_flows: checked_programme_flows(
                    privacy.programme_flows,
                    privacy.institution_flows,
                    path,
                )?,
            },
            out_dir: out_override.unwrap_or_else(|| resolve(&raw.output.dir)),
            write_csv: raw.output.csv,
            norms: checked_norms(raw.norms, path)?,
            engine: checked_engine(raw.engine, path, &resolve)?,
        })
    }
}

/// `[inputs] previous_site` must be the `site/` of an earlier run: it has `data/indicators.csv`.
fn checked_previous_site(dir: PathBuf, config: &Path) -> Result<PathBuf> {
    if dir.join("data").join("indicators.csv").is_file() {
        Ok(dir)
    } else {
        Err(input_error(format!(
            "{}: [inputs] previous_site = {}: no data/indicators.csv there; give the site/ \
             directory of an earlier run",
            config.display(),
            dir.display()
        )))
    }
}

/// `[engine]`: a known kind, a readable memory limit, at least one partition.
fn checked_engine(
    raw: RawEngine,
    config: &Path,
    resolve: &dyn Fn(&Path) -> PathBuf,
) -> Result<EngineSettings> {
    let fail = |what: String| input_error(format!("{}: [engine] {what}", config.display()));
    let kind = engine_kind(
        raw.kind.as_deref().map(str::trim),
        raw.scheduler.as_deref().map(str::trim),
    )
    .map_err(fail)?;
    let memory_limit = raw
        .memory_limit
        .map(|v| {
            parse_bytes(&v).ok_or_else(|| {
                fail(format!(
                    "memory_limit = {v}: give a size such as \"4GiB\", \"512MiB\" or a number of \
                     bytes (at least 16MiB)"
                ))
            })
        })
        .transpose()?;
    if raw.target_partitions == Some(0) {
        return Err(fail("target_partitions = 0: give 1 or more".into()));
    }
    Ok(EngineSettings {
        kind,
        memory_limit,
        spill_dir: raw.spill_dir.as_deref().map(resolve),
        target_partitions: raw.target_partitions,
        spill_joins: raw.spill_joins,
    })
}

/// `[engine] kind` with its `scheduler`, or what is wrong with them.
fn engine_kind(kind: Option<&str>, scheduler: Option<&str>) -> Result<EngineKind, String> {
    match (kind, scheduler) {
        (None | Some("local"), None) => Ok(EngineKind::Local),
        (None | Some("local"), Some(s)) => Err(format!(
            "scheduler = {s:?} is for kind = \"ballista\"; the local engine has no scheduler"
        )),
        (Some("ballista"), None) => {
            Err("kind = \"ballista\" needs scheduler = \"df://host:port\" \
                                         (or \"standalone\" for a cluster inside this process)"
                .into())
        }
        (Some("ballista"), Some(_)) if !cfg!(feature = "ballista") => Err(
            "kind = \"ballista\": this doorstroom was built without Ballista; build it with \
             `cargo install --path . --features ballista`"
                .into(),
        ),
        (Some("ballista"), Some("standalone")) => Ok(EngineKind::Ballista(Scheduler::Standalone)),
        (Some("ballista"), Some(url)) if url.starts_with("df://") && url.len() > 5 => {
            Ok(EngineKind::Ballista(Scheduler::Remote(url.to_string())))
        }
        (Some("ballista"), Some(other)) => Err(format!(
            "scheduler = {other:?}: give \"df://host:port\" or \"standalone\""
        )),
        (Some(other), _) => Err(format!("kind = {other:?}: give \"local\" or \"ballista\"")),
    }
}

/// A size in bytes: an integer, or a string with KiB, MiB or GiB (also KB/MB/GB, read as the
/// same binary units, as operators usually mean them); at least 16 MiB.
fn parse_bytes(value: &toml::Value) -> Option<u64> {
    let bytes = match value {
        toml::Value::Integer(n) => u64::try_from(*n).ok()?,
        toml::Value::String(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len());
            let (number, unit) = s.split_at(split);
            let number: f64 = number.parse().ok()?;
            let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
                "" | "b" => 1,
                "k" | "kb" | "kib" => 1 << 10,
                "m" | "mb" | "mib" => 1 << 20,
                "g" | "gb" | "gib" => 1 << 30,
                _ => return None,
            };
            (number * factor as f64) as u64
        }
        _ => return None,
    };
    (bytes >= 16 << 20).then_some(bytes)
}

/// The norms, each with a bound in 0..=1 and `min <= max`.
fn checked_norms(norms: Vec<Norm>, config: &Path) -> Result<Vec<Norm>> {
    for n in &norms {
        let bounds = [n.min, n.max];
        if bounds.iter().all(Option::is_none)
            || bounds.iter().flatten().any(|b| !(0.0..=1.0).contains(b))
            || matches!((n.min, n.max), (Some(lo), Some(hi)) if lo > hi)
        {
            return Err(input_error(format!(
                "{}: [[norms]] for {}: give min and/or max as a rate between 0 and 1 (0.8 for 80%), \
                 min not above max",
                config.display(),
                n.indicator
            )));
        }
    }
    Ok(norms)
}

#[cfg(test)]
mod tests {
    use super::{checked_engine, parse_bytes, EngineKind, RawEngine, Scheduler};
    use std::path::{Path, PathBuf};

    fn kind(toml_text: &str) -> Result<EngineKind, String> {
        let raw: RawEngine = toml::from_str(toml_text).expect("valid toml");
        checked_engine(raw, Path::new("doorstroom.toml"), &|p: &Path| {
            PathBuf::from(p)
        })
        .map(|e| e.kind)
        .map_err(|e| e.to_string())
    }

    #[test]
    fn engine_kinds_and_schedulers() {
        assert_eq!(kind(""), Ok(EngineKind::Local));
        assert_eq!(kind("kind = \"local\""), Ok(EngineKind::Local));
        let err = kind("kind = \"ballista\"").unwrap_err();
        assert!(err.contains("needs scheduler"), "{err}");
        let err = kind("scheduler = \"standalone\"").unwrap_err();
        assert!(err.contains("is for kind = \"ballista\""), "{err}");
        let err = kind("kind = \"spark\"").unwrap_err();
        assert!(
            err.contains("doorstroom.toml: [engine] kind = \"spark\""),
            "{err}"
        );
        if !cfg!(feature = "ballista") {
            let err = kind("kind = \"ballista\"\nscheduler = \"standalone\"").unwrap_err();
            assert!(err.contains("built without Ballista"), "{err}");
            return;
        }
        assert_eq!(
            kind("kind = \"ballista\"\nscheduler = \"standalone\""),
            Ok(EngineKind::Ballista(Scheduler::Standalone))
        );
        assert_eq!(
            kind("kind = \"ballista\"\nscheduler = \"df://sched.regio.nl:50050\""),
            Ok(EngineKind::Ballista(Scheduler::Remote(
                "df://sched.regio.nl:50050".into()
            )))
        );
        let err = kind("kind = \"ballista\"\nscheduler = \"http://x\"").unwrap_err();
        assert!(err.contains("df://host:port"), "{err}");
    }

    #[test]
    fn memory_limits_read_as_operators_write_them() {
        let s = |t: &str| parse_bytes(&toml::Value::String(t.into()));
        assert_eq!(s("4GiB"), Some(4_294_967_296));
        assert_eq!(s("4 GB"), Some(4_294_967_296));
        assert_eq!(s("512MiB"), Some(536_870_912));
        assert_eq!(s("1.5g"), Some(1_610_612_736));
        assert_eq!(
            parse_bytes(&toml::Value::Integer(100_000_000)),
            Some(100_000_000)
        );
        // Too small to run anything, negative, or not a size.
        assert_eq!(s("1MiB"), None);
        assert_eq!(parse_bytes(&toml::Value::Integer(-1)), None);
        assert_eq!(s("4 parsecs"), None);
        assert_eq!(s("GiB"), None);
    }
}
