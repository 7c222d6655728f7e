use super::api::{CompletionAdmin, MyProgress, Override};
use crate::domain::activities::ActivityKind;
use crate::domain::completion::{self, Progress, Rule};
use crate::domain::scoping::EditionRole;
use crate::error::{AppError, Refusal};
use crate::features::activities::facts;
use crate::features::activities::service::of_edition as activities_of;
use crate::features::enrolment::service::enrolled_ids as enrolled;
use crate::i18n::td_string;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::find_or_404;
use crate::ssr::entities::{activity, completion_override, edition};
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
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

/// Progress against `rule` for each of `users`, from facts loaded for all of them at once
/// (one query per kind of fact, whatever the number of participants). `follower` (staff, ambassadors) decides whether
/// quiz results not yet shown to participants count.
pub async fn progress_for(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
    rule: &Rule,
    users: &[i32],
    follower: bool,
) -> Result<HashMap<i32, Progress>, AppError> {
    let activities = activities_of(db, edition.id).await?;
    let facts = facts_for(db, &activities, users).await?;
    Ok(evaluate_all(
        &facts,
        edition,
        &activities,
        rule,
        users,
        follower,
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
    follower: bool,
) -> HashMap<i32, Progress> {
    let now = Utc::now();
    users
        .iter()
        .map(|user| {
            let mine: Vec<completion::ActivityFact> = activities
                .iter()
                .map(|a| facts.completion_fact(edition, a, *user, now, follower))
                .collect();
            (*user, completion::evaluate(rule, &mine))
        })
        .collect()
}

/// The participant's own progress, for the edition's page (which has loaded the edition, the
/// caller's role in it and its activities); `None` for anyone else, or before staff set a rule.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn my_progress(
    state: &AppState,
    caller: &Caller,
    edition: &edition::Model,
    role: &EditionRole,
    activities: &[activity::Model],
) -> Result<Option<MyProgress>, AppError> {
    if !role.is_participant() {
        return Ok(None);
    }
    let Some(rule) = rule_of(edition) else {
        return Ok(None);
    };
    let facts = facts::of_participant(&state.db, edition.id, activities, caller.id).await?;
    let progress = evaluate_all(&facts, edition, activities, &rule, &[caller.id], false)
        .remove(&caller.id)
        .unwrap_or_else(|| completion::evaluate(&rule, &[]));
    let titles = activities.iter().map(|a| (a.id, a.title.clone())).collect();
    // Staff decisions are few and the same for everyone: read once for all renders of a moment.
    let decided = state
        .db
        .shared("completion_overrides", i64::from(edition.id), || async {
            Ok::<_, AppError>(std::sync::Arc::new(
                overrides_of(&state.db, edition.id).await?,
            ))
        })
        .await?
        .get(&caller.id)
        .cloned();
    Ok(Some(MyProgress {
        edition_id: edition.id,
        progress,
        titles,
        decided,
    }))
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn completion_admin(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    person: Option<i32>,
) -> Result<CompletionAdmin, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let rule = rule_of(&edition);
    let people = enrolled(&state.db, edition.id).await?;
    let progress = match &rule {
        Some(rule) => progress_for(&state.db, &edition, rule, &people, true).await?,
        None => HashMap::new(),
    };
    let activities = activities_of(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|a| (a.id, a.kind, a.title))
        .collect();
    let decided = overrides_of(&state.db, edition.id).await?;
    // Only someone enrolled can be decided for.
    let person = person.filter(|p| people.contains(p));
    let names = crate::ssr::db::names(&state.db, decided.keys().copied().chain(person)).await?;
    let name = |id: &i32| names.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
    let mut overrides: Vec<(i32, String, Override)> = decided
        .into_iter()
        .map(|(id, o)| (id, name(&id), o))
        .collect();
    overrides.sort_by_key(|o| o.1.to_lowercase());
    Ok(CompletionAdmin {
        overrides,
        person: person.map(|id| (id, name(&id))),
        edition_id: edition.id,
        edition_title: edition.title.clone(),
        activities,
        form: rule.as_ref().map(Rule::form).unwrap_or_default(),
        rule,
        participants: people.len() as u32,
        met: progress.values().filter(|p| p.met).count() as u32,
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_rule(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    fields: HashMap<String, String>,
    confirm: Option<u32>,
) -> Result<u32, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let kinds: Vec<(i32, ActivityKind)> = activities_of(&state.db, edition.id)
        .await?
        .into_iter()
        .map(|a| (a.id, a.kind))
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

/// Staff overrides in the edition, by participant.
pub async fn overrides_of(
    db: &impl ConnectionTrait,
    edition_id: i32,
) -> Result<HashMap<i32, Override>, AppError> {
    Ok(completion_override::Entity::find()
        .filter(completion_override::Column::EditionId.eq(edition_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.user_id,
                Override {
                    met: o.met,
                    reason: o.reason,
                },
            )
        })
        .collect())
}

/// Whether the edition has a completion rule yet.
pub async fn rule_of_id(db: &impl ConnectionTrait, edition_id: i32) -> Result<bool, AppError> {
    let edition = find_or_404::<edition::Entity>(db, edition_id).await?;
    Ok(rule_of(&edition).is_some())
}

/// Enrolled participants who count as having completed the edition: staff's override when
/// there is one (returned with its reason), the rule otherwise.
pub async fn meeting(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
) -> Result<Vec<(i32, Option<String>)>, AppError> {
    let people = enrolled(db, edition.id).await?;
    let overrides = overrides_of(db, edition.id).await?;
    let progress = match rule_of(edition) {
        Some(rule) => {
            let undecided: Vec<i32> = people
                .iter()
                .copied()
                .filter(|u| !overrides.contains_key(u))
                .collect();
            progress_for(db, edition, &rule, &undecided, true).await?
        }
        None => HashMap::new(),
    };
    Ok(people
        .into_iter()
        .filter_map(|user| match overrides.get(&user) {
            Some(o) => o.met.then(|| (user, Some(o.reason.clone()))),
            None => progress
                .get(&user)
                .is_some_and(|p| p.met)
                .then_some((user, None)),
        })
        .collect())
}

/// Sets (or, with `decision` "clear", removes) staff's decision for one participant.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn set_override(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    user_id: i32,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::domain::audit::Action;
    use crate::domain::{Field, FieldProblem, Problem};
    use crate::features::audit::service::{Entry, record};
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    if !enrolled(&state.db, edition.id).await?.contains(&user_id) {
        return Err(AppError::NotFound);
    }
    let met = match decision.as_str() {
        "met" => Some(true),
        "not_met" => Some(false),
        "clear" => None,
        _ => {
            return Err(AppError::invalid(vec![FieldProblem::new(
                Field::Decision,
                Problem::Required,
            )]));
        }
    };
    let reason = crate::domain::text::single_line(&reason, 500)
        .map_err(|p| AppError::invalid(vec![FieldProblem::new(Field::Reason, p)]))?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    completion_override::Entity::delete_many()
        .filter(completion_override::Column::EditionId.eq(edition.id))
        .filter(completion_override::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    if let Some(met) = met {
        completion_override::ActiveModel {
            edition_id: Set(edition.id),
            user_id: Set(user_id),
            met: Set(met),
            reason: Set(reason.clone()),
            set_by: Set(Some(caller.id)),
            set_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let (action, detail) = match met {
        Some(true) => (Action::OverrideSet, "met"),
        Some(false) => (Action::OverrideSet, "not_met"),
        None => (Action::OverrideCleared, ""),
    };
    record(
        &txn,
        vec![Entry {
            actor: Some(caller.id),
            action,
            edition: Some(edition.id),
            subject: Some(user_id),
            detail,
            reason: Some(&reason),
        }],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The staff's progress list as CSV: one row per enrolled participant, with the group, the
/// progress, whether they count as complete (and why), and their certificate's code.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn progress_csv(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
) -> Result<(String, String), AppError> {
    use crate::domain::csv::line;
    use crate::ssr::entities::{certificate, group, group_member, user};
    let db = &state.db;
    let edition = scope::edition_as_staff(db, caller, edition_id).await?;
    let people = enrolled(db, edition.id).await?;
    let rule = rule_of(&edition);
    let progress = match &rule {
        Some(rule) => progress_for(db, &edition, rule, &people, true).await?,
        None => HashMap::new(),
    };
    let overrides = overrides_of(db, edition.id).await?;
    let groups: HashMap<i32, String> = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition.id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let membership: HashMap<i32, String> = group_member::Entity::find()
        .filter(group_member::Column::EditionId.eq(edition.id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| Some((m.user_id, groups.get(&m.group_id)?.clone())))
        .collect();
    let codes: HashMap<i32, String> = certificate::Entity::find()
        .filter(certificate::Column::EditionId.eq(edition.id))
        .filter(certificate::Column::ValidFor.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| Some((c.user_id?, c.code)))
        .collect();
    let mut users: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(people))
        .all(db)
        .await?;
    users.sort_by(|a, b| {
        (a.family_name.to_lowercase(), a.given_name.to_lowercase())
            .cmp(&(b.family_name.to_lowercase(), b.given_name.to_lowercase()))
    });
    let language = caller.language;
    let yes_no = |b: bool| crate::domain::csv::yes_no(language, b);
    let mut out = crate::domain::csv::BOM.to_owned();
    out.push_str(&line(&[
        td_string!(language, completion.csv_family_name).to_string(),
        td_string!(language, completion.csv_given_name).to_string(),
        td_string!(language, completion.csv_email).to_string(),
        td_string!(language, completion.csv_group).to_string(),
        td_string!(language, completion.csv_percent).to_string(),
        td_string!(language, completion.csv_rule_met).to_string(),
        td_string!(language, completion.csv_decision).to_string(),
        td_string!(language, completion.csv_reason).to_string(),
        td_string!(language, completion.csv_complete).to_string(),
        td_string!(language, completion.csv_certificate).to_string(),
    ]));
    for u in users {
        let p = progress.get(&u.id);
        let decided = overrides.get(&u.id);
        let rule_met = p.is_some_and(|p| p.met);
        out.push_str(&line(&[
            u.family_name.clone(),
            u.given_name.clone(),
            u.email.clone(),
            membership.get(&u.id).cloned().unwrap_or_default(),
            p.map(|p| p.percent.to_string()).unwrap_or_default(),
            yes_no(rule_met),
            decided.map(|o| yes_no(o.met)).unwrap_or_default(),
            decided.map(|o| o.reason.clone()).unwrap_or_default(),
            yes_no(decided.map(|o| o.met).unwrap_or(rule_met)),
            codes.get(&u.id).cloned().unwrap_or_default(),
        ]));
    }
    let file = td_string!(language, completion.csv_file, id = edition.id).to_string();
    Ok((file, out))
}

/// Gives a cloned edition the source's completion rule, naming the copies of its activities.
pub async fn copy_rule(
    txn: &impl ConnectionTrait,
    source: &edition::Model,
    copy: &edition::Model,
    copies: &HashMap<i32, i32>,
) -> Result<(), AppError> {
    if let Some(rule) = rule_of(source) {
        let mut with_rule: edition::ActiveModel = copy.clone().into();
        with_rule.completion_rule = Set(serde_json::to_string(&rule.remapped(copies)).ok());
        with_rule.update(txn).await?;
    }
    Ok(())
}
