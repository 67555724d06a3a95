//! The ingest benchmark's yardstick: how fast the `csv` crate alone reads a file (byte records,
//! no validation, no output). `bench/run` compares the ingest stage's rows per second with this.
//!
//! Usage: `cargo run --release --example csv_parse -- FILE...`; prints
//! `csv_parse: <file>: <rows> rows in <seconds> s` per file.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in std::env::args().skip(1) {
        let start = Instant::now();
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(&path)?;
        let mut record = csv::ByteRecord::new();
        let mut rows = 0u64;
        while reader.read_byte_record(&mut record)? {
            rows += 1;
        }
        let seconds = start.elapsed().as_secs_f64();
        println!("csv_parse: {path}: {rows} rows in {seconds:.3} s");
    }
    Ok(())
}
