//! 1cijferHO: a fixed-width file generated here from the positions printed in DUO's
//! Bestandsbeschrijving (1-based start, length), read as enrollments and as alumni.

use assert_cmd::Command;

/// One record, 323 characters: each field placed at the position the Bestandsbeschrijving gives.
fn record(fields: &[(usize, usize, &str)]) -> String {
    let mut line = vec![b' '; 323];
    for &(start, len, value) in fields {
        assert_eq!(value.len(), len, "{value}");
        line[start - 1..start - 1 + len].copy_from_slice(value.as_bytes());
    }
    String::from_utf8(line).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn enrollment(
    pgn: &str,
    bsn: &str,
    onr: &str,
    brin: &str,
    code: &str,
    soort_ho: &str,
    start: &str,
    end: &str,
    signed: &str,
    vopl: (&str, &str, &str, &str),
) -> String {
    record(&[
        (1, 12, pgn),         // Persoonsgebonden nummer
        (13, 4, &start[..4]), // Inschrijvingsjaar
        (17, 4, brin),        // Instellingscode
        (25, 5, code),        // Opleidingscode
        (46, 3, soort_ho),    // Soort hoger onderwijs
        (66, 1, "1"),         // Soort inschrijving hoger onderwijs: hoofdinschrijving
        (106, 5, vopl.0),     // Hoogste vooropleiding vóór het HO
        (116, 4, vopl.1),     // Diplomajaar van de hoogste vooropl. vóór het HO
        (120, 4, vopl.2),     // Instelling van de hoogste vooropl. vóór het HO
        (226, 8, start),      // Datum inschrijving
        (234, 8, end),        // Datum uitschrijving
        (244, 8, signed),     // Datum tekening diploma
        (258, 2, vopl.3),     // Vestigingsnummer van de hoogste vooropl. vóór het HO
        (306, 9, bsn),        // Burgerservicenummer
        (315, 9, onr),        // Onderwijsnummer
    ])
}

#[test]
fn onecijferho_file_gives_enrollments_and_alumni() {
    let dir = tempfile::tempdir().unwrap();
    let havo = ("00201", "2021", "97XA", "01");
    let vwo = ("00401", "2021", "97XA", "01");
    let lines = [
        // P1: BSN, havo 2021, hbo 34402 for two years; the diploma signed in the second year.
        enrollment(
            "000000000001",
            "111222333",
            "         ",
            "21HA",
            "34402",
            "hbo",
            "20210901",
            "20220831",
            "20230705",
            havo,
        ),
        enrollment(
            "000000000001",
            "111222333",
            "         ",
            "21HA",
            "34402",
            "hbo",
            "20220901",
            "20230831",
            "20230705",
            havo,
        ),
        // P2: onderwijsnummer only, vwo 2021, leaves wo in January.
        enrollment(
            "000000000002",
            "000000000",
            "123456789",
            "21WA",
            "50206",
            "wo ",
            "20210901",
            "20220131",
            "00000000",
            vwo,
        ),
    ];
    let text = lines.join("\r\n") + "\r\n";
    std::fs::write(dir.path().join("1cyferho_2023.asc"), text.as_bytes()).unwrap();
    std::fs::write(dir.path().join("sleutel.bin"), [9u8; 32]).unwrap();
    std::fs::write(
        dir.path().join("doorstroom.toml"),
        "[project]\nname = \"HO\"\ndata_until = \"2025-10-01\"\n[inputs]\nalumni = \"1cyferho_2023.asc\"\n\
         enrollments = \"1cyferho_2023.asc\"\n[privacy]\nkey_file = \"sleutel.bin\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .arg(dir.path().join("doorstroom.toml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = crate::region::read_indicators(&dir.path().join("out/warehouse/indicators.csv"));
    let get = |inflow: &str, unit_type: &str, unit_id: &str, ind: &str| {
        let key = (
            2021,
            "diploma".to_string(),
            inflow.to_string(),
            1u8,
            unit_type.to_string(),
            unit_id.to_string(),
            ind.to_string(),
        );
        rows.get(&key).map(|r| (r.numerator, r.denominator))
    };
    assert_eq!(get("", "school", "97XA01", "instroom_direct"), Some((2, 2)));
    assert_eq!(get("", "niveau", "havo", "bestemming_hbo"), Some((1, 1)));
    assert_eq!(get("", "niveau", "vwo", "bestemming_wo"), Some((1, 1)));
    assert_eq!(
        get("direct", "regio", "regio", "jaar1_zelfde_opleiding"),
        Some((1, 2))
    );
    assert_eq!(
        get("direct", "regio", "regio", "jaar1_uitval"),
        Some((1, 2))
    );
    // The diploma signed in 2023 belongs to the second year's row only, which ends before P(2024).
    assert_eq!(
        get("direct", "regio", "regio", "diploma_binnen_3_jaar"),
        Some((1, 2))
    );
    assert_eq!(
        get("direct", "regio", "regio", "jaar1_diploma"),
        Some((0, 2))
    );
    let manifest = crate::region::manifest(dir.path());
    let counts: Vec<(String, u64, u64)> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["table"].as_str().unwrap().to_string(),
                i["rows_read"].as_u64().unwrap(),
                i["loaded"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("gediplomeerden".to_string(), 2, 2),
            ("inschrijvingen".to_string(), 3, 3)
        ]
    );
    // The BSN is pseudonymised like any other: not in the warehouse.
    let parquet = std::fs::read(dir.path().join("out/warehouse/inschrijvingen.parquet")).unwrap();
    assert!(!parquet.windows(9).any(|w| w == b"111222333"));
}
