//! Scope loaders: the one way a service gets hold of an object for a caller. Each loads the
//! object, then checks in order the caller's **scope** (the edition or group it belongs to), their
//! **role** there, and the object's **state**, and hands the object back only when all hold.
//!
//! - Outside the scope an object does not exist: the same "not found" whether or not the id
//!   does, so ids reveal nothing.
//! - Staff-only objects check the role first: for anyone but staff they are "not allowed",
//!   again whether or not they exist.
//!
//! A service never checks access by hand: it asks for "edition E as staff", "group G as one of
//! its people", "submission S as its owner or its reviewer", and works with what comes back.

use super::auth::Caller;
use super::db::find_or_404;
use super::entities::{
    activity, attendance_import, calendar_feed, certificate, course, edition, enrolment, group,
    group_ambassador, group_member, quiz_attempt, quiz_question, submission, thread, user,
};
use crate::domain::activities::ActivityKind;
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::scoping::{EditionRole, GroupAccess};
use crate::domain::submissions::SubmissionStatus;
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// The caller's place in one edition: staff, ambassador of some of its groups, participant
/// holding a place (in a group or not), or outsider.
pub async fn edition_role(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<EditionRole, AppError> {
    // Once per page render: each section of an edition's page asks.
    let key = super::memo::pair(caller.id, edition_id);
    super::memo::once("edition_role", key, || {
        load_edition_role(db, caller, edition_id)
    })
    .await
}

async fn load_edition_role(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<EditionRole, AppError> {
    if caller.is_staff() {
        return Ok(EditionRole::Staff);
    }
    // Tutoring a group needs the role too: a tutorship left behind gives no reach.
    if caller.roles.ambassador {
        let ambassador_of: Vec<i32> = group_ambassador::Entity::find()
            .select_only()
            .column(group_ambassador::Column::GroupId)
            .join(
                sea_orm::JoinType::InnerJoin,
                group_ambassador::Entity::belongs_to(group::Entity)
                    .from(group_ambassador::Column::GroupId)
                    .to(group::Column::Id)
                    .into(),
            )
            .filter(group_ambassador::Column::UserId.eq(caller.id))
            .filter(group::Column::EditionId.eq(edition_id))
            .into_tuple()
            .all(db)
            .await?;
        if !ambassador_of.is_empty() {
            return Ok(EditionRole::Ambassador {
                groups: ambassador_of,
            });
        }
    }
    let enrolled = enrolment_row(db, edition_id, caller.id)
        .await?
        .is_some_and(|row| row.status == EnrolmentStatus::Enrolled);
    if !enrolled {
        return Ok(EditionRole::Outsider);
    }
    let group = places_of(db, caller.id)
        .await?
        .iter()
        .find(|place| place.enrolment.edition_id == edition_id)
        .and_then(|place| place.group_id);
    Ok(EditionRole::Participant { group })
}

/// A person's enrolment row in an edition, whatever its status (see [`enrolments_of`]).
pub async fn enrolment_row(
    db: &impl ConnectionTrait,
    edition_id: i32,
    user_id: i32,
) -> Result<Option<enrolment::Model>, AppError> {
    Ok(places_of(db, user_id)
        .await?
        .iter()
        .find(|place| place.enrolment.edition_id == edition_id)
        .map(|place| place.enrolment.clone()))
}

/// Every enrolment row of a person (a handful), read once per page render: the caller's role in
/// each edition, the enrolment box and the list of their editions all look there. Never for a
/// change: those read the row again inside their transaction.
pub async fn enrolments_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Vec<enrolment::Model>, AppError> {
    Ok(places_of(db, user_id)
        .await?
        .iter()
        .map(|place| place.enrolment.clone())
        .collect())
}

/// An enrolment row with the group its holder belongs to in that edition, if any, and the
/// valid certificate they hold there, if any.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct Place {
    #[sea_orm(nested)]
    pub enrolment: enrolment::Model,
    pub group_id: Option<i32>,
    pub certificate_id: Option<String>,
    pub certificate_code: Option<String>,
    pub certificate_issued_on: Option<chrono::NaiveDate>,
    /// Whether the person has a private calendar address (of all their editions: the same on
    /// each of their places).
    pub calendar: bool,
    /// Whether a reviewer sent some of their work here back for revision and they have not
    /// handed it in again (what the home page lists is read only then).
    pub sent_back: bool,
}

/// A person's place in an edition, if they ever enrolled there (see [`enrolments_of`]).
pub async fn place(
    db: &impl ConnectionTrait,
    edition_id: i32,
    user_id: i32,
) -> Result<Option<Place>, AppError> {
    Ok(places_of(db, user_id)
        .await?
        .iter()
        .find(|place| place.enrolment.edition_id == edition_id)
        .cloned())
}

/// A person's enrolments, each with their group and valid certificate there, whether work of
/// theirs there waits for their revision (and whether they have a calendar address), in one
/// statement once per page render (see [`enrolments_of`]): a role needs the group, the edition
/// and home pages the rest, and each statement is a round trip.
pub async fn places_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<std::sync::Arc<Vec<Place>>, AppError> {
    static PLACES: super::db::KeptStatement = super::db::KeptStatement::new();
    super::memo::once("places_of", i64::from(user_id), || async {
        use sea_orm::{FromQueryResult, QueryTrait};
        let backend = db.get_database_backend();
        let statement = PLACES.with_id(backend, user_id, |user_id| {
            places_statement(user_id).build(backend)
        });
        let rows = Place::find_by_statement(statement).all(db).await?;
        Ok(std::sync::Arc::new(rows))
    })
    .await
}

/// The statement behind [`places_of`].
fn places_statement(user_id: i32) -> sea_orm::Select<enrolment::Entity> {
    use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition};
    enrolment::Entity::find()
        .join(
            sea_orm::JoinType::LeftJoin,
            enrolment::Entity::belongs_to(group_member::Entity)
                .from((enrolment::Column::EditionId, enrolment::Column::UserId))
                .to((
                    group_member::Column::EditionId,
                    group_member::Column::UserId,
                ))
                .into(),
        )
        .column_as(
            Expr::col((group_member::Entity, group_member::Column::GroupId)),
            "group_id",
        )
        // At most one: a certificate is valid (`valid_for` set) for one person in one
        // edition, and that column is unique.
        .join(
            sea_orm::JoinType::LeftJoin,
            enrolment::Entity::belongs_to(certificate::Entity)
                .from((enrolment::Column::EditionId, enrolment::Column::UserId))
                .to((certificate::Column::EditionId, certificate::Column::UserId))
                .on_condition(|_, certificates| {
                    Expr::col((certificates, certificate::Column::ValidFor))
                        .is_not_null()
                        .into_condition()
                })
                .into(),
        )
        .column_as(
            Expr::col((certificate::Entity, certificate::Column::Id)),
            "certificate_id",
        )
        .column_as(
            Expr::col((certificate::Entity, certificate::Column::Code)),
            "certificate_code",
        )
        .column_as(
            Expr::col((certificate::Entity, certificate::Column::IssuedOn)),
            "certificate_issued_on",
        )
        .column_as(
            Expr::exists(
                sea_orm::sea_query::Query::select()
                    .expr(Expr::val(1))
                    .from(calendar_feed::Entity)
                    .and_where(
                        Expr::col((calendar_feed::Entity, calendar_feed::Column::UserId))
                            .equals((enrolment::Entity, enrolment::Column::UserId)),
                    )
                    .to_owned(),
            ),
            "calendar",
        )
        .column_as(Expr::exists(latest_sent_back()), "sent_back")
        .filter(enrolment::Column::UserId.eq(user_id))
}

/// Some visible activity of the enrolment's edition whose latest version handed in by the
/// enrolment's holder was sent back for revision, for [`places_of`]. It walks the edition's
/// activities and their submissions by `(activity, person)`, both indexed.
fn latest_sent_back() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Query::select()
        .expr(Expr::val(1))
        .from(activity::Entity)
        .inner_join(
            submission::Entity,
            Expr::col((submission::Entity, submission::Column::ActivityId))
                .equals((activity::Entity, activity::Column::Id)),
        )
        .and_where(
            Expr::col((activity::Entity, activity::Column::EditionId))
                .equals((enrolment::Entity, enrolment::Column::EditionId)),
        )
        .and_where(Expr::col((activity::Entity, activity::Column::Hidden)).eq(false))
        .and_where(
            Expr::col((submission::Entity, submission::Column::UserId))
                .equals((enrolment::Entity, enrolment::Column::UserId)),
        )
        .and_where(still_sent_back())
        .to_owned()
}

/// The rule for work that came back: this `submission` row was sent back for revision and no
/// later version of the same work was handed in (drafts do not count). At most one version of
/// a person's work holds it: the latest handed in. The home page's flag ([`places_of`]) and
/// its list (`submissions::service::sent_back_to`) both ask this.
pub fn still_sent_back() -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::ActiveEnum;
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let later = Alias::new("later");
    let handed_in_later = Query::select()
        .expr(Expr::val(1))
        .from_as(submission::Entity, later.clone())
        .and_where(
            Expr::col((later.clone(), submission::Column::ActivityId))
                .equals((submission::Entity, submission::Column::ActivityId)),
        )
        .and_where(
            Expr::col((later.clone(), submission::Column::UserId))
                .equals((submission::Entity, submission::Column::UserId)),
        )
        .and_where(
            Expr::col((later.clone(), submission::Column::Version))
                .gt(Expr::col((submission::Entity, submission::Column::Version))),
        )
        .and_where(
            Expr::col((later, submission::Column::Status)).ne(SubmissionStatus::Draft.to_value()),
        )
        .to_owned();
    Expr::col((submission::Entity, submission::Column::Status))
        .eq(SubmissionStatus::NeedsRevision.to_value())
        .and(Expr::exists(handed_in_later).not())
}

/// The groups a person belongs to (one per edition where they hold an enrolment), read once
/// per page render with their enrolments (see [`enrolments_of`]).
pub async fn groups_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<i32>, AppError> {
    Ok(places_of(db, user_id)
        .await?
        .iter()
        .filter_map(|place| place.group_id)
        .collect())
}

/// An object of an edition, with the edition and the caller's place in it.
#[derive(Debug, Clone)]
pub struct InEdition<T> {
    pub object: T,
    pub edition: edition::Model,
    pub role: EditionRole,
}

// ----- Staff-only objects: role first, then the object. -----

/// The role check for staff-only lists and actions that name no object.
pub fn staff(caller: &Caller) -> Result<(), AppError> {
    caller.require_staff()
}

async fn as_staff<E>(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
) -> Result<E::Model, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    caller.require_staff()?;
    find_or_404::<E>(db, id).await
}

pub async fn edition_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<edition::Model, AppError> {
    as_staff::<edition::Entity>(db, caller, edition_id).await
}

pub async fn course_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    course_id: i32,
) -> Result<course::Model, AppError> {
    as_staff::<course::Entity>(db, caller, course_id).await
}

/// Another person's account, for staff managing it.
pub async fn user_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    user_id: i32,
) -> Result<user::Model, AppError> {
    as_staff::<user::Entity>(db, caller, user_id).await
}

/// Another person's account found by its address, for staff appointing them; `None` when no
/// account (or only an anonymised one) has it.
pub async fn user_by_email_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    email: &crate::domain::account::Email,
) -> Result<Option<user::Model>, AppError> {
    caller.require_staff()?;
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::AccountState.ne(crate::domain::account::AccountState::Anonymised))
        .one(db)
        .await?)
}

pub async fn activity_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<activity::Model, AppError> {
    as_staff::<activity::Entity>(db, caller, activity_id).await
}

/// A quiz (an activity of that kind), for staff editing its questions.
pub async fn quiz_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<activity::Model, AppError> {
    let quiz = activity_as_staff(db, caller, activity_id).await?;
    of_kind(quiz, ActivityKind::Quiz)
}

/// A question and the quiz it belongs to, for staff.
pub async fn question_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    question_id: i32,
) -> Result<(quiz_question::Model, activity::Model), AppError> {
    let question = as_staff::<quiz_question::Entity>(db, caller, question_id).await?;
    let quiz = quiz_as_staff(db, caller, question.activity_id).await?;
    Ok((question, quiz))
}

pub async fn group_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    group_id: i32,
) -> Result<group::Model, AppError> {
    as_staff::<group::Entity>(db, caller, group_id).await
}

/// An uploaded attendance report, with the webinar it is for, for staff.
pub async fn import_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    import_id: i32,
) -> Result<(attendance_import::Model, activity::Model), AppError> {
    let import = as_staff::<attendance_import::Entity>(db, caller, import_id).await?;
    let webinar = of_kind(
        find_or_404::<activity::Entity>(db, import.activity_id).await?,
        ActivityKind::Webinar,
    )?;
    Ok((import, webinar))
}

/// A certificate by its id, for staff.
pub async fn certificate_as_staff(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: &str,
) -> Result<certificate::Model, AppError> {
    caller.require_staff()?;
    find_certificate(db, id).await
}

// ----- Objects of an edition: object → scope → role → state. -----

fn of_kind(model: activity::Model, kind: ActivityKind) -> Result<activity::Model, AppError> {
    if model.kind == kind {
        Ok(model)
    } else {
        Err(AppError::NotFound)
    }
}

/// An edition as the catalogue shows it: open to archived, never a draft; staff see all.
pub async fn visible_edition(
    db: &impl ConnectionTrait,
    caller: Option<&Caller>,
    edition_id: i32,
) -> Result<edition::Model, AppError> {
    visible(
        caller,
        find_or_404::<edition::Entity>(db, edition_id).await?,
    )
}

/// [`visible_edition`]'s check, for an edition read with more (its page's summary).
pub fn visible(
    caller: Option<&Caller>,
    edition: edition::Model,
) -> Result<edition::Model, AppError> {
    let staff = caller.is_some_and(Caller::is_staff);
    if staff || edition.status.visible_to_participants() {
        Ok(edition)
    } else {
        Err(AppError::NotFound)
    }
}

/// An edition and the caller's place in it, refusing nothing but a missing edition.
async fn edition_and_role(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<(edition::Model, EditionRole), AppError> {
    let edition = find_or_404::<edition::Entity>(db, edition_id).await?;
    let role = edition_role(db, caller, edition.id).await?;
    Ok((edition, role))
}

/// An edition the caller takes part in (as staff, ambassador or participant holding a place).
pub async fn edition(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<InEdition<()>, AppError> {
    let (edition, role) = edition_and_role(db, caller, edition_id).await?;
    if !role.takes_part() {
        return Err(AppError::NotFound);
    }
    Ok(InEdition {
        object: (),
        edition,
        role,
    })
}

/// An edition whose participants the caller follows: staff, or an ambassador of one of its
/// groups. Participants are not allowed; outsiders do not see it.
pub async fn edition_as_follower(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<InEdition<()>, AppError> {
    let found = edition(db, caller, edition_id).await?;
    if !found.role.follows_participants() {
        return Err(AppError::NotAllowed);
    }
    Ok(found)
}

/// An activity of an edition the caller takes part in.
pub async fn activity(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<InEdition<activity::Model>, AppError> {
    let activity = find_or_404::<activity::Entity>(db, activity_id).await?;
    let InEdition { edition, role, .. } = edition(db, caller, activity.edition_id).await?;
    // A hidden activity is gone for everyone but staff (its work stays, out of sight).
    if activity.hidden && !role.is_staff() {
        return Err(AppError::NotFound);
    }
    Ok(InEdition {
        object: activity,
        edition,
        role,
    })
}

/// A quiz of an edition the caller takes part in.
pub async fn quiz(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<InEdition<activity::Model>, AppError> {
    let found = activity(db, caller, activity_id).await?;
    let object = of_kind(found.object, ActivityKind::Quiz)?;
    Ok(InEdition { object, ..found })
}

/// A webinar, for those who record its attendance: staff and the edition's ambassadors.
pub async fn webinar_as_follower(
    db: &impl ConnectionTrait,
    caller: &Caller,
    activity_id: i32,
) -> Result<InEdition<activity::Model>, AppError> {
    let found = activity(db, caller, activity_id).await?;
    let object = of_kind(found.object, ActivityKind::Webinar)?;
    if !found.role.follows_participants() {
        return Err(AppError::NotAllowed);
    }
    Ok(InEdition { object, ..found })
}

/// A quiz attempt, for the participant who made it.
pub async fn attempt_as_owner(
    db: &impl ConnectionTrait,
    caller: &Caller,
    attempt_id: i32,
) -> Result<(quiz_attempt::Model, InEdition<activity::Model>), AppError> {
    let attempt = find_or_404::<quiz_attempt::Entity>(db, attempt_id).await?;
    if attempt.user_id != caller.id {
        return Err(AppError::NotFound);
    }
    let quiz = quiz(db, caller, attempt.activity_id).await?;
    if !quiz.role.is_participant() {
        return Err(AppError::NotFound);
    }
    Ok((attempt, quiz))
}

/// A group, for its members, its ambassadors and staff.
pub async fn group(
    db: &impl ConnectionTrait,
    caller: &Caller,
    group_id: i32,
) -> Result<(group::Model, GroupAccess), AppError> {
    let group = find_or_404::<group::Entity>(db, group_id).await?;
    let role = edition_role(db, caller, group.edition_id).await?;
    let access = role.group_access(group.id).ok_or(AppError::NotFound)?;
    Ok((group, access))
}

/// A discussion thread, through its group.
pub async fn thread(
    db: &impl ConnectionTrait,
    caller: &Caller,
    thread_id: i32,
) -> Result<(thread::Model, group::Model, GroupAccess), AppError> {
    let thread = find_or_404::<thread::Entity>(db, thread_id).await?;
    let (group, access) = group(db, caller, thread.group_id).await?;
    Ok((thread, group, access))
}

/// One version of a participant's work, with the activity it answers.
#[derive(Debug, Clone)]
pub struct SubmissionInScope {
    pub submission: submission::Model,
    pub activity: activity::Model,
    pub edition: edition::Model,
    pub role: EditionRole,
    /// The group of the participant whose work it is.
    pub group: Option<i32>,
}

/// A version of someone's work, for its owner or its reviewers (the ambassadors of the owner's
/// group, staff). Drafts are the owner's alone until handed in.
pub async fn submission(
    db: &impl ConnectionTrait,
    caller: &Caller,
    submission_id: i32,
) -> Result<SubmissionInScope, AppError> {
    let submission = find_or_404::<submission::Entity>(db, submission_id).await?;
    let activity = find_or_404::<activity::Entity>(db, submission.activity_id).await?;
    let edition = find_or_404::<edition::Entity>(db, activity.edition_id).await?;
    let role = edition_role(db, caller, edition.id).await?;
    let group = group_member::Entity::find_by_id((edition.id, submission.user_id))
        .one(db)
        .await?
        .map(|m| m.group_id);
    let own = submission.user_id == caller.id;
    let handed_in = submission.status != SubmissionStatus::Draft;
    if !role.may_follow(group, own) || !(own || handed_in) {
        return Err(AppError::NotFound);
    }
    Ok(SubmissionInScope {
        submission,
        activity,
        edition,
        role,
        group,
    })
}

/// A version of someone's work, for those who review it (not its owner).
pub async fn submission_as_reviewer(
    db: &impl ConnectionTrait,
    caller: &Caller,
    submission_id: i32,
) -> Result<SubmissionInScope, AppError> {
    let found = submission(db, caller, submission_id).await?;
    if !found.role.follows_participants() {
        return Err(AppError::NotAllowed);
    }
    Ok(found)
}

async fn find_certificate(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<certificate::Model, AppError> {
    if !crate::domain::certificates::is_id(id) {
        return Err(AppError::NotFound);
    }
    certificate::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// A certificate, for its holder and staff.
pub async fn certificate_as_holder(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: &str,
) -> Result<certificate::Model, AppError> {
    let found = find_certificate(db, id).await?;
    if found.user_id != Some(caller.id) && !caller.is_staff() {
        return Err(AppError::NotFound);
    }
    Ok(found)
}
