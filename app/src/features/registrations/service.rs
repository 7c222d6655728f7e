use super::api::{
    DecisionOutcome, Evidence, RegistrationQueue, RegistrationRow, STATUSES, WAITING_LONG_DAYS,
};
use crate::domain::account::{AccountState, RegistrationStatus};
use crate::domain::audit::Action;
use crate::domain::paging;
use crate::domain::registration;
use crate::domain::registration::{RegistryMatch, RegistryPerson};
use crate::domain::{Field, FieldProblem, Problem};
use crate::error::{AppError, Refusal};
use crate::features::accounts::mails;
use crate::features::audit::service::{Entry, record};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{search_condition, to_local};
use crate::ssr::entities::{registry_entry, user};
use crate::ssr::scope;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub const PAGE_SIZE: u64 = 50;

/// The most registrations one decision may cover (a page and then some).
pub const MAX_AT_ONCE: usize = 500;

pub struct QueueFilter {
    pub status: RegistrationStatus,
    /// Only registrations pending longer than [`WAITING_LONG_DAYS`].
    pub waiting_long: bool,
    /// Only those that matched the registry so (none: not compared, or nothing found).
    pub matched: Option<RegistryMatch>,
    pub search: String,
    pub page: u64,
}

/// People whose registration staff decide: not staff, not anonymised.
pub fn people() -> sea_orm::Select<user::Entity> {
    user::Entity::find()
        .filter(user::Column::AccountState.ne(AccountState::Anonymised))
        .filter(user::Column::IsStaff.eq(false))
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn queue(
    state: &AppState,
    caller: &Caller,
    filter: QueueFilter,
) -> Result<RegistrationQueue, AppError> {
    scope::staff(caller)?;
    let db = &state.db;
    let now = Utc::now();
    let long_ago = now - TimeDelta::days(WAITING_LONG_DAYS);
    let by_status: Vec<(RegistrationStatus, i64)> = people()
        .select_only()
        .column(user::Column::RegistrationStatus)
        .column_as(user::Column::Id.count(), "count")
        .group_by(user::Column::RegistrationStatus)
        .into_tuple()
        .all(db)
        .await?;
    let counts = STATUSES
        .into_iter()
        .map(|status| {
            let count = by_status
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
            (status, count)
        })
        .collect();
    let pending =
        || people().filter(user::Column::RegistrationStatus.eq(RegistrationStatus::Pending));
    let waiting_long = pending()
        .filter(user::Column::CreatedAt.lt(long_ago))
        .count(db)
        .await?;
    // One grouped count: partial matches, and the rest not found (or never compared).
    let by_match: Vec<(Option<RegistryMatch>, i64)> = pending()
        .select_only()
        .column(user::Column::RegistryMatch)
        .column_as(user::Column::Id.count(), "count")
        .group_by(user::Column::RegistryMatch)
        .into_tuple()
        .all(db)
        .await?;
    let count_where = |wanted: fn(Option<RegistryMatch>) -> bool| -> u64 {
        by_match
            .iter()
            .filter(|(found, _)| wanted(*found))
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .sum()
    };
    let partial = count_where(|found| found == Some(RegistryMatch::Partial));
    let unmatched = count_where(|found| matches!(found, None | Some(RegistryMatch::None)));
    let query = filtered(&filter, long_ago);
    let total = query.clone().count(db).await?;
    let (page, offset) = paging::clamp(filter.page, total, PAGE_SIZE);
    let people = in_order(query, filter.status)
        .offset(offset)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let entries = evidence_of(db, &people).await?;
    let rows = people
        .into_iter()
        .map(|person| {
            let evidence = person
                .registry_entry_id
                .and_then(|id| entries.get(&id))
                .cloned();
            row_of(person, now, evidence)
        })
        .collect();
    Ok(RegistrationQueue {
        rows,
        page,
        pages: paging::page_count(total, PAGE_SIZE),
        total,
        counts,
        waiting_long,
        partial,
        unmatched,
    })
}

/// The registrations the filter keeps (any page).
fn filtered(filter: &QueueFilter, long_ago: DateTime<Utc>) -> sea_orm::Select<user::Entity> {
    let mut query = people()
        .filter(user::Column::RegistrationStatus.eq(filter.status))
        .filter(search_condition(
            &filter.search,
            &[
                Expr::col(user::Column::GivenName),
                Expr::col(user::Column::FamilyName),
                Expr::col(user::Column::Email),
                Expr::col(user::Column::SchoolCode),
                Expr::col(user::Column::SchoolName),
            ],
        ));
    if filter.waiting_long {
        query = query.filter(user::Column::CreatedAt.lt(long_ago));
    }
    query = match filter.matched {
        Some(RegistryMatch::None) => query.filter(unmatched_condition()),
        Some(other) => query.filter(user::Column::RegistryMatch.eq(other)),
        None => query,
    };
    query
}

/// Pending: oldest first (first come, first served); decided: latest decision first.
fn in_order(
    query: sea_orm::Select<user::Entity>,
    status: RegistrationStatus,
) -> sea_orm::Select<user::Entity> {
    let query = match status {
        RegistrationStatus::Pending => query.order_by_asc(user::Column::CreatedAt),
        _ => query.order_by_desc(user::Column::RegistrationDecidedAt),
    };
    query.order_by_asc(user::Column::Id)
}

/// The registry entries `people` matched, by entry id (one query per thousand people).
async fn evidence_of(
    db: &impl ConnectionTrait,
    people: &[user::Model],
) -> Result<std::collections::HashMap<i32, Evidence>, AppError> {
    let mut found = std::collections::HashMap::new();
    let ids: Vec<i32> = people.iter().filter_map(|p| p.registry_entry_id).collect();
    for chunk in ids.chunks(1000) {
        for entry in registry_entry::Entity::find()
            .filter(registry_entry::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            let evidence = Evidence {
                person: RegistryPerson {
                    email: entry.email,
                    tax_code: entry.tax_code,
                    given_name: entry.given_name,
                    family_name: entry.family_name,
                    school_code: entry.school_code,
                },
                line: entry.line,
            };
            found.insert(entry.id, evidence);
        }
    }
    Ok(found)
}

/// The queue as the filter shows it, every page, as CSV for a spreadsheet: (file name, text).
/// Each person's details beside the registry's, as the page shows them side by side.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn queue_csv(
    state: &AppState,
    caller: &Caller,
    filter: QueueFilter,
) -> Result<(String, String), AppError> {
    use crate::domain::csv::line;
    use crate::i18n::td_string;
    scope::staff(caller)?;
    let db = &state.db;
    let now = Utc::now();
    let long_ago = now - TimeDelta::days(WAITING_LONG_DAYS);
    let people = in_order(filtered(&filter, long_ago), filter.status)
        .all(db)
        .await?;
    let entries = evidence_of(db, &people).await?;
    let language = caller.language;
    let yes_no = |b: bool| crate::domain::csv::yes_no(language, b);
    let status_label = |status: RegistrationStatus| match status {
        RegistrationStatus::Pending => td_string!(language, registrations.pending).to_string(),
        RegistrationStatus::Validated => td_string!(language, registrations.validated).to_string(),
        RegistrationStatus::Rejected => td_string!(language, registrations.rejected).to_string(),
    };
    let match_label = |found: Option<RegistryMatch>| match found {
        None => td_string!(language, registrations.match_not_compared).to_string(),
        Some(RegistryMatch::None) => td_string!(language, registrations.match_none).to_string(),
        Some(RegistryMatch::Partial) => {
            td_string!(language, registrations.match_partial).to_string()
        }
        Some(RegistryMatch::Exact) => td_string!(language, registrations.match_exact).to_string(),
    };
    let moment = |at: DateTime<Utc>| to_local(at).format("%Y-%m-%d %H:%M").to_string();
    let mut out = crate::domain::csv::BOM.to_owned();
    out.push_str(&line(&[
        td_string!(language, completion.csv_family_name).to_string(),
        td_string!(language, completion.csv_given_name).to_string(),
        td_string!(language, completion.csv_email).to_string(),
        td_string!(language, registrations.csv_email_confirmed).to_string(),
        td_string!(language, registrations.csv_school).to_string(),
        td_string!(language, registrations.csv_school_code).to_string(),
        td_string!(language, registrations.csv_tax_code).to_string(),
        td_string!(language, registrations.csv_registered).to_string(),
        td_string!(language, registrations.csv_days_waiting).to_string(),
        td_string!(language, registrations.csv_status).to_string(),
        td_string!(language, registrations.csv_reason).to_string(),
        td_string!(language, registrations.csv_decided).to_string(),
        td_string!(language, registrations.csv_match).to_string(),
        td_string!(language, registrations.csv_registry_family_name).to_string(),
        td_string!(language, registrations.csv_registry_given_name).to_string(),
        td_string!(language, registrations.csv_registry_email).to_string(),
        td_string!(language, registrations.csv_registry_tax_code).to_string(),
        td_string!(language, registrations.csv_registry_school_code).to_string(),
        td_string!(language, registrations.csv_registry_line).to_string(),
    ]));
    for person in people {
        let evidence = person.registry_entry_id.and_then(|id| entries.get(&id));
        let registry =
            |pick: fn(&Evidence) -> Option<String>| evidence.and_then(pick).unwrap_or_default();
        out.push_str(&line(&[
            person.family_name.clone(),
            person.given_name.clone(),
            person.email.clone(),
            yes_no(person.email_verified_at.is_some()),
            person.school_name.clone(),
            person.school_code.clone(),
            person.tax_code.clone().unwrap_or_default(),
            moment(person.created_at),
            (now - person.created_at).num_days().max(0).to_string(),
            status_label(person.registration_status),
            person.registration_reason.clone().unwrap_or_default(),
            person
                .registration_decided_at
                .map(moment)
                .unwrap_or_default(),
            match_label(person.registry_match),
            registry(|e| Some(e.person.family_name.clone())),
            registry(|e| Some(e.person.given_name.clone())),
            registry(|e| e.person.email.clone()),
            registry(|e| e.person.tax_code.clone()),
            registry(|e| Some(e.person.school_code.clone())),
            registry(|e| Some(e.line.to_string())),
        ]));
    }
    let name = format!("registrazioni-{}.csv", now.date_naive());
    Ok((name, out))
}

/// Compared with the registry and nothing found, or never compared (no registry yet).
fn unmatched_condition() -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(user::Column::RegistryMatch.is_null())
        .add(user::Column::RegistryMatch.eq(RegistryMatch::None))
}

fn row_of(person: user::Model, now: DateTime<Utc>, evidence: Option<Evidence>) -> RegistrationRow {
    RegistrationRow {
        registry_match: person.registry_match,
        evidence,
        user_id: person.id,
        email_verified: person.email_verified_at.is_some(),
        days_waiting: (now - person.created_at).num_days().max(0),
        registered_at: to_local(person.created_at),
        decided_at: person.registration_decided_at.map(to_local),
        given_name: person.given_name,
        family_name: person.family_name,
        email: person.email,
        school_name: person.school_name,
        school_code: person.school_code,
        tax_code: person.tax_code,
        status: person.registration_status,
        reason: person.registration_reason,
    }
}

/// Staff validate or reject the registrations of `user_ids`. A registration already decided
/// (by a colleague, or a second click) is left as it is; deciding a single one that way is
/// refused, so the page can say so.
#[tracing::instrument(skip_all, fields(caller = caller.id, people = user_ids.len()))]
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    user_ids: &[i32],
    approve: bool,
    reason: &str,
) -> Result<DecisionOutcome, AppError> {
    scope::staff(caller)?;
    let reason = crate::domain::text::single_line(reason, 500).ok();
    let mut problems = Vec::new();
    if user_ids.is_empty() {
        problems.push(FieldProblem::new(Field::Decision, Problem::NoneSelected));
    }
    if user_ids.len() > MAX_AT_ONCE {
        problems.push(FieldProblem::new(
            Field::Decision,
            Problem::TooMany {
                max: MAX_AT_ONCE as u32,
            },
        ));
    }
    if !approve && reason.is_none() {
        problems.push(FieldProblem::new(Field::Reason, Problem::Required));
    }
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let txn = crate::ssr::db::begin(&state.db).await?;
    let people = people()
        .filter(user::Column::Id.is_in(user_ids.iter().copied()))
        .all(&txn)
        .await?;
    if people.is_empty() {
        return Err(AppError::NotFound);
    }
    let decided = apply(
        &txn,
        Some(caller.id),
        &people,
        approve,
        reason.as_deref(),
        "",
        &state.settings.base_url,
        Utc::now(),
        true,
    )
    .await?;
    txn.commit().await?;
    crate::ssr::outbox::wake();
    let unchanged = people.len() as u64 - decided;
    if decided == 0 && user_ids.len() == 1 {
        return Err(AppError::Refused(Refusal::AlreadyDecided));
    }
    tracing::info!(decided, unchanged, approve, "registrations decided");
    Ok(DecisionOutcome { decided, unchanged })
}

/// Moves each person's registration as decided, if it still may move (one conditional
/// update per person, so a colleague deciding at the same moment never gets the same person
/// twice), and for each one moved writes the mail and the audit entry, in the caller's
/// transaction. `actor` is `None` when the registry decided; `notify` false leaves the mail
/// out. Answers how many moved.
#[allow(clippy::too_many_arguments)]
pub async fn apply(
    txn: &impl ConnectionTrait,
    actor: Option<i32>,
    people: &[user::Model],
    approve: bool,
    reason: Option<&str>,
    detail: &str,
    base: &str,
    now: DateTime<Utc>,
    notify: bool,
) -> Result<u64, AppError> {
    let mut moved = Vec::new();
    for person in people {
        let Ok(status) = registration::decide(person.registration_status, approve) else {
            continue;
        };
        let updated = user::Entity::update_many()
            .col_expr(user::Column::RegistrationStatus, Expr::value(status))
            .col_expr(
                user::Column::RegistrationReason,
                Expr::value(if approve {
                    None
                } else {
                    reason.map(str::to_owned)
                }),
            )
            .col_expr(user::Column::RegistrationDecidedAt, Expr::value(now))
            .filter(user::Column::Id.eq(person.id))
            .filter(
                user::Column::RegistrationStatus
                    .is_in(registration::decidable_from(approve).iter().copied()),
            )
            .exec(txn)
            .await?;
        if updated.rows_affected == 1 {
            moved.push(person);
        }
    }
    let mail = moved
        .iter()
        .filter(|_| notify)
        .map(|person| {
            if approve {
                mails::registration_validated(person, base)
            } else {
                mails::registration_rejected(person, reason.unwrap_or_default(), base)
            }
        })
        .collect();
    crate::ssr::outbox::enqueue(txn, mail).await?;
    record(
        txn,
        moved
            .iter()
            .map(|person| Entry {
                actor,
                action: if approve {
                    Action::RegistrationValidated
                } else {
                    Action::RegistrationRejected
                },
                edition: None,
                subject: Some(person.id),
                detail,
                reason: if approve { None } else { reason },
            })
            .collect(),
    )
    .await?;
    Ok(moved.len() as u64)
}
