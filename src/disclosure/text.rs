//! The text fields of a row's key, shared: the national bundle has 2.2 million keys in under
//! 10,000 distinct texts (3 cohort bases, 7 unit types, 1,170 indicators with the flows', 7,229
//! unit ids), and disclosure holds the keys two or three times over. A [`Text`] is an `Arc<str>` that
//! compares, orders and hashes as its `str`; an [`Interner`] hands out one allocation per distinct
//! text, so a key costs 88 bytes instead of 128 plus five heap strings.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Shared, immutable text; equal, ordered and hashed as the `str` it holds.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text(Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into())
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// Hands out one shared [`Text`] per distinct string.
#[derive(Default)]
pub struct Interner(HashSet<Text>);

impl Interner {
    pub fn text(&mut self, s: &str) -> Text {
        if let Some(t) = self.0.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        self.0.insert(t.clone());
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation_and_compare_as_str() {
        let mut interner = Interner::default();
        let a = interner.text("instroom_direct");
        let b = interner.text(&String::from("instroom_direct"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, "instroom_direct");
        assert!("instroom_direct" == a);
        let (c, later) = (Text::from("diploma"), Text::from("instroom_e"));
        // Ordered as the strings, whatever their allocations.
        assert!(c < a && a < later);
        assert_eq!(format!("{a}/{c:?}"), "instroom_direct/\"diploma\"");
    }
}
