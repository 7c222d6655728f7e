use super::api::{
    AttemptRow, PastAttempt, QuestionResult, QuestionRow, QuizAdmin, QuizView, RunningAttempt,
    Score,
};
use crate::domain::quiz::{
    self, Answer, Question, QuestionForTaker, QuestionForm, QuizSettings, ReviewPolicy,
    StartRefusal,
};
use crate::error::{AppError, QuizRefusal, Refusal};
use crate::features::activities::service::quiz_settings;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{find_or_404, names, to_local};
use crate::ssr::entities::{activity, edition, quiz_attempt, quiz_question};
use crate::ssr::scope::{self, InEdition};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait,
    QueryFilter, QueryOrder,
};
use std::collections::HashMap;

fn refused(refusal: QuizRefusal) -> AppError {
    AppError::Refused(Refusal::Quiz(refusal))
}

fn settings_of(quiz: &activity::Model) -> QuizSettings {
    quiz_settings(quiz).unwrap_or_default()
}

async fn questions_of(
    db: &impl ConnectionTrait,
    activity_id: i32,
) -> Result<Vec<Question>, AppError> {
    Ok(quiz_question::Entity::find()
        .filter(quiz_question::Column::ActivityId.eq(activity_id))
        .order_by_asc(quiz_question::Column::Position)
        .order_by_asc(quiz_question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|q| {
            Some(Question {
                id: q.id,
                prompt: q.prompt,
                points: q.points.max(0) as u32,
                kind: serde_json::from_str(&q.kind).ok()?,
            })
        })
        .collect())
}

/// The questions in the order an attempt shows them: shuffled by its seed when the quiz says
/// so. Its review keeps that order, so "question 3" is the same question in both.
fn in_attempt_order(questions: &[Question], seed: i64, shuffle: bool) -> Vec<&Question> {
    let order: Vec<usize> = if shuffle {
        quiz::shuffled(questions.len(), seed as u64)
    } else {
        (0..questions.len()).collect()
    };
    order.into_iter().filter_map(|i| questions.get(i)).collect()
}

/// The questions as this attempt shows them.
fn for_taker(questions: &[Question], seed: i64, shuffle: bool) -> Vec<QuestionForTaker> {
    in_attempt_order(questions, seed, shuffle)
        .into_iter()
        .map(|q| q.for_taker(option_order(q, seed, shuffle).as_deref()))
        .collect()
}

/// The order an attempt shows a question's options in (`None`: as written), the same for the
/// form and for reading the answers back.
fn option_order(question: &Question, seed: i64, shuffle: bool) -> Option<Vec<usize>> {
    match &question.kind {
        quiz::Kind::SingleChoice { options, .. } | quiz::Kind::MultipleChoice { options, .. }
            if shuffle =>
        {
            Some(quiz::shuffled(
                options.len(),
                (seed as u64) ^ (question.id as u64).wrapping_mul(31),
            ))
        }
        _ => None,
    }
}

/// When answers to an attempt stop being accepted (grace included), if ever.
fn accepted_until(
    attempt: &quiz_attempt::Model,
    activity: &activity::Model,
    settings: &QuizSettings,
) -> Option<DateTime<Utc>> {
    let grace = TimeDelta::seconds(quiz::SUBMIT_GRACE_SECS);
    let by_limit = settings
        .time_limit_minutes
        .map(|m| attempt.started_at + TimeDelta::minutes(i64::from(m)) + grace);
    let by_close = activity.due_at.map(|due| due + grace);
    match (by_limit, by_close) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The end shown to the participant (without the grace).
fn shown_end(
    attempt: &quiz_attempt::Model,
    activity: &activity::Model,
    settings: &QuizSettings,
) -> Option<DateTime<Utc>> {
    let by_limit = settings
        .time_limit_minutes
        .map(|m| attempt.started_at + TimeDelta::minutes(i64::from(m)));
    match (by_limit, activity.due_at) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Before the quiz opens: at its opening time when staff set one (earlier than the edition's
/// start if they say so), otherwise on the edition's first day.
fn not_open_yet(activity: &activity::Model, edition: &edition::Model, now: DateTime<Utc>) -> bool {
    match activity.opens_at {
        Some(opens) => now < opens,
        None => to_local(now).date() < edition.starts_on,
    }
}

fn closed(activity: &activity::Model, now: DateTime<Utc>) -> bool {
    activity.due_at.is_some_and(|due| now > due)
}

fn answer_text(question: &Question, answer: &Answer) -> String {
    let option = |i: &usize| match &question.kind {
        quiz::Kind::SingleChoice { options, .. } | quiz::Kind::MultipleChoice { options, .. } => {
            options.get(*i).cloned().unwrap_or_default()
        }
        _ => String::new(),
    };
    match answer {
        Answer::Choice(i) => option(i),
        Answer::Choices(all) => all.iter().map(option).collect::<Vec<_>>().join("; "),
        Answer::Truth(b) => b.to_string(),
        Answer::Text(t) => t.clone(),
        Answer::Blank => String::new(),
    }
}

/// The attempt's score; question by question too (with the right answers) when `solutions`.
fn score_of(
    attempt: &quiz_attempt::Model,
    questions: &[Question],
    shuffle: bool,
    solutions: bool,
) -> Option<Score> {
    let answers: Vec<(i32, Answer)> = serde_json::from_str(attempt.answers.as_deref()?).ok()?;
    Some(Score {
        points: attempt.points?.max(0) as u32,
        max_points: attempt.max_points?.max(0) as u32,
        percent: attempt.percent?.max(0) as u32,
        passed: attempt.passed?,
        questions: in_attempt_order(questions, attempt.seed, shuffle)
            .into_iter()
            .filter(|_| solutions)
            .map(|q| {
                let given = answers
                    .iter()
                    .find(|(id, _)| *id == q.id)
                    .map(|(_, a)| a.clone())
                    .unwrap_or(Answer::Blank);
                QuestionResult {
                    prompt: q.prompt.clone(),
                    points: q.points,
                    given: answer_text(q, &given),
                    correct: q.is_correct(&given),
                    solution: q.solution(),
                    true_false: matches!(q.kind, quiz::Kind::TrueFalse { .. }),
                }
            })
            .collect(),
    })
}

async fn attempts_of(
    db: &impl ConnectionTrait,
    activity_id: i32,
    user_id: i32,
) -> Result<Vec<quiz_attempt::Model>, AppError> {
    Ok(quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::ActivityId.eq(activity_id))
        .filter(quiz_attempt::Column::UserId.eq(user_id))
        .order_by_asc(quiz_attempt::Column::Number)
        .all(db)
        .await?)
}

/// Whether `user_id` has an attempt at this quiz that is still open for answers.
pub async fn has_running_attempt(
    db: &impl ConnectionTrait,
    activity: &activity::Model,
    user_id: i32,
) -> Result<bool, AppError> {
    let settings = settings_of(activity);
    let now = Utc::now();
    Ok(quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::ActivityId.eq(activity.id))
        .filter(quiz_attempt::Column::UserId.eq(user_id))
        .filter(quiz_attempt::Column::SubmittedAt.is_null())
        .all(db)
        .await?
        .iter()
        .any(|a| accepted_until(a, activity, &settings).is_none_or(|end| now <= end)))
}

/// The quiz as its participant sees it; `None` for staff and ambassadors (who take none).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn quiz_view(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<Option<QuizView>, AppError> {
    let InEdition {
        object: activity,
        edition,
        role,
    } = scope::quiz(&state.db, caller, activity_id).await?;
    if !role.is_participant() {
        return Ok(None);
    }
    let settings = settings_of(&activity);
    let now = Utc::now();
    let questions = questions_of(&state.db, activity.id).await?;
    let attempts = attempts_of(&state.db, activity.id, caller.id).await?;
    let is_running = |a: &quiz_attempt::Model| {
        a.submitted_at.is_none()
            && accepted_until(a, &activity, &settings).is_none_or(|end| now <= end)
    };
    let is_closed = closed(&activity, now);
    let review = quiz::can_review(settings.review, true, is_closed);
    let used = attempts.len() as u32;
    let attempts_left = settings.max_attempts.is_none_or(|max| used < max);
    let solutions = quiz::solutions_visible(settings.review, is_closed, attempts_left);
    let running = attempts
        .iter()
        .find(|a| is_running(a))
        .map(|a| RunningAttempt {
            id: a.id,
            number: a.number,
            version: a.version,
            ends_at: shown_end(a, &activity, &settings).map(to_local),
            seconds_left: shown_end(a, &activity, &settings)
                .map(|end| (end - now).num_seconds().max(0)),
            questions: for_taker(&questions, a.seed, settings.shuffle),
        });
    let past: Vec<PastAttempt> = attempts
        .iter()
        .filter(|a| !is_running(a))
        .map(|a| PastAttempt {
            number: a.number,
            submitted_at: a.submitted_at.map(to_local),
            expired: a.answers.is_none(),
            score: if review {
                score_of(a, &questions, settings.shuffle, solutions)
            } else {
                None
            },
        })
        .collect();
    let may_start = quiz::may_start(
        not_open_yet(&activity, &edition, now),
        closed(&activity, now),
        used,
        settings.max_attempts,
        running.is_some(),
    )
    .err();
    let solutions_later = review && !solutions && !past.is_empty();
    Ok(Some(QuizView {
        activity_id: activity.id,
        settings,
        question_count: questions.len() as u32,
        attempts_used: used,
        running,
        past,
        may_start,
        results_from: (settings.review == ReviewPolicy::AfterClose && !review)
            .then(|| activity.due_at.map(to_local))
            .flatten(),
        solutions_later,
    }))
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn start_attempt(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<i32, AppError> {
    let InEdition {
        object: activity,
        edition,
        role,
    } = scope::quiz(&state.db, caller, activity_id).await?;
    if !role.is_participant() {
        return Err(AppError::NotAllowed);
    }
    let settings = settings_of(&activity);
    let now = Utc::now();
    if questions_of(&state.db, activity.id).await?.is_empty() {
        return Err(refused(QuizRefusal::NoQuestions));
    }
    let attempts = attempts_of(&state.db, activity.id, caller.id).await?;
    let running = attempts.iter().find(|a| {
        a.submitted_at.is_none()
            && accepted_until(a, &activity, &settings).is_none_or(|end| now <= end)
    });
    if let Some(running) = running {
        // A second click on "start": the attempt already running is the answer.
        return Ok(running.id);
    }
    quiz::may_start(
        not_open_yet(&activity, &edition, now),
        closed(&activity, now),
        attempts.len() as u32,
        settings.max_attempts,
        false,
    )
    .map_err(|r| refused(QuizRefusal::Start(r)))?;
    let seed = {
        use rand::Rng;
        rand::rng().random::<i64>()
    };
    // The unique (activity, user, number) index lets only one of two simultaneous starts in.
    let created = quiz_attempt::ActiveModel {
        activity_id: Set(activity.id),
        user_id: Set(caller.id),
        number: Set(attempts.len() as i32 + 1),
        seed: Set(seed),
        version: Set(1),
        started_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map_err(|error| {
        if error.sql_err().is_some() {
            refused(QuizRefusal::Start(StartRefusal::AttemptInProgress))
        } else {
            error.into()
        }
    })?;
    Ok(created.id)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    Recorded,
    /// The same answers arrived again (a double click): already recorded.
    AlreadyRecorded,
}

/// Grades and records an attempt's answers, once. `fields` are the quiz form's fields.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn submit_attempt(
    state: &AppState,
    caller: &Caller,
    attempt_id: i32,
    version: i32,
    fields: &[(String, String)],
) -> Result<(i32, Submitted), AppError> {
    let (
        attempt,
        InEdition {
            object: activity, ..
        },
    ) = scope::attempt_as_owner(&state.db, caller, attempt_id).await?;
    let settings = settings_of(&activity);
    let questions = questions_of(&state.db, activity.id).await?;
    let answers = quiz::answers_from_form(&questions, fields, |q| {
        option_order(q, attempt.seed, settings.shuffle)
    });
    let answers_json = serde_json::to_string(&answers).unwrap_or_default();
    if attempt.submitted_at.is_some() || attempt.version != version {
        return if attempt.answers.as_deref() == Some(answers_json.as_str()) {
            Ok((activity.id, Submitted::AlreadyRecorded))
        } else {
            Err(refused(QuizRefusal::AlreadySubmitted))
        };
    }
    let now = Utc::now();
    if accepted_until(&attempt, &activity, &settings).is_some_and(|end| now > end) {
        // The attempt is over: it counts, with nothing answered.
        close_attempt(&state.db, attempt.id, version, now, Closing::TimedOut).await?;
        return Err(refused(QuizRefusal::TooLate));
    }
    let grade = quiz::grade(&questions, &answers, settings.pass_percent);
    let closing = Closing::Answered {
        answers: answers_json,
        grade: &grade,
    };
    let updated = close_attempt(&state.db, attempt.id, version, now, closing).await?;
    if updated != 1 {
        // Another request recorded it between our read and our write.
        let now_stored = find_or_404::<quiz_attempt::Entity>(&state.db, attempt.id).await?;
        return if now_stored.answers.as_deref() == serde_json::to_string(&answers).ok().as_deref() {
            Ok((activity.id, Submitted::AlreadyRecorded))
        } else {
            Err(refused(QuizRefusal::AlreadySubmitted))
        };
    }
    tracing::info!(
        user.id = caller.id,
        attempt.id = attempt.id,
        "quiz attempt submitted"
    );
    Ok((activity.id, Submitted::Recorded))
}

/// How an attempt ends: answered and graded, or out of time with nothing answered.
enum Closing<'a> {
    TimedOut,
    Answered {
        answers: String,
        grade: &'a quiz::Grade,
    },
}

/// Closes the attempt if it is still open at `version`; answers how many rows changed (none
/// when another request closed it first).
async fn close_attempt(
    db: &impl ConnectionTrait,
    attempt_id: i32,
    version: i32,
    now: DateTime<Utc>,
    closing: Closing<'_>,
) -> Result<u64, AppError> {
    use sea_orm::sea_query::Expr;
    let update = quiz_attempt::Entity::update_many()
        .col_expr(quiz_attempt::Column::SubmittedAt, Expr::value(now))
        .col_expr(quiz_attempt::Column::Version, Expr::value(version + 1));
    let update = match closing {
        Closing::TimedOut => update
            .col_expr(quiz_attempt::Column::Points, Expr::value(0))
            .col_expr(quiz_attempt::Column::Percent, Expr::value(0))
            .col_expr(quiz_attempt::Column::Passed, Expr::value(false)),
        Closing::Answered { answers, grade } => update
            .col_expr(quiz_attempt::Column::Answers, Expr::value(answers))
            .col_expr(
                quiz_attempt::Column::Points,
                Expr::value(grade.points as i32),
            )
            .col_expr(
                quiz_attempt::Column::MaxPoints,
                Expr::value(grade.max_points as i32),
            )
            .col_expr(
                quiz_attempt::Column::Percent,
                Expr::value(grade.percent as i32),
            )
            .col_expr(quiz_attempt::Column::Passed, Expr::value(grade.passed)),
    };
    let updated = update
        .filter(quiz_attempt::Column::Id.eq(attempt_id))
        .filter(quiz_attempt::Column::Version.eq(version))
        .filter(quiz_attempt::Column::SubmittedAt.is_null())
        .exec(db)
        .await?;
    Ok(updated.rows_affected)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn quiz_admin(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<QuizAdmin, AppError> {
    let activity = scope::quiz_as_staff(&state.db, caller, activity_id).await?;
    let settings = settings_of(&activity);
    let edition =
        find_or_404::<crate::ssr::entities::edition::Entity>(&state.db, activity.edition_id)
            .await?;
    let questions = questions_of(&state.db, activity.id).await?;
    let attempts = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::ActivityId.eq(activity.id))
        .order_by_desc(quiz_attempt::Column::StartedAt)
        .all(&state.db)
        .await?;
    let mut stats: HashMap<i32, (u32, u32)> = HashMap::new();
    for attempt in &attempts {
        let Some(answers) = attempt
            .answers
            .as_deref()
            .and_then(|a| serde_json::from_str::<Vec<(i32, Answer)>>(a).ok())
        else {
            continue;
        };
        for question in &questions {
            let given = answers
                .iter()
                .find(|(id, _)| *id == question.id)
                .map(|(_, a)| a);
            if let Some(given) = given.filter(|a| **a != Answer::Blank) {
                let entry = stats.entry(question.id).or_default();
                entry.0 += 1;
                if question.is_correct(given) {
                    entry.1 += 1;
                }
            }
        }
    }
    let who = names(&state.db, attempts.iter().map(|a| a.user_id)).await?;
    Ok(QuizAdmin {
        activity_id: activity.id,
        title: activity.title,
        edition_id: edition.id,
        edition_title: edition.title,
        settings,
        questions: questions
            .iter()
            .map(|q| {
                let (answered, right) = stats.get(&q.id).copied().unwrap_or_default();
                QuestionRow {
                    id: q.id,
                    form: q.form(),
                    answered,
                    right,
                }
            })
            .collect(),
        attempts: attempts
            .into_iter()
            .map(|a| AttemptRow {
                participant: who.get(&a.user_id).cloned().unwrap_or_default(),
                number: a.number,
                submitted_at: a.submitted_at.map(to_local),
                percent: a.percent,
                passed: a.passed,
            })
            .collect(),
    })
}

/// Adds a question to a quiz (`question_id` 0) or changes one of its questions.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_question(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    question_id: i32,
    form: QuestionForm,
) -> Result<i32, AppError> {
    let activity = scope::quiz_as_staff(&state.db, caller, activity_id).await?;
    let question = form.parse().map_err(AppError::invalid)?;
    let kind = serde_json::to_string(&question.kind).map_err(|_| AppError::Internal)?;
    if question_id != 0 {
        let (existing, quiz) = scope::question_as_staff(&state.db, caller, question_id).await?;
        if quiz.id != activity.id {
            return Err(AppError::NotFound);
        }
        let mut active: quiz_question::ActiveModel = existing.into();
        active.prompt = Set(question.prompt);
        active.points = Set(question.points as i32);
        active.kind = Set(kind);
        active.update(&state.db).await?;
        return Ok(question_id);
    }
    let last = quiz_question::Entity::find()
        .filter(quiz_question::Column::ActivityId.eq(activity.id))
        .order_by_desc(quiz_question::Column::Position)
        .one(&state.db)
        .await?
        .map(|q| q.position)
        .unwrap_or(0);
    let created = quiz_question::ActiveModel {
        activity_id: Set(activity.id),
        position: Set(last + 1),
        prompt: Set(question.prompt),
        points: Set(question.points as i32),
        kind: Set(kind),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(created.id)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn delete_question(
    state: &AppState,
    caller: &Caller,
    question_id: i32,
) -> Result<(), AppError> {
    let (question, _) = scope::question_as_staff(&state.db, caller, question_id).await?;
    question.delete(&state.db).await?;
    Ok(())
}
