use super::api::{
    ActivitiesAdmin, ActivityDetails, ActivityPage, CatchUp, MyActivities, MyActivity,
};
use crate::domain::activities::{self, ActivityForm, ActivityKind, ActivityState, ValidActivity};
use crate::domain::audit::Action;
use crate::domain::quiz::QuizSettings;
use crate::error::{AppError, Refusal};
use crate::features::audit::service as audit;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{from_local, names, to_local};
use crate::ssr::entities::{
    activity, edition, group, material_view, recording_view, user, webinar_speaker,
};
use crate::ssr::scope::{self, InEdition};
use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

pub(crate) fn kind_of(model: &activity::Model) -> ActivityKind {
    model.kind
}

/// A quiz's settings as stored on its activity (`None` for other kinds).
pub(crate) fn quiz_settings(model: &activity::Model) -> Option<QuizSettings> {
    let review = model.review_policy?;
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
        hidden: model.hidden,
    }
}

/// The activities of an edition that participants see and completion counts, in their order.
pub async fn of_edition(
    db: &impl ConnectionTrait,
    edition_id: i32,
) -> Result<Vec<activity::Model>, AppError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::EditionId.eq(edition_id))
        .filter(activity::Column::Hidden.eq(false))
        .order_by_asc(activity::Column::Position)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?)
}

/// [`of_edition`], the same for everyone who looks: read once for all page renders of a moment
/// (see [`crate::ssr::shared`]). For pages only; a change reads them in its transaction.
pub async fn of_edition_shared(
    state: &AppState,
    edition_id: i32,
) -> Result<std::sync::Arc<Vec<activity::Model>>, AppError> {
    state
        .db
        .shared("activities_of_edition", i64::from(edition_id), || async {
            Ok(std::sync::Arc::new(
                of_edition(&state.db, edition_id).await?,
            ))
        })
        .await
}

/// Every activity of an edition, hidden ones too, in their order (for staff arranging them).
pub async fn all_of_edition(
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

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn activities_admin(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
) -> Result<ActivitiesAdmin, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let models = all_of_edition(&state.db, edition.id).await?;
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

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn set_speaker(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    user_id: i32,
    assigned: String,
) -> Result<(), AppError> {
    let activity = scope::activity_as_staff(&state.db, caller, activity_id).await?;
    let speaker = scope::user_as_staff(&state.db, caller, user_id).await?;
    if kind_of(&activity) != ActivityKind::Webinar {
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
            .filter(activity::Column::Kind.eq(ActivityKind::Webinar))
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
    active.kind = Set(valid.kind);
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
    active.review_policy = Set(quiz.map(|q| q.review));
    active.confirms_webinar_id = Set(valid.confirms_webinar_id);
    active.updated_at = Set(Utc::now());
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn create_activity(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    form: ActivityForm,
) -> Result<i32, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let valid = parse(&state.db, edition.id, &form).await?;
    let last = all_of_edition(&state.db, edition.id)
        .await?
        .last()
        .map(|a| a.position)
        .unwrap_or(0);
    let mut active = activity::ActiveModel {
        edition_id: Set(edition.id),
        position: Set(last + 1),
        hidden: Set(false),
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

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn update_activity(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    form: ActivityForm,
) -> Result<(), AppError> {
    let model = scope::activity_as_staff(&state.db, caller, activity_id).await?;
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

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn move_activity(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    direction: String,
) -> Result<(), AppError> {
    let model = scope::activity_as_staff(&state.db, caller, activity_id).await?;
    let up = match direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::NotFound),
    };
    let txn = crate::ssr::db::begin(&state.db).await?;
    let all = all_of_edition(&txn, model.edition_id).await?;
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

/// Deletes an activity nobody has worked on yet. Once participants have (a hand-in, a quiz
/// attempt, attendance, a view), deleting would take their work with it: it is refused, and
/// staff hide the activity instead.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn delete_activity(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<(), AppError> {
    let model = scope::activity_as_staff(&state.db, caller, activity_id).await?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    if has_participant_work(&txn, model.id).await? {
        return Err(AppError::Refused(Refusal::ActivityHasWork));
    }
    let detail = format!("«{}»", model.title);
    let edition_id = model.edition_id;
    model.delete(&txn).await?;
    audit::record(
        &txn,
        vec![audit::Entry {
            actor: Some(caller.id),
            action: Action::ActivityDeleted,
            edition: Some(edition_id),
            subject: None,
            detail: &detail,
            reason: None,
        }],
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = activity_id,
        "activity deleted"
    );
    Ok(())
}

/// Whether any participant has left a trace on the activity that deleting it would erase.
async fn has_participant_work(
    db: &impl ConnectionTrait,
    activity_id: i32,
) -> Result<bool, AppError> {
    use crate::ssr::entities::{attendance, quiz_attempt, submission};
    use sea_orm::PaginatorTrait;
    let counts = [
        submission::Entity::find()
            .filter(submission::Column::ActivityId.eq(activity_id))
            .count(db)
            .await?,
        quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::ActivityId.eq(activity_id))
            .count(db)
            .await?,
        attendance::Entity::find()
            .filter(attendance::Column::ActivityId.eq(activity_id))
            .count(db)
            .await?,
        material_view::Entity::find()
            .filter(material_view::Column::ActivityId.eq(activity_id))
            .count(db)
            .await?,
        recording_view::Entity::find()
            .filter(recording_view::Column::ActivityId.eq(activity_id))
            .count(db)
            .await?,
    ];
    Ok(counts.iter().any(|n| *n > 0))
}

/// Hides an activity from participants and from completion, or shows it again; audited,
/// since it can change who meets the completion rule.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn set_activity_hidden(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    hidden: bool,
) -> Result<(), AppError> {
    let model = scope::activity_as_staff(&state.db, caller, activity_id).await?;
    if model.hidden == hidden {
        return Ok(());
    }
    let txn = crate::ssr::db::begin(&state.db).await?;
    let detail = format!("«{}»", model.title);
    let edition_id = model.edition_id;
    let mut active: activity::ActiveModel = model.into();
    active.hidden = Set(hidden);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        vec![audit::Entry {
            actor: Some(caller.id),
            action: if hidden {
                Action::ActivityHidden
            } else {
                Action::ActivityShown
            },
            edition: Some(edition_id),
            subject: None,
            detail: &detail,
            reason: None,
        }],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The states of every activity for one participant, as they see them.
async fn states_for(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
    activities: &[activity::Model],
    user_id: i32,
) -> Result<HashMap<i32, ActivityState>, AppError> {
    let facts = super::facts::of_participant(db, edition.id, activities, user_id).await?;
    let now = Utc::now();
    Ok(activities
        .iter()
        .map(|a| (a.id, facts.state(edition, a, user_id, now, false)))
        .collect())
}

/// The participant's activities, for the edition's page (which has loaded the edition, the
/// caller's role in it and its activities, [`of_edition_shared`]); `None` for anyone else.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn my_activities(
    state: &AppState,
    caller: &Caller,
    edition: &edition::Model,
    role: &crate::domain::scoping::EditionRole,
    activities: &[activity::Model],
) -> Result<Option<MyActivities>, AppError> {
    let crate::domain::scoping::EditionRole::Participant { group: group_id } = *role else {
        return Ok(None);
    };
    let states = states_for(&state.db, edition, activities, caller.id).await?;
    let mut items: Vec<Option<MyActivity>> = activities
        .iter()
        .map(|a| MyActivity {
            id: a.id,
            kind: kind_of(a),
            state: states.get(&a.id).copied().unwrap_or(ActivityState::ToDo),
            title: a.title.clone(),
            due_at: a.due_at.map(to_local),
            starts_at: a.starts_at.map(to_local),
            estimated_minutes: a.estimated_minutes,
            counts: a.counts,
        })
        .map(Some)
        .collect();
    let when: Vec<_> = items
        .iter()
        .flatten()
        .map(|a| a.starts_at.or(a.due_at))
        .collect();
    let items: Vec<MyActivity> = activities::in_date_order(&when)
        .into_iter()
        .filter_map(|i| items[i].take())
        .collect();
    let next = activities::next_to_do(
        &items
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id, a.state, a.due_at.or(a.starts_at), i as i32))
            .collect::<Vec<_>>(),
    );
    let group = match group_id {
        // A group's name is the same for all its members: read once for the renders of a moment.
        Some(id) => {
            state
                .db
                .shared("group_name", i64::from(id), || async {
                    Ok::<_, AppError>(
                        group::Entity::find_by_id(id)
                            .one(&state.db)
                            .await?
                            .map(|g| (g.id, g.name)),
                    )
                })
                .await?
        }
        None => None,
    };
    // Read with the participant's enrolments: one statement for the page.
    let calendar = scope::place(&state.db, edition.id, caller.id)
        .await?
        .is_some_and(|place| place.calendar);
    Ok(Some(MyActivities {
        activities: items,
        next,
        group,
        calendar,
    }))
}

/// An activity as the caller sees it. Reading changes nothing: a participant's view of a
/// material is recorded by [`record_view`], which the page calls.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn open_activity(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<ActivityPage, AppError> {
    let InEdition {
        object: model,
        edition,
        role,
    } = scope::activity(&state.db, caller, activity_id).await?;
    let kind = kind_of(&model);
    let participant = role.is_participant();
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
        let mut current = facts.state(&edition, &model, caller.id, now, false);
        if kind == ActivityKind::Quiz
            && crate::features::quizzes::service::has_running_attempt(&state.db, &model, caller.id)
                .await?
        {
            current = ActivityState::InProgress;
        }
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
        may_mark_attendance: kind == ActivityKind::Webinar && role.follows_participants(),
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
        .filter(activity::Column::Kind.eq(ActivityKind::Quiz))
        .order_by_asc(activity::Column::Position)
        .one(db)
        .await?)
}

/// A participant has opened a material: it counts as viewed (once; opening again changes
/// nothing). Staff and ambassadors previewing it are not recorded.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn record_view(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<(), AppError> {
    let InEdition {
        object: model,
        role,
        ..
    } = scope::activity(&state.db, caller, activity_id).await?;
    if kind_of(&model) != ActivityKind::Material {
        return Err(AppError::NotFound);
    }
    if !role.is_participant() {
        return Ok(());
    }
    let view = material_view::ActiveModel {
        activity_id: Set(model.id),
        user_id: Set(caller.id),
        viewed_at: Set(Utc::now()),
    };
    use material_view::Column;
    mark_once(&state.db, view, [Column::ActivityId, Column::UserId]).await
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn mark_recording_watched(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<(), AppError> {
    let InEdition {
        object: model,
        edition,
        role,
    } = scope::activity(&state.db, caller, activity_id).await?;
    if !role.is_participant() {
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
    let watched = recording_view::ActiveModel {
        activity_id: Set(model.id),
        user_id: Set(caller.id),
        marked_at: Set(Utc::now()),
    };
    use recording_view::Column;
    mark_once(&state.db, watched, [Column::ActivityId, Column::UserId]).await
}

/// Inserts a mark (a view, a watched recording) unless the same one is already there: marking
/// twice changes nothing.
async fn mark_once<A>(
    db: &impl ConnectionTrait,
    mark: A,
    key: [<A::Entity as EntityTrait>::Column; 2],
) -> Result<(), AppError>
where
    A: ActiveModelTrait + Send,
{
    <A::Entity as EntityTrait>::insert(mark)
        .on_conflict_do_nothing_on(key)
        .exec(db)
        .await?;
    Ok(())
}

/// Copies every activity of one edition (quiz questions included) into another, moving their
/// times by `shift`; answers which copy each original became. A quiz confirming a webinar's
/// recording points at the copy of that webinar. Recordings stay behind: they belong to the
/// webinar that happened.
pub async fn copy_all(
    txn: &impl ConnectionTrait,
    from_edition: i32,
    to_edition: i32,
    shift: TimeDelta,
) -> Result<HashMap<i32, i32>, AppError> {
    // Shifted on the wall clock: a 17:00 webinar stays at 17:00 across a change of summer time.
    let moved = |t: chrono::DateTime<Utc>| from_local(to_local(t) + shift);
    let now = Utc::now();
    let mut copies = HashMap::new();
    let mut confirming: Vec<(i32, i32)> = Vec::new();
    for a in of_edition(txn, from_edition).await? {
        let source_id = a.id;
        let confirms = a.confirms_webinar_id;
        let copy = activity::ActiveModel {
            edition_id: Set(to_edition),
            position: Set(a.position),
            kind: Set(a.kind),
            title: Set(a.title),
            description: Set(a.description),
            opens_at: Set(a.opens_at.map(moved)),
            due_at: Set(a.due_at.map(moved)),
            estimated_minutes: Set(a.estimated_minutes),
            counts: Set(a.counts),
            url: Set(a.url),
            body: Set(a.body),
            starts_at: Set(a.starts_at.map(moved)),
            duration_minutes: Set(a.duration_minutes),
            recording_url: Set(None),
            pass_percent: Set(a.pass_percent),
            max_attempts: Set(a.max_attempts),
            time_limit_minutes: Set(a.time_limit_minutes),
            shuffle: Set(a.shuffle),
            review_policy: Set(a.review_policy),
            hidden: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        copy_questions(txn, source_id, copy.id).await?;
        copies.insert(source_id, copy.id);
        if let Some(webinar) = confirms {
            confirming.push((copy.id, webinar));
        }
    }
    for (quiz, webinar) in confirming {
        activity::Entity::update_many()
            .col_expr(
                activity::Column::ConfirmsWebinarId,
                sea_orm::sea_query::Expr::value(copies.get(&webinar).copied()),
            )
            .filter(activity::Column::Id.eq(quiz))
            .exec(txn)
            .await?;
    }
    Ok(copies)
}

/// The questions of a quiz, copied to another quiz.
async fn copy_questions(txn: &impl ConnectionTrait, from: i32, to: i32) -> Result<(), AppError> {
    use crate::ssr::entities::quiz_question;
    let questions = quiz_question::Entity::find()
        .filter(quiz_question::Column::ActivityId.eq(from))
        .all(txn)
        .await?;
    for q in questions {
        quiz_question::ActiveModel {
            activity_id: Set(to),
            position: Set(q.position),
            prompt: Set(q.prompt),
            points: Set(q.points),
            kind: Set(q.kind),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}
