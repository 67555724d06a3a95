//! The adapter presets: for each source, where its columns are found, what it publishes, and the
//! source's own definition (shown beside its figures by the reconciliation). `duo-examens` is wide and
//! has an adapter of its own; every other preset is a column mapping over the long table, which a
//! `columns = { … }` entry in `doorstroom.toml` can override for a real export.

/// One preset.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    /// `bron` written on every figure (a `bron` column in the file wins).
    pub bron: &'static str,
    /// Default `bron_indicator` and `indicator` (columns in the file win).
    pub bron_indicator: &'static str,
    pub indicator: &'static str,
    /// Default unit type when the file has no `eenheid_type` column.
    pub eenheid_type: &'static str,
    /// Long-table column → accepted source headers (case-insensitive). `brin` and `vestiging` build a
    /// school id when there is no `eenheid_id`; `kenmerk.<key>` columns become `kenmerken`;
    /// `indicatie_avg` marks DUO's value-4-with-`INDICATIEAVG = J` cells.
    pub columns: &'static [(&'static str, &'static [&'static str])],
    /// Whether the layout was checked against a real export (false: from public documentation only).
    pub checked_against_real_file: bool,
    /// The source's definition, in plain words: population, peildatum, direct or indirect, whether a
    /// switch counts as dropout, pooling.
    pub definition: &'static str,
    /// The source's method changes, oldest first (domain.md item 9): a trend never draws one line
    /// across two versions. Empty when none is known.
    pub versions: &'static [Version],
}

/// A method of a source, used from `from_cohort` on.
#[derive(Debug)]
pub struct Version {
    pub from_cohort: i32,
    /// The `definition_version` written on each figure of these cohorts.
    pub name: &'static str,
    /// What changed against the version before, in plain words.
    pub change: &'static str,
}

impl Preset {
    /// The version a figure of `cohort` follows: the last one starting at or before it; empty when
    /// the preset knows none.
    pub fn version(&self, cohort: i32) -> &'static str {
        self.versions
            .iter()
            .rev()
            .find(|v| v.from_cohort <= cohort)
            .map_or("", |v| v.name)
    }
}

const LONG_COLUMNS: &[(&str, &[&str])] = &[
    ("bron", &["bron"]),
    ("bron_indicator", &["bron_indicator"]),
    ("indicator", &["indicator"]),
    ("cohort", &["cohort"]),
    ("eenheid_type", &["eenheid_type"]),
    ("eenheid_id", &["eenheid_id"]),
    ("kenmerken", &["kenmerken"]),
    ("teller", &["teller"]),
    ("noemer", &["noemer"]),
    ("percentage", &["percentage"]),
    ("teller_masker", &["teller_masker"]),
    ("noemer_masker", &["noemer_masker"]),
    ("percentage_masker", &["percentage_masker"]),
    (
        "definition_version",
        &["definition_version", "definitie_versie"],
    ),
];

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "long",
        bron: "",
        bron_indicator: "",
        indicator: "",
        eenheid_type: "",
        columns: LONG_COLUMNS,
        checked_against_real_file: true,
        definition: "The published-figures table of formats.md §2 as written; the definition is the one \
                     its `bron` and `bron_indicator` name.",
        versions: &[],
    },
    Preset {
        name: "duo-examens",
        bron: "duo",
        bron_indicator: "slaagpercentage",
        indicator: "",
        eenheid_type: "school",
        columns: &[],
        checked_against_real_file: true,
        definition: "DUO open data Examenkandidaten en geslaagden: all exam candidates of a school year at \
                     a vestiging, by opleiding and geslacht; passed / candidates. Not a doorstroom figure.",
        versions: &[],
    },
    Preset {
        name: "duo-bestemming",
        bron: "duo",
        bron_indicator: "bestemming vo-gediplomeerden",
        indicator: "",
        eenheid_type: "school",
        columns: &[
            ("cohort", &["SCHOOLJAAR", "DIPLOMAJAAR", "JAAR"]),
            ("brin", &["BRIN NUMMER", "BRINNUMMER", "INSTELLINGSCODE", "BRIN"]),
            ("vestiging", &["VESTIGINGSNUMMER", "VESTIGINGSCODE"]),
            ("kenmerk.onderwijstype", &["ONDERWIJSTYPE VO", "ONDERWIJSTYPE"]),
            ("kenmerk.bestemming", &["ONDERWIJSSOORT BESTEMMING", "BESTEMMING", "SOORT ONDERWIJS BESTEMMING"]),
            ("kenmerk.brin_bestemming", &["BRIN NUMMER BESTEMMING", "BRIN BESTEMMING", "INSTELLINGSCODE BESTEMMING"]),
            ("teller", &["AANTAL", "AANTAL GEDIPLOMEERDEN", "AANTAL LEERLINGEN"]),
            ("noemer", &["TOTAAL GEDIPLOMEERDEN", "AANTAL GEDIPLOMEERDEN TOTAAL"]),
            ("indicatie_avg", &["INDICATIEAVG", "INDICATIE AVG"]),
        ],
        checked_against_real_file: false,
        definition: "DUO Bestemming vo-gediplomeerden: diploma cohort of the school year; enrolled in funded \
                     education on 1 October of the diploma year (direct inflow only); one enrollment per \
                     student; counts 1-4 masked (destination BRIN XXXX, 'Niet onderscheiden', or value 4 with \
                     INDICATIEAVG = J). Compare with bestemming_<sector> and instroom_direct (§3).",
        versions: &[],
    },
    Preset {
        name: "duo-vsv",
        bron: "duo",
        bron_indicator: "voortijdig schoolverlaten",
        indicator: "",
        eenheid_type: "school",
        columns: &[
            ("cohort", &["SCHOOLJAAR", "JAAR"]),
            ("brin", &["BRIN NUMMER", "BRINNUMMER", "INSTELLINGSCODE"]),
            ("vestiging", &["VESTIGINGSNUMMER", "VESTIGINGSCODE"]),
            ("kenmerk.onderwijstype", &["ONDERWIJSTYPE VO", "ONDERWIJSTYPE", "ONDERWIJSSOORT"]),
            ("teller", &["AANTAL VSV", "AANTAL VSV-ERS", "VSV"]),
            ("noemer", &["DEELNEMERS", "AANTAL DEELNEMERS", "AANTAL LEERLINGEN"]),
            ("percentage", &["PERCENTAGE VSV", "VSV PERCENTAGE", "PERCENTAGE"]),
        ],
        checked_against_real_file: false,
        definition: "DUO vsv: students enrolled on 1 October who leave without a startkwalificatie and are not \
                     enrolled a year later; method changed in 2012-13 and 2016-17 (a break in any trend). \
                     No definitions.md indicator matches it exactly.",
        versions: &[
            Version {
                from_cohort: i32::MIN,
                name: "vsv tot 2011-12",
                change: "",
            },
            Version {
                from_cohort: 2013,
                name: "vsv 2012-13",
                change: "DUO changed how vsv is measured from school year 2012-13 on.",
            },
            Version {
                from_cohort: 2017,
                name: "vsv 2016-17",
                change: "DUO changed how vsv is measured again from school year 2016-17 on.",
            },
        ],
    },
    Preset {
        name: "nco",
        bron: "nco",
        bron_indicator: "nco reguliere rapportage",
        indicator: "",
        eenheid_type: "afdeling",
        columns: &[
            ("bron_indicator", &["Indicator", "Onderwerp"]),
            ("indicator", &["doorstroom_indicator"]),
            ("cohort", &["Cohort", "Schooljaar", "Examenjaar"]),
            ("eenheid_id", &["Eenheid", "Afdeling"]),
            ("brin", &["BRIN"]),
            ("vestiging", &["Vestiging"]),
            ("kenmerk.vergelijking", &["Vergelijking", "Referentie"]),
            ("teller", &["Aantal"]),
            ("noemer", &["Totaal", "Aantal leerlingen"]),
            ("percentage", &["Percentage"]),
        ],
        checked_against_real_file: false,
        definition: "NCO reguliere rapportage: former pupils per BRIN-vestiging and afdeling (gl and tl merged \
                     as gt); destination and success in vervolgonderwijs, with national, provincial and \
                     reference-school comparisons; groups of 5 or fewer suppressed, percentages clamped to \
                     5%-95%. Figures arrive as tables copied from the PDF reports.",
        versions: &[],
    },
    Preset {
        name: "vensters",
        bron: "vensters",
        bron_indicator: "doorstroom naar vervolgonderwijs",
        indicator: "",
        eenheid_type: "afdeling",
        columns: &[
            ("bron_indicator", &["Indicator"]),
            ("indicator", &["doorstroom_indicator"]),
            ("cohort", &["Schooljaar", "Cohort", "Examenjaar"]),
            ("eenheid_id", &["Eenheid", "Afdeling"]),
            ("brin", &["BRIN"]),
            ("vestiging", &["Vestiging"]),
            ("kenmerk.vervolgonderwijs", &["Vervolgonderwijs", "Bestemming"]),
            ("teller", &["Aantal"]),
            ("noemer", &["Totaal"]),
            ("percentage", &["Percentage"]),
        ],
        checked_against_real_file: false,
        definition: "Vensters (until 2023): destination after the exam on 1 October and 'still there after one \
                     year' (close to nog_in_sector, §4), per onderwijssoort with the national average; a \
                     pupil in two sectors counts in the highest. Historical exports only.",
        versions: &[],
    },
    Preset {
        name: "vh",
        bron: "vh",
        bron_indicator: "uitval eerste jaar",
        indicator: "",
        eenheid_type: "opleiding",
        columns: &[
            ("bron_indicator", &["Indicator", "Kengetal"]),
            ("indicator", &["doorstroom_indicator"]),
            ("cohort", &["Instroomcohort", "Cohort", "Studiejaar"]),
            ("eenheid_type", &["Eenheid_type"]),
            ("eenheid_id", &["Eenheid", "Opleiding", "Instelling"]),
            ("kenmerk.vooropleiding", &["Vooropleiding"]),
            ("teller", &["Aantal"]),
            ("noemer", &["Instroom", "Totaal"]),
            ("percentage", &["Percentage"]),
        ],
        checked_against_real_file: false,
        definition: "Vereniging Hogescholen: instroom cohort of full-time bachelor students (not a diploma \
                     cohort); dropout = no longer enrolled in hbo after one year (switchers within hbo are \
                     not dropouts; compare uitval_sector on the instroom basis, §6), studiewissel, diploma \
                     after 5 and 8 years; by vooropleiding.",
        versions: &[],
    },
    Preset {
        name: "inspectie-mbo",
        bron: "inspectie",
        bron_indicator: "startersresultaat",
        indicator: "startersresultaat",
        eenheid_type: "instelling",
        columns: &[
            ("bron_indicator", &["Indicator"]),
            ("indicator", &["doorstroom_indicator"]),
            ("cohort", &["Jaar", "Cohort", "Schooljaar"]),
            ("eenheid_type", &["Eenheid_type"]),
            ("eenheid_id", &["Eenheid", "Instelling", "Opleiding"]),
            ("teller", &["Aantal"]),
            ("noemer", &["Starters", "Totaal"]),
            ("percentage", &["Percentage", "Startersresultaat"]),
        ],
        checked_against_real_file: false,
        definition: "Inspectie mbo: startersresultaat (still in the same opleiding, a diploma, or switched \
                     within the instelling after one year), jaarresultaat and diplomaresultaat; one opleiding \
                     per student (hoofdinschrijving on 1 October); startersresultaat pools the last three \
                     years (compare cohort_window = 3, §8).",
        versions: &[],
    },
];

/// The preset of that name.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}
