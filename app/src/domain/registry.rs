//! Reading the ministry's registry of school staff from the file staff upload (its CSV
//! export). Real exports are messy: UTF-8 with or without BOM or Windows-1252 (Latin-1), `;` or
//! `,` between fields, quoted fields, CRLF, blank lines, broken lines. Every line that cannot be
//! read is reported with its number and why, and nothing is taken from it.

use super::registration::{RegistryPerson, TaxCode};
use serde::{Deserialize, Serialize};

/// Where an uploaded registry file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum ImportStatus {
    /// Its people are being stored.
    Reading,
    /// Read: staff see what applying it would do.
    Preview,
    /// It is the registry.
    Applied,
    Discarded,
    /// Was the registry until a newer file was applied.
    Replaced,
}

/// The key a partial match compares: given and family name, folded.
pub fn name_key(given: &str, family: &str) -> String {
    format!(
        "{}|{}",
        super::registration::folded(given),
        super::registration::folded(family)
    )
}

/// How the file's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Utf8WithBom,
    /// Not valid UTF-8: read as Windows-1252, the superset of Latin-1 spreadsheets write.
    Windows1252,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Utf8WithBom => "utf8_bom",
            Encoding::Windows1252 => "windows1252",
        }
    }
}

/// What is wrong with the whole file: nothing is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileProblem {
    Empty,
    /// The first line does not name the columns needed (names, school code, and an address or
    /// a tax code).
    MissingColumns,
}

/// Why one line was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineProblem {
    Blank,
    /// Another number of fields than the header has (a stray separator or quote).
    WrongFieldCount,
    MissingName,
    SchoolCodeInvalid,
    EmailInvalid,
    TaxCodeInvalid,
    /// Neither an address nor a tax code: nothing to match a person by.
    NoIdentifier,
    /// The same address or tax code as an earlier line of the file, for another person.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadLine {
    pub line: usize,
    pub problem: LineProblem,
}

/// A registry file as read: the people, and the lines left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    pub encoding: Encoding,
    pub separator: char,
    /// Each person with the line they were read from.
    pub people: Vec<(usize, RegistryPerson)>,
    pub bad_lines: Vec<BadLine>,
}

/// Decodes by the BOM, else as UTF-8 when the bytes are valid UTF-8, else as Windows-1252 (a
/// byte sequence that is not UTF-8 is almost certainly a Latin-1 export).
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8WithBom,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Email,
    TaxCode,
    GivenName,
    FamilyName,
    SchoolCode,
}

/// Which column a header names: the ministry's Italian names and a few usual variants.
fn column_of(header: &str) -> Option<Column> {
    let folded: String = super::attendance::text::fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match folded.as_str() {
        "email" | "mail" | "indirizzoemail" | "emailistituzionale" | "posta" => Some(Column::Email),
        "codicefiscale" | "cf" | "taxcode" | "fiscalcode" => Some(Column::TaxCode),
        "nome" | "givenname" | "firstname" | "name" => Some(Column::GivenName),
        "cognome" | "familyname" | "lastname" | "surname" => Some(Column::FamilyName),
        "codicemeccanografico"
        | "codicescuola"
        | "meccanografico"
        | "codmecc"
        | "schoolcode"
        | "codiceistituto" => Some(Column::SchoolCode),
        _ => None,
    }
}

/// Reads a registry file.
pub fn read(bytes: &[u8]) -> Result<Registry, FileProblem> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let separator = if text.lines().next().is_some_and(|h| h.contains(';')) {
        ';'
    } else {
        super::attendance::text::guess_delimiter(&text)
    };
    let mut rows = super::attendance::text::rows(&text, separator).into_iter();
    let (header_line, header) = rows
        .by_ref()
        .find(|(_, fields)| !fields.is_empty())
        .ok_or(FileProblem::Empty)?;
    let columns: Vec<Option<Column>> = header.iter().map(|h| column_of(h)).collect();
    let at = |column: Column| columns.iter().position(|c| *c == Some(column));
    let (Some(given), Some(family), Some(school)) = (
        at(Column::GivenName),
        at(Column::FamilyName),
        at(Column::SchoolCode),
    ) else {
        return Err(FileProblem::MissingColumns);
    };
    let (email, tax_code) = (at(Column::Email), at(Column::TaxCode));
    if email.is_none() && tax_code.is_none() {
        return Err(FileProblem::MissingColumns);
    }
    let mut people = Vec::new();
    let mut bad_lines = Vec::new();
    let mut seen_emails = std::collections::HashMap::new();
    let mut seen_tax_codes = std::collections::HashMap::new();
    for (line, fields) in rows {
        if line <= header_line {
            continue;
        }
        let person = if fields.is_empty() {
            Err(LineProblem::Blank)
        } else if fields.len() != header.len() {
            Err(LineProblem::WrongFieldCount)
        } else {
            let field = |i: Option<usize>| {
                i.and_then(|i| fields.get(i))
                    .map(|f| f.trim())
                    .filter(|f| !f.is_empty())
            };
            person_of(
                field(Some(given)),
                field(Some(family)),
                field(Some(school)),
                field(email),
                field(tax_code),
            )
        };
        let person = person.and_then(|person| {
            // One address or tax code is one person: a second person with it is a mistake in
            // the file (the first one stays).
            let key = person.given_name.to_lowercase() + "|" + &person.family_name.to_lowercase();
            for (seen, value) in [
                (&mut seen_emails, &person.email),
                (&mut seen_tax_codes, &person.tax_code),
            ] {
                if let Some(value) = value {
                    match seen.get(value) {
                        Some(other) if *other != key => return Err(LineProblem::Duplicate),
                        _ => {
                            seen.insert(value.clone(), key.clone());
                        }
                    }
                }
            }
            Ok(person)
        });
        match person {
            Ok(person) => people.push((line, person)),
            Err(problem) => bad_lines.push(BadLine { line, problem }),
        }
    }
    Ok(Registry {
        encoding,
        separator,
        people,
        bad_lines,
    })
}

fn person_of(
    given: Option<&str>,
    family: Option<&str>,
    school: Option<&str>,
    email: Option<&str>,
    tax_code: Option<&str>,
) -> Result<RegistryPerson, LineProblem> {
    let (Some(given), Some(family)) = (given, family) else {
        return Err(LineProblem::MissingName);
    };
    let school = school
        .and_then(|s| super::account::SchoolCode::parse(s).ok())
        .ok_or(LineProblem::SchoolCodeInvalid)?;
    let email = email
        .map(|e| super::account::Email::parse(e).map_err(|_| LineProblem::EmailInvalid))
        .transpose()?;
    let tax_code = tax_code
        .map(|t| TaxCode::parse(t).map_err(|_| LineProblem::TaxCodeInvalid))
        .transpose()?;
    if email.is_none() && tax_code.is_none() {
        return Err(LineProblem::NoIdentifier);
    }
    let name = |n: &str| n.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(RegistryPerson {
        email: email.map(|e| e.as_str().to_owned()),
        tax_code: tax_code.map(|t| t.as_str().to_owned()),
        given_name: name(given),
        family_name: name(family),
        school_code: school.as_str().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_a_bom_and_commas() {
        let file = "\u{FEFF}Cognome,Nome,Email,Codice fiscale,Codice meccanografico\r\n\
                    Rossi,Mario,Mario.Rossi@Scuola.it,RSSMRA85T10A562S,fiic812003\r\n\
                    \"Dell'Acqua\",\"Niccolò\",n.dellacqua@scuola.it,,PIPS01000X\r\n";
        let registry = read(file.as_bytes()).unwrap();
        assert_eq!(registry.encoding, Encoding::Utf8WithBom);
        assert_eq!(registry.separator, ',');
        assert_eq!(registry.bad_lines, vec![]);
        assert_eq!(registry.people.len(), 2);
        let (line, rossi) = &registry.people[0];
        assert_eq!(*line, 2);
        assert_eq!(rossi.email.as_deref(), Some("mario.rossi@scuola.it"));
        assert_eq!(rossi.tax_code.as_deref(), Some("RSSMRA85T10A562S"));
        assert_eq!(rossi.school_code, "FIIC812003");
        assert_eq!(registry.people[1].1.given_name, "Niccolò");
        assert_eq!(registry.people[1].1.tax_code, None);
    }

    #[test]
    fn reads_latin1_with_semicolons_and_reports_blank_and_broken_lines() {
        // "Niccolò" and "Fabrizio D'Alò" in Windows-1252 (ò = 0xF2).
        let mut file: Vec<u8> = b"NOME;COGNOME;CODICE FISCALE;E-MAIL;CODICE SCUOLA\r\n".to_vec();
        file.extend(b"Nicol\xF2;Bianchi;;nicolo.bianchi@scuola.it;RMIC8AB00X\r\n");
        file.extend(b"\r\n");
        file.extend(b"Fabrizio;D'Al\xF2;RSSMRA85T10A562S;;RMIC8AB00X;troppo\r\n");
        file.extend(
            b"Anna;\"Verdi; in Neri\";BNCGLI90A41H501E;anna.verdi@scuola.it;RMIC8AB00X\r\n",
        );
        file.extend(b"Luca;Russo;RSSMRA85T10A562X;;RMIC8AB00X\r\n");
        file.extend(b";Senza nome;;x@scuola.it;RMIC8AB00X\r\n");
        file.extend(b"Marta;Gialli;;;RMIC8AB00X\r\n");
        file.extend(b"Marta;Gialli;;marta@scuola;RMIC8AB00X\r\n");
        file.extend(b"Piero;Blu;;p@scuola.it;123\r\n");
        file.extend(b"Altro;Bianchi;;nicolo.bianchi@scuola.it;RMIC8AB00X\r\n");
        let registry = read(&file).unwrap();
        assert_eq!(registry.encoding, Encoding::Windows1252);
        assert_eq!(registry.separator, ';');
        assert_eq!(registry.people.len(), 2);
        assert_eq!(registry.people[0].1.given_name, "Nicolò");
        // A separator inside quotes is part of the field.
        assert_eq!(registry.people[1].1.family_name, "Verdi; in Neri");
        assert_eq!(registry.people[1].0, 5);
        let bad: Vec<(usize, LineProblem)> = registry
            .bad_lines
            .iter()
            .map(|b| (b.line, b.problem))
            .collect();
        assert_eq!(
            bad,
            vec![
                (3, LineProblem::Blank),
                (4, LineProblem::WrongFieldCount),
                (6, LineProblem::TaxCodeInvalid),
                (7, LineProblem::MissingName),
                (8, LineProblem::NoIdentifier),
                (9, LineProblem::EmailInvalid),
                (10, LineProblem::SchoolCodeInvalid),
                (11, LineProblem::Duplicate),
            ]
        );
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused_whole() {
        assert_eq!(read(b""), Err(FileProblem::Empty));
        assert_eq!(read(b" \r\n\r\n"), Err(FileProblem::Empty));
        assert_eq!(
            read(b"Nome;Cognome;Email\r\nMario;Rossi;m@scuola.it\r\n"),
            Err(FileProblem::MissingColumns)
        );
        assert_eq!(
            read(b"Nome;Cognome;Codice scuola\r\nMario;Rossi;FIIC812003\r\n"),
            Err(FileProblem::MissingColumns)
        );
    }

    #[test]
    fn the_same_person_twice_is_not_a_duplicate() {
        let file = "Nome,Cognome,Email,Codice meccanografico\n\
                    Mario,Rossi,m@scuola.it,FIIC812003\n\
                    MARIO,ROSSI,m@scuola.it,FIIC812003\n";
        let registry = read(file.as_bytes()).unwrap();
        assert_eq!(registry.people.len(), 2);
        assert!(registry.bad_lines.is_empty());
    }
}
