//! Importing the ministry's registry: a 100,000-person export (Latin-1, semicolons, CRLF, a
//! few broken lines) uploaded on an embedded SQLite file with 500 registrations pending, timed
//! from the upload until its preview is ready, then applying it (matching every pending
//! registration). Prints `registry_import_100k_s` and `registry_apply_100k_s`. Run with
//! `cargo xtask bench`.

#[path = "common.rs"]
mod common;
use app::domain::account::{AccountState, RegistrationStatus};
use app::domain::registry::ImportStatus;
use app::domain::roles::Roles;
use app::ssr::AppState;
use app::ssr::auth::Caller;
use app::ssr::entities::{registry_import, user};
use chrono::Utc;
use common::settings;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PEOPLE: usize = 100_000;
const PENDING: usize = 500;

/// The export: every fiftieth person has a tax code (each their own), every thousandth line is
/// broken.
fn export() -> Vec<u8> {
    let mut file = b"COGNOME;NOME;CODICE FISCALE;E-MAIL;CODICE SCUOLA\r\n".to_vec();
    for n in 0..PEOPLE {
        if n % 1000 == 999 {
            file.extend(format!("Rotta;Riga {n};;;RMIC8AB00X;in pi").as_bytes());
            file.extend(b"\xF9\r\n");
            continue;
        }
        let tax_code = if n % 50 == 0 {
            let k = n / 50;
            let first = format!("RSSMRA85T{:02}A{:03}", 10 + k % 20, k / 20);
            let check = app::domain::registration::check_character(&first);
            format!("{first}{check}")
        } else {
            String::new()
        };
        file.extend(b"Nicol\xF2 ");
        file.extend(
            format!(
                "{n};Docente;{tax_code};docente{n}@scuola.example;RMIC{:06}\r\n",
                n % 9000
            )
            .as_bytes(),
        );
    }
    file
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("aula-bench-registry-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench folder");
    let url = format!("sqlite://{}?mode=rwc", dir.join("aula.db").display());
    let db = server::startup::connect_and_migrate(&url, 10)
        .await
        .expect("database");
    let state = AppState {
        db,
        settings: Arc::new(settings(&dir)),
    };
    let staff = user::ActiveModel {
        email: Set("segreteria@aula.example".to_owned()),
        given_name: Set("Giulia".to_owned()),
        family_name: Set("Bianchi".to_owned()),
        school_name: Set(String::new()),
        school_code: Set("RMUN000001".to_owned()),
        locale: Set("it".to_owned()),
        is_ambassador: Set(false),
        is_staff: Set(true),
        registration_status: Set(RegistrationStatus::Validated),
        account_state: Set(AccountState::Active),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .expect("staff");
    // Pending people: half of them in the export (by address), half not.
    for n in 0..PENDING {
        user::ActiveModel {
            email: Set(if n % 2 == 0 {
                format!("docente{}@scuola.example", n * 7)
            } else {
                format!("nuova{n}@scuola.example")
            }),
            given_name: Set("Nuova".to_owned()),
            family_name: Set(format!("Persona {n}")),
            school_name: Set("Scuola".to_owned()),
            school_code: Set("FIIC812003".to_owned()),
            locale: Set("it".to_owned()),
            is_ambassador: Set(false),
            is_staff: Set(false),
            registration_status: Set(RegistrationStatus::Pending),
            account_state: Set(AccountState::Active),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .expect("pending person");
    }
    let caller = Caller {
        id: staff.id,
        email: staff.email.clone(),
        given_name: staff.given_name.clone(),
        family_name: staff.family_name.clone(),
        roles: Roles {
            ambassador: false,
            staff: true,
        },
        email_verified: true,
        registration: RegistrationStatus::Validated,
        registration_reason: None,
        language: app::i18n::Locale::it,
        session: String::new(),
    };
    let file = export();
    let started = Instant::now();
    let id = app::features::registry::service::upload(&state, &caller, "anagrafe.csv", &file)
        .await
        .expect("upload");
    let import = loop {
        let import = registry_import::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .expect("query")
            .expect("the upload");
        match import.status {
            ImportStatus::Reading => tokio::time::sleep(Duration::from_millis(20)).await,
            ImportStatus::Preview => break import,
            other => panic!("the upload ended as {other:?}"),
        }
    };
    let read = started.elapsed();
    assert_eq!(import.people as usize, PEOPLE - PEOPLE / 1000);
    assert_eq!(import.exact_matches, Some((PENDING / 2) as i32));
    println!("registry_import_100k_s: {:.2} s", read.as_secs_f64());
    let started = Instant::now();
    let outcome = app::features::registry::service::apply(&state, &caller, id)
        .await
        .expect("apply");
    println!(
        "registry_apply_100k_s: {:.2} s ({} validated, {} pending matched)",
        started.elapsed().as_secs_f64(),
        outcome.validated,
        PENDING
    );
    let _ = std::fs::remove_dir_all(&dir);
}
