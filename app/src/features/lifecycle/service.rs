use crate::domain::account::AccountState;
use crate::domain::audit::Action;
use crate::domain::lifecycle::{self, Step};
use crate::error::AppError;
use crate::features::audit::service::{Entry, record};
use crate::ssr::AppState;
use crate::ssr::entities::{
    account_link, announcement, calendar_feed, name_correction, outbox, quiz_attempt, reply,
    session, sso_identity, submission, thread, user,
};
use crate::ssr::outbox::NewMail;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Accounts looked at per round.
const ROUND: u64 = 500;

/// What a run did, or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub inactive: Vec<i32>,
    pub warned: Vec<i32>,
    pub anonymised: Vec<i32>,
}

impl Plan {
    pub fn counts(&self) -> crate::ssr::scheduler::Counts {
        vec![
            ("inactive", self.inactive.len() as u64),
            ("warned", self.warned.len() as u64),
            ("anonymised", self.anonymised.len() as u64),
        ]
    }
}

/// The last sign-in, or the creation for someone who never signed in.
fn last_active(person: &user::Model) -> DateTime<Utc> {
    person.last_login_at.unwrap_or(person.created_at)
}

/// Accounts last active before `before`, not anonymised, after `after` by id.
async fn idle_after(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    after: i32,
) -> Result<Vec<user::Model>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::AccountState.ne(AccountState::Anonymised))
        .filter(
            Condition::any()
                .add(user::Column::LastLoginAt.lt(before))
                .add(
                    Condition::all()
                        .add(user::Column::LastLoginAt.is_null())
                        .add(user::Column::CreatedAt.lt(before)),
                ),
        )
        .filter(user::Column::Id.gt(after))
        .order_by_asc(user::Column::Id)
        .limit(ROUND)
        .all(db)
        .await?)
}

/// What is due at `now`, person by person, by the rule.
pub async fn plan(state: &AppState, now: DateTime<Utc>) -> Result<Plan, AppError> {
    let cutoffs = state.settings.retention.cutoffs(now);
    let mut plan = Plan::default();
    let mut after = 0;
    loop {
        let round = idle_after(&state.db, cutoffs.inactive, after).await?;
        let Some(last) = round.last() else { break };
        after = last.id;
        for person in round {
            let due = lifecycle::step(
                person.account_state,
                last_active(&person),
                person.lifecycle_warned_at.is_some(),
                cutoffs,
            );
            match due {
                Step::Keep => {}
                Step::MakeInactive => plan.inactive.push(person.id),
                Step::Warn => {
                    plan.warned.push(person.id);
                    // Warned a month before the end, and a year without signing in already.
                    if person.account_state == AccountState::Active {
                        plan.inactive.push(person.id);
                    }
                }
                Step::Anonymise => plan.anonymised.push(person.id),
            }
        }
    }
    Ok(plan)
}

/// The daily job: does what [`plan`] finds due. Each step is idempotent and each person's is
/// its own transaction, so a run that stops half-way is finished by the next.
pub async fn run(state: &AppState, now: DateTime<Utc>) -> Result<Plan, AppError> {
    let plan = plan(state, now).await?;
    for id in &plan.anonymised {
        anonymise(state, *id, None, "retention period", now).await?;
    }
    let date = (now
        + chrono::TimeDelta::days(i64::from(state.settings.retention.warn_before_days)))
    .date_naive();
    for id in &plan.warned {
        let txn = crate::ssr::db::begin(&state.db).await?;
        let warned = user::Entity::update_many()
            .col_expr(user::Column::LifecycleWarnedAt, Expr::value(now))
            .filter(user::Column::Id.eq(*id))
            .filter(user::Column::LifecycleWarnedAt.is_null())
            .exec(&txn)
            .await?;
        if warned.rows_affected == 1
            && let Some(person) = user::Entity::find_by_id(*id).one(&txn).await?
        {
            let mail = warning(&person, &state.settings.base_url, date);
            crate::ssr::outbox::enqueue(&txn, vec![mail]).await?;
        }
        txn.commit().await?;
    }
    if !plan.inactive.is_empty() {
        user::Entity::update_many()
            .col_expr(
                user::Column::AccountState,
                Expr::value(AccountState::Inactive),
            )
            .filter(user::Column::Id.is_in(plan.inactive.iter().copied()))
            .filter(user::Column::AccountState.eq(AccountState::Active))
            .exec(&state.db)
            .await?;
    }
    crate::ssr::outbox::wake();
    Ok(plan)
}

/// "Your data will be anonymised on …: sign in to keep your profile."
fn warning(person: &user::Model, base: &str, date: chrono::NaiveDate) -> NewMail {
    use crate::i18n::td_string;
    let language: crate::i18n::Locale = person.locale.parse().unwrap_or_default();
    NewMail::text(
        "lifecycle_warning",
        person.email.clone(),
        td_string!(language, lifecycle.mail_warning_subject).to_string(),
        td_string!(
            language,
            lifecycle.mail_warning_body,
            name = format!("{} {}", person.given_name, person.family_name),
            date = crate::domain::dates::long_date(date, language),
            link = format!("{base}/login")
        )
        .to_string(),
    )
}

/// Anonymises a person's personal data: name, address, school, tax code and free texts (their
/// posts, their work's text and files, their quiz answers) go; their sessions, providers and
/// links too. Certificates stay verifiable: the register keeps what was printed. Audited, with
/// `actor` (none: the retention job). Doing it twice changes nothing more.
pub async fn anonymise(
    state: &AppState,
    user_id: i32,
    actor: Option<i32>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = crate::ssr::db::begin(&state.db).await?;
    let Some(person) = user::Entity::find_by_id(user_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    if person.account_state == AccountState::Anonymised {
        return Ok(());
    }
    let files: Vec<Option<String>> = submission::Entity::find()
        .select_only()
        .column(submission::Column::FileKey)
        .filter(submission::Column::UserId.eq(user_id))
        .into_tuple()
        .all(&txn)
        .await?;
    submission::Entity::update_many()
        .col_expr(submission::Column::Body, Expr::value(""))
        .col_expr(submission::Column::Design, Expr::value(None::<String>))
        .col_expr(submission::Column::FileName, Expr::value(None::<String>))
        .col_expr(submission::Column::FileKey, Expr::value(None::<String>))
        .col_expr(submission::Column::FileType, Expr::value(None::<String>))
        .col_expr(submission::Column::FileSize, Expr::value(None::<i32>))
        .filter(submission::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    thread::Entity::update_many()
        .col_expr(thread::Column::Title, Expr::value("—"))
        .col_expr(thread::Column::Body, Expr::value(""))
        .filter(thread::Column::AuthorId.eq(user_id))
        .exec(&txn)
        .await?;
    reply::Entity::update_many()
        .col_expr(reply::Column::Body, Expr::value(""))
        .filter(reply::Column::AuthorId.eq(user_id))
        .exec(&txn)
        .await?;
    announcement::Entity::update_many()
        .col_expr(announcement::Column::Body, Expr::value(""))
        .filter(announcement::Column::AuthorId.eq(user_id))
        .exec(&txn)
        .await?;
    quiz_attempt::Entity::update_many()
        .col_expr(quiz_attempt::Column::Answers, Expr::value(None::<String>))
        .filter(quiz_attempt::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    name_correction::Entity::delete_many()
        .filter(name_correction::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    sso_identity::Entity::delete_many()
        .filter(sso_identity::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    account_link::Entity::delete_many()
        .filter(account_link::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    calendar_feed::Entity::delete_many()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    // Mail kept in the outbox names the person and their address.
    outbox::Entity::delete_many()
        .filter(outbox::Column::Recipient.eq(person.email.clone()))
        .exec(&txn)
        .await?;
    user::Entity::update_many()
        .col_expr(
            user::Column::Email,
            Expr::value(format!("anonimo-{user_id}@anonimo.invalid")),
        )
        .col_expr(user::Column::GivenName, Expr::value(""))
        .col_expr(user::Column::FamilyName, Expr::value(""))
        .col_expr(user::Column::SchoolName, Expr::value(""))
        .col_expr(user::Column::SchoolCode, Expr::value(""))
        .col_expr(user::Column::SchoolRegion, Expr::value(None::<String>))
        .col_expr(user::Column::SchoolLevel, Expr::value(None::<String>))
        .col_expr(user::Column::TaxCode, Expr::value(None::<String>))
        .col_expr(user::Column::PasswordHash, Expr::value(None::<String>))
        .col_expr(
            user::Column::RegistrationReason,
            Expr::value(None::<String>),
        )
        .col_expr(user::Column::RegistryEntryId, Expr::value(None::<i32>))
        .col_expr(
            user::Column::EmailVerifiedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(
            user::Column::LifecycleWarnedAt,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(user::Column::IsAmbassador, Expr::value(false))
        .col_expr(user::Column::IsStaff, Expr::value(false))
        .col_expr(
            user::Column::AccountState,
            Expr::value(AccountState::Anonymised),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    record(
        &txn,
        vec![Entry {
            actor,
            action: Action::AccountAnonymised,
            edition: None,
            subject: Some(user_id),
            detail: "",
            reason: Some(reason),
        }],
    )
    .await?;
    txn.commit().await?;
    // The files go once nothing points at them; one left behind by a crash is only a file
    // nobody can reach.
    for key in files.into_iter().flatten() {
        let path = crate::features::submissions::service::stored_path(state, &key);
        if let Err(error) = tokio::fs::remove_file(&path).await
            && error.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(user.id = user_id, error = %error, "a file of an anonymised person stayed");
        }
    }
    tracing::info!(user.id = user_id, by_staff = actor.is_some(), at = %now, "account anonymised");
    Ok(())
}
