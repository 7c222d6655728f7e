//! Edition progress for the staff view: 3,000 participants × 10 activities with realistic
//! facts on an embedded SQLite file. Prints `progress_3000_ms: <ms> ms` (the median of several
//! runs). Run with `cargo xtask bench`.

use app::domain::completion::{Requirement, Rule};
use app::domain::submissions::SubmissionStatus;
use app::ssr::entities::{
    activity, attendance, course, edition, enrolment, material_view, quiz_attempt, submission, user,
};
use chrono::{NaiveDate, TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use std::time::Instant;

const PARTICIPANTS: i32 = 3_000;
const CHUNK: usize = 500;

async fn insert_chunks<A, E>(db: &app::ssr::db::Db, rows: Vec<A>)
where
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    E: EntityTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        E::insert_many(chunk).exec(db).await.expect("insert");
    }
}

#[tokio::main]
async fn main() {
    let path = std::env::temp_dir().join(format!("aula-bench-{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = server::startup::connect_and_migrate(&url, 4)
        .await
        .expect("database");
    let now = Utc::now();
    let course = course::ActiveModel {
        code: Set("BENCH".into()),
        title: Set("Corso".into()),
        description: Set(String::new()),
        workload_hours: Set(25),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("course");
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    let edition = edition::ActiveModel {
        course_id: Set(course.id),
        title: Set("Edizione".into()),
        enrolment_opens_on: Set(day(1)),
        enrolment_closes_on: Set(day(10)),
        starts_on: Set(day(2)),
        ends_on: Set(day(30)),
        capacity: Set(PARTICIPANTS + 100),
        status: Set(app::domain::editions::EditionStatus::Running),
        enrolment_version: Set(0),
        cloned_from_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("edition");

    // Ten activities: 3 webinars, 3 task sheets, a design exercise, 2 materials, a quiz.
    let kinds = [
        "material",
        "webinar",
        "task_sheet",
        "webinar",
        "task_sheet",
        "design_exercise",
        "webinar",
        "task_sheet",
        "material",
        "quiz",
    ];
    let mut activities = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let webinar = *kind == "webinar";
        let created = activity::ActiveModel {
            edition_id: Set(edition.id),
            position: Set(i as i32 + 1),
            kind: Set(app::domain::activities::ActivityKind::parse(kind).expect("kind")),
            title: Set(format!("Attività {i}")),
            description: Set(String::new()),
            estimated_minutes: Set(120),
            counts: Set(true),
            starts_at: Set(webinar.then(|| now - TimeDelta::days(10 - i as i64))),
            duration_minutes: Set(webinar.then_some(90)),
            pass_percent: Set((*kind == "quiz").then_some(70)),
            review_policy: Set(
                (*kind == "quiz").then_some(app::domain::quiz::ReviewPolicy::AfterSubmission)
            ),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("activity");
        activities.push(created);
    }

    let users: Vec<user::ActiveModel> = (0..PARTICIPANTS)
        .map(|n| user::ActiveModel {
            email: Set(format!("docente{n}@scuola.example")),
            given_name: Set("Docente".into()),
            family_name: Set(format!("Numero {n}")),
            school_name: Set("IC".into()),
            school_code: Set("RMIC000001".into()),
            locale: Set("it".into()),
            is_ambassador: Set(false),
            is_staff: Set(false),
            registration_status: Set(app::domain::account::RegistrationStatus::Validated),
            account_state: Set(app::domain::account::AccountState::Active),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    insert_chunks(&db, users).await;
    let ids: Vec<i32> = user::Entity::find()
        .all(&db)
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.id)
        .collect();
    insert_chunks(
        &db,
        ids.iter()
            .map(|u| enrolment::ActiveModel {
                edition_id: Set(edition.id),
                user_id: Set(*u),
                status: Set(app::domain::enrolment::EnrolmentStatus::Enrolled),
                requested_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            })
            .collect(),
    )
    .await;

    // Realistic facts: each participant has a diligence, each activity a little noise on top.
    // Most view materials and attend, fewer hand in, fewer still pass; about half complete.
    let (mut views, mut present, mut sent, mut attempts) = (vec![], vec![], vec![], vec![]);
    for (n, u) in ids.iter().enumerate() {
        let diligence = (n * 37) % 100;
        for a in &activities {
            let score = diligence + (n * 13 + a.id as usize * 29) % 20;
            match a.kind.as_str() {
                "material" if score >= 15 => views.push(material_view::ActiveModel {
                    activity_id: Set(a.id),
                    user_id: Set(*u),
                    viewed_at: Set(now),
                }),
                "webinar" if score >= 25 => present.push(attendance::ActiveModel {
                    activity_id: Set(a.id),
                    user_id: Set(*u),
                    minutes: Set(45 + (score as i32 % 45)),
                    source: Set(app::domain::attendance::Source::Import),
                    recorded_by: Set(None),
                    recorded_at: Set(now),
                }),
                "task_sheet" | "design_exercise" if score >= 30 => {
                    let versions = 1 + score as i32 % 2;
                    for version in 1..=versions {
                        sent.push(submission::ActiveModel {
                            activity_id: Set(a.id),
                            user_id: Set(*u),
                            version: Set(version),
                            status: Set(if version < versions {
                                SubmissionStatus::NeedsRevision
                            } else if score >= 45 {
                                SubmissionStatus::Accepted
                            } else {
                                SubmissionStatus::Submitted
                            }),
                            body: Set("Il mio lavoro".into()),
                            updated_at: Set(now),
                            submitted_at: Set(Some(now)),
                            ..Default::default()
                        });
                    }
                }
                "quiz" if score >= 35 => {
                    for number in 1..=(1 + score as i32 % 3) {
                        let percent = (25 + score as i32 / 2 + number * 8).min(100);
                        attempts.push(quiz_attempt::ActiveModel {
                            activity_id: Set(a.id),
                            user_id: Set(*u),
                            number: Set(number),
                            seed: Set(n as i64),
                            version: Set(2),
                            started_at: Set(now),
                            submitted_at: Set(Some(now)),
                            answers: Set(Some("[]".into())),
                            points: Set(Some(percent / 10)),
                            max_points: Set(Some(10)),
                            percent: Set(Some(percent)),
                            passed: Set(Some(percent >= 70)),
                            ..Default::default()
                        });
                    }
                }
                _ => {}
            }
        }
    }
    insert_chunks(&db, views).await;
    insert_chunks(&db, present).await;
    insert_chunks(&db, sent).await;
    insert_chunks(&db, attempts).await;

    let id_of = |i: usize| activities[i].id;
    let rule = Rule {
        requirements: vec![
            Requirement::WebinarsAttended { at_least: 2 },
            Requirement::TaskSheetsAccepted {
                at_least: 2,
                including: vec![id_of(2)],
            },
            Requirement::ActivityDone { activity: id_of(5) },
            Requirement::QuizPassed {
                activity: id_of(9),
                min_percent: 70,
            },
            Requirement::Hours { at_least: 10 },
        ],
    };

    // Warm up once, then take the median of nine runs of the staff view's computation.
    let measure = || async {
        let started = Instant::now();
        let progress =
            app::features::completion::service::progress_for(&db, &edition, &rule, &ids, true)
                .await
                .expect("progress");
        (
            started.elapsed(),
            progress.values().filter(|p| p.met).count(),
        )
    };
    let (_, met) = measure().await;
    let mut times = Vec::new();
    for _ in 0..9 {
        times.push(measure().await.0);
    }
    times.sort();
    let median = times[times.len() / 2];
    println!("progress_participants: {PARTICIPANTS} participants");
    println!("progress_met: {met} participants");
    println!("progress_3000_ms: {:.1} ms", median.as_secs_f64() * 1000.0);

    // Where the time goes: loading the facts (database) and evaluating the rule (pure).
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let activities = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(edition.id))
        .order_by_asc(activity::Column::Position)
        .all(&db)
        .await
        .expect("activities");
    let (mut loading, mut evaluating) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let started = Instant::now();
        let facts = app::features::completion::service::facts_for(&db, &activities, &ids)
            .await
            .expect("facts");
        loading.push(started.elapsed());
        let started = Instant::now();
        let progress = app::features::completion::service::evaluate_all(
            &facts,
            &edition,
            &activities,
            &rule,
            &ids,
            true,
        );
        evaluating.push(started.elapsed());
        assert_eq!(progress.len(), ids.len());
    }
    loading.sort();
    evaluating.sort();
    println!(
        "progress_load_ms: {:.1} ms",
        loading[4].as_secs_f64() * 1000.0
    );
    println!(
        "progress_evaluate_ms: {:.1} ms",
        evaluating[4].as_secs_f64() * 1000.0
    );
    drop(db);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
