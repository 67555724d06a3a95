//! Pseudonymisation at ingest: no identifier and no key in any output; a key is required.

use std::path::Path;

use assert_cmd::Command;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::region::{assert_status, edit_config, run_config, Region};

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
    assert_status(&out, 0);
    let pseudonym = keyed(&[7u8; 32], "eigen:A");
    let parquet = std::fs::read(r.dir.path().join("out/warehouse/gediplomeerden.parquet")).unwrap();
    assert!(contains(&parquet, pseudonym.as_bytes()));
}

/// `n` distinct valid BSNs from a fixed LCG: eight digits, the ninth chosen so the 11-proef holds
/// (combinations whose check digit would be 10 are skipped).
fn generated_bsns(n: usize) -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = std::collections::BTreeSet::new();
    while out.len() < n {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let eight = (state >> 33) % 100_000_000;
        let digits: Vec<u64> = format!("{eight:08}")
            .bytes()
            .map(|b| u64::from(b - b'0'))
            .collect();
        let sum: u64 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
        let check = sum % 11;
        if check < 10 {
            out.insert(format!("{eight:08}{check}"));
        }
    }
    out.into_iter().collect()
}

/// Maximal runs of ASCII digits of exactly nine that stand alone (not inside a word, a hex string
/// or a decimal fraction) and pass the 11-proef.
fn bsn_like(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(i).copied();
        let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.');
        if i - start == 9 && !word(before) && !word(after) {
            let d: Vec<i64> = bytes[start..i]
                .iter()
                .map(|&b| i64::from(b - b'0'))
                .collect();
            let sum: i64 = d[..8]
                .iter()
                .zip((2..=9).rev())
                .map(|(x, w)| x * w)
                .sum::<i64>()
                - d[8];
            if sum % 11 == 0 && d.iter().any(|&x| x != 0) {
                found.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
            }
        }
    }
    found
}

#[test]
fn a_thousand_bsns_leave_no_trace_in_the_output_or_the_logs() {
    use md5::Md5;
    use sha1::Sha1;
    let bsns = generated_bsns(1000);
    let mut r = Region::new("2025-10-01");
    for (i, bsn) in bsns.iter().enumerate() {
        let school = ["97XA01", "97XB01", "97XC01", "97XD01"][i % 4];
        let niveau = ["havo", "vwo", "vmbo-tl"][i % 3];
        r = r.alumnus(bsn, school, niveau, "2022-06-30");
        if i % 5 != 0 {
            let (brin, sector) = [("21HA", "hbo"), ("25MA", "mbo"), ("21UA", "wo")][i % 3];
            r = r.enrolled(
                bsn,
                brin,
                sector,
                &format!("3{:04}", i % 7),
                "2022-09-01",
                "",
            );
        }
    }
    let o = r.run();
    o.assert_ok();
    // Every form an identifier could leak in: as given, and its unkeyed SHA-256, SHA-1 and MD5 in
    // hex (either case) and as raw bytes; also of "bsn:<id>", the message the HMAC keys.
    let mut hex_forms = std::collections::HashSet::new();
    let mut raw_forms = std::collections::HashSet::new();
    for bsn in &bsns {
        for message in [bsn.clone(), format!("bsn:{bsn}")] {
            let digests = [
                Sha256::digest(message.as_bytes()).to_vec(),
                Sha1::digest(message.as_bytes()).to_vec(),
                Md5::digest(message.as_bytes()).to_vec(),
            ];
            for d in digests {
                hex_forms.insert(hex::encode(&d));
                raw_forms.insert(d);
            }
        }
    }
    let plain: std::collections::HashSet<&[u8]> = bsns.iter().map(|b| b.as_bytes()).collect();
    let mut sources = all_bytes(&o.dir.join("out"));
    sources.push(("stdout".into(), o.stdout.clone().into_bytes()));
    sources.push(("stderr".into(), o.stderr.clone().into_bytes()));
    assert!(sources.len() > 5, "the run wrote its outputs");
    for (name, bytes) in &sources {
        assert_eq!(
            bsn_like(bytes),
            Vec::<String>::new(),
            "11-proef strings in {name}"
        );
        assert!(
            !bytes.windows(9).any(|w| plain.contains(w)),
            "an input BSN inside {name}"
        );
        let lower = bytes.to_ascii_lowercase();
        for len in [32, 40, 64] {
            assert!(
                !lower
                    .windows(len)
                    .any(|w| hex_forms.contains(std::str::from_utf8(w).unwrap_or(""))),
                "an unkeyed hash of an input BSN (hex, {len} characters) in {name}"
            );
        }
        for len in [16, 20, 32] {
            assert!(
                !bytes.windows(len).any(|w| raw_forms.contains(w)),
                "an unkeyed hash of an input BSN ({len} raw bytes) in {name}"
            );
        }
    }
    // The check itself can fail: a BSN written into a copy of the output is found.
    assert_eq!(
        bsn_like(format!("x,{},y", bsns[0]).as_bytes()),
        vec![bsns[0].clone()]
    );
}

#[test]
fn different_keys_give_unlinkable_pseudonyms() {
    let run_with_key = |key_byte: u8| {
        let r = Region::new("2025-10-01")
            .alumnus("111222333", "97XA01", "havo", "2022-06-30")
            .alumnus("123456782", "97XA01", "havo", "2022-06-30")
            .enrolled("111222333", "21HA", "hbo", "34402", "2022-09-01", "");
        let config = r.write();
        std::fs::write(r.dir.path().join("sleutel.bin"), [key_byte; 32]).unwrap();
        let out = run_config(&config);
        assert_status(&out, 0);
        let rows =
            crate::region::parquet_rows(&r.dir.path().join("out/warehouse/gediplomeerden.parquet"));
        rows.into_iter()
            .map(|row| row["persoon_id"].clone())
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (a, b) = (run_with_key(1), run_with_key(2));
    assert_eq!(a.len(), 2);
    assert_eq!(b.len(), 2);
    assert!(
        a.is_disjoint(&b),
        "the same pseudonym under two keys: {a:?} {b:?}"
    );
    assert_eq!(
        a,
        ["bsn:111222333", "bsn:123456782"]
            .iter()
            .map(|m| keyed(&[1; 32], m))
            .collect()
    );
}
