//! The export of a person's own data: one zip with the JSON of everything Aula holds about
//! them, the files they handed in and their certificates' PDFs, and nothing of other people.

use crate::both_databases;
use crate::helpers::{Backend, TestApp, location};
use app::features::certificates::api::IssueCertificates;
use app::ssr::entities::{certificate, group_member, reply};
use axum::http::{StatusCode, header};
use chrono::{TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::io::Read;

both_databases!(a_person_downloads_their_data_and_nothing_of_others);

/// The archive's files by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("an entry");
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("readable");
        files.insert(file.name().to_owned(), content);
    }
    files
}

async fn a_person_downloads_their_data_and_nothing_of_others(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let (bruno, bruno_session) = app.user("bruno@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna, bruno]).await;
    let sheet = app
        .activity(edition, "task_sheet", "Scheda 1", TimeDelta::zero())
        .await;
    // Both hand in work with a file; both write in the group's space.
    let anna_pdf = b"%PDF-1.4\n% il lavoro di Anna\n%%EOF\n".to_vec();
    let bruno_pdf = b"%PDF-1.4\n% il lavoro di Bruno\n%%EOF\n".to_vec();
    for (session, text, name, file) in [
        (
            &anna_session,
            "Il mio piano di lezione",
            "piano lezione.pdf",
            &anna_pdf,
        ),
        (
            &bruno_session,
            "Testo riservato di Bruno",
            "bruno.pdf",
            &bruno_pdf,
        ),
    ] {
        let handed = app
            .send_submission(
                sheet,
                &[("version", "1"), ("action", "hand_in"), ("body", text)],
                Some((name, file)),
                session,
            )
            .await;
        assert!(location(&handed).contains("submission=handed_in"));
    }
    let group = group_member::Entity::find()
        .filter(group_member::Column::UserId.eq(anna))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .group_id;
    let anna_thread = app.thread(group, anna).await;
    let bruno_thread = app.thread(group, bruno).await;
    reply::ActiveModel {
        thread_id: Set(anna_thread),
        author_id: Set(bruno),
        body: Set("Risposta privata di Bruno".to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    app.invoke(
        IssueCertificates {
            edition_id: edition,
            limit: 10,
        },
        Some(&staff),
    )
    .await
    .expect("certificates issued");
    let code_of = |id: i32| {
        let db = app.state.db.clone();
        async move {
            certificate::Entity::find()
                .filter(certificate::Column::UserId.eq(id))
                .one(&db)
                .await
                .unwrap()
                .expect("a certificate")
                .code
        }
    };
    let (anna_code, bruno_code) = (code_of(anna).await, code_of(bruno).await);

    let response = app.get("/account/export.zip", Some(&anna_session)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.headers[header::CONTENT_TYPE], "application/zip");
    assert!(
        response.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"aula-dati-")
    );
    assert_eq!(response.headers[header::CACHE_CONTROL], "private, no-store");
    let files = unzip(&response.bytes);

    // What it holds: a readme, the JSON, her file as she sent it, her certificate's PDF.
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    let anna_file = files
        .iter()
        .find(|(name, _)| name.starts_with("consegne/") && name.ends_with("piano_lezione.pdf"))
        .map(|(_, bytes)| bytes)
        .unwrap_or_else(|| panic!("her file in {names:?}"));
    assert_eq!(anna_file, &anna_pdf);
    let certificate = &files[&format!("attestati/attestato-{anna_code}.pdf")];
    assert!(certificate.starts_with(b"%PDF"));
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        String::from_utf8_lossy(&files["LEGGIMI.txt"]).contains("dati.json"),
        "the readme explains the archive"
    );
    std::fs::write("/tmp/dati.json", &files["dati.json"]).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&files["dati.json"]).expect("JSON");
    assert_eq!(json["format"], "aula-personal-data/1");
    assert_eq!(json["profile"]["email"], "anna@scuola.it");
    assert_eq!(json["profile"]["family_name"], "Rossi anna@scuola.it");
    assert_eq!(json["profile"]["school_code"], "FIIC812003");
    assert_eq!(json["profile"]["has_password"], true);
    assert_eq!(json["enrolments"].as_array().unwrap().len(), 1);
    assert_eq!(json["enrolments"][0]["group"], "A");
    assert_eq!(json["submissions"].as_array().unwrap().len(), 1);
    assert_eq!(json["submissions"][0]["text"], "Il mio piano di lezione");
    assert_eq!(json["submissions"][0]["activity"], "Scheda 1");
    assert_eq!(json["submissions"][0]["status"], "submitted");
    assert_eq!(json["threads"].as_array().unwrap().len(), 1);
    assert_eq!(json["threads"][0]["id"], anna_thread);
    assert_ne!(anna_thread, bruno_thread);
    assert!(json["replies"].as_array().unwrap().is_empty());
    assert_eq!(json["certificates"].as_array().unwrap().len(), 1);
    assert_eq!(json["certificates"][0]["code"], anna_code.as_str());
    assert!(
        json["record_of_decisions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["action"] == "certificate_issued")
    );
    assert!(!json["sessions"].as_array().unwrap().is_empty());

    // Nothing of anybody else: not Bruno's name, address, work, posts or certificate, not the
    // staff member, and no secret of Anna's own (password hash, session tokens, file keys).
    let whole = format!(
        "{}\n{}",
        String::from_utf8_lossy(&files["dati.json"]),
        String::from_utf8_lossy(&files["LEGGIMI.txt"])
    )
    .to_lowercase();
    for foreign in [
        "bruno",
        "segreteria",
        "testo riservato",
        "risposta privata",
        &bruno_code.to_lowercase(),
        "$argon2",
        "token",
        "file_key",
    ] {
        assert!(!whole.contains(foreign), "the export holds {foreign:?}");
    }

    // Bruno's own export is his, with his reply to her thread.
    let his = unzip(
        &app.get("/account/export.zip", Some(&bruno_session))
            .await
            .bytes,
    );
    let his: serde_json::Value = serde_json::from_slice(&his["dati.json"]).unwrap();
    assert_eq!(his["profile"]["email"], "bruno@scuola.it");
    assert_eq!(his["replies"][0]["text"], "Risposta privata di Bruno");
    assert_eq!(his["replies"][0]["thread_id"], anna_thread);
}
