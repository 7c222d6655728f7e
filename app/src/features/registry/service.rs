use super::api::{MatchOutcome, RegistryImport, RegistryOverview};
use crate::domain::account::RegistrationStatus;
use crate::domain::registration::{self, Applicant, RegistryMatch, RegistryPerson};
use crate::domain::registry::{self, BadLine, ImportStatus, LineProblem};
use crate::error::{AppError, Refusal};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{names, to_local};
use crate::ssr::entities::{registry_entry, registry_import, user};
use crate::ssr::scope;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// People stored per statement while a file is read.
pub const BATCH: usize = 1000;
/// Bad lines kept for the preview (the count covers them all).
const BAD_LINES_KEPT: usize = 500;
/// Pending registrations matched per round.
const PEOPLE_PER_ROUND: u64 = 500;

/// Staff upload a registry file: it is read at once (a file that cannot be read at all is
/// refused, and nothing is kept), then its people are stored (a large file in the background,
/// while the page shows the progress); then the file waits as a preview. Answers the upload's
/// id.
#[tracing::instrument(skip_all, fields(caller = caller.id, bytes = bytes.len()))]
pub async fn upload(
    state: &AppState,
    caller: &Caller,
    file_name: &str,
    bytes: &[u8],
) -> Result<i32, AppError> {
    scope::staff(caller)?;
    let file = registry::read(bytes).map_err(|p| AppError::Refused(Refusal::RegistryFile(p)))?;
    let duplicates = file
        .bad_lines
        .iter()
        .filter(|b| b.problem == LineProblem::Duplicate)
        .count();
    let kept: Vec<&BadLine> = file.bad_lines.iter().take(BAD_LINES_KEPT).collect();
    let import = registry_import::ActiveModel {
        file_name: Set(file_name.chars().take(200).collect()),
        uploaded_by: Set(Some(caller.id)),
        uploaded_at: Set(Utc::now()),
        status: Set(ImportStatus::Reading),
        encoding: Set(file.encoding.as_str().to_owned()),
        separator: Set(file.separator.to_string()),
        people: Set(count(file.people.len())),
        stored: Set(0),
        bad_line_count: Set(count(file.bad_lines.len())),
        bad_lines: Set(serde_json::to_string(&kept).unwrap_or_else(|_| "[]".to_owned())),
        duplicates: Set(count(duplicates)),
        exact_matches: Set(None),
        partial_matches: Set(None),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    tracing::info!(
        import = import.id,
        people = file.people.len(),
        bad_lines = file.bad_lines.len(),
        "registry file read"
    );
    let id = import.id;
    // A small file is stored before the answer; a large one in the background, while its
    // page shows the progress.
    if file.people.len() <= BATCH {
        store(state, id, file.people).await?;
        return Ok(id);
    }
    let background = state.clone();
    tokio::spawn(async move {
        if let Err(error) = store(&background, id, file.people).await {
            tracing::error!(import = id, error = %error, "registry file could not be stored");
            let _ = registry_import::Entity::update_many()
                .col_expr(
                    registry_import::Column::Status,
                    Expr::value(ImportStatus::Discarded),
                )
                .filter(registry_import::Column::Id.eq(id))
                .exec(&background.db)
                .await;
        }
    });
    Ok(id)
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Stores the people of an upload a batch at a time, noting the progress, then works out what
/// applying it would do and makes it a preview.
async fn store(
    state: &AppState,
    import_id: i32,
    people: Vec<(usize, RegistryPerson)>,
) -> Result<(), AppError> {
    let mut stored = 0;
    for batch in people.chunks(BATCH) {
        let rows = batch
            .iter()
            .map(|(line, person)| registry_entry::ActiveModel {
                import_id: Set(import_id),
                line: Set(count(*line)),
                email: Set(person.email.clone()),
                tax_code: Set(person.tax_code.clone()),
                given_name: Set(person.given_name.chars().take(120).collect()),
                family_name: Set(person.family_name.chars().take(120).collect()),
                school_code: Set(person.school_code.clone()),
                name_key: Set(registry::name_key(&person.given_name, &person.family_name)
                    .chars()
                    .take(250)
                    .collect()),
                ..Default::default()
            });
        registry_entry::Entity::insert_many(rows)
            .exec_without_returning(&state.db)
            .await?;
        stored += batch.len();
        registry_import::Entity::update_many()
            .col_expr(registry_import::Column::Stored, Expr::value(count(stored)))
            .filter(registry_import::Column::Id.eq(import_id))
            .exec(&state.db)
            .await?;
    }
    let (mut exact, mut partial) = (0, 0);
    let mut after = 0;
    loop {
        let round = pending_after(&state.db, after).await?;
        let Some(last) = round.last() else { break };
        after = last.id;
        for (found, _) in find_matches(&state.db, import_id, &round).await? {
            match found {
                RegistryMatch::Exact => exact += 1,
                RegistryMatch::Partial => partial += 1,
                RegistryMatch::None => {}
            }
        }
    }
    registry_import::Entity::update_many()
        .col_expr(
            registry_import::Column::Status,
            Expr::value(ImportStatus::Preview),
        )
        .col_expr(registry_import::Column::ExactMatches, Expr::value(exact))
        .col_expr(
            registry_import::Column::PartialMatches,
            Expr::value(partial),
        )
        .filter(registry_import::Column::Id.eq(import_id))
        .filter(registry_import::Column::Status.eq(ImportStatus::Reading))
        .exec(&state.db)
        .await?;
    tracing::info!(import = import_id, exact, partial, "registry file ready");
    Ok(())
}

/// Pending registrations after `after` (by id), a round at a time.
async fn pending_after(
    db: &impl ConnectionTrait,
    after: i32,
) -> Result<Vec<user::Model>, AppError> {
    Ok(crate::features::registrations::service::people()
        .filter(user::Column::RegistrationStatus.eq(RegistrationStatus::Pending))
        .filter(user::Column::Id.gt(after))
        .order_by_asc(user::Column::Id)
        .limit(PEOPLE_PER_ROUND)
        .all(db)
        .await?)
}

fn person_of(entry: &registry_entry::Model) -> RegistryPerson {
    RegistryPerson {
        email: entry.email.clone(),
        tax_code: entry.tax_code.clone(),
        given_name: entry.given_name.clone(),
        family_name: entry.family_name.clone(),
        school_code: entry.school_code.clone(),
    }
}

/// The best match for each of `people` among the entries of `import_id`, in one query: the
/// entries sharing an address, a tax code or a name key with any of them are fetched by index,
/// then each person's are weighed by the rule.
async fn find_matches(
    db: &impl ConnectionTrait,
    import_id: i32,
    people: &[user::Model],
) -> Result<Vec<(RegistryMatch, Option<i32>)>, AppError> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = people
        .iter()
        .map(|p| registry::name_key(&p.given_name, &p.family_name))
        .collect();
    let candidates = registry_entry::Entity::find()
        .filter(registry_entry::Column::ImportId.eq(import_id))
        .filter(
            Condition::any()
                .add(registry_entry::Column::Email.is_in(people.iter().map(|p| p.email.clone())))
                .add(
                    registry_entry::Column::TaxCode
                        .is_in(people.iter().filter_map(|p| p.tax_code.clone())),
                )
                .add(registry_entry::Column::NameKey.is_in(keys.iter().cloned())),
        )
        .all(db)
        .await?;
    // Each person meets only the entries sharing one of their keys (a common name would
    // otherwise set every person against hundreds of entries).
    let mut by_key: std::collections::HashMap<&str, Vec<&registry_entry::Model>> =
        std::collections::HashMap::new();
    for entry in &candidates {
        for key in [
            entry.email.as_deref(),
            entry.tax_code.as_deref(),
            Some(&entry.name_key),
        ]
        .into_iter()
        .flatten()
        {
            by_key.entry(key).or_default().push(entry);
        }
    }
    Ok(people
        .iter()
        .zip(&keys)
        .map(|(person, name_key)| {
            let mine = [
                Some(person.email.as_str()),
                person.tax_code.as_deref(),
                Some(name_key),
            ]
            .into_iter()
            .flatten()
            .flat_map(|key| by_key.get(key).into_iter().flatten());
            let applicant = Applicant {
                email: &person.email,
                tax_code: person.tax_code.as_deref(),
                given_name: &person.given_name,
                family_name: &person.family_name,
                school_code: &person.school_code,
            };
            mine.map(|entry| {
                (
                    registration::compare(&applicant, &person_of(entry)),
                    entry.id,
                )
            })
            .max_by_key(|(found, _)| *found)
            .filter(|(found, _)| *found != RegistryMatch::None)
            .map_or((RegistryMatch::None, None), |(found, id)| (found, Some(id)))
        })
        .collect())
}

/// The applied file: the registry now.
async fn current_import(db: &impl ConnectionTrait) -> Result<Option<i32>, AppError> {
    Ok(registry_import::Entity::find()
        .select_only()
        .column(registry_import::Column::Id)
        .filter(registry_import::Column::Status.eq(ImportStatus::Applied))
        .order_by_desc(registry_import::Column::Id)
        .into_tuple()
        .one(db)
        .await?)
}

/// Matches one person against the registry (a new sign-up), in the caller's transaction: an
/// exact match validates the registration at once (without a mail: the person is confirming
/// their address just now), anything else is noted for staff.
pub async fn match_person(
    txn: &impl ConnectionTrait,
    person: &user::Model,
    base: &str,
) -> Result<RegistryMatch, AppError> {
    let Some(import_id) = current_import(txn).await? else {
        return Ok(RegistryMatch::None);
    };
    let Some((found, entry)) = find_matches(txn, import_id, std::slice::from_ref(person))
        .await?
        .pop()
    else {
        return Ok(RegistryMatch::None);
    };
    note_match(txn, person.id, found, entry).await?;
    if found == RegistryMatch::Exact {
        crate::features::registrations::service::apply(
            txn,
            None,
            std::slice::from_ref(person),
            true,
            None,
            crate::domain::audit::REGISTRY_DETAIL,
            base,
            Utc::now(),
            false,
        )
        .await?;
    }
    Ok(found)
}

async fn note_match(
    db: &impl ConnectionTrait,
    user_id: i32,
    found: RegistryMatch,
    entry: Option<i32>,
) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(user::Column::RegistryMatch, Expr::value(found))
        .col_expr(user::Column::RegistryEntryId, Expr::value(entry))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Matches every pending registration against the registry: exact matches are validated (and
/// told so by mail), the others noted for staff. Each round is its own transaction, so a run
/// that stops half-way leaves whole rounds done, and running it again is harmless.
pub async fn match_pending(state: &AppState, now: DateTime<Utc>) -> Result<MatchOutcome, AppError> {
    let mut outcome = MatchOutcome {
        validated: 0,
        partial: 0,
        unmatched: 0,
    };
    let Some(import_id) = current_import(&state.db).await? else {
        return Ok(outcome);
    };
    let mut after = 0;
    loop {
        let round = pending_after(&state.db, after).await?;
        let Some(last) = round.last() else { break };
        after = last.id;
        let txn = crate::ssr::db::begin(&state.db).await?;
        let mut exact = Vec::new();
        let found = find_matches(&txn, import_id, &round).await?;
        for (person, (found, entry)) in round.into_iter().zip(found) {
            note_match(&txn, person.id, found, entry).await?;
            match found {
                RegistryMatch::Exact => exact.push(person),
                RegistryMatch::Partial => outcome.partial += 1,
                RegistryMatch::None => outcome.unmatched += 1,
            }
        }
        outcome.validated += crate::features::registrations::service::apply(
            &txn,
            None,
            &exact,
            true,
            None,
            crate::domain::audit::REGISTRY_DETAIL,
            &state.settings.base_url,
            now,
            true,
        )
        .await?;
        txn.commit().await?;
    }
    crate::ssr::outbox::wake();
    Ok(outcome)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn apply(
    state: &AppState,
    caller: &Caller,
    import_id: i32,
) -> Result<MatchOutcome, AppError> {
    scope::staff(caller)?;
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let applied = registry_import::Entity::update_many()
        .col_expr(
            registry_import::Column::Status,
            Expr::value(ImportStatus::Applied),
        )
        .col_expr(registry_import::Column::AppliedAt, Expr::value(now))
        .filter(registry_import::Column::Id.eq(import_id))
        .filter(registry_import::Column::Status.eq(ImportStatus::Preview))
        .exec(&txn)
        .await?;
    if applied.rows_affected == 0 {
        registry_import::Entity::find_by_id(import_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(AppError::Refused(Refusal::RegistryImportNotPreview));
    }
    // The registry is the newest export: the previous one goes.
    let previous: Vec<i32> = registry_import::Entity::find()
        .select_only()
        .column(registry_import::Column::Id)
        .filter(registry_import::Column::Status.eq(ImportStatus::Applied))
        .filter(registry_import::Column::Id.ne(import_id))
        .into_tuple()
        .all(&txn)
        .await?;
    registry_entry::Entity::delete_many()
        .filter(registry_entry::Column::ImportId.is_in(previous.clone()))
        .exec(&txn)
        .await?;
    registry_import::Entity::update_many()
        .col_expr(
            registry_import::Column::Status,
            Expr::value(ImportStatus::Replaced),
        )
        .filter(registry_import::Column::Id.is_in(previous))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    let outcome = match_pending(state, now).await?;
    registry_import::Entity::update_many()
        .col_expr(
            registry_import::Column::ExactMatches,
            Expr::value(count(outcome.validated as usize)),
        )
        .col_expr(
            registry_import::Column::PartialMatches,
            Expr::value(count(outcome.partial as usize)),
        )
        .filter(registry_import::Column::Id.eq(import_id))
        .exec(&state.db)
        .await?;
    tracing::info!(
        import = import_id,
        validated = outcome.validated,
        partial = outcome.partial,
        unmatched = outcome.unmatched,
        "registry applied"
    );
    Ok(outcome)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn discard(state: &AppState, caller: &Caller, import_id: i32) -> Result<(), AppError> {
    scope::staff(caller)?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let discarded = registry_import::Entity::update_many()
        .col_expr(
            registry_import::Column::Status,
            Expr::value(ImportStatus::Discarded),
        )
        .filter(registry_import::Column::Id.eq(import_id))
        .filter(registry_import::Column::Status.eq(ImportStatus::Preview))
        .exec(&txn)
        .await?;
    if discarded.rows_affected == 0 {
        registry_import::Entity::find_by_id(import_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?;
        return Err(AppError::Refused(Refusal::RegistryImportNotPreview));
    }
    registry_entry::Entity::delete_many()
        .filter(registry_entry::Column::ImportId.eq(import_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

fn view_of(import: registry_import::Model, uploaded_by: Option<String>) -> RegistryImport {
    RegistryImport {
        id: import.id,
        file_name: import.file_name,
        status: import.status,
        uploaded_at: to_local(import.uploaded_at),
        uploaded_by,
        encoding: import.encoding,
        separator: import.separator,
        people: import.people,
        stored: import.stored,
        bad_line_count: import.bad_line_count,
        bad_lines: serde_json::from_str(&import.bad_lines).unwrap_or_default(),
        duplicates: import.duplicates,
        exact_matches: import.exact_matches,
        partial_matches: import.partial_matches,
        applied_at: import.applied_at.map(to_local),
    }
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn overview(state: &AppState, caller: &Caller) -> Result<RegistryOverview, AppError> {
    scope::staff(caller)?;
    let imports = registry_import::Entity::find()
        .order_by_desc(registry_import::Column::Id)
        .limit(20)
        .all(&state.db)
        .await?;
    let people_now = match current_import(&state.db).await? {
        Some(id) => {
            registry_entry::Entity::find()
                .filter(registry_entry::Column::ImportId.eq(id))
                .count(&state.db)
                .await?
        }
        None => 0,
    };
    let who = names(&state.db, imports.iter().filter_map(|i| i.uploaded_by)).await?;
    Ok(RegistryOverview {
        imports: imports
            .into_iter()
            .map(|import| {
                let by = import.uploaded_by.and_then(|id| who.get(&id).cloned());
                // The list needs no bad lines: the file's own page shows them.
                let mut view = view_of(import, by);
                view.bad_lines.clear();
                view
            })
            .collect(),
        people_now,
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn load(
    state: &AppState,
    caller: &Caller,
    import_id: i32,
) -> Result<RegistryImport, AppError> {
    scope::staff(caller)?;
    let import = registry_import::Entity::find_by_id(import_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let who = names(&state.db, import.uploaded_by).await?;
    let by = import.uploaded_by.and_then(|id| who.get(&id).cloned());
    Ok(view_of(import, by))
}
