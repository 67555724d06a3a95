//! Words the report uses, in Dutch (default) and English. Indicator ids stay as in definitions.md.

use crate::project::Language;

/// The label of an indicator id in the report language.
pub fn indicator(id: &str, lang: Language) -> &'static str {
    let (nl, en) = match id {
        "instroom_direct" => (
            "Direct ingestroomd (1 oktober na diploma)",
            "Direct inflow (1 October after diploma)",
        ),
        "instroom_binnen_1_jaar" => ("Ingestroomd binnen 1 jaar", "Inflow within 1 year"),
        "enquete:<item>" => (
            "Alumni-enquête: eens met een stelling",
            "Alumni survey: agree with a statement",
        ),
        "bestemming_mbo" => ("Bestemming mbo", "Destination mbo"),
        "bestemming_hbo" => ("Bestemming hbo", "Destination hbo"),
        "bestemming_wo" => ("Bestemming wo", "Destination wo"),
        "nog_in_sector" => (
            "Na één jaar nog in de sector",
            "Still in the sector after one year",
        ),
        "switch_binnen_sector" => ("Gewisseld binnen de sector", "Switched within the sector"),
        "uitval_onderwijs" => (
            "Uit het onderwijs na één jaar",
            "Left education after one year",
        ),
        "diploma_binnen_5_jaar" => ("Diploma binnen 5 jaar", "Diploma within 5 years"),
        "diploma_binnen_3_jaar" => ("Diploma binnen 3 jaar", "Diploma within 3 years"),
        "diploma_binnen_4_jaar" => ("Diploma binnen 4 jaar", "Diploma within 4 years"),
        "instroom_binnen_2_jaar" => ("Ingestroomd binnen 2 jaar", "Inflow within 2 years"),
        "bestemming_vo" => ("Bestemming vo", "Destination vo"),
        "bestemming_vavo" => ("Bestemming vavo", "Destination vavo"),
        "jaar1_zelfde_opleiding" => (
            "Na één jaar in dezelfde opleiding",
            "In the same programme after one year",
        ),
        "jaar1_diploma" => ("Diploma in het eerste jaar", "Diploma in the first year"),
        "jaar1_switch_intern" => (
            "Gewisseld binnen de instelling",
            "Switched within the institution",
        ),
        "jaar1_switch_extern" => (
            "Gewisseld naar een andere instelling (zelfde sector)",
            "Switched to another institution (same sector)",
        ),
        "jaar1_switch_sector" => ("Gewisseld van sector", "Switched sector"),
        "jaar1_uitval" => (
            "Uit het onderwijs na één jaar",
            "Left education after one year",
        ),
        _ => ("", ""),
    };
    choose(lang, nl, en)
}

/// The label of an indicator, or its id where the report has no label for it.
pub fn indicator_or_id(id: &str, lang: Language) -> &str {
    match indicator(id, lang) {
        "" => id,
        label => label,
    }
}

/// The Dutch or the English of a text.
pub fn choose<'a>(lang: Language, nl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Language::Nl => nl,
        Language::En => en,
    }
}

/// Fixed texts of the page.
#[derive(Debug, serde::Serialize)]
pub struct Texts {
    pub title: &'static str,
    pub data_until: &'static str,
    pub region: &'static str,
    pub schools: &'static str,
    pub cohort: &'static str,
    pub indicator: &'static str,
    pub chart_inflow: &'static str,
    pub chart_year_one: &'static str,
    pub legend: &'static str,
    pub intro: &'static str,
    pub interval: &'static str,
    pub overview: &'static str,
    pub sources_title: &'static str,
    pub sources_intro: &'static str,
    pub sources_none: &'static str,
    /// Heading of the sources page's list of school pages.
    pub sources_per_school: &'static str,
    pub source: &'static str,
    pub source_figure: &'static str,
    pub ours: &'static str,
    pub difference: &'static str,
    pub explanation: &'static str,
    pub version: &'static str,
    pub method_changed: &'static str,
    pub chart_sources: &'static str,
    pub definitions_title: &'static str,
    pub definitions_intro: &'static str,
    pub meaning: &'static str,
    pub where_computed: &'static str,
    pub quality_title: &'static str,
    pub cycle_title: &'static str,
    pub unit_sources_intro: &'static str,
    pub unit_sources_hidden: &'static str,
    pub receiving_title: &'static str,
    pub flows_title: &'static str,
    pub receiving_intro: &'static str,
    pub receiving_none: &'static str,
    pub institutions: &'static str,
    pub programmes: &'static str,
    pub programme: &'static str,
    pub programmes_intro: &'static str,
    pub chart_receiving_year_one: &'static str,
    pub chart_diploma: &'static str,
    pub quality_intro: &'static str,
    pub inputs: &'static str,
    pub file: &'static str,
    pub rows_read: &'static str,
    pub rows_loaded: &'static str,
    pub rows_rejected: &'static str,
    pub by_rule: &'static str,
    pub figures: &'static str,
    pub masked_cells: &'static str,
    pub censoring: &'static str,
    pub censoring_intro: &'static str,
    pub censored: &'static str,
    pub coverage: &'static str,
    pub coverage_intro: &'static str,
    pub unit: &'static str,
    pub without_enrollment: &'static str,
    pub downloads: &'static str,
    pub norm: &'static str,
    pub region_short: &'static str,
    pub legend_change: &'static str,
    pub legend_norm: &'static str,
    /// Before a national figure under a cell, and what it is (legend).
    pub national_short: &'static str,
    pub legend_national: &'static str,
    pub changes_title: &'static str,
    pub none: &'static str,
    pub norms_title: &'static str,
    pub none_below: &'static str,
    pub unit_intro: &'static str,
    pub pooled_title: &'static str,
    pub pooled_intro: &'static str,
    pub afdelingen: &'static str,
    pub groepen_title: &'static str,
    pub survey_title: &'static str,
    pub survey_intro: &'static str,
    pub groepen_intro: &'static str,
    pub groep: &'static str,
    pub no_groep: &'static str,
    pub school_short: &'static str,
    pub higher: &'static str,
    pub lower: &'static str,
}

pub fn texts(lang: Language) -> Texts {
    match lang {
        Language::Nl => Texts {
            title: "Doorstroom van oud-leerlingen",
            data_until: "Gegevens tot",
            region: "Regio",
            schools: "Scholen",
            cohort: "Diplomacohort",
            indicator: "Indicator",
            chart_inflow: "Instroom in vervolgonderwijs",
            chart_year_one: "Eerste jaar na directe instroom",
            legend: "niet gepubliceerd: te weinig leerlingen, of anders uit de andere cijfers \
                     terug te rekenen",
            intro: "Hoe doen oud-leerlingen het na hun diploma? Percentages per diplomacohort, met het \
                    95%-betrouwbaarheidsinterval als band in de grafiek en tussen haakjes in de tabel. \
                    Het eerste jaar en het diploma gaan over wie direct instroomde.",
            interval: "95%-interval",
            overview: "Overzicht",
            sources_title: "Bronnen naast elkaar",
            sources_intro: "Wat andere bronnen (DUO, NCO, Vensters, …) over dezelfde eenheid en hetzelfde \
                            cohort publiceren, naast ons cijfer voor dezelfde definitie, met wat het \
                            verschil verklaart: afronding, maskering door de bron, ons 95%-interval, of \
                            een andere definitie (en welke). Alleen gepubliceerde cijfers worden \
                            vergeleken. Waar een bron haar methode wijzigde, breekt de lijn.",
            sources_none: "Er zijn geen gepubliceerde cijfers van andere bronnen opgegeven \
                           ([inputs] published).",
            sources_per_school: "Per school (met haar afdelingen)",
            source: "Bron",
            source_figure: "Cijfer van de bron",
            ours: "Ons cijfer",
            difference: "Verschil (punt)",
            explanation: "Verklaring",
            version: "methode",
            method_changed: "methode gewijzigd",
            chart_sources: "Bronnen en ons cijfer",
            definitions_title: "Definities",
            definitions_intro: "Wat elk cijfer betekent. Een oud-leerling hoort bij het diplomacohort van \
                                het jaar van zijn diploma; ingeschreven telt op de peildatum 1 oktober. Het \
                                eerste jaar en het diploma gaan over wie instroomde. Wie nog niet lang genoeg \
                                gevolgd kan worden, telt voor dat cijfer niet mee (niet als uitval). De \
                                tekst komt uit de SQL-bestanden die de cijfers berekenen.",
            meaning: "Betekenis",
            where_computed: "Berekend in",
            quality_title: "Datakwaliteit",
            cycle_title: "Kwaliteitscyclus",
            receiving_title: "Ontvangende instellingen",
            flows_title: "Stromen",
            receiving_intro: "Voor mbo, hbo en wo: wat werd er van iedereen die in een jaar \
                              instroomde (het instroomcohort: eerste jaar met een inschrijving op 1 \
                              oktober in de sector, de instelling of de opleiding), van welke school \
                              ook — alleen wie in de geleverde gegevens van de regio staat.",
            receiving_none: "Geen gepubliceerde cijfers per instroomcohort in deze bundel.",
            institutions: "Instellingen",
            programmes: "Opleidingen",
            programme: "Opleiding",
            programmes_intro: "per instroomcohort, met de grootte van het cohort.",
            chart_receiving_year_one: "Eerste jaar (instroomcohort)",
            chart_diploma: "Diploma binnen n jaar (instroomcohort)",
            unit_sources_hidden: "cijfer(s) van bronnen niet getoond: ons cijfer is daar niet \
                                  gepubliceerd of de aantallen van de bron zijn te klein.",
            unit_sources_intro: "Wat andere bronnen (DUO, NCO, Vensters, …) voor deze eenheid publiceren, \
                                 naast ons gepubliceerde cijfer voor dezelfde definitie en wat het verschil \
                                 verklaart. Met grafieken en de definities van de bronnen op",
            quality_intro: "Waar de cijfers op rusten: elk invoerbestand met zijn sha256 en hoeveel regels \
                            gelezen, geladen en afgewezen zijn (per regel-id; de afgewezen regels staan bij \
                            de gegevenseigenaar in rejects/), welke cohorten nog niet lang genoeg gevolgd \
                            kunnen worden, en hoeveel oud-leerlingen in geen enkel aangeleverd bestand \
                            terugkomen.",
            inputs: "Invoer",
            file: "Bestand",
            rows_read: "Gelezen",
            rows_loaded: "Geladen",
            rows_rejected: "Afgewezen",
            by_rule: "Afgewezen per regel",
            figures: "cijfers",
            masked_cells: "gemaskeerde cellen",
            censoring: "Nog niet te volgen (censurering)",
            censoring_intro: "Een cijfer dat een latere peildatum nodig heeft, telt dat cohort nog niet mee \
                              (en nooit als uitval).",
            censored: "nog niet",
            coverage: "Dekking",
            coverage_intro: "Aandeel oud-leerlingen (cohorten die twee jaar gevolgd zijn) zonder enige \
                             inschrijving in de aangeleverde gegevens: verhuisd buiten de regio, of een \
                             partner die niet aanleverde. Zo iemand telt als niet ingestroomd. Alleen \
                             afgeronde percentages, en alleen waar de aantallen groot genoeg zijn.",
            unit: "Eenheid",
            without_enrollment: "Zonder inschrijving",
            downloads: "De tabellen van deze pagina",
            norm: "norm",
            region_short: "regio",
            legend_change: "▲/▼ = significant hoger/lager dan de drie cohorten ervoor samen (z-toets, p < 0,05, \
                            en minstens 5 procentpunt), alleen waar al die cijfers gepubliceerd zijn.",
            legend_norm: "Rood: buiten de eigen norm.",
            national_short: "landelijk",
            legend_national: "Landelijk: het cijfer van de genoemde bron voor heel Nederland (bij \
                              een afdeling: voor het hele niveau), in de definitie van die bron.",
            changes_title: "Significante veranderingen in het laatste cohort",
            none: "Geen.",
            norms_title: "Buiten de eigen norm in het laatste cohort",
            none_below: "Geen eenheid buiten haar norm (of geen normen opgegeven: [[norms]]).",
            unit_intro: "De cijfers van deze eenheid per diplomacohort, met onder elk cijfer dat van de regio.",
            pooled_title: "Drie cohorten samen",
            pooled_intro: "Deze eenheid is klein: per cohort blijven veel cijfers verborgen. Hier telt elke kolom \
                           drie diplomacohorten samen (vaste perioden), met onder elk cijfer dat van de regio over \
                           dezelfde cohorten.",
            afdelingen: "Afdelingen",
            groepen_title: "Per groep",
            survey_title: "Alumni-enquête: eens met de stelling",
            survey_intro: "Wat oud-leerlingen van dit cohort in de alumni-enquête antwoordden: het aandeel dat het \
                           (helemaal) eens is met de stelling (score 4 of 5 van 5), van wie de vraag beantwoordde. \
                           Het kan verklaren wat de cijfers hierboven laten zien, maar bewijst het niet; kleine \
                           aantallen zijn afgeschermd.",
            groepen_intro: "De school deelt haar oud-leerlingen in eigen groepen in (kolom groep van de \
                            uitwisseling; wie geen groep heeft staat bij ‘zonder groep’). Onder elk cijfer staat \
                            dat van de hele school. Kleine groepen tonen veel cijfers niet.",
            groep: "Groep",
            no_groep: "zonder groep",
            school_short: "school",
            higher: "hoger dan de drie cohorten ervoor",
            lower: "lager dan de drie cohorten ervoor",
        },
        Language::En => Texts {
            title: "Transition of former students",
            data_until: "Data until",
            region: "Region",
            schools: "Schools",
            cohort: "Diploma cohort",
            indicator: "Indicator",
            chart_inflow: "Inflow into further education",
            chart_year_one: "First year after direct inflow",
            legend: "not published: too few students, or it could otherwise be recomputed from \
                     the other figures",
            intro: "How do former students do after their diploma? Rates per diploma cohort, with the 95% \
                    interval as a band in the chart and in brackets in the table. The first year and the \
                    diploma concern those who entered directly.",
            interval: "95% interval",
            overview: "Overview",
            sources_title: "Sources side by side",
            sources_intro: "What other sources (DUO, NCO, Vensters, …) publish for the same unit and \
                            cohort, beside our figure for the same definition, with what explains the \
                            difference: rounding, the source's masking, our 95% interval, or another \
                            definition (and which). Only published figures are compared. Where a source \
                            changed its method, the line breaks.",
            sources_none: "No published figures of other sources were given ([inputs] published).",
            sources_per_school: "Per school (with its afdelingen)",
            source: "Source",
            source_figure: "Source's figure",
            ours: "Our figure",
            difference: "Difference (points)",
            explanation: "Explanation",
            version: "method",
            method_changed: "method changed",
            chart_sources: "Sources and our figure",
            definitions_title: "Definitions",
            definitions_intro: "What each figure means. A former student belongs to the diploma cohort of \
                                the year of the diploma; enrolled counts on the peildatum, 1 October. The \
                                first year and the diploma concern those who entered. Whoever cannot yet be \
                                followed long enough does not count for that figure (not as a dropout). The \
                                text comes from the SQL files that compute the figures.",
            meaning: "Meaning",
            where_computed: "Computed in",
            quality_title: "Data quality",
            cycle_title: "Quality cycle",
            receiving_title: "Receiving institutions",
            flows_title: "Flows",
            receiving_intro: "For mbo, hbo and wo: what became of everyone who entered in a year (the \
                              instroom cohort: first year enrolled on 1 October in the sector, the \
                              institution or the programme), from whichever school — only those in the \
                              region's delivered data.",
            receiving_none: "No published figures per instroom cohort in this bundle.",
            institutions: "Institutions",
            programmes: "Programmes",
            programme: "Programme",
            programmes_intro: "per instroom cohort, with the cohort's size.",
            chart_receiving_year_one: "First year (instroom cohort)",
            chart_diploma: "Diploma within n years (instroom cohort)",
            unit_sources_hidden: "source figure(s) not shown: our figure is not published there or \
                                  the source's counts are too small.",
            unit_sources_intro: "What other sources (DUO, NCO, Vensters, …) publish for this unit, beside \
                                 our published figure for the same definition and what explains the \
                                 difference. With charts and the sources' definitions on",
            quality_intro: "What the figures rest on: every input file with its sha256 and how many rows \
                            were read, loaded and rejected (by rule id; the rejected rows stay with the data \
                            owner in rejects/), which cohorts cannot be followed long enough yet, and how \
                            many former students appear in no delivered file at all.",
            inputs: "Inputs",
            file: "File",
            rows_read: "Read",
            rows_loaded: "Loaded",
            rows_rejected: "Rejected",
            by_rule: "Rejected by rule",
            figures: "figures",
            masked_cells: "masked cells",
            censoring: "Not yet observed (censoring)",
            censoring_intro: "A figure that needs a later peildatum leaves that cohort out (and never counts \
                              it as dropout).",
            censored: "not yet",
            coverage: "Coverage",
            coverage_intro: "Share of former students (cohorts followed for two years) without any enrollment \
                             in the delivered data: moved out of the region, or a partner that did not \
                             deliver. Such a student counts as not entered. Whole percentages only, and only \
                             where the counts are large enough.",
            unit: "Unit",
            without_enrollment: "Without enrollment",
            downloads: "This page's tables",
            norm: "norm",
            region_short: "region",
            legend_change: "▲/▼ = significantly higher/lower than the three cohorts before together (z-test, \
                            p < 0.05, and at least 5 points), only where all those figures are published.",
            legend_norm: "Red: outside the school's own norm.",
            national_short: "national",
            legend_national: "National: the named source's figure for the whole Netherlands (for \
                              an afdeling: for its whole niveau), in that source's definition.",
            changes_title: "Significant changes in the latest cohort",
            none: "None.",
            norms_title: "Outside the own norm in the latest cohort",
            none_below: "No unit outside its norm (or no norms given: [[norms]]).",
            unit_intro: "This unit's figures per diploma cohort, with the region's under each.",
            pooled_title: "Three cohorts together",
            pooled_intro: "This unit is small: per cohort many figures stay hidden. Here each column counts three \
                           diploma cohorts together (fixed periods), with the region's figure over the same \
                           cohorts under each.",
            afdelingen: "Afdelingen",
            groepen_title: "By group",
            survey_title: "Alumni survey: agree with the statement",
            survey_intro: "What this cohort's former students answered in the alumni survey: the share who \
                           (strongly) agree with the statement (score 4 or 5 of 5), of those who answered it. It \
                           may explain what the figures above show, but does not prove it; small counts are \
                           hidden.",
            groepen_intro: "The school sorts its former students into groups of its own (the exchange's group \
                            column; those without one are under ‘no group’). Under each figure is the whole \
                            school's. Small groups hide many figures.",
            groep: "Group",
            no_groep: "no group",
            school_short: "school",
            higher: "higher than the three cohorts before",
            lower: "lower than the three cohorts before",
        },
    }
}

/// What explains a difference between a published figure and ours (reconcile_published.sql,
/// site_reconcile.sql).
pub fn explanation(explanation: &str, lang: Language) -> &'static str {
    let (nl, en) = match explanation {
        "equal" => ("gelijk", "equal"),
        "masking" => ("gemaskeerd door de bron", "masked by the source"),
        "rounding" => ("verklaard door afronding", "explained by rounding"),
        "interval" => ("binnen ons 95%-interval", "within our 95% interval"),
        "no_match" => (
            "wij berekenen dit cijfer niet voor deze eenheid",
            "we do not compute this figure for this unit",
        ),
        "definition" => ("definitieverschil", "definition mismatch"),
        "suppressed" => (
            "ons cijfer is niet gepubliceerd (te weinig leerlingen of terug te rekenen); het cijfer \
             van de bron staat daarom ook niet hier",
            "our figure is not published (too few students, or it could be recomputed); so the \
             source's figure is not shown here either",
        ),
        "source_small" => (
            "niet getoond: de aantallen van de bron zijn te klein",
            "not shown: the source's counts are too small",
        ),
        _ => (
            "NIET VERKLAARD: datafout of een definitie die wij niet berekenen",
            "NOT EXPLAINED: a data problem or a definition we do not compute",
        ),
    };
    choose(lang, nl, en)
}

/// A cause code of queries/reconcile_published.sql in plain words.
/// A likely cause of a difference (reconcile_published.sql `cause`).
pub fn cause(code: &str, lang: Language) -> &'static str {
    let (nl, en) = match code {
        "inflow_window" => ("directe of latere instroom", "direct or later inflow"),
        "what_counts" => (
            "wat als uitval telt (switch, sector, instelling)",
            "what counts as dropout (switch, sector, institution)",
        ),
        "cohort_basis" => ("populatie (cohortbasis)", "population (cohort basis)"),
        "inflow_basis" => ("direct/indirect ingestroomd", "direct/indirect entry"),
        "pooling" => ("pooling over drie cohorten", "pooling over three cohorts"),
        "peildatum" => (
            "peildatum (op enig moment van het jaar ingeschreven, niet op 1 oktober)",
            "peildatum (enrolled at any moment of the year, not on 1 October)",
        ),
        _ => (
            "dekking, eenheid of bron (geen van onze varianten ligt dichterbij)",
            "coverage, unit or source (none of our variants is closer)",
        ),
    };
    choose(lang, nl, en)
}
