//! `persoon_nr`: a small number per person, the same in every table of one ingest, beside the
//! 64-character pseudonym. The queries join and group on it: hashing and comparing an 8-byte
//! integer instead of a 64-byte string made the join-heavy models faster and their hash tables
//! smaller (figures in BENCHMARKS.md, "A number per person").
//!
//! Numbers are given in the order persons first appear (alumni files first, then enrollments), so
//! the same input gives the same numbers. They mean nothing outside one warehouse and never leave
//! the data owner, like the pseudonyms they stand for.

use std::collections::HashMap;

/// The number of every person seen so far, keyed by the pseudonym's identity bytes.
#[derive(Default)]
pub struct PersonNumbers {
    numbers: HashMap<[u8; 32], i64, foldhash::fast::RandomState>,
    /// The last person asked for: a person's rows follow each other in most exports (one per
    /// school year in 1cijferHO-style files), and comparing 32 bytes is cheaper than a lookup in a
    /// map of millions (the lookup was 16 % of `check`'s samples at 16×, one row per school year).
    last: Option<([u8; 32], i64)>,
}

impl PersonNumbers {
    /// The person's number: the one given before, else the next (numbers start at 1).
    pub fn number(&mut self, identity: [u8; 32]) -> i64 {
        if let Some((last, number)) = self.last {
            if last == identity {
                return number;
            }
        }
        let next = self.numbers.len() as i64 + 1;
        let number = *self.numbers.entry(identity).or_insert(next);
        self.last = Some((identity, number));
        number
    }

    /// How many persons have a number.
    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_identity_keeps_its_number_and_a_new_one_gets_the_next() {
        let mut persons = PersonNumbers::default();
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(persons.number(a), 1);
        assert_eq!(persons.number(a), 1, "the same person twice in a row");
        assert_eq!(persons.number(b), 2);
        assert_eq!(persons.number(a), 1);
        let mut c = a;
        c[31] = 0;
        assert_eq!(persons.number(c), 3, "one byte apart is another person");
        assert_eq!(persons.len(), 3);
    }
}
