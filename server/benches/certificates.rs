//! Issuing 3,000 certificates for one edition, as the staff page does it (rounds of 100):
//! who is waiting, frozen records, Ed25519 signatures, PDFs (rendered on both cores), database
//! writes and the audit log, on an embedded SQLite file. Prints `certificates_3000_s`,
//! `certificates_per_s` and `certificate_pdf_kb`. Run with `cargo xtask bench`.

use app::domain::completion::Rule;
use app::ssr::entities::{course, edition, enrolment, user};
use app::ssr::{AppState, Settings};
use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use std::sync::Arc;
use std::time::Instant;

const PARTICIPANTS: i32 = 3_000;
const ROUND: u32 = 100;

async fn insert_chunks<A, E>(db: &app::ssr::db::Db, rows: Vec<A>)
where
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    E: EntityTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(500).collect();
        E::insert_many(chunk).exec(db).await.expect("insert");
    }
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("aula-bench-certificates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let url = format!("sqlite://{}/aula.db?mode=rwc", dir.display());
    let db = server::startup::connect_and_migrate(&url, 4)
        .await
        .expect("database");
    let now = Utc::now();
    let course = course::ActiveModel {
        code: Set("BENCH".into()),
        title: Set("Corso online di base eTwinning".into()),
        description: Set(String::new()),
        workload_hours: Set(25),
        signatory_name: Set("Giulia Bianchi".into()),
        signatory_role: Set("Responsabile dell'Unità nazionale".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("course");
    let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).expect("date");
    // A rule that asks for nothing: all 3,000 have completed.
    let rule = serde_json::to_string(&Rule {
        requirements: Vec::new(),
    })
    .ok();
    let edition = edition::ActiveModel {
        course_id: Set(course.id),
        title: Set("Edizione di ottobre 2026".into()),
        enrolment_opens_on: Set(day(1)),
        enrolment_closes_on: Set(day(10)),
        starts_on: Set(day(2)),
        ends_on: Set(day(30)),
        capacity: Set(PARTICIPANTS + 100),
        status: Set(app::domain::editions::EditionStatus::Closed),
        enrolment_version: Set(0),
        cloned_from_id: Set(None),
        completion_rule: Set(rule),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("edition");
    let names = [
        "Niccolò Dell'Acqua",
        "Zoë Łukasiewicz",
        "Anna Rossi",
        "Ugo Foscolo",
    ];
    let users: Vec<user::ActiveModel> = (0..PARTICIPANTS)
        .map(|n| {
            let (given, family) = names[n as usize % names.len()]
                .split_once(' ')
                .expect("two words");
            user::ActiveModel {
                email: Set(format!("docente{n}@scuola.example")),
                given_name: Set(given.into()),
                family_name: Set(format!("{family} {n}")),
                school_name: Set("IC".into()),
                school_code: Set("RMIC000001".into()),
                locale: Set("it".into()),
                is_ambassador: Set(false),
                is_staff: Set(false),
                registration_status: Set(app::domain::account::RegistrationStatus::Validated),
                account_state: Set(app::domain::account::AccountState::Active),
                created_at: Set(now),
                ..Default::default()
            }
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

    let state = AppState {
        db: db.clone(),
        settings: Arc::new(Settings {
            base_url: "https://aula.example.org".into(),
            secret: vec![1; 32],
            session_timeouts: Default::default(),
            trust_proxy: false,
            upload_dir: dir.join("uploads"),
            upload_max_bytes: 1024,
            upload_types: app::domain::submissions::FileType::ALL.to_vec(),
            signing_key: app::ed25519_dalek::SigningKey::from_bytes(&[5; 32]),
            retired_keys: Vec::new(),
            issuer: "Unità nazionale formazione docenti".into(),
            mail: None,
            sso: Default::default(),
            retention: Default::default(),
        }),
    };

    let started = Instant::now();
    let mut issued = 0;
    loop {
        let round = app::features::certificates::service::issue(&state, None, &edition, ROUND)
            .await
            .expect("round");
        issued += round.issued;
        if round.remaining == 0 {
            break;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(issued, PARTICIPANTS as u32, "everyone got one");
    let sizes: Vec<u64> = std::fs::read_dir(state.settings.certificate_dir())
        .expect("certificates folder")
        .filter_map(|entry| entry.ok()?.metadata().ok().map(|m| m.len()))
        .collect();
    assert_eq!(sizes.len(), PARTICIPANTS as usize, "a PDF each");
    let average_kb = sizes.iter().sum::<u64>() as f64 / sizes.len() as f64 / 1024.0;
    let largest_kb = sizes.iter().max().copied().unwrap_or(0) as f64 / 1024.0;
    println!("certificates_issued: {issued} certificates");
    println!("certificates_3000_s: {elapsed:.2} s");
    println!(
        "certificates_per_s: {:.0} certificates/s",
        f64::from(issued) / elapsed
    );
    println!("certificate_pdf_kb: {average_kb:.1} KB");
    println!("certificate_pdf_max_kb: {largest_kb:.1} KB");
    drop(state);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
