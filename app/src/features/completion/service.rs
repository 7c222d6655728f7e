use super::api::{CompletionAdmin, MyProgress};
use crate::domain::activities::ActivityKind;
use crate::domain::completion::{self, Progress, Rule};
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::scoping::EditionRole;
use crate::error::{AppError, Refusal};
use crate::features::activities::facts;
use crate::ssr::auth::{guard, signed_in};
use crate::ssr::db::find_or_404;
use crate::ssr::entities::{activity, edition, enrolment};
use crate::ssr::scope::edition_role;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// The edition's rule, once staff have set one. Until then nobody meets it: an edition
/// never makes everyone eligible for a certificate by accident.
pub fn rule_of(edition: &edition::Model) -> Option<Rule> {
    edition
        .completion_rule
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
}

async fn activities_of(
    db: &impl ConnectionTrait,
    edition_id: i32,
) -> Result<Vec<activity::Model>, AppError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::EditionId.eq(edition_id))
        .order_by_asc(activity::Column::Position)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?)
}

/// Everyone enrolled in the edition.
async fn enrolled(db: &impl ConnectionTrait, edition_id: i32) -> Result<Vec<i32>, AppError> {
    Ok(enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .into_tuple()
        .all(db)
        .await?)
}

/// Progress against `rule` for each of `users`, from facts loaded for all of them at once
/// (one query per kind of fact, whatever the number of participants). `tutor` decides whether
/// quiz results not yet shown to participants count.
pub async fn progress_for(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
    rule: &Rule,
    users: &[i32],
    tutor: bool,
) -> Result<HashMap<i32, Progress>, AppError> {
    let activities = activities_of(db, edition.id).await?;
    let facts = facts_for(db, &activities, users).await?;
    Ok(evaluate_all(
        &facts,
        edition,
        &activities,
        rule,
        users,
        tutor,
    ))
}

/// The facts about `activities` for `users`. For many participants, loading the edition's
/// facts for everyone is cheaper than a long `user_id IN (…)` list; facts of people not asked
/// about are simply not looked at.
pub async fn facts_for(
    db: &impl ConnectionTrait,
    activities: &[activity::Model],
    users: &[i32],
) -> Result<facts::Facts, AppError> {
    facts::load(db, activities, (users.len() <= 200).then_some(users)).await
}

/// Progress for each of `users` from facts already loaded.
pub fn evaluate_all(
    facts: &facts::Facts,
    edition: &edition::Model,
    activities: &[activity::Model],
    rule: &Rule,
    users: &[i32],
    tutor: bool,
) -> HashMap<i32, Progress> {
    let now = Utc::now();
    users
        .iter()
        .map(|user| {
            let mine: Vec<completion::ActivityFact> = activities
                .iter()
                .map(|a| facts.completion_fact(edition, a, *user, now, tutor))
                .collect();
            (*user, completion::evaluate(rule, &mine))
        })
        .collect()
}

pub async fn my_progress(edition_id: i32) -> Result<Option<MyProgress>, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    if !matches!(
        edition_role(&state.db, &caller, edition.id).await?,
        EditionRole::Participant { .. }
    ) {
        return Ok(None);
    }
    let Some(rule) = rule_of(&edition) else {
        return Ok(None);
    };
    // One load of the activities: for the progress and for the titles it names.
    let activities = activities_of(&state.db, edition.id).await?;
    let facts = facts_for(&state.db, &activities, &[caller.id]).await?;
    let progress = evaluate_all(&facts, &edition, &activities, &rule, &[caller.id], false)
        .remove(&caller.id)
        .unwrap_or_else(|| completion::evaluate(&rule, &[]));
    let titles = activities.into_iter().map(|a| (a.id, a.title)).collect();
    Ok(Some(MyProgress {
        edition_id: edition.id,
        progress,
        titles,
    }))
}

pub async fn completion_admin(edition_id: i32) -> Result<CompletionAdmin, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
    let rule = rule_of(&edition);
    let people = enrolled(&state.db, edition.id).await?;
    let progress = match &rule {
        Some(rule) => progress_for(&state.db, &edition, rule, &people, true).await?,
        None => HashMap::new(),
    };
    let activities = activities_of(&state.db, edition.id)
        .await?
        .into_iter()
        .filter_map(|a| ActivityKind::parse(&a.kind).map(|k| (a.id, k, a.title)))
        .collect();
    Ok(CompletionAdmin {
        edition_id: edition.id,
        edition_title: edition.title.clone(),
        activities,
        form: rule.as_ref().map(Rule::form).unwrap_or_default(),
        rule,
        participants: people.len() as u32,
        met: progress.values().filter(|p| p.met).count() as u32,
    })
}

pub async fn save_rule(
    edition_id: i32,
    fields: HashMap<String, String>,
    confirm: Option<u32>,
) -> Result<u32, AppError> {
    let (state, caller) = guard().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
    let kinds: Vec<(i32, ActivityKind)> = activities_of(&state.db, edition.id)
        .await?
        .into_iter()
        .filter_map(|a| ActivityKind::parse(&a.kind).map(|k| (a.id, k)))
        .collect();
    let rule = completion::parse_form(&fields, &kinds).map_err(AppError::invalid)?;
    let people = enrolled(&state.db, edition.id).await?;
    let before = match rule_of(&edition) {
        Some(old) => progress_for(&state.db, &edition, &old, &people, true).await?,
        None => HashMap::new(),
    };
    let after = progress_for(&state.db, &edition, &rule, &people, true).await?;
    let meets = |all: &HashMap<i32, Progress>, user: &i32| all.get(user).is_some_and(|p| p.met);
    let changed = people
        .iter()
        .filter(|u| meets(&before, u) != meets(&after, u))
        .count() as u32;
    if changed > 0 && confirm != Some(changed) {
        return Err(AppError::Refused(Refusal::RuleChangesStatus { changed }));
    }
    let json = serde_json::to_string(&rule).map_err(|_| AppError::Internal)?;
    let mut active: edition::ActiveModel = edition.into();
    active.completion_rule = Set(Some(json));
    active.updated_at = Set(Utc::now());
    active.update(&state.db).await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = edition_id,
        changed,
        "completion rule saved"
    );
    Ok(changed)
}
