//! What participants have done in an edition (materials viewed, minutes attended, work handed
//! in and reviewed, quiz attempts), loaded with one query per kind of fact for any number of
//! participants, and turned into each activity's state.

use crate::domain::activities::{self, ActivityKind, ActivityState};
use crate::domain::quiz::{self, ReviewPolicy};
use crate::domain::submissions::{self, SubmissionStatus};
use crate::error::AppError;
use crate::ssr::db::to_local;
use crate::ssr::entities::{
    activity, attendance, edition, material_view, quiz_attempt, recording_view, submission,
};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{HashMap, HashSet};

/// Keyed by (activity id, user id).
#[derive(Debug, Default)]
pub struct Facts {
    viewed: HashSet<(i32, i32)>,
    minutes: HashMap<(i32, i32), i32>,
    /// The newest version handed in (drafts left out).
    latest_sent: HashMap<(i32, i32), (i32, SubmissionStatus)>,
    /// Submitted attempts, and whether any passed.
    attempts: HashMap<(i32, i32), (u32, bool)>,
    /// The best percentage among submitted attempts.
    best: HashMap<(i32, i32), u32>,
    /// Recordings the participant says they watched.
    watched: HashSet<(i32, i32)>,
    /// For each webinar with one, the quiz confirming its recording was watched.
    confirming: HashMap<i32, activity::Model>,
}

/// Loads the facts about `activities` for `users` (every participant when `None`): one query
/// per kind of fact, whatever the number of participants.
pub async fn load(
    db: &impl ConnectionTrait,
    activities: &[activity::Model],
    users: Option<&[i32]>,
) -> Result<Facts, AppError> {
    let ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
    let mut facts = Facts::default();
    if ids.is_empty() || users.is_some_and(|u| u.is_empty()) {
        return Ok(facts);
    }
    let scope = Scope {
        activities: ids,
        users: users.map(<[i32]>::to_vec),
    };
    facts.confirming = activities
        .iter()
        .filter_map(|a| a.confirms_webinar_id.map(|w| (w, a.clone())))
        .collect();
    for mark in marks(db, &scope, !facts.confirming.is_empty()).await? {
        let key = (mark.activity, mark.user);
        match mark.kind {
            Mark::VIEWED => {
                facts.viewed.insert(key);
            }
            Mark::WATCHED => {
                facts.watched.insert(key);
            }
            Mark::ATTENDED => {
                facts.minutes.insert(key, mark.first);
            }
            Mark::SENT => {
                // The newest version handed in: `first` is its number, `second` its status.
                let Some(status) = Mark::status(mark.second) else {
                    continue;
                };
                let entry = facts.latest_sent.entry(key).or_insert((mark.first, status));
                if mark.first > entry.0 {
                    *entry = (mark.first, status);
                }
            }
            _ => {
                let entry = facts.attempts.entry(key).or_insert((0, false));
                entry.0 += 1;
                entry.1 |= mark.first == 1;
                let top = facts.best.entry(key).or_insert(0);
                *top = (*top).max(mark.second.max(0) as u32);
            }
        }
    }
    Ok(facts)
}

/// One row of [`marks`]: what kind of fact, about whom, and up to two numbers.
struct Mark {
    kind: i32,
    activity: i32,
    user: i32,
    /// Minutes attended; for an attempt, 1 when it passed.
    first: i32,
    /// For an attempt, its percentage.
    second: i32,
}

impl Mark {
    const VIEWED: i32 = 0;
    const WATCHED: i32 = 1;
    const ATTENDED: i32 = 2;
    const ATTEMPTED: i32 = 3;
    const SENT: i32 = 4;

    /// A version's status from its number in [`marks`] (its place among the statuses).
    fn status(code: i32) -> Option<SubmissionStatus> {
        use sea_orm::Iterable;
        usize::try_from(code)
            .ok()
            .and_then(|i| SubmissionStatus::iter().nth(i))
    }
}

/// Materials opened, recordings watched (when some quiz confirms one), minutes attended,
/// submitted quiz attempts and versions handed in, in one query: a union of the five tables,
/// each row tagged with its kind. (One query instead of five: each costs a round trip to the
/// database's thread.)
async fn marks(
    db: &impl ConnectionTrait,
    scope: &Scope,
    recordings: bool,
) -> Result<Vec<Mark>, AppError> {
    use sea_orm::QueryTrait;
    use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr, UnionType};
    fn tagged<E: EntityTrait>(
        scope: &Scope,
        kind: i32,
        (activity, user): (E::Column, E::Column),
        first: SimpleExpr,
        second: SimpleExpr,
    ) -> sea_orm::sea_query::SelectStatement {
        let query = E::find()
            .select_only()
            .expr_as(Expr::val(kind), "kind")
            .column(activity)
            .column(user)
            .expr_as(first, "first")
            .expr_as(second, "second");
        scope.apply(query, activity, user).into_query()
    }
    let zero = || Expr::val(0);
    let mut query = {
        use material_view::{Column, Entity};
        tagged::<Entity>(
            scope,
            Mark::VIEWED,
            (Column::ActivityId, Column::UserId),
            zero(),
            zero(),
        )
    };
    if recordings {
        use recording_view::{Column, Entity};
        query.union(
            UnionType::All,
            tagged::<Entity>(
                scope,
                Mark::WATCHED,
                (Column::ActivityId, Column::UserId),
                zero(),
                zero(),
            ),
        );
    }
    {
        use attendance::{Column, Entity};
        query.union(
            UnionType::All,
            tagged::<Entity>(
                scope,
                Mark::ATTENDED,
                (Column::ActivityId, Column::UserId),
                Expr::col(Column::Minutes),
                zero(),
            ),
        );
    }
    {
        use quiz_attempt::{Column, Entity};
        let passed = Expr::case(Expr::col(Column::Passed).eq(true), 1).finally(0);
        let percent = Expr::col(Column::Percent).if_null(0);
        let mut attempts = tagged::<Entity>(
            scope,
            Mark::ATTEMPTED,
            (Column::ActivityId, Column::UserId),
            passed.into(),
            percent,
        );
        attempts.and_where(Expr::col(Column::SubmittedAt).is_not_null());
        query.union(UnionType::All, attempts);
    }
    {
        use sea_orm::Iterable;
        use submission::{Column, Entity};
        // The union's columns are numbers: a status goes as its place among the statuses.
        let mut status = sea_orm::sea_query::CaseStatement::new();
        for (i, each) in SubmissionStatus::iter().enumerate() {
            status = status.case(Column::Status.eq(each), i as i32);
        }
        let mut sent = tagged::<Entity>(
            scope,
            Mark::SENT,
            (Column::ActivityId, Column::UserId),
            Expr::col(Column::Version),
            status.finally(-1).into(),
        );
        sent.and_where(Column::Status.ne(SubmissionStatus::Draft));
        query.union(UnionType::All, sent);
    }
    let mut marks = Vec::new();
    for row in db.query_all(&query).await? {
        marks.push(Mark {
            kind: row.try_get_by_index(0)?,
            activity: row.try_get_by_index(1)?,
            user: row.try_get_by_index(2)?,
            first: row.try_get_by_index(3)?,
            second: row.try_get_by_index(4)?,
        });
    }
    Ok(marks)
}

/// The facts about one participant in all of an edition's activities (`activities` are
/// [`super::service::of_edition`]'s), once per page render: the progress and the activity list
/// of the edition page both need them.
pub async fn of_participant(
    db: &impl ConnectionTrait,
    edition_id: i32,
    activities: &[activity::Model],
    user_id: i32,
) -> Result<std::sync::Arc<Facts>, AppError> {
    let key = crate::ssr::memo::pair(user_id, edition_id);
    crate::ssr::memo::once("participant_facts", key, || async {
        Ok(std::sync::Arc::new(
            load(db, activities, Some(&[user_id])).await?,
        ))
    })
    .await
}

/// Which activities and participants a load is about.
struct Scope {
    activities: Vec<i32>,
    /// Everyone when `None`.
    users: Option<Vec<i32>>,
}

impl Scope {
    /// Narrows a query to the scope, by its activity and user columns.
    fn apply<E: EntityTrait>(
        &self,
        query: sea_orm::Select<E>,
        activity: impl ColumnTrait,
        user: impl ColumnTrait,
    ) -> sea_orm::Select<E> {
        let query = query.filter(activity.is_in(self.activities.clone()));
        match &self.users {
            Some(users) => query.filter(user.is_in(users.clone())),
            None => query,
        }
    }
}

/// Whether a quiz has closed (its due time has passed).
pub fn quiz_closed(activity: &activity::Model, now: DateTime<Utc>) -> bool {
    activity.due_at.is_some_and(|due| now > due)
}

impl Facts {
    /// One activity as the completion rule sees it for one participant; a quiz score the
    /// participant may not see yet is left out of their own view.
    pub fn completion_fact(
        &self,
        edition: &edition::Model,
        activity: &activity::Model,
        user_id: i32,
        now: DateTime<Utc>,
        follower: bool,
    ) -> crate::domain::completion::ActivityFact {
        let state = self.state(edition, activity, user_id, now, follower);
        let kind = activity.kind;
        let best_percent = (kind == ActivityKind::Quiz
            && matches!(state, ActivityState::Passed | ActivityState::Failed))
        .then(|| self.best.get(&(activity.id, user_id)).copied())
        .flatten();
        crate::domain::completion::ActivityFact {
            id: activity.id,
            kind,
            counts: activity.counts,
            estimated_minutes: activity.estimated_minutes.max(0) as u32,
            state,
            best_percent,
        }
    }

    /// Whether the participant has said they watched this webinar's recording.
    pub fn watched_recording(&self, activity_id: i32, user_id: i32) -> bool {
        self.watched.contains(&(activity_id, user_id))
    }

    /// The state of one activity for one participant. `follower` is true for staff and
    /// ambassadors, who see quiz results at once; a participant sees them only from the
    /// quiz's review moment.
    pub fn state(
        &self,
        edition: &edition::Model,
        activity: &activity::Model,
        user_id: i32,
        now: DateTime<Utc>,
        follower: bool,
    ) -> ActivityState {
        let key = (activity.id, user_id);
        match activity.kind {
            ActivityKind::Material if self.viewed.contains(&key) => ActivityState::Viewed,
            ActivityKind::Material => ActivityState::ToDo,
            ActivityKind::Webinar => {
                let ends = activity.starts_at.map(|s| {
                    to_local(
                        s + TimeDelta::minutes(i64::from(activity.duration_minutes.unwrap_or(0))),
                    )
                });
                let live = activities::webinar_state(
                    to_local(now),
                    ends,
                    self.minutes.get(&key).copied(),
                    edition.attendance_min_minutes,
                );
                let confirmed = self.confirming.get(&activity.id).is_some_and(|quiz| {
                    self.state(edition, quiz, user_id, now, follower) == ActivityState::Passed
                });
                activities::with_recording(
                    live,
                    edition.allow_recording,
                    self.watched.contains(&key),
                    confirmed,
                )
            }
            ActivityKind::TaskSheet | ActivityKind::DesignExercise => {
                submissions::state_of(self.latest_sent.get(&key).map(|(_, s)| *s))
            }
            ActivityKind::Quiz => match self.attempts.get(&key) {
                None => ActivityState::ToDo,
                Some((_, passed)) => {
                    let policy = activity
                        .review_policy
                        .unwrap_or(ReviewPolicy::AfterSubmission);
                    if !follower && !quiz::can_review(policy, true, quiz_closed(activity, now)) {
                        ActivityState::Submitted
                    } else if *passed {
                        ActivityState::Passed
                    } else {
                        ActivityState::Failed
                    }
                }
            },
        }
    }
}
