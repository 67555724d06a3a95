//! 1cijferHO: DUO's fixed-width enrollment file for HO institutions (ISO-8859-1), read through the
//! layout in its *Bestandsbeschrijving*, and mapped into the exchange tables so an HO partner can list
//! it under `[inputs] enrollments` (and `alumni`, from the vooropleiding fields).
//!
//! Mapping (one source line = one enrollment row, per inschrijvingsjaar as DUO delivers it):
//! - `persoon_id`: the BSN when filled (`id_soort = bsn`), else the onderwijsnummer, else DUO's
//!   persoonsgebonden nummer (`eigen`);
//! - `brin` = Instellingscode, `sector` = Soort hoger onderwijs (hbo/wo), `opleidingscode`;
//! - `startdatum`/`einddatum` = Datum inschrijving/uitschrijving (YYYYMMDD; empty or zeros = running);
//! - `diploma = ja` when Datum tekening diploma falls within this row's dates (a diploma is not claimed
//!   by the earlier years of the same enrollment);
//! - `hoofdinschrijving = ja` for Soort inschrijving hoger onderwijs 1, 6 or A (hoofdinschrijving).
//!
//! Alumni: one row per person and vo/mbo diploma named in "Hoogste vooropleiding vóór het HO" (decoded
//! with DUO's Dec_vopl table), at Instelling/Vestigingsnummer van de hoogste vooropl.; 1cijferHO gives
//! only the diploma year, so `diplomadatum` is 1 July of it (cohort = that year).

pub mod layout;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use encoding_rs::WINDOWS_1252;

use super::decode::sha256_file;
use super::reader::{RawRow, RawTable};
use super::spec::{TableSpec, ALUMNI};
use crate::exit::input_error;
use layout::Layout;

const DEFAULT_LAYOUT: &[u8] =
    include_bytes!("../../../data/1cijferho/Bestandsbeschrijving_1cyferho_2023_v1.1_DEMO.txt");
const VOOROPLEIDINGEN: &[u8] = include_bytes!("../../../data/1cijferho/Dec_vopl.asc");

const ENROLLMENT_HEADER: &[&str] = &[
    "persoon_id",
    "id_soort",
    "brin",
    "sector",
    "opleidingscode",
    "startdatum",
    "einddatum",
    "diploma",
    "hoofdinschrijving",
];
const ALUMNI_HEADER: &[&str] = &[
    "persoon_id",
    "id_soort",
    "brin",
    "vestiging",
    "niveau",
    "diplomadatum",
];

/// Whether a path is a 1cijferHO file (DUO delivers them as `.asc`).
pub fn is_onecijferho(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("asc"))
}

/// The layout: a `Bestandsbeschrijving*.txt` beside the file, else the 2023 layout compiled in.
fn layout_for(path: &Path) -> Result<Layout> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let beside = std::fs::read_dir(dir).ok().and_then(|entries| {
        entries.filter_map(|e| e.ok()).map(|e| e.path()).find(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            name.starts_with("bestandsbeschrijving_1cyferho") && name.ends_with(".txt")
        })
    });
    let bytes = match &beside {
        Some(p) => std::fs::read(p).map_err(|e| input_error(format!("{}: {e}", p.display())))?,
        None => DEFAULT_LAYOUT.to_vec(),
    };
    let (text, _, _) = WINDOWS_1252.decode(&bytes);
    Layout::parse(&text).ok_or_else(|| {
        input_error(format!(
            "{}: the Bestandsbeschrijving has no readable 'Lay-out bestand' section",
            beside.unwrap_or_default().display()
        ))
    })
}

/// The doorstroom niveau of a DUO vooropleiding description, for vo and mbo diplomas.
pub fn niveau_of(description: &str) -> Option<String> {
    let d = description.to_lowercase();
    if d.contains("certificaat") {
        return None;
    }
    let niveau = if d.starts_with("havo") {
        "havo".to_string()
    } else if d.starts_with("vwo") {
        "vwo".to_string()
    } else if d.starts_with("vmbo basisb") {
        "vmbo-bb".to_string()
    } else if d.starts_with("vmbo kaderb") {
        "vmbo-kb".to_string()
    } else if d.starts_with("vmbo gemengde") {
        "vmbo-gl".to_string()
    } else if d.starts_with("vmbo theoretische") {
        "vmbo-tl".to_string()
    } else if d.starts_with("mbo") {
        let level = d.rsplit("niveau ").next()?.trim().chars().next()?;
        format!(
            "mbo-{}",
            level.to_digit(10).filter(|l| (1..=4).contains(l))?
        )
    } else {
        return None;
    };
    Some(niveau)
}

/// Vooropleiding code → niveau, from DUO's Dec_vopl table (5-digit code, then the description).
fn vooropleidingen() -> std::collections::HashMap<String, String> {
    let (text, _, _) = WINDOWS_1252.decode(VOOROPLEIDINGEN);
    text.lines()
        .filter(|l| l.len() > 5 && l.is_char_boundary(5))
        .filter_map(|l| niveau_of(&l[5..]).map(|n| (l[..5].to_string(), n)))
        .collect()
}

struct Fields {
    layout: Layout,
}

impl Fields {
    fn get(&self, line: &[u8], name: &str) -> String {
        let Some((start, len)) = self.layout.get(name) else {
            return String::new();
        };
        let end = (start + len).min(line.len());
        if start >= end {
            return String::new();
        }
        WINDOWS_1252.decode(&line[start..end]).0.trim().to_string()
    }

    fn person(&self, line: &[u8]) -> (String, &'static str) {
        let filled = |v: &String| !v.is_empty() && !v.bytes().all(|b| b == b'0');
        let bsn = self.get(line, "Burgerservicenummer");
        if filled(&bsn) {
            return (bsn, "bsn");
        }
        let onr = self.get(line, "Onderwijsnummer");
        if filled(&onr) {
            return (onr, "onderwijsnummer");
        }
        (self.get(line, "Persoonsgebonden nummer"), "eigen")
    }
}

/// `YYYYMMDD` → `YYYY-MM-DD`; empty or zeros → empty; anything else is passed on for validation.
fn date(value: &str) -> String {
    if value.is_empty() || value.bytes().all(|b| b == b'0') {
        String::new()
    } else if value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &value[..4], &value[4..6], &value[6..])
    } else {
        value.to_string()
    }
}

/// Opens a 1cijferHO file as rows of the exchange table `spec` (ingest validates them as any other).
pub fn open(path: &Path, spec: &TableSpec) -> Result<RawTable> {
    let sha256 = sha256_file(path)?;
    let bytes = std::fs::read(path).map_err(|e| {
        input_error(format!(
            "{}: unreadable input file: {e} (rule file.unreadable)",
            path.display()
        ))
    })?;
    let fields = Fields {
        layout: layout_for(path)?,
    };
    let alumni = spec.name == ALUMNI.name;
    let codes = if alumni {
        vooropleidingen()
    } else {
        Default::default()
    };
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, raw_line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = raw_line.strip_suffix(b"\r").unwrap_or(raw_line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let (id, kind) = fields.person(line);
        let line_no = i as u64 + 1;
        if alumni {
            let code = fields.get(line, "Hoogste vooropleiding vóór het HO");
            let Some(niveau) = codes.get(&code) else {
                continue;
            };
            let year = fields.get(line, "Diplomajaar van de hoogste vooropl. vóór het HO");
            if !seen.insert((id.clone(), code.clone(), year.clone())) {
                continue;
            }
            let vestiging =
                fields.get(line, "Vestigingsnummer van de hoogste vooropl. vóór het HO");
            let brin = fields.get(line, "Instelling van de hoogste vooropl. vóór het HO");
            let diplomadatum = if year.len() == 4 {
                format!("{year}-07-01")
            } else {
                year
            };
            rows.push(RawRow {
                line: line_no,
                fields: vec![
                    id,
                    kind.into(),
                    brin,
                    vestiging,
                    niveau.clone(),
                    diplomadatum,
                ],
            });
        } else {
            let start = date(&fields.get(line, "Datum inschrijving"));
            let end = date(&fields.get(line, "Datum uitschrijving"));
            let signed = date(&fields.get(line, "Datum tekening diploma"));
            let within = !signed.is_empty() && signed >= start && (end.is_empty() || signed <= end);
            let soort = fields.get(line, "Soort inschrijving hoger onderwijs");
            let main = matches!(soort.as_str(), "1" | "6" | "A");
            rows.push(RawRow {
                line: line_no,
                fields: vec![
                    id,
                    kind.into(),
                    fields.get(line, "Instellingscode"),
                    fields.get(line, "Soort hoger onderwijs"),
                    fields.get(line, "Opleidingscode"),
                    start,
                    end,
                    if within { "ja" } else { "nee" }.into(),
                    if main { "ja" } else { "nee" }.into(),
                ],
            });
        }
    }
    let header = if alumni {
        ALUMNI_HEADER
    } else {
        ENROLLMENT_HEADER
    };
    Ok(RawTable::from_rows(
        PathBuf::from(path),
        sha256,
        header.iter().map(|h| h.to_string()).collect(),
        rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vooropleidingen_map_to_niveaus() {
        let codes = vooropleidingen();
        // Codes and descriptions as in DUO's Dec_vopl.asc.
        assert_eq!(codes.get("00201").map(String::as_str), Some("havo"));
        assert_eq!(codes.get("00401").map(String::as_str), Some("vwo"));
        assert_eq!(codes.get("00136").map(String::as_str), Some("vmbo-tl"));
        assert_eq!(codes.get("00117").map(String::as_str), Some("vmbo-bb"));
        assert_eq!(codes.get("00161").map(String::as_str), Some("mbo-3"));
        assert_eq!(
            codes.get("00200"),
            None,
            "a havo certificaat is not a diploma"
        );
    }
}
