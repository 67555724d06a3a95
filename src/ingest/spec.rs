//! The two exchange tables as declared columns (formats.md §1), like dbt's schema.yml: name, English
//! alias, required or not, and the kind of value, which decides how it is read and checked.

/// How a column's value is read.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `persoon_id`: normalised and pseudonymised.
    PersonId,
    /// `id_soort`: `bsn`, `onderwijsnummer`, `eigen`.
    IdType,
    /// Four letters or digits, upper-cased.
    Brin,
    /// One or two digits, zero-padded.
    Vestiging,
    /// Free text, kept as given (trimmed).
    Text,
    /// Free text, lower-cased (codes whose list is open, e.g. an enrollment's niveau).
    LowerText,
    /// One of a closed list, matched case-insensitively.
    Code(&'static [&'static str]),
    /// A date.
    Date,
    /// A yes/no value; empty is no.
    Bool,
}

/// One declared column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub alias: &'static str,
    pub required: bool,
    pub kind: Kind,
}

const fn col(name: &'static str, alias: &'static str, required: bool, kind: Kind) -> Column {
    Column {
        name,
        alias,
        required,
        kind,
    }
}

/// A declared table.
#[derive(Debug)]
pub struct TableSpec {
    /// Canonical table name: the Parquet file and the DataFusion table.
    pub name: &'static str,
    pub columns: &'static [Column],
}

pub const NIVEAUS_VO_MBO: &[&str] = &[
    "vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "havo", "vwo", "mbo-1", "mbo-2", "mbo-3", "mbo-4",
];
pub const SECTORS: &[&str] = &["vo", "vavo", "mbo", "hbo", "wo"];
const GENDERS: &[&str] = &["m", "v", "x"];
const MODES: &[&str] = &["bol", "bbl", "voltijd", "deeltijd", "duaal"];

/// `gediplomeerden`: one row per origin diploma.
pub const ALUMNI: TableSpec = TableSpec {
    name: "gediplomeerden",
    columns: &[
        col("persoon_id", "person_id", true, Kind::PersonId),
        col("id_soort", "id_type", false, Kind::IdType),
        col("brin", "brin", true, Kind::Brin),
        col("vestiging", "branch", true, Kind::Vestiging),
        col("schoolnaam", "school_name", false, Kind::Text),
        col("niveau", "level", true, Kind::Code(NIVEAUS_VO_MBO)),
        col("opleiding", "program", false, Kind::Text),
        col("diplomadatum", "diploma_date", true, Kind::Date),
        col("geslacht", "gender", false, Kind::Code(GENDERS)),
        col("groep", "group", false, Kind::Text),
    ],
};

/// `inschrijvingen`: enrollments after the origin diploma.
pub const ENROLLMENTS: TableSpec = TableSpec {
    name: "inschrijvingen",
    columns: &[
        col("persoon_id", "person_id", true, Kind::PersonId),
        col("id_soort", "id_type", false, Kind::IdType),
        col("brin", "brin", true, Kind::Brin),
        col("instellingsnaam", "institution_name", false, Kind::Text),
        col("sector", "sector", true, Kind::Code(SECTORS)),
        col("niveau", "level", false, Kind::LowerText),
        col("opleidingscode", "program_code", true, Kind::Text),
        col("opleidingsnaam", "program_name", false, Kind::Text),
        col("leerweg", "mode", false, Kind::Code(MODES)),
        col("startdatum", "start_date", true, Kind::Date),
        col("einddatum", "end_date", false, Kind::Date),
        col("diploma", "diploma", false, Kind::Bool),
        col("hoofdinschrijving", "main_enrollment", false, Kind::Bool),
    ],
};

impl TableSpec {
    /// Index of a declared column by name.
    pub fn index(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .expect("declared column")
    }
}

/// Maps the file's header to the declared columns: for each declared column, its position in the
/// file, if present. Headers match case-insensitively after trimming, Dutch name or English alias.
pub fn match_header(
    spec: &TableSpec,
    header: &[String],
) -> (Vec<Option<usize>>, Vec<&'static str>) {
    let positions: Vec<Option<usize>> = spec
        .columns
        .iter()
        .map(|c| {
            header.iter().position(|h| {
                let h = h.trim();
                h.eq_ignore_ascii_case(c.name) || h.eq_ignore_ascii_case(c.alias)
            })
        })
        .collect();
    let missing = spec
        .columns
        .iter()
        .zip(&positions)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c.name)
        .collect();
    (positions, missing)
}
