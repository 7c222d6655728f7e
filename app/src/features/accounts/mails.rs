//! The mails about an account, in the recipient's language, from the locale files.

use crate::i18n::{Locale, td_string};
use crate::ssr::entities::user;
use crate::ssr::outbox::NewMail;

fn language_of(user: &user::Model) -> Locale {
    user.locale.parse().unwrap_or_default()
}

fn name_of(user: &user::Model) -> String {
    format!("{} {}", user.given_name, user.family_name)
}

/// Confirms the address given at sign-up.
pub fn verify_email(user: &user::Model, base: &str, token: &str, next: &str) -> NewMail {
    let language = language_of(user);
    let link = link_with_next(&format!("{base}/verify-email/{token}"), next);
    NewMail::text(
        "verify_email",
        user.email.clone(),
        td_string!(language, account.mail_verify_subject).to_string(),
        td_string!(
            language,
            account.mail_verify_body,
            name = name_of(user),
            link = link
        )
        .to_string(),
    )
}

/// Someone signed up with an address that has an account: its owner is told how to get in.
pub fn account_exists(user: &user::Model, base: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "account_exists",
        user.email.clone(),
        td_string!(language, account.mail_exists_subject).to_string(),
        td_string!(
            language,
            account.mail_exists_body,
            name = name_of(user),
            login = format!("{base}/login"),
            forgot = format!("{base}/password/forgot")
        )
        .to_string(),
    )
}

pub fn reset_password(user: &user::Model, base: &str, token: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "reset_password",
        user.email.clone(),
        td_string!(language, account.mail_reset_subject).to_string(),
        td_string!(
            language,
            account.mail_reset_body,
            name = name_of(user),
            link = format!("{base}/password/reset/{token}")
        )
        .to_string(),
    )
}

/// Tells the owner the password changed, so that a change they did not make does not go unseen.
pub fn password_changed(user: &user::Model, base: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "password_changed",
        user.email.clone(),
        td_string!(language, account.mail_password_changed_subject).to_string(),
        td_string!(
            language,
            account.mail_password_changed_body,
            name = name_of(user),
            forgot = format!("{base}/password/forgot")
        )
        .to_string(),
    )
}

/// Sent to the new address, to confirm it.
pub fn confirm_new_email(user: &user::Model, new_email: &str, base: &str, token: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "change_email",
        new_email.to_owned(),
        td_string!(language, account.mail_change_subject).to_string(),
        td_string!(
            language,
            account.mail_change_body,
            name = name_of(user),
            link = format!("{base}/change-email/{token}")
        )
        .to_string(),
    )
}

/// Sent to the old address once the new one is in use.
pub fn email_changed(user: &user::Model, old_email: &str, new_email: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "email_changed",
        old_email.to_owned(),
        td_string!(language, account.mail_changed_subject).to_string(),
        td_string!(
            language,
            account.mail_changed_body,
            name = name_of(user),
            new = new_email
        )
        .to_string(),
    )
}

fn link_with_next(link: &str, next: &str) -> String {
    if next == "/" || next.is_empty() {
        link.to_owned()
    } else {
        format!("{link}?next={}", super::pages::url_encoded(next))
    }
}

/// Staff did not accept a requested correction of the name: why.
pub fn correction_rejected(
    user: &user::Model,
    correction: &crate::ssr::entities::name_correction::Model,
    note: &str,
) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "name_correction_rejected",
        user.email.clone(),
        td_string!(language, profile.mail_rejected_subject).to_string(),
        td_string!(
            language,
            profile.mail_rejected_body,
            name = name_of(user),
            requested = crate::domain::certificates::printed_name(
                &correction.given_name,
                &correction.family_name
            ),
            note = note
        )
        .to_string(),
    )
}

/// Staff (or the registry) validated the registration: the person can enrol now.
pub fn registration_validated(user: &user::Model, base: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "registration_validated",
        user.email.clone(),
        td_string!(language, registrations.mail_validated_subject).to_string(),
        td_string!(
            language,
            registrations.mail_validated_body,
            name = name_of(user),
            link = format!("{base}/editions")
        )
        .to_string(),
    )
}

/// Staff rejected the registration: why, and what the person can do.
pub fn registration_rejected(user: &user::Model, reason: &str, base: &str) -> NewMail {
    let language = language_of(user);
    NewMail::text(
        "registration_rejected",
        user.email.clone(),
        td_string!(language, registrations.mail_rejected_subject).to_string(),
        td_string!(
            language,
            registrations.mail_rejected_body,
            name = name_of(user),
            reason = reason,
            link = format!("{base}/account")
        )
        .to_string(),
    )
}
