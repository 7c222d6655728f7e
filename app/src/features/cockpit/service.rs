use super::api::{Cell, Cockpit, CockpitActivity, CockpitRow, QueueItem};
use crate::domain::activities::ActivityKind;
use crate::domain::completion::{self, Standing};
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::paging;
use crate::domain::scoping::EditionRole;
use crate::domain::submissions::SubmissionStatus;
use crate::error::AppError;
use crate::features::completion::service as completion_service;
use crate::ssr::auth::signed_in;
use crate::ssr::db::{find_or_404, names, to_local};
use crate::ssr::entities::{activity, edition, enrolment, group, group_member, submission};
use crate::ssr::scope::edition_role;
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// Rows per page of the matrix.
pub const PAGE_SIZE: u64 = 50;

pub async fn cockpit(
    edition_id: i32,
    group: Option<i32>,
    page: u64,
    standing: Option<Standing>,
) -> Result<Cockpit, AppError> {
    let (state, caller) = signed_in().await?;
    let db = &state.db;
    let edition = find_or_404::<edition::Entity>(db, edition_id).await?;
    let role = edition_role(db, &caller, edition.id).await?;
    let followed: Option<Vec<i32>> = match &role {
        EditionRole::Staff => None,
        EditionRole::Ambassador { groups } => Some(groups.clone()),
        EditionRole::Participant { .. } => return Err(AppError::NotAllowed),
        EditionRole::Outsider => return Err(AppError::NotFound),
    };
    let all_groups: Vec<(i32, String)> = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition.id))
        .order_by_asc(group::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .filter(|g| followed.as_ref().is_none_or(|f| f.contains(&g.id)))
        .map(|g| (g.id, g.name))
        .collect();
    // A group outside the caller's scope is ignored rather than revealed.
    let group = group.filter(|g| all_groups.iter().any(|(id, _)| id == g));
    let shown_groups: Option<Vec<i32>> = match (group, &followed) {
        (Some(g), _) => Some(vec![g]),
        (None, Some(f)) => Some(f.clone()),
        (None, None) => None,
    };

    let enrolled: Vec<i32> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::EditionId.eq(edition.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let membership: HashMap<i32, i32> = group_member::Entity::find()
        .filter(group_member::Column::EditionId.eq(edition.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.group_id))
        .collect();
    let group_names: HashMap<i32, String> = all_groups.iter().cloned().collect();
    let people: Vec<i32> = enrolled
        .into_iter()
        .filter(|u| match &shown_groups {
            None => true,
            Some(groups) => membership.get(u).is_some_and(|g| groups.contains(g)),
        })
        .collect();
    let person_names = names(db, people.iter().copied()).await?;
    let mut people: Vec<(i32, String, Option<String>)> = people
        .into_iter()
        .map(|u| {
            (
                u,
                person_names.get(&u).cloned().unwrap_or_default(),
                membership.get(&u).and_then(|g| group_names.get(g)).cloned(),
            )
        })
        .collect();
    people.sort_by(|a, b| (&a.2, a.1.to_lowercase()).cmp(&(&b.2, b.1.to_lowercase())));

    let activities = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(edition.id))
        .order_by_asc(activity::Column::Position)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    // Facts are loaded once, for everyone shown: they give both the cells and the progress.
    let everyone: Vec<i32> = people.iter().map(|p| p.0).collect();
    let known = completion_service::facts_for(db, &activities, &everyone).await?;
    let rule = completion_service::rule_of(&edition);
    let progress = match &rule {
        Some(rule) => {
            completion_service::evaluate_all(&known, &edition, &activities, rule, &everyone, true)
        }
        None => HashMap::new(),
    };
    let today = crate::ssr::db::today_in_rome();
    let overrides = completion_service::overrides_of(db, edition.id).await?;
    // Without a rule there is nothing to stand against; staff's "met" counts as met.
    let standing_of = |user: &i32| {
        progress.get(user).map(|p| {
            let decided_met = overrides.get(user).is_some_and(|o| o.met);
            (
                p.percent,
                if decided_met {
                    Standing::Met
                } else {
                    completion::standing(p, today, edition.starts_on, edition.ends_on)
                },
            )
        })
    };
    let mut standings: Vec<(Standing, u32)> = Vec::new();
    if rule.is_some() {
        for s in [
            Standing::Met,
            Standing::Close,
            Standing::OnTrack,
            Standing::AtRisk,
        ] {
            let n = everyone
                .iter()
                .filter(|u| standing_of(u).is_some_and(|(_, x)| x == s))
                .count() as u32;
            standings.push((s, n));
        }
    }
    if let Some(wanted) = standing {
        people.retain(|p| standing_of(&p.0).is_some_and(|(_, s)| s == wanted));
    }
    let total = people.len() as u64;
    let (page, offset) = paging::clamp(page, total, PAGE_SIZE);
    let on_page: Vec<(i32, String, Option<String>)> = people
        .into_iter()
        .skip(offset as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    let ids: Vec<i32> = on_page.iter().map(|p| p.0).collect();
    let now = Utc::now();
    let activity_ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
    // The newest version handed in per (activity, participant), to open from a cell.
    let mut latest: HashMap<(i32, i32), (i32, i32)> = HashMap::new();
    if !ids.is_empty() && !activity_ids.is_empty() {
        let sent: Vec<(i32, i32, i32, i32)> = submission::Entity::find()
            .select_only()
            .column(submission::Column::Id)
            .column(submission::Column::ActivityId)
            .column(submission::Column::UserId)
            .column(submission::Column::Version)
            .filter(submission::Column::ActivityId.is_in(activity_ids.clone()))
            .filter(submission::Column::UserId.is_in(ids.clone()))
            .filter(submission::Column::Status.ne(SubmissionStatus::Draft.as_str()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, a, u, version) in sent {
            let entry = latest.entry((a, u)).or_insert((version, id));
            if version > entry.0 {
                *entry = (version, id);
            }
        }
    }
    let counted = activities.iter().filter(|a| a.counts).count() as u32;
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
            let done = activities
                .iter()
                .zip(&cells)
                .filter(|(a, c)| a.counts && c.state.is_done())
                .count() as u32;
            let (percent, standing) = match standing_of(&user_id) {
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
                decided: overrides.get(&user_id).cloned(),
            }
        })
        .collect();

    // The review queue: every version waiting, oldest first, in the groups shown.
    let mut queue = Vec::new();
    if !activity_ids.is_empty() {
        let waiting = submission::Entity::find()
            .filter(submission::Column::ActivityId.is_in(activity_ids))
            .filter(submission::Column::Status.eq(SubmissionStatus::Submitted.as_str()))
            .order_by_asc(submission::Column::SubmittedAt)
            .all(db)
            .await?;
        let waiting: Vec<submission::Model> = waiting
            .into_iter()
            .filter(|s| match &shown_groups {
                None => true,
                Some(groups) => membership
                    .get(&s.user_id)
                    .is_some_and(|g| groups.contains(g)),
            })
            .collect();
        let who = names(db, waiting.iter().map(|s| s.user_id)).await?;
        let titles: HashMap<i32, &str> = activities
            .iter()
            .map(|a| (a.id, a.title.as_str()))
            .collect();
        queue = waiting
            .into_iter()
            .map(|s| QueueItem {
                submission_id: s.id,
                participant: who.get(&s.user_id).cloned().unwrap_or_default(),
                group: membership
                    .get(&s.user_id)
                    .and_then(|g| group_names.get(g))
                    .cloned(),
                activity_title: titles
                    .get(&s.activity_id)
                    .copied()
                    .unwrap_or_default()
                    .to_owned(),
                version: s.version,
                submitted_at: to_local(s.submitted_at.unwrap_or(s.updated_at)),
            })
            .collect();
    }
    Ok(Cockpit {
        edition_id: edition.id,
        edition_title: edition.title,
        is_staff: role.is_staff(),
        groups: all_groups,
        group,
        activities: activities
            .iter()
            .map(|a| CockpitActivity {
                id: a.id,
                kind: ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Material),
                title: a.title.clone(),
            })
            .collect(),
        counted,
        rows,
        page,
        pages: paging::page_count(total, PAGE_SIZE),
        total,
        queue,
        standings,
        standing,
    })
}

pub async fn tutors_edition(edition_id: i32) -> Result<bool, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    Ok(matches!(
        edition_role(&state.db, &caller, edition.id).await?,
        EditionRole::Staff | EditionRole::Ambassador { .. }
    ))
}
