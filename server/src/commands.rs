//! Sub-commands run from the shell: creating the first staff account.

use app::domain::account::{Email, PersonName, SchoolCode, SchoolName};
use app::domain::password;
use app::error::AppError;
use app::features::accounts::service::{NewAccount, create_account};
use app::i18n::Locale;
use app::ssr::AppState;
use app::ui::text::problem_in;

fn problem_en(problem: app::domain::Problem) -> String {
    problem_in(Locale::en, problem)
}

/// A password of 20 characters from an alphabet without look-alikes (about 115 bits).
pub fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub struct StaffAccount {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub school_name: String,
    pub school_code: String,
    pub password: String,
}

/// Creates a staff account; the message says what was wrong in plain words.
pub async fn create_staff(state: &AppState, account: StaffAccount) -> Result<i32, String> {
    let field = |name: &str, result: Result<(), app::domain::Problem>| {
        result.map_err(|p| format!("{name}: {}", problem_en(p)))
    };
    let email = Email::parse(&account.email).map_err(|p| format!("email: {}", problem_en(p)))?;
    let given_name = PersonName::parse(&account.given_name)
        .map_err(|p| format!("given name: {}", problem_en(p)))?;
    let family_name = PersonName::parse(&account.family_name)
        .map_err(|p| format!("family name: {}", problem_en(p)))?;
    let school_name = SchoolName::parse(&account.school_name)
        .map_err(|p| format!("school name: {}", problem_en(p)))?;
    let school_code = SchoolCode::parse(&account.school_code)
        .map_err(|p| format!("school code: {}", problem_en(p)))?;
    field(
        "password",
        password::check_new(&account.password, Some(&email)),
    )?;
    let new = NewAccount {
        email,
        given_name,
        family_name,
        school_name,
        school_code,
        tax_code: None,
        password: account.password,
    };
    match create_account(state, new, app::i18n::Locale::it, true).await {
        Ok(user) => Ok(user.id),
        Err(AppError::Invalid(problems)) => Err(problems
            .iter()
            .map(|p| format!("{}: {}", p.field.input_name(), problem_en(p.problem)))
            .collect::<Vec<_>>()
            .join("; ")),
        Err(other) => Err(format!("could not create the account: {other}")),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = super::generate_password();
        let b = super::generate_password();
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert_eq!(app::domain::password::check_new(&a, None), Ok(()));
    }
}
