//! DUO's *Bestandsbeschrijving*: the field names, start positions and lengths of a fixed-width file,
//! read from the "Lay-out bestand" section of the description DUO delivers with the data.

use std::collections::BTreeMap;

/// Field name → (0-based byte offset, length).
#[derive(Debug, Clone)]
pub struct Layout {
    fields: BTreeMap<String, (usize, usize)>,
}

impl Layout {
    /// Parses the layout section: lines `Name  <start> <length>` (an optional `(*)` after them).
    pub fn parse(description: &str) -> Option<Layout> {
        let start = description.find("Lay-out bestand")?;
        let section = &description[start..];
        let end = section.find("Veldbeschrijving").unwrap_or(section.len());
        let mut fields = BTreeMap::new();
        for line in section[..end].lines() {
            let line = line.trim_end().trim_end_matches("(*)").trim_end();
            let mut tokens: Vec<&str> = line.split_whitespace().collect();
            if tokens.len() < 3 {
                continue;
            }
            let (Ok(length), Ok(position)) = (
                tokens[tokens.len() - 1].parse::<usize>(),
                tokens[tokens.len() - 2].parse::<usize>(),
            ) else {
                continue;
            };
            tokens.truncate(tokens.len() - 2);
            if position == 0 || length == 0 {
                continue;
            }
            fields.insert(tokens.join(" "), (position - 1, length));
        }
        (!fields.is_empty()).then_some(Layout { fields })
    }

    /// The field's (offset, length), if the layout has it.
    pub fn get(&self, name: &str) -> Option<(usize, usize)> {
        self.fields.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_2023_layout_has_its_fields() {
        let bytes = include_bytes!(
            "../../../data/1cijferho/Bestandsbeschrijving_1cyferho_2023_v1.1_DEMO.txt"
        );
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        let layout = Layout::parse(&text).unwrap();
        // Positions as printed in DUO's document (1-based there).
        assert_eq!(layout.get("Persoonsgebonden nummer"), Some((0, 12)));
        assert_eq!(layout.get("Opleidingscode"), Some((24, 5)));
        assert_eq!(layout.get("Etniciteit"), Some((185, 2)));
        assert_eq!(
            layout.get("Hoogste vooropleiding vóór het HO"),
            Some((105, 5))
        );
        assert_eq!(layout.get("Onderwijsnummer"), Some((314, 9)));
        assert_eq!(
            layout.len(),
            115,
            "fields counted in the document with a regex"
        );
    }
}
