//! `site/definitions.html`: what each indicator means, in plain words, generated from the
//! `-- indicator:` metadata the indicator SQL files carry (so the page and the SQL cannot drift
//! apart: a test checks every computed indicator has an entry).

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use super::{base_context, download, labels, write_page};
use crate::engine::INDICATOR_MODELS;
use crate::project::{Language, Project};

/// One indicator's entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Definition {
    pub id: String,
    pub label: String,
    /// The definitions.md section.
    pub section: String,
    pub meaning: String,
    /// The SQL file that computes it.
    pub file: String,
}

/// Reads the metadata block of one SQL text:
/// `-- indicator: <id> (<section>)` followed by `--   nl: …` and `--   en: …`.
pub fn parse(file: &str, sql: &str, lang: Language) -> Vec<Definition> {
    let mut out: Vec<Definition> = Vec::new();
    let wanted = match lang {
        Language::Nl => "nl:",
        Language::En => "en:",
    };
    for line in sql.lines().map_while(|l| l.strip_prefix("--")) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("indicator:") {
            let rest = rest.trim();
            let (id, section) = match rest.split_once(' ') {
                Some((id, section)) => (id, section.trim_matches(['(', ')'])),
                None => (rest, ""),
            };
            out.push(Definition {
                id: id.to_string(),
                label: labels::indicator_or_id(id, lang).to_string(),
                section: section.to_string(),
                meaning: String::new(),
                file: format!("queries/{file}.sql"),
            });
        } else if let Some(text) = line.strip_prefix(wanted) {
            if let Some(last) = out.last_mut() {
                last.meaning = text.trim().to_string();
            }
        }
    }
    out
}

/// Every indicator of the indicator models, in the order the files list them.
pub fn all(lang: Language) -> Vec<Definition> {
    INDICATOR_MODELS
        .iter()
        .flat_map(|m| parse(m.file, m.sql, lang))
        .collect()
}

/// Renders `<site>/definitions.html`.
pub fn render(project: &Project, site: &Path) -> Result<PathBuf> {
    let definitions = all(project.language);
    let table = download::Table {
        header: ["indicator", "label", "meaning", "file", "section"]
            .map(String::from)
            .to_vec(),
        rows: definitions
            .iter()
            .map(|d| {
                [&d.id, &d.label, &d.meaning, &d.file, &d.section]
                    .map(|v| download::Cell::Text(v.clone()))
                    .to_vec()
            })
            .collect(),
    };
    download::write(site, "definitions", &table, project.data_until)?;
    let mut context = base_context(project, "definitions.html", &["definitions"]);
    context.insert("definitions", &definitions);
    write_page(site, "definitions.html", &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_metadata_block_and_stops_at_the_sql() {
        let sql = "-- m: a model\n-- indicator: instroom_direct (§3)\n--   nl: Direct.\n--   en: \
                   Direct, in English.\n-- materialized: view\nselect 1\n-- indicator: not_read\n";
        let nl = parse("m", sql, Language::Nl);
        assert_eq!(nl.len(), 1);
        assert_eq!(nl[0].id, "instroom_direct");
        assert_eq!(nl[0].section, "§3");
        assert_eq!(nl[0].meaning, "Direct.");
        assert_eq!(nl[0].file, "queries/m.sql");
        assert_eq!(
            parse("m", sql, Language::En)[0].meaning,
            "Direct, in English."
        );
    }

    #[test]
    fn every_indicator_has_a_meaning_in_both_languages() {
        for lang in [Language::Nl, Language::En] {
            let all = all(lang);
            assert!(all.len() >= 24, "{}", all.len());
            assert!(all
                .iter()
                .all(|d| !d.meaning.is_empty() && !d.section.is_empty()));
        }
    }
}
