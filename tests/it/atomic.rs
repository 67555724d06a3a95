//! Writes are atomic: a run killed at any moment, or failing on a full disk, leaves every output file
//! either as it was or as the new run writes it, never half.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Instant;

use assert_cmd::cargo::cargo_bin;
use rand::{Rng, SeedableRng};

use crate::region::files_under;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden")
        .join(name)
}

/// A copy of the golden region; `variant` changes the input so old and new outputs differ.
fn region(dir: &Path, variant: bool) {
    for f in ["gediplomeerden.csv", "doorstroom.toml", "sleutel.bin"] {
        std::fs::copy(fixture(f), dir.join(f)).unwrap();
    }
    let mut enrollments = std::fs::read(fixture("inschrijvingen.csv")).unwrap();
    if variant {
        enrollments.extend_from_slice(b"PNEW00001,95HA,x,hbo,34139,x,2020-09-01,,nee,\n");
    }
    std::fs::write(dir.join("inschrijvingen.csv"), enrollments).unwrap();
}

fn run(dir: &Path) -> std::process::Output {
    Process::new(cargo_bin("doorstroom"))
        .arg("run")
        .arg(dir.join("doorstroom.toml"))
        .output()
        .unwrap()
}

#[test]
fn killed_twenty_times_at_random_moments_leaves_old_or_new_files() {
    // Reference outputs: the old run, and the new run completed elsewhere on top of the same old
    // run, as each killed run below is (the register of what the old run published shapes what
    // the new one may publish).
    let old_dir = tempfile::tempdir().unwrap();
    region(old_dir.path(), false);
    assert!(run(old_dir.path()).status.success());
    let old = files_under(&old_dir.path().join("out"));
    let new_dir = tempfile::tempdir().unwrap();
    region(new_dir.path(), false);
    assert!(run(new_dir.path()).status.success());
    region(new_dir.path(), true);
    let started = Instant::now();
    assert!(run(new_dir.path()).status.success());
    let full_run = started.elapsed();
    let new = files_under(&new_dir.path().join("out"));
    assert_ne!(
        old["warehouse/indicators.csv"],
        new["warehouse/indicators.csv"]
    );

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(20);
    let mut killed_mid_run = 0;
    for i in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        region(dir.path(), false);
        assert!(run(dir.path()).status.success());
        region(dir.path(), true);
        // Spread the kills over the whole run, with jitter.
        let at = full_run.mul_f64((i as f64 + rng.random::<f64>()) / 20.0);
        let mut child = Process::new(cargo_bin("doorstroom"))
            .arg("run")
            .arg(dir.path().join("doorstroom.toml"))
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        for (name, bytes) in files_under(&dir.path().join("out")) {
            if name
                .rsplit('/')
                .next()
                .unwrap()
                .starts_with(".doorstroom-tmp-")
            {
                continue; // a temporary file of the killed run, not data; swept by the next run
            }
            let is_old = old.get(&name) == Some(&bytes);
            let is_new = new.get(&name) == Some(&bytes);
            assert!(
                is_old || is_new,
                "kill {i} after {at:?}: {name} is neither the old nor the new file"
            );
        }
        for expected in old.keys() {
            assert!(
                dir.path().join("out").join(expected).exists(),
                "kill {i}: {expected} vanished"
            );
        }
    }
    assert!(
        killed_mid_run >= 10,
        "only {killed_mid_run} of 20 kills landed while the run was writing"
    );
}

#[test]
fn a_full_disk_leaves_the_previous_output_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    region(dir.path(), false);
    assert!(run(dir.path()).status.success());
    let before = files_under(&dir.path().join("out"));
    region(dir.path(), true);
    // A file-size limit of 64 KiB makes the next large write fail (EFBIG, as on a full disk); the
    // ignored SIGXFSZ turns it into an I/O error the program must handle instead of a signal death.
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec '{}' run '{}'",
        cargo_bin("doorstroom").display(),
        dir.path().join("doorstroom.toml").display()
    );
    let out = Process::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a write failure is a program failure: {stderr}"
    );
    assert!(stderr.contains("error:"), "{stderr}");
    assert_eq!(
        files_under(&dir.path().join("out")),
        before,
        "previous output unchanged"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".doorstroom-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
