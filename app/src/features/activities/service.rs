use super::api::{
    ActivitiesAdmin, ActivityDetails, ActivityPage, AttendanceEntry, AttendanceRow,
    AttendanceSheet, CatchUp, ImportPreview, MyActivities, MyActivity,
};
use crate::domain::activities::{self, ActivityForm, ActivityKind, ActivityState, ValidActivity};
use crate::domain::attendance::{matching, report};
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::quiz::{QuizSettings, ReviewPolicy};
use crate::domain::scoping::EditionRole;
use crate::domain::{calendar, text};
use crate::error::{AppError, Refusal};
use crate::ssr::AppState;
use crate::ssr::auth::{self, Caller, guard, signed_in};
use crate::ssr::db::{find_or_404, from_local, names, to_local};
use crate::ssr::entities::{
    activity, attendance, attendance_import, calendar_feed, edition, enrolment, group,
    group_member, material_view, recording_view, user, webinar_speaker,
};
use crate::ssr::scope::edition_role;
use chrono::{TimeDelta, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

fn kind_of(model: &activity::Model) -> ActivityKind {
    ActivityKind::parse(&model.kind).unwrap_or(ActivityKind::Material)
}

/// A quiz's settings as stored on its activity (`None` for other kinds).
pub(crate) fn quiz_settings(model: &activity::Model) -> Option<QuizSettings> {
    let review = ReviewPolicy::parse(model.review_policy.as_deref()?)?;
    Some(QuizSettings {
        pass_percent: model.pass_percent?.max(0) as u32,
        max_attempts: model.max_attempts.map(|n| n.max(0) as u32),
        time_limit_minutes: model.time_limit_minutes.map(|n| n.max(0) as u32),
        shuffle: model.shuffle,
        review,
    })
}

fn details(model: activity::Model) -> ActivityDetails {
    let quiz = quiz_settings(&model);
    ActivityDetails {
        id: model.id,
        edition_id: model.edition_id,
        position: model.position,
        kind: kind_of(&model),
        title: model.title,
        description: model.description,
        opens_at: model.opens_at.map(to_local),
        due_at: model.due_at.map(to_local),
        estimated_minutes: model.estimated_minutes,
        counts: model.counts,
        url: model.url,
        body: model.body,
        starts_at: model.starts_at.map(to_local),
        duration_minutes: model.duration_minutes,
        recording_url: model.recording_url,
        quiz,
        confirms_webinar_id: model.confirms_webinar_id,
    }
}

async fn ordered(
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

pub async fn activities_admin(edition_id: i32) -> Result<ActivitiesAdmin, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
    let models = ordered(&state.db, edition.id).await?;
    let ids: Vec<i32> = models.iter().map(|a| a.id).collect();
    let assigned: Vec<(i32, i32)> = webinar_speaker::Entity::find()
        .filter(webinar_speaker::Column::ActivityId.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| (s.activity_id, s.user_id))
        .collect();
    let choices = user::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::IsStaff.eq(true))
                .add(user::Column::IsAmbassador.eq(true)),
        )
        .order_by_asc(user::Column::FamilyName)
        .order_by_asc(user::Column::GivenName)
        .all(&state.db)
        .await?;
    let mut who = names(&state.db, assigned.iter().map(|(_, u)| *u)).await?;
    let speaker_choices = choices
        .into_iter()
        .map(|u| {
            let name = format!("{} {}", u.given_name, u.family_name);
            who.entry(u.id).or_insert_with(|| name.clone());
            (u.id, name)
        })
        .collect();
    Ok(ActivitiesAdmin {
        edition_id: edition.id,
        edition_title: edition.title,
        attendance_min_minutes: edition.attendance_min_minutes,
        allow_recording: edition.allow_recording,
        activities: models.into_iter().map(details).collect(),
        speakers: assigned
            .into_iter()
            .map(|(a, u)| (a, u, who.get(&u).cloned().unwrap_or_default()))
            .collect(),
        speaker_choices,
    })
}

pub async fn set_speaker(activity_id: i32, user_id: i32, assigned: String) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    let activity = find_or_404::<activity::Entity>(&state.db, activity_id).await?;
    let speaker = find_or_404::<user::Entity>(&state.db, user_id).await?;
    caller.require_staff()?;
    if ActivityKind::parse(&activity.kind) != Some(ActivityKind::Webinar) {
        return Err(AppError::NotFound);
    }
    if assigned.trim() == "true" {
        if !(speaker.is_staff || speaker.is_ambassador) {
            return Err(AppError::Refused(Refusal::NotASpeaker));
        }
        webinar_speaker::Entity::insert(webinar_speaker::ActiveModel {
            activity_id: Set(activity.id),
            user_id: Set(speaker.id),
        })
        .on_conflict_do_nothing_on([
            webinar_speaker::Column::ActivityId,
            webinar_speaker::Column::UserId,
        ])
        .exec(&state.db)
        .await?;
    } else {
        webinar_speaker::Entity::delete_by_id((activity.id, speaker.id))
            .exec(&state.db)
            .await?;
    }
    Ok(())
}

/// Parses the form; a quiz may confirm only a webinar of the same edition.
async fn parse(
    db: &impl ConnectionTrait,
    edition_id: i32,
    form: &ActivityForm,
) -> Result<ValidActivity, AppError> {
    let valid = form.parse().map_err(AppError::invalid)?;
    if let Some(webinar) = valid.confirms_webinar_id {
        let found = activity::Entity::find_by_id(webinar)
            .filter(activity::Column::EditionId.eq(edition_id))
            .filter(activity::Column::Kind.eq(ActivityKind::Webinar.as_str()))
            .one(db)
            .await?;
        if found.is_none() {
            return Err(AppError::invalid(vec![crate::domain::FieldProblem::new(
                crate::domain::Field::ConfirmsWebinar,
                crate::domain::Problem::Required,
            )]));
        }
    }
    Ok(valid)
}

fn apply(active: &mut activity::ActiveModel, valid: ValidActivity) {
    active.kind = Set(valid.kind.as_str().to_owned());
    active.title = Set(valid.title);
    active.description = Set(valid.description);
    active.opens_at = Set(valid.opens_at.map(from_local));
    active.due_at = Set(valid.due_at.map(from_local));
    active.estimated_minutes = Set(valid.estimated_minutes);
    active.counts = Set(valid.counts);
    active.url = Set(valid.url);
    active.body = Set(valid.body);
    active.starts_at = Set(valid.starts_at.map(from_local));
    active.duration_minutes = Set(valid.duration_minutes);
    active.recording_url = Set(valid.recording_url);
    let quiz = valid.quiz;
    active.pass_percent = Set(quiz.map(|q| q.pass_percent as i32));
    active.max_attempts = Set(quiz.and_then(|q| q.max_attempts).map(|n| n as i32));
    active.time_limit_minutes = Set(quiz.and_then(|q| q.time_limit_minutes).map(|n| n as i32));
    active.shuffle = Set(quiz.is_some_and(|q| q.shuffle));
    active.review_policy = Set(quiz.map(|q| q.review.as_str().to_owned()));
    active.confirms_webinar_id = Set(valid.confirms_webinar_id);
    active.updated_at = Set(Utc::now());
}

pub async fn create_activity(edition_id: i32, form: ActivityForm) -> Result<i32, AppError> {
    let (state, caller) = guard().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
    let valid = parse(&state.db, edition.id, &form).await?;
    let last = ordered(&state.db, edition.id)
        .await?
        .last()
        .map(|a| a.position)
        .unwrap_or(0);
    let mut active = activity::ActiveModel {
        edition_id: Set(edition.id),
        position: Set(last + 1),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut active, valid);
    let created = active.insert(&state.db).await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = created.id,
        "activity created"
    );
    Ok(created.id)
}

pub async fn update_activity(activity_id: i32, form: ActivityForm) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    let model = find_or_404::<activity::Entity>(&state.db, activity_id).await?;
    caller.require_staff()?;
    let valid = parse(&state.db, model.edition_id, &form).await?;
    let mut active: activity::ActiveModel = model.into();
    apply(&mut active, valid);
    active.update(&state.db).await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = activity_id,
        "activity updated"
    );
    Ok(())
}

pub async fn move_activity(activity_id: i32, direction: String) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    let model = find_or_404::<activity::Entity>(&state.db, activity_id).await?;
    caller.require_staff()?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::NotFound),
    };
    let txn = crate::ssr::db::begin(&state.db).await?;
    let all = ordered(&txn, model.edition_id).await?;
    let order = activities::moved(&all.iter().map(|a| a.id).collect::<Vec<_>>(), model.id, up);
    for (position, id) in order.into_iter().enumerate() {
        activity::Entity::update_many()
            .col_expr(
                activity::Column::Position,
                sea_orm::sea_query::Expr::value(position as i32 + 1),
            )
            .filter(activity::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn delete_activity(activity_id: i32) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    let model = find_or_404::<activity::Entity>(&state.db, activity_id).await?;
    caller.require_staff()?;
    model.delete(&state.db).await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = activity_id,
        "activity deleted"
    );
    Ok(())
}

/// The states of every activity for one participant, as they see them.
async fn states_for(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
    activities: &[activity::Model],
    user_id: i32,
) -> Result<HashMap<i32, ActivityState>, AppError> {
    let facts = super::facts::load(db, activities, Some(&[user_id])).await?;
    let now = Utc::now();
    Ok(activities
        .iter()
        .map(|a| (a.id, facts.state(edition, a, user_id, now, false)))
        .collect())
}

pub async fn my_activities(edition_id: i32) -> Result<Option<MyActivities>, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    let EditionRole::Participant { group: group_id } =
        edition_role(&state.db, &caller, edition.id).await?
    else {
        return Ok(None);
    };
    let activities = ordered(&state.db, edition.id).await?;
    let states = states_for(&state.db, &edition, &activities, caller.id).await?;
    let items: Vec<MyActivity> = activities
        .into_iter()
        .map(|a| MyActivity {
            id: a.id,
            kind: kind_of(&a),
            state: states.get(&a.id).copied().unwrap_or(ActivityState::ToDo),
            title: a.title,
            due_at: a.due_at.map(to_local),
            starts_at: a.starts_at.map(to_local),
            estimated_minutes: a.estimated_minutes,
            counts: a.counts,
        })
        .collect();
    let next = activities::next_to_do(
        &items
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, a.state, a.due_at.or(a.starts_at), i as i32))
            .collect::<Vec<_>>(),
    );
    let group = match group_id {
        Some(id) => group::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|g| (g.id, g.name)),
        None => None,
    };
    let calendar = calendar_feed::Entity::find_by_id(caller.id)
        .one(&state.db)
        .await?
        .is_some();
    Ok(Some(MyActivities {
        activities: items,
        next,
        group,
        calendar,
    }))
}

/// Loads an activity through the caller's place in its edition: outsiders get "not found".
async fn activity_in_scope(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<(activity::Model, edition::Model, EditionRole), AppError> {
    let activity = find_or_404::<activity::Entity>(db, activity_id).await?;
    let edition = find_or_404::<edition::Entity>(db, activity.edition_id).await?;
    let role = edition_role(db, caller, edition.id).await?;
    if !role.takes_part() {
        return Err(AppError::NotFound);
    }
    Ok((activity, edition, role))
}

pub async fn open_activity(activity_id: i32) -> Result<ActivityPage, AppError> {
    let (state, caller) = signed_in().await?;
    let (model, edition, role) = activity_in_scope(&state.db, &caller, activity_id).await?;
    let kind = kind_of(&model);
    let participant = matches!(role, EditionRole::Participant { .. });
    if participant && kind == ActivityKind::Material {
        material_view::Entity::insert(material_view::ActiveModel {
            activity_id: Set(model.id),
            user_id: Set(caller.id),
            viewed_at: Set(Utc::now()),
        })
        .on_conflict_do_nothing_on([
            material_view::Column::ActivityId,
            material_view::Column::UserId,
        ])
        .exec(&state.db)
        .await?;
    }
    let now = to_local(Utc::now());
    let starts_at = model.starts_at.map(to_local);
    let join_url = match (kind, starts_at, &model.url) {
        (ActivityKind::Webinar, Some(start), Some(url))
            if !participant
                || activities::join_link_visible(
                    now,
                    start,
                    model.duration_minutes.unwrap_or(0),
                ) =>
        {
            Some(url.clone())
        }
        _ => None,
    };
    let speakers: Vec<i32> = webinar_speaker::Entity::find()
        .select_only()
        .column(webinar_speaker::Column::UserId)
        .filter(webinar_speaker::Column::ActivityId.eq(model.id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let speaker_names = names(&state.db, speakers).await?.into_values().collect();
    let (state_of, catch_up) = if participant {
        let confirming = confirming_quiz(&state.db, &model).await?;
        let mut both = vec![model.clone()];
        both.extend(confirming.clone());
        let facts = super::facts::load(&state.db, &both, Some(&[caller.id])).await?;
        let now = Utc::now();
        let current = facts.state(&edition, &model, caller.id, now, false);
        let catch_up = confirming.filter(|_| {
            current == ActivityState::WatchedRecording
                || activities::may_catch_up(
                    current,
                    edition.allow_recording,
                    model.recording_url.is_some(),
                    true,
                )
        });
        let catch_up = catch_up.map(|quiz| CatchUp {
            watched: facts.watched_recording(model.id, caller.id),
            quiz_id: quiz.id,
            quiz_state: facts.state(&edition, &quiz, caller.id, now, false),
            quiz_title: quiz.title,
            done: current == ActivityState::WatchedRecording,
        });
        (Some(current), catch_up)
    } else {
        (None, None)
    };
    Ok(ActivityPage {
        id: model.id,
        edition_id: edition.id,
        edition_title: edition.title,
        kind,
        title: model.title,
        description: model.description,
        opens_at: model.opens_at.map(to_local),
        due_at: model.due_at.map(to_local),
        estimated_minutes: model.estimated_minutes,
        url: if kind == ActivityKind::Material {
            model.url
        } else {
            None
        },
        body: model.body,
        starts_at,
        duration_minutes: model.duration_minutes,
        join_url,
        over: starts_at.is_some_and(|start| {
            now > start + TimeDelta::minutes(i64::from(model.duration_minutes.unwrap_or(0)))
        }),
        recording_url: model.recording_url,
        speakers: speaker_names,
        state: state_of,
        may_mark_attendance: kind == ActivityKind::Webinar
            && matches!(role, EditionRole::Staff | EditionRole::Ambassador { .. }),
        may_edit_quiz: kind == ActivityKind::Quiz && role.is_staff(),
        catch_up,
    })
}

/// The quiz of the same edition that confirms a webinar's recording was watched, if any.
async fn confirming_quiz(
    db: &impl ConnectionTrait,
    webinar: &activity::Model,
) -> Result<Option<activity::Model>, AppError> {
    if kind_of(webinar) != ActivityKind::Webinar {
        return Ok(None);
    }
    Ok(activity::Entity::find()
        .filter(activity::Column::EditionId.eq(webinar.edition_id))
        .filter(activity::Column::ConfirmsWebinarId.eq(webinar.id))
        .filter(activity::Column::Kind.eq(ActivityKind::Quiz.as_str()))
        .order_by_asc(activity::Column::Position)
        .one(db)
        .await?)
}

pub async fn mark_recording_watched(activity_id: i32) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    let (model, edition, role) = activity_in_scope(&state.db, &caller, activity_id).await?;
    if !matches!(role, EditionRole::Participant { .. }) {
        return Err(AppError::NotAllowed);
    }
    let confirming = confirming_quiz(&state.db, &model).await?;
    let facts =
        super::facts::load(&state.db, std::slice::from_ref(&model), Some(&[caller.id])).await?;
    let current = facts.state(&edition, &model, caller.id, Utc::now(), false);
    if !activities::may_catch_up(
        current,
        edition.allow_recording,
        model.recording_url.is_some(),
        confirming.is_some(),
    ) {
        return Err(AppError::Refused(Refusal::CannotCatchUp));
    }
    recording_view::Entity::insert(recording_view::ActiveModel {
        activity_id: Set(model.id),
        user_id: Set(caller.id),
        marked_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing_on([
        recording_view::Column::ActivityId,
        recording_view::Column::UserId,
    ])
    .exec(&state.db)
    .await?;
    Ok(())
}

pub async fn save_attendance_rules(
    edition_id: i32,
    min_minutes: String,
    allow_recording: bool,
) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
    let minutes = text::whole_number(&min_minutes, 1, 600).map_err(|problem| {
        AppError::invalid(vec![crate::domain::FieldProblem::new(
            crate::domain::Field::MinMinutes,
            problem,
        )])
    })?;
    let mut active: edition::ActiveModel = edition.into();
    active.attendance_min_minutes = Set(minutes as i32);
    active.allow_recording = Set(allow_recording);
    active.updated_at = Set(Utc::now());
    active.update(&state.db).await?;
    Ok(())
}

/// Enrolled participants the caller follows in an edition, with their group names.
async fn followed_participants(
    db: &impl ConnectionTrait,
    edition_id: i32,
    role: &EditionRole,
) -> Result<Vec<(i32, Option<String>)>, AppError> {
    let enrolled: Vec<i32> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let memberships: HashMap<i32, i32> = group_member::Entity::find()
        .filter(group_member::Column::EditionId.eq(edition_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.group_id))
        .collect();
    let group_names: HashMap<i32, String> = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok(enrolled
        .into_iter()
        .filter(|user| role.may_follow(memberships.get(user).copied(), false))
        .map(|user| {
            (
                user,
                memberships
                    .get(&user)
                    .and_then(|g| group_names.get(g))
                    .cloned(),
            )
        })
        .collect())
}

async fn webinar_for_tutors(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<(activity::Model, edition::Model, EditionRole), AppError> {
    let (model, edition, role) = activity_in_scope(db, caller, activity_id).await?;
    if kind_of(&model) != ActivityKind::Webinar {
        return Err(AppError::NotFound);
    }
    if !matches!(role, EditionRole::Staff | EditionRole::Ambassador { .. }) {
        return Err(AppError::NotAllowed);
    }
    Ok((model, edition, role))
}

pub async fn attendance_sheet(activity_id: i32) -> Result<AttendanceSheet, AppError> {
    let (state, caller) = signed_in().await?;
    let (model, edition, role) = webinar_for_tutors(&state.db, &caller, activity_id).await?;
    let followed = followed_participants(&state.db, edition.id, &role).await?;
    let records: HashMap<i32, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::ActivityId.eq(model.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a))
        .collect();
    let people = names(&state.db, followed.iter().map(|(id, _)| *id)).await?;
    let mut rows: Vec<AttendanceRow> = followed
        .into_iter()
        .map(|(user_id, group)| AttendanceRow {
            user_id,
            name: people.get(&user_id).cloned().unwrap_or_default(),
            group,
            minutes: records.get(&user_id).map(|a| a.minutes),
            source: records.get(&user_id).map(|a| a.source.clone()),
        })
        .collect();
    rows.sort_by(|a, b| (&a.group, &a.name).cmp(&(&b.group, &b.name)));
    Ok(AttendanceSheet {
        activity_id: model.id,
        edition_id: edition.id,
        title: model.title,
        duration_minutes: model.duration_minutes.unwrap_or(0),
        required_minutes: edition.attendance_min_minutes,
        rows,
        may_import: role.is_staff(),
    })
}

pub async fn save_attendance(
    activity_id: i32,
    entries: Vec<AttendanceEntry>,
) -> Result<u32, AppError> {
    let (state, caller) = guard().await?;
    let (model, edition, role) = webinar_for_tutors(&state.db, &caller, activity_id).await?;
    let followed: Vec<i32> = followed_participants(&state.db, edition.id, &role)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let duration = i64::from(model.duration_minutes.unwrap_or(0).max(1));
    // Everything is checked before anything is written.
    let mut changes = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for entry in &entries {
        if !followed.contains(&entry.user_id) {
            return Err(AppError::NotFound);
        }
        let minutes = if entry.present.is_some() {
            match entry.minutes.trim() {
                "" => Some(duration as i32),
                typed => match text::whole_number(typed, 0, duration) {
                    Ok(m) => Some(m as i32),
                    Err(problem) => {
                        problems.push(crate::domain::FieldProblem::new(
                            crate::domain::Field::Minutes,
                            problem,
                        ));
                        None
                    }
                },
            }
        } else {
            None
        };
        changes.push((entry.user_id, minutes));
    }
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    for (user_id, minutes) in &changes {
        match minutes {
            Some(minutes) => {
                attendance::Entity::insert(attendance::ActiveModel {
                    activity_id: Set(model.id),
                    user_id: Set(*user_id),
                    minutes: Set(*minutes),
                    source: Set("manual".to_owned()),
                    recorded_by: Set(Some(caller.id)),
                    recorded_at: Set(now),
                })
                .on_conflict(
                    OnConflict::columns([
                        attendance::Column::ActivityId,
                        attendance::Column::UserId,
                    ])
                    .update_columns([
                        attendance::Column::Minutes,
                        attendance::Column::Source,
                        attendance::Column::RecordedBy,
                        attendance::Column::RecordedAt,
                    ])
                    .to_owned(),
                )
                .exec(&txn)
                .await?;
            }
            None => {
                attendance::Entity::delete_by_id((model.id, *user_id))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    let details: Vec<String> = changes
        .iter()
        .map(|(_, minutes)| match minutes {
            Some(m) => format!("{}: {m} min", model.title),
            None => format!("{}: —", model.title),
        })
        .collect();
    crate::features::audit::service::record(
        &txn,
        changes
            .iter()
            .zip(&details)
            .map(
                |((user_id, _), detail)| crate::features::audit::service::Event {
                    actor: Some(caller.id),
                    action: crate::domain::audit::Action::AttendanceRecorded,
                    edition: Some(edition.id),
                    subject: Some(*user_id),
                    detail,
                    reason: None,
                },
            )
            .collect(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = model.id,
        entries = changes.len(),
        "attendance marked"
    );
    Ok(changes.iter().filter(|(_, m)| m.is_some()).count() as u32)
}

/// Reads an uploaded report and keeps its matched preview until staff apply it. Called by the
/// upload route (multipart), after its own sign-in and origin checks.
pub async fn create_import(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    file_name: &str,
    bytes: &[u8],
) -> Result<i32, AppError> {
    let (model, edition, role) = webinar_for_tutors(&state.db, caller, activity_id).await?;
    if !role.is_staff() {
        return Err(AppError::NotAllowed);
    }
    let report = report::read(bytes).map_err(|e| AppError::Refused(Refusal::Report(e)))?;
    let participants = participants_for_matching(&state.db, edition.id).await?;
    let rows = matching::match_attendees(&report.attendees, &participants);
    let stored =
        serde_json::to_string(&(rows, report.unreadable_rows)).map_err(|_| AppError::Internal)?;
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    let created = attendance_import::ActiveModel {
        activity_id: Set(model.id),
        uploaded_by: Set(caller.id),
        file_name: Set(if name.is_empty() {
            "report".to_owned()
        } else {
            name
        }),
        rows: Set(stored),
        created_at: Set(Utc::now()),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = model.id,
        import.id = created.id,
        "attendance report uploaded"
    );
    Ok(created.id)
}

async fn participants_for_matching(
    db: &impl ConnectionTrait,
    edition_id: i32,
) -> Result<Vec<matching::Participant>, AppError> {
    let enrolled: Vec<i32> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(enrolled))
        .all(db)
        .await?
        .into_iter()
        .map(|u| matching::Participant {
            user_id: u.id,
            email: u.email,
            given_name: u.given_name,
            family_name: u.family_name,
        })
        .collect())
}

async fn import_in_scope(
    db: &impl ConnectionTrait,
    caller: &Caller,
    import_id: i32,
) -> Result<
    (
        attendance_import::Model,
        activity::Model,
        Vec<matching::PreviewRow>,
        Vec<usize>,
    ),
    AppError,
> {
    let import = find_or_404::<attendance_import::Entity>(db, import_id).await?;
    let (model, _, role) = webinar_for_tutors(db, caller, import.activity_id).await?;
    if !role.is_staff() {
        return Err(AppError::NotAllowed);
    }
    let (rows, unreadable): (Vec<matching::PreviewRow>, Vec<usize>) =
        serde_json::from_str(&import.rows).map_err(|_| AppError::Internal)?;
    Ok((import, model, rows, unreadable))
}

pub async fn import_preview(import_id: i32) -> Result<ImportPreview, AppError> {
    let (state, caller) = signed_in().await?;
    let (import, model, rows, unreadable_rows) =
        import_in_scope(&state.db, &caller, import_id).await?;
    let ids = rows.iter().flat_map(|r| match &r.outcome {
        matching::Outcome::ByEmail(id) | matching::Outcome::ByName(id) => vec![*id],
        matching::Outcome::Ambiguous(ids) => ids.clone(),
        matching::Outcome::Unmatched => vec![],
    });
    let people = names(&state.db, ids).await?;
    Ok(ImportPreview {
        import_id: import.id,
        activity_id: model.id,
        title: model.title,
        file_name: import.file_name,
        rows,
        names: people.into_iter().collect(),
        unreadable_rows,
        applied: import.applied_at.is_some(),
    })
}

pub async fn apply_import(import_id: i32) -> Result<u32, AppError> {
    let (state, caller) = guard().await?;
    let (import, model, rows, _) = import_in_scope(&state.db, &caller, import_id).await?;
    let totals = matching::minutes_by_participant(&rows);
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    for (user_id, minutes) in &totals {
        attendance::Entity::insert(attendance::ActiveModel {
            activity_id: Set(model.id),
            user_id: Set(*user_id),
            minutes: Set(i32::try_from(*minutes).unwrap_or(i32::MAX)),
            source: Set("import".to_owned()),
            recorded_by: Set(Some(caller.id)),
            recorded_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([attendance::Column::ActivityId, attendance::Column::UserId])
                .update_columns([
                    attendance::Column::Minutes,
                    attendance::Column::Source,
                    attendance::Column::RecordedBy,
                    attendance::Column::RecordedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    }
    let details: Vec<(i32, String)> = totals
        .iter()
        .map(|(user_id, minutes)| (*user_id, format!("{}: {minutes} min", model.title)))
        .collect();
    crate::features::audit::service::record(
        &txn,
        details
            .iter()
            .map(|(user_id, detail)| crate::features::audit::service::Event {
                actor: Some(caller.id),
                action: crate::domain::audit::Action::AttendanceImported,
                edition: Some(model.edition_id),
                subject: Some(*user_id),
                detail,
                reason: None,
            })
            .collect(),
    )
    .await?;
    let mut applied: attendance_import::ActiveModel = import.into();
    applied.applied_at = Set(Some(now));
    applied.update(&txn).await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = model.id,
        import.id = import_id,
        recorded = totals.len(),
        "attendance imported"
    );
    leptos_axum::redirect(&format!("/activities/{}/attendance", model.id));
    Ok(totals.len() as u32)
}

pub async fn reset_calendar() -> Result<String, AppError> {
    let (state, caller) = guard().await?;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        user_id: Set(caller.id),
        token_hash: Set(auth::hash_token(&token)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([
                calendar_feed::Column::TokenHash,
                calendar_feed::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(&state.db)
    .await?;
    Ok(format!("{}/calendar/{token}.ics", state.settings.base_url))
}

/// The calendar behind a private address, or `None` for an unknown or revoked one.
pub async fn calendar_for_token(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(feed) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(auth::hash_token(token)))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let owner = find_or_404::<user::Entity>(&state.db, feed.user_id).await?;
    let editions: Vec<i32> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::EditionId)
        .filter(enrolment::Column::UserId.eq(owner.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .into_tuple()
        .all(&state.db)
        .await?;
    let activities = activity::Entity::find()
        .filter(activity::Column::EditionId.is_in(editions))
        .order_by_asc(activity::Column::Id)
        .all(&state.db)
        .await?;
    let base = &state.settings.base_url;
    let mut events = Vec::new();
    for a in activities {
        let url = Some(format!("{base}/activities/{}", a.id));
        if let (ActivityKind::Webinar, Some(start)) = (kind_of(&a), a.starts_at) {
            events.push(calendar::Event {
                uid: format!("activity-{}@aula", a.id),
                summary: a.title.clone(),
                description: a.description.clone(),
                starts_at: start,
                ends_at: start + TimeDelta::minutes(i64::from(a.duration_minutes.unwrap_or(60))),
                url: url.clone(),
            });
        }
        if let Some(due) = a.due_at {
            events.push(calendar::due_event(
                format!("activity-{}-due@aula", a.id),
                format!("⏰ {}", a.title),
                due,
                url,
            ));
        }
    }
    Ok(Some(calendar::calendar(
        &format!("Aula – {} {}", owner.given_name, owner.family_name),
        &events,
        Utc::now(),
    )))
}
