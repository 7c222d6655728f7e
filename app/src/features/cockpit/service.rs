use super::api::{Cell, Cockpit, CockpitActivity, CockpitRow, QueueItem};
use crate::domain::completion::{self, Standing};
use crate::domain::paging;
use crate::domain::scoping::EditionRole;
use crate::domain::submissions::SubmissionStatus;
use crate::error::AppError;
use crate::features::activities::service::of_edition;
use crate::features::completion::api::Override;
use crate::features::completion::service as completion_service;
use crate::features::enrolment::service::enrolled_ids;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{names, to_local};
use crate::ssr::entities::{activity, edition, group, group_ambassador, submission};
use crate::ssr::scope::{self, InEdition};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Rows per page of the matrix.
pub const PAGE_SIZE: u64 = 50;

/// The groups a cockpit shows, and who is in which.
struct Shown {
    /// The groups the caller follows, by name.
    groups: Vec<(i32, String)>,
    /// The one group asked for, when it is one of those.
    group: Option<i32>,
    /// Participants of these groups are shown (everyone when `None`: staff, no filter).
    only: Option<Vec<i32>>,
    /// Each participant's group.
    membership: HashMap<i32, i32>,
    /// The groups someone tutors.
    tutored: Vec<i32>,
}

impl Shown {
    async fn load(
        db: &impl ConnectionTrait,
        edition_id: i32,
        role: &EditionRole,
        asked: Option<i32>,
    ) -> Result<Self, AppError> {
        let followed = role.followed_groups();
        let groups: Vec<(i32, String)> = group::Entity::find()
            .filter(group::Column::EditionId.eq(edition_id))
            .order_by_asc(group::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .filter(|g| followed.as_ref().is_none_or(|f| f.contains(&g.id)))
            .map(|g| (g.id, g.name))
            .collect();
        // A group outside the caller's scope is ignored rather than revealed.
        let group = asked.filter(|g| groups.iter().any(|(id, _)| id == g));
        let only = match (group, followed) {
            (Some(g), _) => Some(vec![g]),
            (None, followed) => followed,
        };
        let membership = crate::features::groups::service::membership(db, edition_id).await?;
        let tutored = group_ambassador::Entity::find()
            .select_only()
            .column(group_ambassador::Column::GroupId)
            .filter(group_ambassador::Column::GroupId.is_in(groups.iter().map(|(id, _)| *id)))
            .into_tuple()
            .all(db)
            .await?;
        Ok(Shown {
            groups,
            group,
            only,
            membership,
            tutored,
        })
    }

    fn includes(&self, user: i32) -> bool {
        match &self.only {
            None => true,
            Some(groups) => self
                .membership
                .get(&user)
                .is_some_and(|g| groups.contains(g)),
        }
    }

    /// Whether no ambassador reviews this participant's work, which then falls to staff.
    fn untutored(&self, user: i32) -> bool {
        self.membership
            .get(&user)
            .is_none_or(|g| !self.tutored.contains(g))
    }

    fn group_name(&self, user: i32) -> Option<String> {
        let group = self.membership.get(&user)?;
        self.groups
            .iter()
            .find(|(id, _)| id == group)
            .map(|(_, name)| name.clone())
    }
}

/// Where each participant stands against the edition's rule (none without a rule); staff's
/// "met" counts as met.
struct Standings {
    /// Whether the edition has a rule to stand against.
    rule: bool,
    progress: HashMap<i32, completion::Progress>,
    overrides: HashMap<i32, Override>,
    today: chrono::NaiveDate,
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
}

impl Standings {
    async fn load(
        db: &impl ConnectionTrait,
        edition: &edition::Model,
        activities: &[activity::Model],
        known: &crate::features::activities::facts::Facts,
        everyone: &[i32],
    ) -> Result<Self, AppError> {
        let rule = completion_service::rule_of(edition);
        Ok(Standings {
            rule: rule.is_some(),
            progress: match &rule {
                Some(rule) => completion_service::evaluate_all(
                    known, edition, activities, rule, everyone, true,
                ),
                None => HashMap::new(),
            },
            overrides: completion_service::overrides_of(db, edition.id).await?,
            today: crate::ssr::db::today_in_rome(),
            starts_on: edition.starts_on,
            ends_on: edition.ends_on,
        })
    }

    /// A participant's row of the matrix, from the cells of each activity.
    fn row(
        &self,
        activities: &[activity::Model],
        user_id: i32,
        name: String,
        group: Option<String>,
        cells: Vec<Cell>,
    ) -> CockpitRow {
        let done = activities
            .iter()
            .zip(&cells)
            .filter(|(a, c)| a.counts && c.state.is_done())
            .count() as u32;
        let (percent, standing) = match self.of(user_id) {
            Some((percent, standing)) => (percent, Some(standing)),
            None => (0, None),
        };
        CockpitRow {
            user_id,
            name,
            group,
            cells,
            done,
            percent,
            standing,
            decided: self.overrides.get(&user_id).cloned(),
        }
    }

    fn of(&self, user: i32) -> Option<(u32, Standing)> {
        self.progress.get(&user).map(|p| {
            let decided_met = self.overrides.get(&user).is_some_and(|o| o.met);
            let standing = if decided_met {
                Standing::Met
            } else {
                completion::standing(p, self.today, self.starts_on, self.ends_on)
            };
            (p.percent, standing)
        })
    }

    /// How many of `people` stand where, in the order the page lists them.
    fn counts(&self, people: &[i32]) -> Vec<(Standing, u32)> {
        if !self.rule {
            return Vec::new();
        }
        [
            Standing::Met,
            Standing::Close,
            Standing::OnTrack,
            Standing::AtRisk,
        ]
        .into_iter()
        .map(|s| {
            let n = people
                .iter()
                .filter(|u| self.of(**u).is_some_and(|(_, x)| x == s))
                .count() as u32;
            (s, n)
        })
        .collect()
    }
}

/// The matrix of participants × activities for staff and ambassadors: a page of the people they
/// follow (one group, or one standing, when asked), each activity's state, where each stands,
/// and the queue of work waiting for a review.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn cockpit(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    group: Option<i32>,
    page: u64,
    standing: Option<Standing>,
) -> Result<Cockpit, AppError> {
    let db = &state.db;
    let InEdition { edition, role, .. } =
        scope::edition_as_follower(db, caller, edition_id).await?;
    let shown = Shown::load(db, edition.id, &role, group).await?;
    let everyone: Vec<i32> = enrolled_ids(db, edition.id)
        .await?
        .into_iter()
        .filter(|u| shown.includes(*u))
        .collect();
    let activities = of_edition(db, edition.id).await?;
    // Facts are loaded once, for everyone shown: they give both the cells and the progress.
    let known = completion_service::facts_for(db, &activities, &everyone).await?;
    let standings = Standings::load(db, &edition, &activities, &known, &everyone).await?;

    let person_names = names(db, everyone.iter().copied()).await?;
    let mut people: Vec<(i32, String, Option<String>)> = everyone
        .iter()
        .filter(|u| {
            standing.is_none_or(|wanted| standings.of(**u).is_some_and(|(_, s)| s == wanted))
        })
        .map(|u| {
            let name = person_names.get(u).cloned().unwrap_or_default();
            (*u, name, shown.group_name(*u))
        })
        .collect();
    people.sort_by(|a, b| (&a.2, a.1.to_lowercase()).cmp(&(&b.2, b.1.to_lowercase())));
    let total = people.len() as u64;
    let (page, offset) = paging::clamp(page, total, PAGE_SIZE);
    let on_page: Vec<(i32, String, Option<String>)> = people
        .into_iter()
        .skip(offset as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    let ids: Vec<i32> = on_page.iter().map(|p| p.0).collect();
    let latest = latest_versions(db, &activities, &ids).await?;
    let now = Utc::now();
    let rows = on_page
        .into_iter()
        .map(|(user_id, name, group)| {
            let cells: Vec<Cell> = activities
                .iter()
                .map(|a| Cell {
                    state: known.state(&edition, a, user_id, now, true),
                    submission: latest.get(&(a.id, user_id)).map(|(_, id)| *id),
                })
                .collect();
            standings.row(&activities, user_id, name, group, cells)
        })
        .collect();
    let queue = review_queue(db, &activities, &shown).await?;
    Ok(Cockpit {
        edition_id: edition.id,
        edition_title: edition.title,
        is_staff: role.is_staff(),
        group: shown.group,
        standings: standings.counts(&everyone),
        groups: shown.groups,
        counted: activities.iter().filter(|a| a.counts).count() as u32,
        activities: activities
            .iter()
            .map(|a| CockpitActivity {
                id: a.id,
                kind: a.kind,
                title: a.title.clone(),
            })
            .collect(),
        rows,
        page,
        pages: paging::page_count(total, PAGE_SIZE),
        total,
        queue,
        standing,
    })
}

/// The newest version handed in per (activity, participant), as (version, id): a cell opens it.
async fn latest_versions(
    db: &impl ConnectionTrait,
    activities: &[activity::Model],
    people: &[i32],
) -> Result<HashMap<(i32, i32), (i32, i32)>, AppError> {
    let mut latest: HashMap<(i32, i32), (i32, i32)> = HashMap::new();
    if people.is_empty() || activities.is_empty() {
        return Ok(latest);
    }
    let sent: Vec<(i32, i32, i32, i32)> = submission::Entity::find()
        .select_only()
        .column(submission::Column::Id)
        .column(submission::Column::ActivityId)
        .column(submission::Column::UserId)
        .column(submission::Column::Version)
        .filter(submission::Column::ActivityId.is_in(activities.iter().map(|a| a.id)))
        .filter(submission::Column::UserId.is_in(people.iter().copied()))
        .filter(submission::Column::Status.ne(SubmissionStatus::Draft))
        .into_tuple()
        .all(db)
        .await?;
    for (id, a, u, version) in sent {
        let entry = latest.entry((a, u)).or_insert((version, id));
        if version > entry.0 {
            *entry = (version, id);
        }
    }
    Ok(latest)
}

/// Every version waiting for a review in the groups shown, oldest first.
async fn review_queue(
    db: &impl ConnectionTrait,
    activities: &[activity::Model],
    shown: &Shown,
) -> Result<Vec<QueueItem>, AppError> {
    if activities.is_empty() {
        return Ok(Vec::new());
    }
    let waiting: Vec<submission::Model> = submission::Entity::find()
        .filter(submission::Column::ActivityId.is_in(activities.iter().map(|a| a.id)))
        .filter(submission::Column::Status.eq(SubmissionStatus::Submitted))
        .order_by_asc(submission::Column::SubmittedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|s| shown.includes(s.user_id))
        .collect();
    let who = names(db, waiting.iter().map(|s| s.user_id)).await?;
    let titles: HashMap<i32, &str> = activities
        .iter()
        .map(|a| (a.id, a.title.as_str()))
        .collect();
    Ok(waiting
        .into_iter()
        .map(|s| QueueItem {
            submission_id: s.id,
            participant: who.get(&s.user_id).cloned().unwrap_or_default(),
            group: shown.group_name(s.user_id),
            activity_title: titles
                .get(&s.activity_id)
                .copied()
                .unwrap_or_default()
                .to_owned(),
            version: s.version,
            submitted_at: to_local(s.submitted_at.unwrap_or(s.updated_at)),
            untutored: shown.untutored(s.user_id),
        })
        .collect())
}
