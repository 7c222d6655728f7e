//! Validating a registration: the tax code a person may give, who may decide what, and how a
//! person is matched against the ministry's registry of school staff.

use super::Problem;
use super::account::RegistrationStatus;
use serde::{Deserialize, Serialize};

/// An Italian tax code (*codice fiscale*) of a person: 16 letters and digits whose last one is
/// a check character. Digits may be replaced by letters (*omocodia*), which the check covers.
/// Stored upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxCode(String);

/// Letters that stand for digits in a tax code with *omocodia*, in digit order.
const OMOCODIA: &str = "LMNPQRSTUV";
const MONTHS: &str = "ABCDEHLMPRST";

impl TaxCode {
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if code.is_empty() {
            return Err(Problem::Required);
        }
        let chars: Vec<char> = code.chars().collect();
        let letter = |i: usize| chars[i].is_ascii_uppercase();
        let digit = |i: usize| chars[i].is_ascii_digit() || OMOCODIA.contains(chars[i]);
        let well_formed = chars.len() == 16
            && chars.iter().all(char::is_ascii_alphanumeric)
            && (0..6).all(letter)
            && digit(6)
            && digit(7)
            && MONTHS.contains(chars[8])
            && digit(9)
            && digit(10)
            && letter(11)
            && (12..15).all(digit)
            && letter(15);
        if !well_formed || check_character(&code[..15]) != chars[15] {
            return Err(Problem::TaxCodeInvalid);
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check character of a tax code's first 15 characters (upper-case letters and digits).
pub fn check_character(first: &str) -> char {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let value = |c: char| match c {
        '0'..='9' => c as u32 - '0' as u32,
        _ => c as u32 - 'A' as u32,
    };
    let sum: u32 = first
        .chars()
        .enumerate()
        .map(|(i, c)| {
            // Positions count from 1: the odd ones use the table (digits as their letter).
            if i % 2 == 0 {
                ODD.get(value(c) as usize).copied().unwrap_or(0)
            } else {
                value(c)
            }
        })
        .sum();
    char::from(b'A' + (sum % 26) as u8)
}

/// Why staff may not change a registration to what they asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRefusal {
    /// Validated already: there is nothing to decide (a second click, or a colleague first).
    AlreadyValidated,
    /// Rejected already: to change their mind staff validate it.
    AlreadyRejected,
}

/// The status a registration moves to when staff validate (`approve`) or reject it. A pending
/// registration can go either way; a rejected one can still be validated (staff reconsidered,
/// or the person wrote in); a validated one stays validated.
pub fn decide(
    current: RegistrationStatus,
    approve: bool,
) -> Result<RegistrationStatus, DecisionRefusal> {
    match (current, approve) {
        (RegistrationStatus::Validated, _) => Err(DecisionRefusal::AlreadyValidated),
        (RegistrationStatus::Rejected, false) => Err(DecisionRefusal::AlreadyRejected),
        (_, true) => Ok(RegistrationStatus::Validated),
        (RegistrationStatus::Pending, false) => Ok(RegistrationStatus::Rejected),
    }
}

/// The registrations a decision may change (the `WHERE` of its conditional update).
pub fn decidable_from(approve: bool) -> &'static [RegistrationStatus] {
    if approve {
        &[RegistrationStatus::Pending, RegistrationStatus::Rejected]
    } else {
        &[RegistrationStatus::Pending]
    }
}

/// What a person signed up with, as matched against the registry.
#[derive(Debug, Clone, Copy)]
pub struct Applicant<'a> {
    pub email: &'a str,
    pub tax_code: Option<&'a str>,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub school_code: &'a str,
}

/// One person in the ministry's registry of school staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryPerson {
    pub email: Option<String>,
    pub tax_code: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub school_code: String,
}

/// How well a registry entry backs an applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum RegistryMatch {
    /// Nothing in the registry looks like this person.
    None,
    /// Same name and school, but another address and no tax code to prove it: staff decide.
    Partial,
    /// The same address, or the same tax code at the same school: validated at once.
    Exact,
}

/// Compares an applicant with one registry entry. Addresses compare case-insensitively; names
/// ignore case, accents and spacing ("D'Angelo" and "DANGELO" are one name in a registry that
/// drops apostrophes).
pub fn compare(applicant: &Applicant<'_>, entry: &RegistryPerson) -> RegistryMatch {
    let same_email = entry
        .email
        .as_deref()
        .is_some_and(|email| email.trim().eq_ignore_ascii_case(applicant.email.trim()));
    let same_school = entry
        .school_code
        .trim()
        .eq_ignore_ascii_case(applicant.school_code.trim());
    let same_tax_code = match (applicant.tax_code, entry.tax_code.as_deref()) {
        (Some(mine), Some(theirs)) => mine.eq_ignore_ascii_case(theirs.trim()),
        _ => false,
    };
    if same_email || (same_tax_code && same_school) {
        return RegistryMatch::Exact;
    }
    let same_name = folded(applicant.given_name) == folded(&entry.given_name)
        && folded(applicant.family_name) == folded(&entry.family_name);
    if same_name && same_school {
        RegistryMatch::Partial
    } else {
        RegistryMatch::None
    }
}

/// A name reduced to its letters, without accents, in lower case.
pub fn folded(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_codes_are_checked_with_their_check_character() {
        assert_eq!(
            TaxCode::parse(" rssmra85t10a562s ").unwrap().as_str(),
            "RSSMRA85T10A562S"
        );
        assert!(TaxCode::parse("BNCGLI90A41H501E").is_ok());
        // Omocodia: the last digit of the place code written as a letter.
        assert!(TaxCode::parse("RSSMRA85T10A56NH").is_ok());
        // One character changed: the check character no longer fits.
        assert_eq!(
            TaxCode::parse("RSSMRA85T10A562T"),
            Err(Problem::TaxCodeInvalid)
        );
        assert_eq!(
            TaxCode::parse("RSSMRA85T10A563S"),
            Err(Problem::TaxCodeInvalid)
        );
        for bad in [
            "RSSMRA85T10A562",
            "RSSMRA85T10A562SS",
            "RSSMRA85Z10A562S",
            "RSS4RA85T10A562S",
            "RSSMRA85T10A5-2S",
        ] {
            assert_eq!(TaxCode::parse(bad), Err(Problem::TaxCodeInvalid), "{bad}");
        }
        assert_eq!(TaxCode::parse("  "), Err(Problem::Required));
    }

    #[test]
    fn a_pending_registration_goes_either_way_a_rejected_one_can_be_reconsidered() {
        use RegistrationStatus::*;
        assert_eq!(decide(Pending, true), Ok(Validated));
        assert_eq!(decide(Pending, false), Ok(Rejected));
        assert_eq!(decide(Rejected, true), Ok(Validated));
        assert_eq!(
            decide(Rejected, false),
            Err(DecisionRefusal::AlreadyRejected)
        );
        assert_eq!(
            decide(Validated, true),
            Err(DecisionRefusal::AlreadyValidated)
        );
        assert_eq!(
            decide(Validated, false),
            Err(DecisionRefusal::AlreadyValidated)
        );
        for approve in [true, false] {
            for status in [Pending, Validated, Rejected] {
                assert_eq!(
                    decidable_from(approve).contains(&status),
                    decide(status, approve).is_ok(),
                    "{status:?} {approve}"
                );
            }
        }
    }

    fn entry(email: Option<&str>, tax_code: Option<&str>, school: &str) -> RegistryPerson {
        RegistryPerson {
            email: email.map(str::to_owned),
            tax_code: tax_code.map(str::to_owned),
            given_name: "Nicolò".to_owned(),
            family_name: "D'Angelo".to_owned(),
            school_code: school.to_owned(),
        }
    }

    const APPLICANT: Applicant<'static> = Applicant {
        email: "n.dangelo@scuola.it",
        tax_code: Some("RSSMRA85T10A562S"),
        given_name: "Nicolo",
        family_name: "DANGELO",
        school_code: "FIIC812003",
    };

    #[test]
    fn the_same_address_or_tax_code_at_the_same_school_is_an_exact_match() {
        assert_eq!(
            compare(
                &APPLICANT,
                &entry(Some("N.DAngelo@Scuola.it"), None, "RMIC000001")
            ),
            RegistryMatch::Exact
        );
        assert_eq!(
            compare(
                &APPLICANT,
                &entry(
                    Some("altro@scuola.it"),
                    Some("rssmra85t10a562s"),
                    "fiic812003"
                )
            ),
            RegistryMatch::Exact
        );
        // The tax code alone, at another school, proves nothing: it may have been mistyped.
        assert_eq!(
            compare(
                &APPLICANT,
                &entry(None, Some("RSSMRA85T10A562S"), "RMIC000001")
            ),
            RegistryMatch::None
        );
    }

    #[test]
    fn the_same_name_and_school_with_another_address_is_a_partial_match() {
        assert_eq!(
            compare(
                &APPLICANT,
                &entry(Some("altro@scuola.it"), None, "FIIC812003")
            ),
            RegistryMatch::Partial
        );
        assert_eq!(
            compare(
                &APPLICANT,
                &entry(Some("altro@scuola.it"), None, "RMIC000001")
            ),
            RegistryMatch::None
        );
        let mut other = entry(None, None, "FIIC812003");
        other.given_name = "Nicola".to_owned();
        assert_eq!(compare(&APPLICANT, &other), RegistryMatch::None);
        let without_tax_code = Applicant {
            tax_code: None,
            ..APPLICANT
        };
        assert_eq!(
            compare(
                &without_tax_code,
                &entry(None, Some("RSSMRA85T10A562S"), "FIIC812003")
            ),
            RegistryMatch::Partial
        );
    }

    #[test]
    fn names_fold_case_accents_and_punctuation() {
        assert_eq!(folded("D'Angelo"), "dangelo");
        assert_eq!(folded(" Nicolò "), "nicolo");
        assert_eq!(folded("DE LUCA"), folded("De Luca"));
    }
}
