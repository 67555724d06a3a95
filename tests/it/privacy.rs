//! Pseudonymisation at ingest: no identifier and no key in any output; a key is required.

use std::path::Path;

use assert_cmd::Command;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::region::{edit_config, run_config, Region};

/// Valid BSNs (11-proef checked by hand: 9·d1+…+2·d8−d9 ≡ 0 mod 11).
const BSNS: [&str; 3] = ["111222333", "123456782", "012345672"];

fn all_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        out.push((entry.display().to_string(), std::fs::read(&entry).unwrap()));
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}

/// The pseudonym formats.md §1 prescribes, computed here with the hmac crate directly.
fn keyed(key: &[u8], message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn identifiers_and_key_never_reach_the_output() {
    let mut r = Region::new("2025-10-01");
    for (i, bsn) in BSNS.iter().enumerate() {
        r = r.alumnus(bsn, "97XA01", "havo", "2022-06-30").enrolled(
            bsn,
            "21HA",
            "hbo",
            &format!("3440{i}"),
            "2022-09-01",
            "",
        );
    }
    let o = r.run();
    o.assert_ok();
    let out = o.dir.join("out");
    let files = all_bytes(&out);
    let key = [7u8; 32];
    for bsn in BSNS {
        let plain_hash = hex::encode(Sha256::digest(bsn.as_bytes()));
        let pseudonym = keyed(&key, &format!("bsn:{bsn}"));
        for (name, bytes) in &files {
            assert!(!contains(bytes, bsn.as_bytes()), "{bsn} in {name}");
            assert!(
                !contains(bytes, plain_hash.as_bytes()),
                "unkeyed hash of {bsn} in {name}"
            );
        }
        // The scan can see strings in the Parquet file: the keyed pseudonym is there.
        let warehouse = files
            .iter()
            .find(|(n, _)| n.ends_with("gediplomeerden.parquet"))
            .unwrap();
        assert!(
            contains(&warehouse.1, pseudonym.as_bytes()),
            "pseudonym of {bsn} stored"
        );
    }
    for (name, bytes) in &files {
        assert!(!contains(bytes, &key), "key bytes in {name}");
    }
    assert!(!o.stderr.contains(&hex::encode(key)) && !o.stdout.contains(&hex::encode(key)));
}

#[test]
fn no_key_refuses_student_level_input() {
    let r = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-06-30")
        .enrolled("A", "21HA", "hbo", "1", "2022-09-01", "");
    let config = r.write();
    edit_config(
        &config,
        "key_file = \"sleutel.bin\"
",
        "",
    );
    let out = Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .arg(&config)
        .env_remove("DOORSTROOM_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pseudonymisation key"));
    assert!(!r.dir.path().join("out").exists());
}

#[test]
fn short_key_is_refused_and_env_key_gives_the_same_pseudonyms() {
    let r = Region::new("2025-10-01")
        .alumnus("A", "97XA01", "havo", "2022-06-30")
        .enrolled("A", "21HA", "hbo", "1", "2022-09-01", "");
    let config = r.write();
    std::fs::write(r.dir.path().join("sleutel.bin"), [7u8; 31]).unwrap();
    let out = run_config(&config);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 32"));

    edit_config(
        &config,
        "key_file = \"sleutel.bin\"
",
        "",
    );
    let out = Command::cargo_bin("doorstroom")
        .unwrap()
        .arg("run")
        .arg(&config)
        .env("DOORSTROOM_KEY", hex::encode([7u8; 32]))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pseudonym = keyed(&[7u8; 32], "eigen:A");
    let parquet = std::fs::read(r.dir.path().join("out/warehouse/gediplomeerden.parquet")).unwrap();
    assert!(contains(&parquet, pseudonym.as_bytes()));
}
