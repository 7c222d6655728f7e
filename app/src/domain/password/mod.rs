//! Password policy, after NIST SP 800-63B: long enough, long ones allowed, no composition
//! rules, and none of the passwords attackers try first.

use super::{Problem, account::Email};

pub const MIN_CHARS: u32 = 8;
pub const MAX_CHARS: u32 = 128;

/// Checks a new password. `email` is the account's own address, which must not be the password.
pub fn check_new(password: &str, email: Option<&Email>) -> Result<(), Problem> {
    let chars = password.chars().count() as u32;
    if chars < MIN_CHARS {
        return Err(Problem::PasswordTooShort { min: MIN_CHARS });
    }
    if chars > MAX_CHARS {
        return Err(Problem::PasswordTooLong { max: MAX_CHARS });
    }
    let lowered = password.to_lowercase();
    if let Some(email) = email
        && (lowered == email.as_str() || lowered == email.local_part())
    {
        return Err(Problem::PasswordLikeEmail);
    }
    if is_common(&lowered) {
        return Err(Problem::PasswordCommon);
    }
    Ok(())
}

/// The list ships only in the server: the browser checks length, the server checks the rest.
#[cfg(feature = "ssr")]
fn is_common(lowered: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();
    COMMON
        .get_or_init(|| include_str!("common_passwords.txt").lines().collect())
        .contains(lowered)
}

#[cfg(not(feature = "ssr"))]
fn is_common(_lowered: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters() {
        assert_eq!(
            check_new("short1!", None),
            Err(Problem::PasswordTooShort { min: 8 })
        );
        assert_eq!(check_new("àèìòùàèì", None), Ok(()));
        assert_eq!(
            check_new(&"x".repeat(129), None),
            Err(Problem::PasswordTooLong { max: 128 })
        );
        // 64 characters must be allowed (and more).
        assert_eq!(
            check_new(&"correct horse battery staple ".repeat(4)[..64], None),
            Ok(())
        );
        assert_eq!(check_new(&"k9".repeat(64), None), Ok(()));
    }

    #[test]
    fn no_composition_rules() {
        assert_eq!(check_new("tramonto sul lago di como", None), Ok(()));
    }

    #[test]
    fn the_email_is_not_a_password() {
        let email = Email::parse("giulia.bianchi@scuola.it").unwrap();
        assert_eq!(
            check_new("Giulia.Bianchi", Some(&email)),
            Err(Problem::PasswordLikeEmail)
        );
        assert_eq!(
            check_new("giulia.bianchi@scuola.it", Some(&email)),
            Err(Problem::PasswordLikeEmail)
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_refused_in_any_case() {
        for common in [
            "password",
            "12345678",
            "Password1",
            "QWERTYUIOP",
            "juventus",
            "iloveyou",
        ] {
            let result = check_new(common, None);
            assert!(
                result == Err(Problem::PasswordCommon)
                    || result == Err(Problem::PasswordTooShort { min: 8 }),
                "{common}: {result:?}"
            );
        }
        assert_eq!(check_new("password", None), Err(Problem::PasswordCommon));
        assert_eq!(check_new("Password1", None), Err(Problem::PasswordCommon));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_list_has_at_least_ten_thousand_entries() {
        assert!(include_str!("common_passwords.txt").lines().count() >= 10_000);
    }
}
