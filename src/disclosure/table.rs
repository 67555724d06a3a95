//! The published indicator table as disclosure control sees it: every row's numerator is a cell,
//! every population (the denominator shared by a unit's rows of one family) is a cell, and the
//! linear relations an outsider can write between them are derived from the keys alone — so the
//! secondary suppression (which knows the true values) and the audit of published rows alone
//! (`audit_published`) reason over exactly the same system.

use std::collections::{BTreeMap, HashMap};

use super::text::Text;

/// The key of one published row (formats.md §5 without the numbers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub cohort: i32,
    pub cohort_basis: Text,
    pub inflow_basis: Text,
    pub cohort_window: i32,
    pub unit_type: Text,
    pub unit_id: Text,
    pub indicator: Text,
}

/// `Eq`: the terms sum to 0. `Le`: the terms sum to at most 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Eq,
    Le,
}

/// One linear relation between cells, named for messages.
#[derive(Debug, Clone)]
pub struct Relation {
    pub terms: Vec<(usize, i64)>,
    pub kind: Kind,
    pub name: &'static str,
}

/// The cells and relations of a table. Cells `0..rows` are the rows' numerators; cells from
/// `rows` on are populations.
#[derive(Debug)]
pub struct Structure {
    pub keys: Vec<Key>,
    /// The population cell of each row.
    pub row_pop: Vec<usize>,
    /// The rows of each population, indexed by `cell - rows`.
    pub pop_rows: Vec<Vec<usize>>,
    pub relations: Vec<Relation>,
    /// The relations each cell appears in.
    pub cell_relations: CellRelations,
}

/// The relations each cell appears in, all in one list (`cell_relations[c]` is cell `c`'s): a
/// list per cell cost some 100 bytes a cell nationally, in 2.5 million cells.
#[derive(Debug)]
pub struct CellRelations {
    /// Where each cell's relations start in `relations`; one more at the end.
    start: Vec<usize>,
    relations: Vec<usize>,
}

impl CellRelations {
    fn new(cells: usize, relations: &[Relation]) -> CellRelations {
        let mut start = vec![0; cells + 1];
        for rel in relations {
            for &(c, _) in &rel.terms {
                start[c + 1] += 1;
            }
        }
        for c in 0..cells {
            start[c + 1] += start[c];
        }
        let mut next = start.clone();
        let mut list = vec![0; start[cells]];
        for (i, rel) in relations.iter().enumerate() {
            for &(c, _) in &rel.terms {
                list[next[c]] = i;
                next[c] += 1;
            }
        }
        CellRelations {
            start,
            relations: list,
        }
    }
}

impl std::ops::Index<usize> for CellRelations {
    type Output = [usize];
    fn index(&self, cell: usize) -> &[usize] {
        &self.relations[self.start[cell]..self.start[cell + 1]]
    }
}

/// Which denominator a row shares with its unit's other rows (definitions.md §3–§5). On the direct
/// inflow basis every entrant enters in the cohort year, so the diploma-within-n populations are
/// the year-one population; on the other bases each n has its own observed population.
pub fn population_of(k: &Key) -> &str {
    let indicator = k.indicator.as_str();
    // Every survey item has its own respondents (those who answered it).
    if k.cohort_basis == "enquete" {
        indicator
    } else if indicator.starts_with("instroom_") || indicator.starts_with("bestemming_") {
        "alumni"
    } else if indicator.starts_with("diploma_binnen_") && k.inflow_basis != "direct" {
        indicator
    } else {
        "jaar1"
    }
}

const OUTCOMES: &[&str] = &[
    "jaar1_zelfde_opleiding",
    "jaar1_diploma",
    "jaar1_switch_intern",
    "jaar1_switch_extern",
    "jaar1_switch_sector",
    "jaar1_uitval",
];
const DESTINATIONS: &[&str] = &[
    "bestemming_wo",
    "bestemming_hbo",
    "bestemming_mbo",
    "bestemming_vo",
    "bestemming_vavo",
];
/// The row a destination-per-institution or -programme row splits (queries/ind_flows.sql):
/// `bestemming_hbo:21HA` → `bestemming_hbo`, `bestemming_hbo:21HA:34567` → `bestemming_hbo:21HA`;
/// `None` for every other indicator.
pub fn flow_parent(indicator: &str) -> Option<&str> {
    let (parent, _part) = indicator.rsplit_once(':')?;
    let destination = parent.split(':').next().unwrap_or(parent);
    (DESTINATIONS.contains(&destination) && parent.matches(':').count() <= 1).then_some(parent)
}

/// Indicators that are sums of year-one outcomes (definitions.md §4).
const DERIVED: &[(&str, &[&str])] = &[
    ("uitval_onderwijs", &["jaar1_uitval"]),
    ("uitval_sector", &["jaar1_uitval", "jaar1_switch_sector"]),
    (
        "uitval_instelling",
        &["jaar1_uitval", "jaar1_switch_extern", "jaar1_switch_sector"],
    ),
    (
        "uitval_opleiding",
        &[
            "jaar1_uitval",
            "jaar1_switch_intern",
            "jaar1_switch_extern",
            "jaar1_switch_sector",
        ],
    ),
    (
        "switch_binnen_sector",
        &["jaar1_switch_intern", "jaar1_switch_extern"],
    ),
    (
        "startersresultaat",
        &[
            "jaar1_zelfde_opleiding",
            "jaar1_diploma",
            "jaar1_switch_intern",
        ],
    ),
];
/// Chains of indicators whose numerators only grow along the list (same population, where both
/// are published; the diploma chain only on the direct basis, see `population_of`).
const NESTED: &[&[&str]] = &[
    &[
        "instroom_direct",
        "instroom_binnen_1_jaar",
        "instroom_binnen_2_jaar",
    ],
    &[
        "jaar1_diploma",
        "diploma_binnen_3_jaar",
        "diploma_binnen_4_jaar",
        "diploma_binnen_5_jaar",
    ],
];

/// The slice a row belongs to: everything but unit and indicator.
type Slice = (i32, Text, Text, i32);

fn slice(k: &Key) -> Slice {
    (
        k.cohort,
        k.cohort_basis.clone(),
        k.inflow_basis.clone(),
        k.cohort_window,
    )
}

/// The parents a unit sums into (type, id), each with the name of the partition (definitions.md §7).
fn parents(basis: &str, unit_type: &str, unit_id: &str) -> Vec<(&'static str, (String, String))> {
    let before_colon = || unit_id.split(':').next().unwrap_or(unit_id).to_string();
    let regio = || ("regio".to_string(), "regio".to_string());
    match (basis, unit_type) {
        ("diploma", "school") => vec![("schools", regio())],
        ("diploma", "niveau") => vec![("niveaus", regio())],
        ("diploma", "afdeling") => {
            let niveau = unit_id.split_once(':').map(|(_, n)| n).unwrap_or("");
            vec![
                ("afdelingen", ("school".into(), before_colon())),
                ("afdelingen", ("niveau".into(), niveau.to_string())),
            ]
        }
        // A school that names groepen has every alumnus in one (alumni_units.sql).
        ("diploma", "groep") => vec![("groepen", ("school".into(), before_colon()))],
        ("diploma", "sector") => vec![("sectors", regio())],
        // The survey's afdelingen, where named, hold every respondent of the school (ind_survey.sql).
        ("enquete", "school") => vec![("schools", regio())],
        ("enquete", "afdeling") => vec![("afdelingen", ("school".into(), before_colon()))],
        ("diploma", "instelling") => vec![("instellingen", regio())],
        ("diploma", "opleiding") => {
            vec![("opleidingen", ("instelling".into(), before_colon()))]
        }
        // On the instroom basis each unit has its own first year per person (definitions.md §6):
        // a programme switcher starts a new opleiding cohort but not a new instelling cohort, so
        // the units do not add up.
        _ => Vec::new(),
    }
}

impl Structure {
    /// Derives cells and relations from the keys of every published row, suppressed ones included.
    pub fn new(keys: Vec<Key>) -> Structure {
        Structure::build(keys, true)
    }

    /// The same for a partner bundle, which holds the region and one school: its units are not all
    /// of the region's, so no sum into the region is claimed.
    pub fn partial(keys: Vec<Key>) -> Structure {
        Structure::build(keys, false)
    }

    fn build(keys: Vec<Key>, region_complete: bool) -> Structure {
        let n = keys.len();
        let index: HashMap<&Key, usize> = keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        // Populations.
        let mut pop_index: HashMap<(Slice, &str, &str, &str), usize> = HashMap::new();
        let mut pop_rows: Vec<Vec<usize>> = Vec::new();
        let mut row_pop = Vec::with_capacity(n);
        for (r, k) in keys.iter().enumerate() {
            let id = (
                slice(k),
                k.unit_type.as_str(),
                k.unit_id.as_str(),
                population_of(k),
            );
            let p = *pop_index.entry(id).or_insert_with(|| {
                pop_rows.push(Vec::new());
                pop_rows.len() - 1
            });
            pop_rows[p].push(r);
            row_pop.push(n + p);
        }
        let find = |k: &Key, indicator: &str| -> Option<usize> {
            let mut probe = k.clone();
            probe.indicator = indicator.into();
            index.get(&probe).copied()
        };
        let mut relations = Vec::new();
        let mut eq = |mut terms: Vec<(usize, i64)>, name: &'static str| {
            // Nationally some 3.6 million relations: no spare capacity left from building them.
            terms.shrink_to_fit();
            relations.push(Relation {
                terms,
                kind: Kind::Eq,
                name,
            })
        };
        let mut le = Vec::new();
        // The parts of each unit's destination (its institutions) and of each institution (its
        // programmes), ind_flows.sql; a missing part is a true 0 (ind_flows.sql).
        let mut flow_parts: HashMap<(Slice, &str, &str, &str), Vec<usize>> = HashMap::new();
        for (r, k) in keys.iter().enumerate() {
            if let Some(parent) = flow_parent(&k.indicator) {
                flow_parts
                    .entry((slice(k), &k.unit_type, &k.unit_id, parent))
                    .or_default()
                    .push(r);
            }
        }

        for (r, k) in keys.iter().enumerate() {
            // A destination is the sum of its institutions, an institution of its programmes.
            let id = (
                slice(k),
                k.unit_type.as_str(),
                k.unit_id.as_str(),
                k.indicator.as_str(),
            );
            if let Some(parts) = flow_parts.get(&id) {
                let mut terms = vec![(r, 1)];
                terms.extend(parts.iter().map(|&p| (p, -1)));
                match k.indicator.contains(':') {
                    true => eq(terms, "programmes sum to their institution"),
                    false => eq(terms, "institutions sum to their destination"),
                }
            }
            // A numerator never exceeds its denominator.
            le.push(Relation {
                terms: vec![(r, 1), (row_pop[r], -1)],
                kind: Kind::Le,
                name: "numerator <= denominator",
            });
            // Year-one outcomes sum to the population; derived indicators are sums of outcomes.
            if k.indicator == OUTCOMES[0] {
                let parts: Option<Vec<usize>> = OUTCOMES.iter().map(|o| find(k, o)).collect();
                if let Some(parts) = parts {
                    let mut terms: Vec<(usize, i64)> = parts.iter().map(|&p| (p, 1)).collect();
                    terms.push((row_pop[r], -1));
                    eq(terms, "year-one outcomes sum to the entrants");
                    for (derived, of) in DERIVED {
                        if let Some(d) = find(k, derived) {
                            let mut terms = vec![(d, 1)];
                            terms.extend(of.iter().filter_map(|o| find(k, o)).map(|p| (p, -1)));
                            eq(terms, "a derived indicator is the sum of its outcomes");
                        }
                    }
                    if let (Some(nog), Some(us)) =
                        (find(k, "nog_in_sector"), find(k, "uitval_sector"))
                    {
                        eq(
                            vec![(nog, 1), (us, 1), (row_pop[r], -1)],
                            "nog_in_sector is the complement of uitval_sector",
                        );
                    }
                }
            }
            // Destinations split the direct inflow.
            if k.indicator == "instroom_direct" {
                let parts: Option<Vec<usize>> = DESTINATIONS.iter().map(|d| find(k, d)).collect();
                if let Some(parts) = parts {
                    let mut terms: Vec<(usize, i64)> = parts.iter().map(|&p| (p, 1)).collect();
                    terms.push((r, -1));
                    eq(terms, "destinations sum to the direct inflow");
                }
            }
            for chain in NESTED {
                let Some(pos) = chain.iter().position(|i| *i == k.indicator) else {
                    continue;
                };
                let next = chain[pos + 1..].iter().find_map(|i| find(k, i));
                if let Some(next) = next.filter(|&x| row_pop[x] == row_pop[r]) {
                    le.push(Relation {
                        terms: vec![(r, 1), (next, -1)],
                        kind: Kind::Le,
                        name: "a count only grows with the window",
                    });
                }
            }
            // On the direct basis the entrants are the direct inflow (definitions.md §4).
            if k.inflow_basis == "direct" && k.cohort_basis == "diploma" {
                let mut inflow = k.clone();
                inflow.inflow_basis = Text::default();
                inflow.indicator = "instroom_direct".into();
                let first_of_pop = pop_rows[row_pop[r] - n][0] == r;
                if let (true, Some(&d)) = (first_of_pop, index.get(&inflow)) {
                    eq(
                        vec![(row_pop[r], 1), (d, -1)],
                        "the entrants are the direct inflow",
                    );
                }
            }
            // Direct entrants are a subset of the entrants within a year.
            if k.inflow_basis == "direct" {
                let mut wider = k.clone();
                wider.inflow_basis = "binnen_1_jaar".into();
                if let Some(&w) = index.get(&wider) {
                    le.push(Relation {
                        terms: vec![(r, 1), (w, -1)],
                        kind: Kind::Le,
                        name: "direct entrants are among the entrants within a year",
                    });
                    if pop_rows[row_pop[r] - n][0] == r {
                        le.push(Relation {
                            terms: vec![(row_pop[r], 1), (row_pop[w], -1)],
                            kind: Kind::Le,
                            name: "direct entrants are among the entrants within a year",
                        });
                    }
                }
            }
        }

        // Hierarchies: a parent's numerator (and population) is the sum of its children's, for
        // every partition of the parent.
        type Family<'k> = (Slice, &'k str, &'k str, (String, String));
        let mut groups: BTreeMap<Family, Vec<usize>> = BTreeMap::new();
        for (r, k) in keys.iter().enumerate() {
            // Pooled rows are only published for some units (the small ones, src/publish.rs), so a
            // pooled parent is not the sum of the pooled children present. Their sums need no
            // relation of their own: every single cohort of every unit is in the table (the grid of
            // bundle_candidates.sql), so "a pooled row sums its single cohorts" plus the single
            // cohorts' hierarchies already imply every pooled hierarchy.
            if k.cohort_window != 1 {
                continue;
            }
            for (partition, parent) in parents(&k.cohort_basis, &k.unit_type, &k.unit_id) {
                if !region_complete && parent.0 == "regio" {
                    continue;
                }
                groups
                    .entry((slice(k), k.indicator.as_str(), partition, parent))
                    .or_default()
                    .push(r);
            }
        }
        let mut pop_done = std::collections::HashSet::new();
        for ((sl, indicator, partition, (unit_type, unit_id)), children) in &groups {
            let probe = Key {
                cohort: sl.0,
                cohort_basis: sl.1.clone(),
                inflow_basis: sl.2.clone(),
                cohort_window: sl.3,
                unit_type: unit_type.as_str().into(),
                unit_id: unit_id.as_str().into(),
                indicator: (*indicator).into(),
            };
            let Some(&p) = index.get(&probe) else {
                continue;
            };
            let mut terms = vec![(p, 1)];
            terms.extend(children.iter().map(|&c| (c, -1)));
            eq(terms, "units sum to their parent");
            if pop_done.insert((row_pop[p], *partition)) {
                let mut terms = vec![(row_pop[p], 1)];
                terms.extend(children.iter().map(|&c| (row_pop[c], -1)));
                eq(terms, "unit sizes sum to their parent's");
            }
        }

        // Pooling: a three-cohort row sums the single cohorts Y-2..Y that exist.
        for (r, k) in keys.iter().enumerate() {
            if k.cohort_window != 3 {
                continue;
            }
            let singles: Vec<usize> = (k.cohort - 2..=k.cohort)
                .filter_map(|c| {
                    let mut probe = k.clone();
                    probe.cohort = c;
                    probe.cohort_window = 1;
                    index.get(&probe).copied()
                })
                .collect();
            let mut terms = vec![(r, 1)];
            terms.extend(singles.iter().map(|&s| (s, -1)));
            eq(terms, "a pooled row sums its single cohorts");
            if pop_rows[row_pop[r] - n][0] == r {
                let mut terms = vec![(row_pop[r], 1)];
                terms.extend(singles.iter().map(|&s| (row_pop[s], -1)));
                eq(terms, "a pooled size sums its single cohorts");
            }
        }
        relations.extend(le);
        let cells = n + pop_rows.len();
        let cell_relations = CellRelations::new(cells, &relations);
        Structure {
            keys,
            row_pop,
            pop_rows,
            relations,
            cell_relations,
        }
    }

    /// The relations `value` breaks (none, unless the relations or the values are wrong).
    pub fn violations(&self, value: impl Fn(usize) -> i64) -> Vec<&Relation> {
        self.relations
            .iter()
            .filter(|rel| {
                let sum: i64 = rel.terms.iter().map(|&(c, k)| k * value(c)).sum();
                match rel.kind {
                    Kind::Eq => sum != 0,
                    Kind::Le => sum > 0,
                }
            })
            .collect()
    }

    pub fn rows(&self) -> usize {
        self.keys.len()
    }

    pub fn cells(&self) -> usize {
        self.keys.len() + self.pop_rows.len()
    }

    /// Whether a cell is hidden when `hidden` rows are suppressed: a numerator with its row, a
    /// population when every row that shows it is suppressed.
    pub fn cell_hidden(&self, cell: usize, hidden: &[bool]) -> bool {
        if cell < self.rows() {
            hidden[cell]
        } else {
            self.pop_rows[cell - self.rows()].iter().all(|&r| hidden[r])
        }
    }

    /// A short description of a cell for messages.
    pub fn describe(&self, cell: usize) -> String {
        let (k, what) = if cell < self.rows() {
            (&self.keys[cell], "numerator")
        } else {
            (
                &self.keys[self.pop_rows[cell - self.rows()][0]],
                "denominator",
            )
        };
        format!(
            "{what} of {} {} {} cohort {} (basis {}{}, window {})",
            k.indicator,
            k.unit_type,
            k.unit_id,
            k.cohort,
            k.cohort_basis,
            if k.inflow_basis.is_empty() {
                String::new()
            } else {
                format!("/{}", k.inflow_basis)
            },
            k.cohort_window
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(indicator: &str) -> Key {
        Key {
            cohort: 2021,
            cohort_basis: "diploma".into(),
            inflow_basis: Text::default(),
            cohort_window: 1,
            unit_type: "regio".into(),
            unit_id: "regio".into(),
            indicator: indicator.into(),
        }
    }

    #[test]
    fn flow_rows_name_the_row_they_split() {
        assert_eq!(flow_parent("bestemming_hbo:21HA"), Some("bestemming_hbo"));
        assert_eq!(
            flow_parent("bestemming_mbo:25LJ:25168"),
            Some("bestemming_mbo:25LJ")
        );
        assert_eq!(
            flow_parent("bestemming_mbo:25LJ:overig"),
            Some("bestemming_mbo:25LJ")
        );
        assert_eq!(flow_parent("bestemming_hbo"), None);
        assert_eq!(flow_parent("instroom_direct"), None);
        assert_eq!(flow_parent("jaar1_uitval:x"), None);
        assert_eq!(flow_parent("bestemming_hbo:21HA:1:2"), None);
    }

    #[test]
    fn programmes_sum_to_their_institution_and_institutions_to_their_destination() {
        let keys: Vec<Key> = [
            "bestemming_hbo",
            "bestemming_hbo:21HA",
            "bestemming_hbo:overig",
            "bestemming_hbo:21HA:34567",
            "bestemming_hbo:21HA:overig",
        ]
        .iter()
        .map(|i| key(i))
        .collect();
        let s = Structure::new(keys);
        let sums: Vec<(&str, Vec<(usize, i64)>)> = s
            .relations
            .iter()
            .filter(|r| r.kind == Kind::Eq)
            .map(|r| (r.name, r.terms.clone()))
            .collect();
        assert_eq!(
            sums,
            vec![
                (
                    "institutions sum to their destination",
                    vec![(0, 1), (1, -1), (2, -1)]
                ),
                (
                    "programmes sum to their institution",
                    vec![(1, 1), (3, -1), (4, -1)]
                ),
            ]
        );
        // Values that keep both sums hold; a programme that does not add up breaks one.
        let good = [30, 20, 10, 12, 8];
        assert!(s
            .violations(|c| good.get(c).copied().unwrap_or(30))
            .is_empty());
        let bad = [30, 20, 10, 12, 7];
        let broken: Vec<&str> = s
            .violations(|c| bad.get(c).copied().unwrap_or(30))
            .iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(broken, vec!["programmes sum to their institution"]);
    }
}
