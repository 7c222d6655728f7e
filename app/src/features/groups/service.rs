use super::api::{
    GroupSpace, GroupSummary, GroupsOverview, MyGroup, Person, Post, ThreadSummary, ThreadView,
};
use crate::domain::problem::Problems;
use crate::domain::scoping;
use crate::domain::{Field, text};
use crate::error::AppError;
use crate::features::enrolment::service::enrolled_ids;
use crate::i18n::Locale;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{find_or_404, names, to_local};
use crate::ssr::entities::{
    announcement, edition, group, group_ambassador, group_member, reply, thread, user,
};
use crate::ssr::scope::{self, edition_role};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;

const MAX_POST: u32 = 10_000;

fn people(ids: &[i32], names: &HashMap<i32, String>) -> Vec<Person> {
    let mut people: Vec<Person> = ids
        .iter()
        .map(|id| Person {
            id: *id,
            name: names.get(id).cloned().unwrap_or_default(),
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    people
}

/// Which group each participant of an edition is in.
pub async fn membership(
    db: &impl sea_orm::ConnectionTrait,
    edition_id: i32,
) -> Result<HashMap<i32, i32>, AppError> {
    Ok(group_member::Entity::find()
        .filter(group_member::Column::EditionId.eq(edition_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.group_id))
        .collect())
}

/// Places a participant who just took a place into one of the edition's groups, when it has
/// groups and she is in none (see [`scoping::group_for_newcomer`]): her work then reaches the
/// group's tutor at once instead of waiting for staff to form groups again.
pub async fn place_newcomer(
    db: &impl sea_orm::ConnectionTrait,
    edition_id: i32,
    user_id: i32,
) -> Result<(), AppError> {
    let placed = group_member::Entity::find_by_id((edition_id, user_id))
        .one(db)
        .await?
        .is_some();
    if placed {
        return Ok(());
    }
    let groups: Vec<i32> = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .filter(group::Column::EditionId.eq(edition_id))
        .into_tuple()
        .all(db)
        .await?;
    if groups.is_empty() {
        return Ok(());
    }
    let members = membership(db, edition_id).await?;
    let tutored: Vec<i32> = group_ambassador::Entity::find()
        .select_only()
        .column(group_ambassador::Column::GroupId)
        .filter(group_ambassador::Column::GroupId.is_in(groups.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let places: Vec<scoping::GroupPlace> = groups
        .iter()
        .map(|id| scoping::GroupPlace {
            id: *id,
            members: members.values().filter(|g| *g == id).count(),
            tutored: tutored.contains(id),
        })
        .collect();
    if let Some(group_id) = scoping::group_for_newcomer(&places) {
        group_member::ActiveModel {
            edition_id: Set(edition_id),
            user_id: Set(user_id),
            group_id: Set(group_id),
        }
        .insert(db)
        .await?;
        tracing::info!(
            user.id = user_id,
            group.id = group_id,
            "newcomer placed in a group"
        );
    }
    Ok(())
}

/// The groups the caller is an ambassador of or belongs to, those of running editions first
/// (for their home page).
pub async fn my_groups(state: &AppState, caller: &Caller) -> Result<Vec<MyGroup>, AppError> {
    let ambassador_of: Vec<i32> = if caller.roles.ambassador {
        group_ambassador::Entity::find()
            .select_only()
            .column(group_ambassador::Column::GroupId)
            .filter(group_ambassador::Column::UserId.eq(caller.id))
            .into_tuple()
            .all(&state.db)
            .await?
    } else {
        Vec::new()
    };
    let member_of: Vec<i32> = crate::ssr::scope::groups_of(&state.db, caller.id).await?;
    if ambassador_of.is_empty() && member_of.is_empty() {
        return Ok(Vec::new());
    }
    let groups = group::Entity::find()
        .filter(group::Column::Id.is_in(ambassador_of.iter().chain(member_of.iter()).copied()))
        .order_by_desc(group::Column::Id)
        .all(&state.db)
        .await?;
    let editions: HashMap<i32, edition::Model> = edition::Entity::find()
        .filter(edition::Column::Id.is_in(groups.iter().map(|g| g.edition_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    // The groups of running editions first, as on the participant's list of editions.
    let today = crate::ssr::db::today_in_rome();
    let mut groups = groups;
    groups.sort_by_key(|g| {
        editions
            .get(&g.edition_id)
            .map(|e| crate::domain::editions::listing_order(e.starts_on, e.ends_on, today))
    });
    let mut mine = Vec::new();
    for g in groups {
        let Some(edition) = editions.get(&g.edition_id) else {
            continue;
        };
        let as_ambassador = ambassador_of.contains(&g.id);
        // A participant's group shows while they hold a place in a visible edition.
        if !as_ambassador
            && edition_role(&state.db, caller, edition.id)
                .await?
                .group_access(g.id)
                .is_none()
        {
            continue;
        }
        mine.push(MyGroup {
            id: g.id,
            name: g.name,
            edition_id: edition.id,
            edition_title: edition.title.clone(),
            as_ambassador,
        });
    }
    Ok(mine)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn groups_overview(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
) -> Result<GroupsOverview, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let groups = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition.id))
        .order_by_asc(group::Column::Id)
        .all(&state.db)
        .await?;
    let group_ids: Vec<i32> = groups.iter().map(|g| g.id).collect();
    let assigned = group_ambassador::Entity::find()
        .filter(group_ambassador::Column::GroupId.is_in(group_ids.clone()))
        .all(&state.db)
        .await?;
    let members = group_member::Entity::find()
        .filter(group_member::Column::EditionId.eq(edition.id))
        .all(&state.db)
        .await?;
    let enrolled = enrolled_ids(&state.db, edition.id).await?;
    // Everyone holding the role, who may be assigned.
    let ambassadors: Vec<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::IsAmbassador.eq(true))
        .into_tuple()
        .all(&state.db)
        .await?;
    let everyone = names(
        &state.db,
        assigned
            .iter()
            .map(|a| a.user_id)
            .chain(enrolled.iter().copied())
            .chain(ambassadors.iter().copied()),
    )
    .await?;
    let in_group: Vec<i32> = members.iter().map(|m| m.user_id).collect();
    let unassigned: Vec<i32> = enrolled
        .iter()
        .copied()
        .filter(|id| !in_group.contains(id))
        .collect();
    Ok(GroupsOverview {
        edition_id: edition.id,
        edition_title: edition.title,
        groups: groups
            .into_iter()
            .map(|g| {
                let ambassador_ids: Vec<i32> = assigned
                    .iter()
                    .filter(|a| a.group_id == g.id)
                    .map(|a| a.user_id)
                    .collect();
                // Only people still holding a place are shown as members.
                let member_ids: Vec<i32> = members
                    .iter()
                    .filter(|m| m.group_id == g.id && enrolled.contains(&m.user_id))
                    .map(|m| m.user_id)
                    .collect();
                GroupSummary {
                    id: g.id,
                    name: g.name,
                    ambassadors: people(&ambassador_ids, &everyone),
                    members: people(&member_ids, &everyone),
                }
            })
            .collect(),
        unassigned: people(&unassigned, &everyone),
        ambassadors: people(&ambassadors, &everyone),
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn create_group(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    name: String,
) -> Result<i32, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let mut problems = Problems::new();
    let Some(name) = problems.check(Field::Name, text::single_line(&name, 100)) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let created = group::ActiveModel {
        edition_id: Set(edition.id),
        name: Set(name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    tracing::info!(user.id = caller.id, group.id = created.id, "group created");
    Ok(created.id)
}

/// Puts every enrolled participant without a group into new groups of about `size`, named
/// in `language` (the staff member's).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn split_into_groups(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    size: String,
    language: Locale,
) -> Result<u64, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let mut problems = Problems::new();
    let Some(size) = problems.check(Field::GroupSize, text::whole_number(&size, 2, 500)) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let txn = crate::ssr::db::begin(&state.db).await?;
    let enrolled = enrolled_ids(&txn, edition.id).await?;
    let assigned: Vec<i32> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::UserId)
        .filter(group_member::Column::EditionId.eq(edition.id))
        .into_tuple()
        .all(&txn)
        .await?;
    let waiting: Vec<i32> = enrolled
        .into_iter()
        .filter(|id| !assigned.contains(id))
        .collect();
    let schools: Vec<(i32, Option<String>, Option<String>)> = user::Entity::find()
        .filter(user::Column::Id.is_in(waiting.clone()))
        .order_by_asc(user::Column::Id)
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.school_region, u.school_level))
        .collect();
    let existing = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition.id))
        .count(&txn)
        .await?;
    let mut placed = 0u64;
    let now = Utc::now();
    for (n, members) in scoping::split_into_groups(&schools, size as usize)
        .into_iter()
        .enumerate()
    {
        let created = group::ActiveModel {
            edition_id: Set(edition.id),
            name: Set(group_name(language, existing + n as u64 + 1)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for user_id in members {
            group_member::ActiveModel {
                edition_id: Set(edition.id),
                user_id: Set(user_id),
                group_id: Set(created.id),
            }
            .insert(&txn)
            .await?;
            placed += 1;
        }
    }
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = edition.id,
        placed,
        "participants split into groups"
    );
    Ok(placed)
}

/// "Gruppo 3" or "Group 3".
fn group_name(language: Locale, number: u64) -> String {
    use crate::i18n::td_string;
    td_string!(language, groups.numbered, n = number).to_string()
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn set_group_ambassador(
    state: &AppState,
    caller: &Caller,
    group_id: i32,
    user_id: i32,
    assigned: String,
) -> Result<(), AppError> {
    let group = scope::group_as_staff(&state.db, caller, group_id).await?;
    let ambassador = scope::user_as_staff(&state.db, caller, user_id).await?;
    if assigned.trim() == "true" {
        if !ambassador.is_ambassador {
            return Err(AppError::Refused(crate::error::Refusal::NotAnAmbassador));
        }
        group_ambassador::Entity::insert(group_ambassador::ActiveModel {
            group_id: Set(group.id),
            user_id: Set(ambassador.id),
        })
        .on_conflict_do_nothing_on([
            group_ambassador::Column::GroupId,
            group_ambassador::Column::UserId,
        ])
        .exec(&state.db)
        .await?;
    } else {
        group_ambassador::Entity::delete_by_id((group.id, ambassador.id))
            .exec(&state.db)
            .await?;
    }
    tracing::info!(
        user.id = caller.id,
        group.id = group.id,
        ambassador.id = ambassador.id,
        assigned,
        "group ambassador changed"
    );
    Ok(())
}

/// Makes the person with `email` an ambassador of the group. Someone without the role gets it
/// only when staff confirm (`grant_role`), on record: a group need not wait for someone to hold
/// the role already.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn appoint_ambassador(
    state: &AppState,
    caller: &Caller,
    group_id: i32,
    email: String,
    grant_role: String,
) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::domain::problem::Problem;
    let group = scope::group_as_staff(&state.db, caller, group_id).await?;
    let mut problems = Problems::new();
    let Some(email) = problems.check(Field::Email, Email::parse(&email)) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let Some(person) = scope::user_by_email_as_staff(&state.db, caller, &email).await? else {
        problems.push(Field::Email, Problem::NoSuchAccount);
        return Err(AppError::invalid(problems.into_vec()));
    };
    let granting = !person.is_ambassador;
    if granting && grant_role.trim() != "true" {
        problems.push(Field::GrantRole, Problem::RoleNotConfirmed);
        return Err(AppError::invalid(problems.into_vec()));
    }
    let txn = crate::ssr::db::begin(&state.db).await?;
    let person_id = person.id;
    if granting {
        let mut active: user::ActiveModel = person.into();
        active.is_ambassador = Set(true);
        active.update(&txn).await?;
        crate::features::audit::service::record(
            &txn,
            vec![crate::features::audit::service::Entry {
                actor: Some(caller.id),
                action: crate::domain::audit::Action::RoleChanged,
                edition: Some(group.edition_id),
                subject: Some(person_id),
                detail: "ambassador: granted",
                reason: None,
            }],
        )
        .await?;
    }
    group_ambassador::Entity::insert(group_ambassador::ActiveModel {
        group_id: Set(group.id),
        user_id: Set(person_id),
    })
    .on_conflict_do_nothing_on([
        group_ambassador::Column::GroupId,
        group_ambassador::Column::UserId,
    ])
    .exec(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        group.id = group.id,
        ambassador.id = person_id,
        granting,
        "ambassador appointed"
    );
    Ok(())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn move_to_group(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    user_id: i32,
    group_id: i32,
) -> Result<(), AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    // The group must be one of this edition's: never trust a bare id.
    let group = group::Entity::find()
        .filter(group::Column::Id.eq(group_id))
        .filter(group::Column::EditionId.eq(edition.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let enrolled =
        crate::features::enrolment::service::enrolment_of(&state.db, edition.id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
    group_member::Entity::insert(group_member::ActiveModel {
        edition_id: Set(edition.id),
        user_id: Set(enrolled.user_id),
        group_id: Set(group.id),
    })
    .on_conflict(
        OnConflict::columns([
            group_member::Column::EditionId,
            group_member::Column::UserId,
        ])
        .update_column(group_member::Column::GroupId)
        .to_owned(),
    )
    .exec(&state.db)
    .await?;
    tracing::info!(
        user.id = caller.id,
        participant.id = user_id,
        group.id = group.id,
        "participant moved"
    );
    Ok(())
}

fn post(
    id: i32,
    author: i32,
    body: String,
    at: chrono::DateTime<Utc>,
    names: &HashMap<i32, String>,
) -> Post {
    Post {
        id,
        author: names.get(&author).cloned().unwrap_or_default(),
        body,
        at: to_local(at),
    }
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn group_space(
    state: &AppState,
    caller: &Caller,
    group_id: i32,
) -> Result<GroupSpace, AppError> {
    let (group, access) = scope::group(&state.db, caller, group_id).await?;
    let edition = find_or_404::<edition::Entity>(&state.db, group.edition_id).await?;
    let ambassadors: Vec<i32> = group_ambassador::Entity::find()
        .select_only()
        .column(group_ambassador::Column::UserId)
        .filter(group_ambassador::Column::GroupId.eq(group.id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let enrolled = enrolled_ids(&state.db, edition.id).await?;
    let members: Vec<i32> = group_member::Entity::find()
        .select_only()
        .column(group_member::Column::UserId)
        .filter(group_member::Column::GroupId.eq(group.id))
        .into_tuple::<i32>()
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|id| enrolled.contains(id))
        .collect();
    // An inactive profile is hidden from the others of the group (staff still see it).
    let members = if caller.is_staff() {
        members
    } else {
        crate::ssr::entities::user::Entity::find()
            .select_only()
            .column(crate::ssr::entities::user::Column::Id)
            .filter(crate::ssr::entities::user::Column::Id.is_in(members.iter().copied()))
            .filter(
                crate::ssr::entities::user::Column::AccountState
                    .eq(crate::domain::account::AccountState::Active),
            )
            .into_tuple::<i32>()
            .all(&state.db)
            .await?
    };
    let announcements = announcement::Entity::find()
        .filter(announcement::Column::GroupId.eq(group.id))
        .order_by_desc(announcement::Column::CreatedAt)
        .limit(50)
        .all(&state.db)
        .await?;
    let threads = thread::Entity::find()
        .filter(thread::Column::GroupId.eq(group.id))
        .order_by_desc(thread::Column::LastActivityAt)
        .limit(100)
        .all(&state.db)
        .await?;
    let reply_counts: Vec<(i32, i64)> = reply::Entity::find()
        .select_only()
        .column(reply::Column::ThreadId)
        .column_as(reply::Column::Id.count(), "n")
        .filter(reply::Column::ThreadId.is_in(threads.iter().map(|t| t.id)))
        .group_by(reply::Column::ThreadId)
        .into_tuple()
        .all(&state.db)
        .await?;
    let everyone = names(
        &state.db,
        ambassadors
            .iter()
            .chain(members.iter())
            .copied()
            .chain(announcements.iter().map(|a| a.author_id))
            .chain(threads.iter().map(|t| t.author_id)),
    )
    .await?;
    Ok(GroupSpace {
        id: group.id,
        name: group.name,
        edition_id: edition.id,
        edition_title: edition.title,
        ambassadors: people(&ambassadors, &everyone),
        members: people(&members, &everyone),
        announcements: announcements
            .into_iter()
            .map(|a| post(a.id, a.author_id, a.body, a.created_at, &everyone))
            .collect(),
        threads: threads
            .into_iter()
            .map(|t| ThreadSummary {
                id: t.id,
                author: everyone.get(&t.author_id).cloned().unwrap_or_default(),
                replies: reply_counts
                    .iter()
                    .find(|(id, _)| *id == t.id)
                    .map(|(_, n)| *n as u64)
                    .unwrap_or(0),
                last_activity: to_local(t.last_activity_at),
                title: t.title,
            })
            .collect(),
        may_announce: access.may_announce(),
    })
}

fn parse_body(body: &str) -> Result<String, AppError> {
    let mut problems = Problems::new();
    match problems.check(Field::Body, text::multi_line(body, MAX_POST)) {
        Some(body) if !body.is_empty() => Ok(body),
        Some(_) => Err(AppError::invalid(vec![crate::domain::FieldProblem::new(
            Field::Body,
            crate::domain::Problem::Required,
        )])),
        None => Err(AppError::invalid(problems.into_vec())),
    }
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn post_announcement(
    state: &AppState,
    caller: &Caller,
    group_id: i32,
    body: String,
) -> Result<(), AppError> {
    let (group, access) = scope::group(&state.db, caller, group_id).await?;
    if !access.may_announce() {
        return Err(AppError::NotAllowed);
    }
    count_post(state, caller).await?;
    let body = parse_body(&body)?;
    announcement::ActiveModel {
        group_id: Set(group.id),
        author_id: Set(caller.id),
        body: Set(body),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(())
}

/// Opens a discussion in a group; answers the group's and the thread's ids.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn start_thread(
    state: &AppState,
    caller: &Caller,
    group_id: i32,
    title: String,
    body: String,
) -> Result<(i32, i32), AppError> {
    let (group, _) = scope::group(&state.db, caller, group_id).await?;
    count_post(state, caller).await?;
    let mut problems = Problems::new();
    let title = problems.check(Field::Title, text::single_line(&title, 200));
    let body = match parse_body(&body) {
        Ok(body) => Some(body),
        Err(AppError::Invalid(found)) => {
            for p in found {
                problems.push(p.field, p.problem);
            }
            None
        }
        Err(other) => return Err(other),
    };
    let (Some(title), Some(body)) = (title, body) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let now = Utc::now();
    let created = thread::ActiveModel {
        group_id: Set(group.id),
        author_id: Set(caller.id),
        title: Set(title),
        body: Set(body),
        created_at: Set(now),
        last_activity_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok((group.id, created.id))
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn thread_view(
    state: &AppState,
    caller: &Caller,
    thread_id: i32,
    page: u64,
) -> Result<ThreadView, AppError> {
    let (thread, group, _) = scope::thread(&state.db, caller, thread_id).await?;
    let of_thread = reply::Entity::find().filter(reply::Column::ThreadId.eq(thread.id));
    let total = of_thread.clone().count(&state.db).await?;
    let (page, offset) = crate::domain::paging::clamp(page, total, REPLIES_PER_PAGE);
    let replies = of_thread
        .order_by_asc(reply::Column::CreatedAt)
        .order_by_asc(reply::Column::Id)
        .offset(offset)
        .limit(REPLIES_PER_PAGE)
        .all(&state.db)
        .await?;
    let everyone = names(
        &state.db,
        std::iter::once(thread.author_id).chain(replies.iter().map(|r| r.author_id)),
    )
    .await?;
    Ok(ThreadView {
        id: thread.id,
        group_id: group.id,
        group_name: group.name,
        title: thread.title,
        opening: post(
            thread.id,
            thread.author_id,
            thread.body,
            thread.created_at,
            &everyone,
        ),
        replies: replies
            .into_iter()
            .map(|r| post(r.id, r.author_id, r.body, r.created_at, &everyone))
            .collect(),
        reply_count: total,
        page,
        pages: crate::domain::paging::page_count(total, REPLIES_PER_PAGE),
    })
}

/// Replies per page of a thread: a long discussion stays quick to open.
pub const REPLIES_PER_PAGE: u64 = 50;

/// Counts a post against the person's limit (announcements, threads and replies together).
async fn count_post(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    crate::ssr::rate_limit::check(
        state,
        &crate::domain::rate_limit::POST,
        &format!("user:{}", caller.id),
    )
    .await
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn post_reply(
    state: &AppState,
    caller: &Caller,
    thread_id: i32,
    body: String,
) -> Result<(), AppError> {
    let (thread, ..) = scope::thread(&state.db, caller, thread_id).await?;
    count_post(state, caller).await?;
    let body = parse_body(&body)?;
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    thread::Entity::update_many()
        .col_expr(
            thread::Column::LastActivityAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(thread::Column::Id.eq(thread.id))
        .exec(&txn)
        .await?;
    reply::ActiveModel {
        thread_id: Set(thread.id),
        author_id: Set(caller.id),
        body: Set(body),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}
