//! Who a user is: validated newtypes for what sign-up asks.

use super::{Problem, text};
use serde::{Deserialize, Serialize};

/// Whether staff have validated a person's registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum RegistrationStatus {
    Pending,
    Validated,
    Rejected,
}

/// Where an account stands in its life: in use, inactive after a year without signing in
/// (hidden from others), or anonymised. Called the account's *state* so that it is never
/// mistaken for an activity of an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum AccountState {
    Active,
    Inactive,
    /// Staff closed the account: nobody signs in with it until they reopen it.
    Deactivated,
    Anonymised,
}

/// Where a request to correct a printed name stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum CorrectionStatus {
    Pending,
    Approved,
    Rejected,
}

/// An email address, compared case-insensitively: stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        use unicode_normalization::UnicodeNormalization;
        // One spelling per address: composed (NFC) and lower case, so "José" typed two ways is
        // one account.
        let email: String = input.trim().nfc().collect::<String>().to_lowercase();
        if email.is_empty() {
            return Err(Problem::Required);
        }
        if email.len() > Self::MAX_LEN {
            return Err(Problem::TooLong {
                max: Self::MAX_LEN as u32,
            });
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(Problem::EmailInvalid);
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        // A part mixing Latin with Greek or Cyrillic letters is a look-alike of another address
        // ("mаrio" with a Cyrillic "а"), never a real one.
        if std::iter::once(local)
            .chain(domain.split('.'))
            .any(mixes_scripts)
        {
            return Err(Problem::EmailInvalid);
        }
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(Problem::EmailInvalid);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

/// A given or family name exactly as it must be printed on a certificate: case and accents kept,
/// white space folded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: u32 = 80;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        use unicode_normalization::UnicodeNormalization;
        if input.chars().any(text::is_invisible) {
            return Err(Problem::ControlCharacters);
        }
        let name: String = text::single_line(input, Self::MAX_LEN)?.nfc().collect();
        if !name.chars().any(char::is_alphabetic) {
            return Err(Problem::Required);
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolName(String);

impl SchoolName {
    pub const MAX_LEN: u32 = 200;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        text::single_line(input, Self::MAX_LEN).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The ministry's school code (*codice meccanografico*), e.g. `FIIC812003`: two letters for the
/// province, two for the kind of school, six letters or digits. Stored upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCode(String);

impl SchoolCode {
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let code: String = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(Problem::Required);
        }
        let well_formed = code.len() == 10
            && code.chars().all(|c| c.is_ascii_alphanumeric())
            && code.chars().take(4).all(|c| c.is_ascii_alphabetic());
        if !well_formed {
            return Err(Problem::SchoolCodeInvalid);
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a part of an address has letters of more than one of the scripts whose letters look
/// alike (Latin, Greek, Cyrillic).
fn mixes_scripts(part: &str) -> bool {
    let script = |c: char| match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => Some(0),
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Some(1),
        '\u{0400}'..='\u{052F}' => Some(2),
        _ => None,
    };
    let mut seen = part.chars().filter_map(script);
    match seen.next() {
        Some(first) => seen.any(|s| s != first),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_invisible_or_reversing_characters_are_refused() {
        // "Mario" followed by a right-to-left override: prints as something else.
        for name in [
            "Mario\u{202E}issoR",
            "Ma\u{200B}rio",
            "Mario\u{2066}",
            "\u{FEFF}Mario",
        ] {
            assert_eq!(
                PersonName::parse(name),
                Err(Problem::ControlCharacters),
                "{name:?}"
            );
        }
        assert_eq!(
            PersonName::parse("Zoë Łukasiewicz").unwrap().as_str(),
            "Zoë Łukasiewicz"
        );
        // Composed: "e" + combining acute becomes "é".
        assert_eq!(PersonName::parse("Jose\u{301}").unwrap().as_str(), "José");
    }

    #[test]
    fn emails_are_composed_lower_case_and_never_look_alikes() {
        assert_eq!(
            Email::parse(" Jose\u{301}@Scuola.IT ").unwrap().as_str(),
            "josé@scuola.it"
        );
        // A Cyrillic "а" among Latin letters, in the local part or the domain.
        assert_eq!(
            Email::parse("m\u{0430}rio@scuola.it"),
            Err(Problem::EmailInvalid)
        );
        assert_eq!(
            Email::parse("mario@scu\u{043E}la.it"),
            Err(Problem::EmailInvalid)
        );
        // A Greek omicron.
        assert_eq!(
            Email::parse("mari\u{03BF}@scuola.it"),
            Err(Problem::EmailInvalid)
        );
        // One script throughout is fine.
        assert!(Email::parse("\u{043C}\u{0430}\u{0440}\u{0438}\u{044F}@scuola.it").is_ok());
    }

    #[test]
    fn email_is_lower_cased_and_trimmed() {
        let email = Email::parse("  Maria.Rossi@Scuola.EDU.it ").unwrap();
        assert_eq!(email.as_str(), "maria.rossi@scuola.edu.it");
        assert_eq!(email.local_part(), "maria.rossi");
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for bad in [
            "",
            "maria",
            "maria@",
            "@scuola.it",
            "maria@scuola",
            "ma ria@scuola.it",
            "maria@@scuola.it",
            ".maria@scuola.it",
            "maria..rossi@scuola.it",
            "maria@-scuola.it",
            "maria@scuola..it",
            "<script>@x.it",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Email::parse(""), Err(Problem::Required));
    }

    #[test]
    fn email_accepts_plus_addresses_and_long_domains() {
        assert!(Email::parse("anna+etwinning@istruzione.it").is_ok());
        assert!(Email::parse("a@b.c.d.example.org").is_ok());
    }

    #[test]
    fn email_rejects_overlong_addresses() {
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(matches!(Email::parse(&long), Err(Problem::TooLong { .. })));
    }

    #[test]
    fn names_keep_case_and_accents_as_printed() {
        assert_eq!(
            PersonName::parse(" Zoë  Łukasiewicz ").unwrap().as_str(),
            "Zoë Łukasiewicz"
        );
        assert_eq!(
            PersonName::parse("Dell'Acqua").unwrap().as_str(),
            "Dell'Acqua"
        );
        assert_eq!(PersonName::parse("  "), Err(Problem::Required));
        assert_eq!(PersonName::parse("123"), Err(Problem::Required));
        assert!(PersonName::parse(&"a".repeat(81)).is_err());
    }

    #[test]
    fn school_codes_are_ten_alphanumerics_starting_with_four_letters() {
        assert_eq!(
            SchoolCode::parse(" fiic812003 ").unwrap().as_str(),
            "FIIC812003"
        );
        assert!(SchoolCode::parse("RMPS12000X").is_ok());
        for bad in [
            "FIIC81200",
            "FIIC8120033",
            "FI1C812003",
            "FIIC 12003",
            "FIIC81200!",
        ] {
            assert_eq!(
                SchoolCode::parse(bad),
                Err(Problem::SchoolCodeInvalid),
                "{bad}"
            );
        }
        assert_eq!(SchoolCode::parse(""), Err(Problem::Required));
    }

    #[test]
    fn school_name_is_required() {
        assert_eq!(SchoolName::parse(" "), Err(Problem::Required));
        assert_eq!(
            SchoolName::parse("IC Firenze 3").unwrap().as_str(),
            "IC Firenze 3"
        );
    }
}
