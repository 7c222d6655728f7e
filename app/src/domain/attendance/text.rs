//! Turning an uploaded file into text and rows: encodings (UTF-8 with or without BOM,
//! UTF-16 LE/BE as Teams writes it, decoded with `encoding_rs`) and delimited rows (`csv`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecodeError {
    Empty,
    /// Neither UTF-8 nor UTF-16: probably not a text report at all.
    NotText,
}

/// Decodes the bytes of a report: by its BOM first, then UTF-16 without BOM (many zero bytes),
/// else UTF-8. Anything that does not decode cleanly is not a text report.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    let (encoding, rest) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None => {
            let zeros_at_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
            let zeros_at_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
            let half = bytes.len() / 2;
            let encoding = if half > 0 && zeros_at_odd * 3 > half {
                UTF_16LE
            } else if half > 0 && zeros_at_even * 3 > half {
                UTF_16BE
            } else {
                UTF_8
            };
            (encoding, bytes)
        }
    };
    if encoding != UTF_8 && !rest.len().is_multiple_of(2) {
        return Err(DecodeError::NotText);
    }
    match encoding.decode_without_bom_handling_and_without_replacement(rest) {
        Some(text) if !text.contains('\0') => Ok(text.into_owned()),
        _ => Err(DecodeError::NotText),
    }
}

/// The delimiter of a report: whichever of tab, comma and semicolon is most frequent in its
/// first lines.
pub fn guess_delimiter(text: &str) -> char {
    let sample: String = text.lines().take(30).collect::<Vec<_>>().join("\n");
    [('\t', 0), (',', 1), (';', 2)]
        .into_iter()
        .map(|(d, order)| (sample.matches(d).count(), std::cmp::Reverse(order), d))
        .max()
        .map(|(_, _, d)| d)
        .unwrap_or(',')
}

/// Splits delimited text into rows of fields (quotes, `""` inside them and line breaks inside
/// them are the `csv` crate's business), each with the number of the line it starts on. Blank
/// lines, which reports use as separators, become empty rows.
pub fn rows(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(u8::try_from(delimiter).unwrap_or(b','))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets: where each line starts.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_at = |byte: usize| starts.partition_point(|start| *start <= byte);
    let mut rows = Vec::new();
    // The reader skips blank lines: a record starting further down than the line after the
    // previous one had blank lines before it.
    let mut next_line = 1;
    let mut record = csv::StringRecord::new();
    // A read fails only on bytes that are not UTF-8, which decode() has refused already.
    while let Ok(true) = reader.read_record(&mut record) {
        // A record's position is where the reader began: before the blank lines it skipped.
        let from = record.position().map_or(0, |p| p.byte() as usize);
        let skipped = text
            .get(from..)
            .and_then(|rest| rest.find(|c: char| c != '\r' && c != '\n'))
            .unwrap_or(0);
        let line = line_at(from + skipped);
        if line > next_line {
            rows.push((next_line, Vec::new()));
        }
        let fields: Vec<String> = record.iter().map(|f| f.trim().to_owned()).collect();
        let fields = if fields.iter().all(String::is_empty) {
            Vec::new()
        } else {
            fields
        };
        rows.push((line, fields));
        // The reader stops at the record's end, on its last line: the next line follows.
        next_line = line_at(reader.position().byte() as usize) + 1;
    }
    rows
}

/// Folds a name or header for comparison: lower case, no accents, single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        out.push(match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ą' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'ę' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' | 'ć' | 'č' => 'c',
            'ñ' | 'ń' => 'n',
            'ł' => 'l',
            'ś' | 'š' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ý' | 'ÿ' => 'y',
            '’' | '`' | '´' => '\'',
            other => other,
        });
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le_with_bom(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode("Nome,Email\n".as_bytes()).unwrap(), "Nome,Email\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend("Niccolò".as_bytes());
        assert_eq!(decode(&bom).unwrap(), "Niccolò");
    }

    #[test]
    fn decodes_utf16_as_teams_writes_it() {
        assert_eq!(
            decode(&utf16le_with_bom("Zoë\tŁukasiewicz\r\n")).unwrap(),
            "Zoë\tŁukasiewicz\r\n"
        );
        let without_bom: Vec<u8> = "Name\tEmail"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&without_bom).unwrap(), "Name\tEmail");
        let big_endian: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Anna".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&big_endian).unwrap(), "Anna");
    }

    #[test]
    fn refuses_empty_and_binary_files() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n "), Err(DecodeError::Empty));
        assert_eq!(
            decode(&[
                0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D
            ]),
            Err(DecodeError::NotText)
        );
        assert_eq!(decode(&[0xFF, 0xFE, 0x00]), Err(DecodeError::NotText));
    }

    #[test]
    fn guesses_the_delimiter() {
        assert_eq!(guess_delimiter("Name\tEmail\tDuration\n"), '\t');
        assert_eq!(guess_delimiter("Name,Email,Duration\n"), ',');
        assert_eq!(guess_delimiter("Nome;Email;Durata\n"), ';');
    }

    #[test]
    fn splits_rows_with_quotes_and_blank_lines() {
        let text = "a,\"b, c\",\"say \"\"hi\"\"\"\r\n\r\nd,\"multi\nline\",e";
        assert_eq!(
            rows(text, ','),
            vec![
                (
                    1,
                    vec!["a".to_owned(), "b, c".to_owned(), "say \"hi\"".to_owned()]
                ),
                (2, vec![]),
                (
                    3,
                    vec!["d".to_owned(), "multi\nline".to_owned(), "e".to_owned()]
                ),
            ]
        );
        let semicolons = "Nome;Durata\n;\nAnna;12\n";
        assert_eq!(
            rows(semicolons, ';'),
            vec![
                (1, vec!["Nome".to_owned(), "Durata".to_owned()]),
                (2, vec![]),
                (3, vec!["Anna".to_owned(), "12".to_owned()]),
            ]
        );
    }

    #[test]
    fn folding_ignores_case_accents_and_spaces() {
        assert_eq!(fold("  Niccolò   DELL’Acqua "), "niccolo dell'acqua");
        assert_eq!(fold("Zoë Łukasiewicz"), "zoe lukasiewicz");
    }
}
