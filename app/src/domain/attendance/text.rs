//! Turning an uploaded file into text and rows: encodings (UTF-8 with or without BOM,
//! UTF-16 LE/BE as Teams writes it) and delimited rows with quotes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecodeError {
    Empty,
    /// Neither UTF-8 nor UTF-16: probably not a text report at all.
    NotText,
}

/// Decodes the bytes of a report: BOM first, then UTF-16 without BOM (many zero bytes), else
/// UTF-8.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .map(str::to_owned)
            .map_err(|_| DecodeError::NotText);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let zeros_at_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zeros_at_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let half = bytes.len() / 2;
    if half > 0 && zeros_at_odd * 3 > half {
        return utf16(bytes, u16::from_le_bytes);
    }
    if half > 0 && zeros_at_even * 3 > half {
        return utf16(bytes, u16::from_be_bytes);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => Ok(text.to_owned()),
        _ => Err(DecodeError::NotText),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::NotText);
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .collect();
    let text = String::from_utf16(&units).map_err(|_| DecodeError::NotText)?;
    if text.contains('\0') {
        Err(DecodeError::NotText)
    } else {
        Ok(text)
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

/// Splits delimited text into rows of fields, honouring double quotes (with `""` inside) and
/// line breaks inside quotes. Blank lines become empty rows, which reports use as separators.
pub fn rows(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            c if c == delimiter => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(finish(std::mem::take(&mut row)));
            }
            other => field.push(other),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(finish(row));
    }
    rows
}

/// Trims fields; a row of only empty fields becomes an empty row.
fn finish(row: Vec<String>) -> Vec<String> {
    let row: Vec<String> = row.into_iter().map(|f| f.trim().to_owned()).collect();
    if row.iter().all(String::is_empty) {
        Vec::new()
    } else {
        row
    }
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
                vec!["a".to_owned(), "b, c".to_owned(), "say \"hi\"".to_owned()],
                vec![],
                vec!["d".to_owned(), "multi\nline".to_owned(), "e".to_owned()],
            ]
        );
    }

    #[test]
    fn folding_ignores_case_accents_and_spaces() {
        assert_eq!(fold("  Niccolò   DELL’Acqua "), "niccolo dell'acqua");
        assert_eq!(fold("Zoë Łukasiewicz"), "zoe lukasiewicz");
    }
}
