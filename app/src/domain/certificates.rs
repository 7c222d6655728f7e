//! Certificates: their identity (a 128-bit id and a short code to read over the phone), the
//! canonical payload that is signed, and what a verification says. No I/O: randomness and
//! keys come in as arguments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Letters and digits nobody confuses when reading aloud or copying: no 0/O, 1/I/L, nor U/V.
pub const CODE_ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";
const CODE_PREFIX: &str = "AULA";

/// `AULA-7KQ2-M9XD`: eight characters from [`CODE_ALPHABET`] (about 39 bits), unique by index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Code(String);

impl Code {
    /// A code from eight random bytes (one character each, with a negligible bias).
    pub fn from_random(bytes: [u8; 8]) -> Self {
        let chars: String = bytes
            .iter()
            .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
            .collect();
        Code(format!("{CODE_PREFIX}-{}-{}", &chars[..4], &chars[4..]))
    }

    /// Reads a code as people type it: any case, with or without the prefix, dashes or spaces.
    pub fn parse(input: &str) -> Option<Self> {
        let mut compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.len() == CODE_PREFIX.len() + 8 && compact.starts_with(CODE_PREFIX) {
            compact.drain(..CODE_PREFIX.len());
        }
        let valid = compact.len() == 8 && compact.bytes().all(|b| CODE_ALPHABET.contains(&b));
        valid.then(|| Code(format!("{CODE_PREFIX}-{}-{}", &compact[..4], &compact[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The public id: 128 random bits as 32 lower-case hex digits.
/// The name as a certificate prints it: given name, then family name, as the person wrote them.
pub fn printed_name(given_name: &str, family_name: &str) -> String {
    format!("{} {}", given_name.trim(), family_name.trim())
}

pub fn id_from_random(bytes: [u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `input` looks like an id (anything else is answered "unknown" without a query).
pub fn is_id(input: &str) -> bool {
    input.len() == 32
        && input
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The languages a course's certificate is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Languages {
    It,
    En,
    ItEn,
}

impl Languages {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "it" => Some(Languages::It),
            "en" => Some(Languages::En),
            "it_en" => Some(Languages::ItEn),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Languages::It => "it",
            Languages::En => "en",
            Languages::ItEn => "it_en",
        }
    }

    pub fn italian(self) -> bool {
        matches!(self, Languages::It | Languages::ItEn)
    }

    pub fn english(self) -> bool {
        matches!(self, Languages::En | Languages::ItEn)
    }
}

/// What a certificate certifies, exactly as printed. This is what is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    pub id: String,
    pub code: String,
    pub name: String,
    pub course: String,
    pub edition: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub issued_on: NaiveDate,
}

impl Payload {
    /// One field per line, `key=value`, in a fixed order, with `\` and line breaks escaped so
    /// no value can pass itself off as another field. Anyone can rebuild it from the
    /// verification page and check the signature with the published key.
    pub fn canonical(&self) -> String {
        fn escape(value: &str) -> String {
            value
                .replace('\\', "\\\\")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
        }
        format!(
            "aula-certificate-v1\nid={}\ncode={}\nname={}\ncourse={}\nedition={}\nstarts_on={}\nends_on={}\nhours={}\nissued_on={}\n",
            escape(&self.id),
            escape(&self.code),
            escape(&self.name),
            escape(&self.course),
            escape(&self.edition),
            self.starts_on.format("%Y-%m-%d"),
            self.ends_on.format("%Y-%m-%d"),
            self.hours,
            self.issued_on.format("%Y-%m-%d"),
        )
    }
}

/// A certificate's validity, as the verification page says it. `reason` is staff's own words:
/// only staff see it (`None` on the public page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validity {
    Valid,
    Revoked {
        on: NaiveDate,
        category: RevocationCategory,
        reason: Option<String>,
    },
    /// Revoked and re-issued: the replacement's id.
    Replaced {
        on: NaiveDate,
        reason: Option<String>,
        by: String,
    },
}

/// Why a certificate was revoked, as anyone may read it on the verification page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum RevocationCategory {
    /// Issued by mistake (wrong person, wrong edition, data entry error).
    IssuedInError,
    /// The requirements turned out not to be met.
    RequirementsNotMet,
    Other,
}

impl RevocationCategory {
    pub const ALL: [RevocationCategory; 3] = [
        RevocationCategory::IssuedInError,
        RevocationCategory::RequirementsNotMet,
        RevocationCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevocationCategory::IssuedInError => "issued_in_error",
            RevocationCategory::RequirementsNotMet => "requirements_not_met",
            RevocationCategory::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }
}

/// Signing and checking with Ed25519 (server side: the browser never needs it).
#[cfg(feature = "ssr")]
pub mod signing {
    use super::Payload;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

    /// The signature of `payload`, base64url without padding (86 characters).
    pub fn sign(key: &SigningKey, payload: &Payload) -> String {
        URL_SAFE_NO_PAD.encode(key.sign(payload.canonical().as_bytes()).to_bytes())
    }

    /// Whether `signature` (as [`sign`] writes it) is `key`'s signature of `payload`.
    pub fn verify(key: &VerifyingKey, payload: &Payload, signature: &str) -> bool {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(signature.trim()) else {
            return false;
        };
        let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
            return false;
        };
        key.verify_strict(
            payload.canonical().as_bytes(),
            &Signature::from_bytes(&bytes),
        )
        .is_ok()
    }

    /// The public key as published (base64url of its 32 bytes).
    pub fn public_key_text(key: &VerifyingKey) -> String {
        URL_SAFE_NO_PAD.encode(key.as_bytes())
    }

    /// A public key read back from its published text.
    pub fn public_key_from_text(text: &str) -> Option<VerifyingKey> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        VerifyingKey::from_bytes(&<[u8; 32]>::try_from(bytes.as_slice()).ok()?).ok()
    }

    /// A key's short name, stored with every signature it makes: after a rotation it says which
    /// of the published keys checks a certificate (16 hex digits of the key's SHA-256).
    pub fn key_id(key: &VerifyingKey) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(&Sha256::digest(key.as_bytes())[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::RevocationCategory;

    #[test]
    fn revocation_categories_read_back_from_their_names_only() {
        for category in RevocationCategory::ALL {
            assert_eq!(RevocationCategory::parse(category.as_str()), Some(category));
        }
        assert_eq!(
            RevocationCategory::parse(" other "),
            Some(RevocationCategory::Other)
        );
        assert_eq!(RevocationCategory::parse("Rilasciato per errore"), None);
        assert_eq!(RevocationCategory::parse(""), None);
    }

    use super::*;

    fn payload() -> Payload {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("a date");
        Payload {
            id: id_from_random([7; 16]),
            code: "AULA-7KQ2-M9XD".into(),
            name: "Niccolò Dell'Acqua".into(),
            course: "Neoassunti".into(),
            edition: "Marzo 2026".into(),
            starts_on: day(3, 2),
            ends_on: day(3, 30),
            hours: 25,
            issued_on: day(4, 1),
        }
    }

    #[test]
    fn codes_use_the_unambiguous_alphabet() {
        for seed in 0..=255u8 {
            let code = Code::from_random([seed, seed.wrapping_mul(7), 3, 250, 0, 1, 128, 64]);
            let text = code.as_str();
            assert_eq!(text.len(), 14, "{text}");
            assert!(text.starts_with("AULA-"));
            assert!(
                text[5..]
                    .bytes()
                    .all(|b| b == b'-' || CODE_ALPHABET.contains(&b)),
                "{text}"
            );
            assert!(!text[5..].contains(['0', 'O', '1', 'I', 'L', 'U', 'V']));
        }
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        let code = Code::parse("AULA-7KQ2-M9XD").expect("valid");
        assert_eq!(Code::parse("aula 7kq2 m9xd"), Some(code.clone()));
        assert_eq!(Code::parse("7KQ2M9XD"), Some(code.clone()));
        assert_eq!(Code::parse(" 7kq2-m9xd "), Some(code));
        assert_eq!(Code::parse(""), None);
        assert_eq!(Code::parse("AULA-7KQ2-M9X"), None);
        assert_eq!(Code::parse("AULA-7KQ2-M9XD1"), None);
        // 0, 1, U are never part of a code.
        assert_eq!(Code::parse("AULA-0KQ2-M9XD"), None);
        assert_eq!(Code::parse("AULA-UUUU-UUUU"), None);
        assert_eq!(Code::parse("<script>"), None);
    }

    #[test]
    fn ids_are_128_bits_of_hex() {
        let id = id_from_random([0xab; 16]);
        assert_eq!(id.len(), 32);
        assert!(is_id(&id));
        assert!(!is_id(&id.to_uppercase()));
        assert!(!is_id(&id[1..]));
        assert!(!is_id("../../etc/passwd"));
    }

    #[test]
    fn the_canonical_payload_keeps_fields_apart() {
        let text = payload().canonical();
        assert!(text.contains("\nname=Niccolò Dell'Acqua\n"), "{text}");
        assert!(text.contains("\nstarts_on=2026-03-02\n"));
        let mut sneaky = payload();
        sneaky.name = "Anna\nhours=99".into();
        let text = sneaky.canonical();
        assert!(text.contains("name=Anna\\nhours=99\n"), "{text}");
        assert_eq!(text.matches("\nhours=").count(), 1);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn any_change_to_a_signed_field_fails_verification() {
        use ed25519_dalek::SigningKey;
        let key = SigningKey::from_bytes(&[42; 32]);
        let public = key.verifying_key();
        let original = payload();
        let signature = signing::sign(&key, &original);
        assert!(signing::verify(&public, &original, &signature));

        let day = NaiveDate::from_ymd_opt(2026, 3, 3).expect("a date");
        type Change = Box<dyn Fn(&mut Payload)>;
        let changes: Vec<Change> = vec![
            Box::new(|p| p.id = id_from_random([8; 16])),
            Box::new(|p| p.code = "AULA-7KQ2-M9XE".into()),
            Box::new(|p| p.name = "Niccolo Dell'Acqua".into()),
            Box::new(|p| p.course.push(' ')),
            Box::new(|p| p.edition = "Aprile 2026".into()),
            Box::new(move |p| p.starts_on = day),
            Box::new(move |p| p.ends_on = day),
            Box::new(|p| p.hours = 26),
            Box::new(move |p| p.issued_on = day),
        ];
        for change in changes {
            let mut changed = original.clone();
            change(&mut changed);
            assert!(
                !signing::verify(&public, &changed, &signature),
                "{changed:?}"
            );
        }
        // Another key, a damaged signature, or garbage: never valid.
        let other = SigningKey::from_bytes(&[43; 32]).verifying_key();
        assert!(!signing::verify(&other, &original, &signature));
        let mut damaged = signature.clone().into_bytes();
        damaged[10] = if damaged[10] == b'A' { b'B' } else { b'A' };
        let damaged = String::from_utf8(damaged).expect("ascii");
        assert!(!signing::verify(&public, &original, &damaged));
        assert!(!signing::verify(&public, &original, "not a signature"));
        assert!(!signing::verify(&public, &original, ""));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn keys_are_named_and_read_back_from_their_published_text() {
        use ed25519_dalek::SigningKey;
        let one = SigningKey::from_bytes(&[42; 32]).verifying_key();
        let two = SigningKey::from_bytes(&[43; 32]).verifying_key();
        let id = signing::key_id(&one);
        assert_eq!(id.len(), 16);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, signing::key_id(&two));
        let text = signing::public_key_text(&one);
        assert_eq!(signing::public_key_from_text(&text), Some(one));
        assert_eq!(
            signing::public_key_from_text(&format!(" {text}\n")),
            Some(one)
        );
        assert_eq!(signing::public_key_from_text("AAAA"), None);
        assert_eq!(signing::public_key_from_text("not a key!"), None);
    }
}
