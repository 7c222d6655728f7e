//! The ministry's registry: staff upload its export in the encodings and layouts real exports
//! come in, see the preview with the bad lines by number, apply it, and the pending
//! registrations it backs are validated (exactly) or queued with the evidence (partly); a new
//! sign-up the registry knows is validated at once.

use crate::both_databases;
use crate::helpers::{Backend, PASSWORD, TestApp, location, mail_text};
use app::domain::account::RegistrationStatus;
use app::domain::registration::RegistryMatch;
use app::ssr::entities::{registry_entry, registry_import, user};
use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

both_databases!(
    a_utf8_export_with_bom_validates_exact_matches_and_queues_partial_ones,
    a_latin1_export_with_semicolons_reports_its_broken_lines_and_imports_nothing_from_them,
    a_file_without_the_needed_columns_is_refused_whole,
    a_large_export_is_read_in_the_background_and_replaces_the_registry,
    a_new_sign_up_the_registry_knows_is_validated_at_once
);

/// A person who signed up and waits, with the school and tax code they gave.
async fn applicant(
    app: &TestApp,
    email: &str,
    given: &str,
    family: &str,
    school: &str,
    tax_code: Option<&str>,
) -> i32 {
    let (id, _) = app.pending_user(email).await;
    let mut person: user::ActiveModel = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    person.given_name = Set(given.to_owned());
    person.family_name = Set(family.to_owned());
    person.school_code = Set(school.to_owned());
    person.tax_code = Set(tax_code.map(str::to_owned));
    person.update(&app.state.db).await.unwrap();
    id
}

async fn person(app: &TestApp, id: i32) -> user::Model {
    user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Uploads and answers the upload's id (from where the browser is sent).
async fn upload(app: &TestApp, staff: &str, name: &str, bytes: &[u8]) -> String {
    let response = app.upload_registry(staff, name, bytes).await;
    assert!(response.status.is_redirection(), "{}", response.body);
    let to = location(&response);
    to.strip_prefix("/staff/registry/")
        .unwrap_or_else(|| panic!("sent to {to}"))
        .to_owned()
}

async fn load(app: &TestApp, staff: &str, id: &str) -> serde_json::Value {
    let loaded = app
        .call("load_registry_import", &[("import_id", id)], Some(staff))
        .await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    loaded.json()
}

async fn a_utf8_export_with_bom_validates_exact_matches_and_queues_partial_ones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (_, participant) = app.user("partecipante@scuola.it", false, false).await;
    let by_email = applicant(
        &app,
        "anna.verdi@scuola.it",
        "Anna",
        "Verdi",
        "FIIC812003",
        None,
    )
    .await;
    let by_tax_code = applicant(
        &app,
        "b.neri@gmail.com",
        "Bruno",
        "Neri",
        "RMIC8AB00X",
        Some("RSSMRA85T10A562S"),
    )
    .await;
    let partly = applicant(
        &app,
        "carla.p@libero.it",
        "Carla",
        "D'Angelo",
        "NAIS02300B",
        None,
    )
    .await;
    let unknown = applicant(
        &app,
        "ignoto@scuola.it",
        "Ivo",
        "Ignoto",
        "TOIC80000A",
        None,
    )
    .await;
    let file = "\u{FEFF}Cognome,Nome,Email,Codice fiscale,Codice meccanografico\r\n\
                Verdi,Anna,Anna.Verdi@Scuola.it,,FIIC812003\r\n\
                Neri,Bruno,bruno.neri@scuola.it,RSSMRA85T10A562S,RMIC8AB00X\r\n\
                DANGELO,Carla,carla.dangelo@scuola.it,,NAIS02300B\r\n\
                \"Bianchi, detta Bice\",Beatrice,bice@scuola.it,,PIPS01000X\r\n";
    // Only staff may upload one.
    let refused = app
        .upload_registry(&participant, "anagrafe.csv", file.as_bytes())
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let id = upload(&app, &staff, "anagrafe.csv", file.as_bytes()).await;
    let preview = load(&app, &staff, &id).await;
    assert_eq!(preview["status"], "preview");
    assert_eq!(preview["encoding"], "utf8_bom");
    assert_eq!(preview["separator"], ",");
    assert_eq!(preview["people"], 4);
    assert_eq!(preview["bad_line_count"], 0);
    assert_eq!(preview["exact_matches"], 2);
    assert_eq!(preview["partial_matches"], 1);
    // A preview changes nobody.
    assert_eq!(
        person(&app, by_email).await.registration_status,
        RegistrationStatus::Pending
    );
    let page = app
        .get(&format!("/staff/registry/{id}"), Some(&staff))
        .await;
    assert!(
        page.body.contains("Applicare questo file?"),
        "{}",
        page.body
    );

    let applied = app
        .call("apply_registry_import", &[("import_id", &id)], Some(&staff))
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(
        applied.json(),
        serde_json::json!({"validated": 2, "partial": 1, "unmatched": 1})
    );
    for validated in [by_email, by_tax_code] {
        let validated = person(&app, validated).await;
        assert_eq!(validated.registration_status, RegistrationStatus::Validated);
        assert_eq!(validated.registry_match, Some(RegistryMatch::Exact));
        let audit = app.audit_of(validated.id).await;
        assert_eq!(
            audit,
            vec![(
                "registration_validated".to_owned(),
                "registry".to_owned(),
                None
            )],
            "the registry decided, nobody on staff"
        );
    }
    let partly = person(&app, partly).await;
    assert_eq!(partly.registration_status, RegistrationStatus::Pending);
    assert_eq!(partly.registry_match, Some(RegistryMatch::Partial));
    assert_eq!(
        person(&app, unknown).await.registry_match,
        Some(RegistryMatch::None)
    );
    // Each validated person is told.
    let mails = app.mailbox.wait_for(2).await;
    let texts: Vec<String> = mails.iter().map(|m| mail_text(m)).collect();
    assert!(
        texts.iter().any(|t| t.contains("anna.verdi@scuola.it")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("b.neri@gmail.com")),
        "{texts:?}"
    );
    // Applying twice is refused.
    let again = app
        .call("apply_registry_import", &[("import_id", &id)], Some(&staff))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // The queue shows the partial match with the registry's entry beside it.
    let queue = app
        .call(
            "load_registrations",
            &[("page", "1"), ("matched", "partial")],
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(queue["total"], 1, "{queue}");
    assert_eq!(queue["partial"], 1);
    assert_eq!(queue["unmatched"], 1);
    let row = &queue["rows"][0];
    assert_eq!(row["email"], "carla.p@libero.it");
    assert_eq!(
        row["evidence"]["person"]["email"],
        "carla.dangelo@scuola.it"
    );
    assert_eq!(row["evidence"]["line"], 4);
    let page = app
        .get("/staff/registrations?matched=partial", Some(&staff))
        .await;
    assert!(
        page.body.contains("carla.dangelo@scuola.it"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Corrispondenza parziale"));
}

async fn a_latin1_export_with_semicolons_reports_its_broken_lines_and_imports_nothing_from_them(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let niccolo = applicant(
        &app,
        "nicolo.bianchi@scuola.it",
        "Niccolò",
        "Bianchi",
        "RMIC8AB00X",
        None,
    )
    .await;
    let mut file: Vec<u8> = b"NOME;COGNOME;CODICE FISCALE;E-MAIL;CODICE SCUOLA\r\n".to_vec();
    file.extend(b"Niccol\xF2;Bianchi;;nicolo.bianchi@scuola.it;RMIC8AB00X\r\n");
    file.extend(b"\r\n");
    file.extend(b"Fabrizio;D'Al\xF2;RSSMRA85T10A562S;;RMIC8AB00X;troppo\r\n");
    file.extend(b"Luca;Russo;RSSMRA85T10A562X;luca@scuola.it;RMIC8AB00X\r\n");
    file.extend(b"Marta;Gialli;;;RMIC8AB00X\r\n");
    file.extend(b"Anna;\"Verdi; in Neri\";BNCGLI90A41H501E;;RMIC8AB00X\r\n");
    let id = upload(&app, &staff, "anagrafe-latin1.csv", &file).await;
    let preview = load(&app, &staff, &id).await;
    assert_eq!(preview["encoding"], "windows1252");
    assert_eq!(preview["separator"], ";");
    assert_eq!(preview["people"], 2);
    assert_eq!(preview["bad_line_count"], 4);
    assert_eq!(
        preview["bad_lines"],
        serde_json::json!([
            {"line": 3, "problem": "blank"},
            {"line": 4, "problem": "wrong_field_count"},
            {"line": 5, "problem": "tax_code_invalid"},
            {"line": 6, "problem": "no_identifier"},
        ])
    );
    // Nothing from the bad lines was stored; the good ones were, accents intact.
    let entries = registry_entry::Entity::find()
        .filter(registry_entry::Column::ImportId.eq(id.parse::<i32>().unwrap()))
        .all(&app.state.db)
        .await
        .unwrap();
    let names: Vec<(i32, String)> = entries
        .iter()
        .map(|e| (e.line, format!("{} {}", e.given_name, e.family_name)))
        .collect();
    assert_eq!(
        names,
        vec![
            (2, "Niccolò Bianchi".to_owned()),
            (7, "Anna Verdi; in Neri".to_owned())
        ]
    );
    let page = app
        .get(&format!("/staff/registry/{id}"), Some(&staff))
        .await;
    assert!(page.body.contains("Latin-1"), "{}", page.body);
    assert!(page.body.contains("Riga vuota"));
    assert!(page.body.contains("Codice fiscale non valido"));
    // Discarded: the people read go, nobody is validated, and it cannot be applied after.
    let discarded = app
        .call(
            "discard_registry_import",
            &[("import_id", &id)],
            Some(&staff),
        )
        .await;
    assert_eq!(discarded.status, StatusCode::OK, "{}", discarded.body);
    assert_eq!(
        registry_entry::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    let late = app
        .call("apply_registry_import", &[("import_id", &id)], Some(&staff))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(
        person(&app, niccolo).await.registration_status,
        RegistrationStatus::Pending
    );
}

async fn a_file_without_the_needed_columns_is_refused_whole(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let response = app
        .upload_registry(
            &staff,
            "sbagliato.csv",
            b"Nome;Cognome;Email\r\nMario;Rossi;m@scuola.it\r\n",
        )
        .await;
    assert_eq!(location(&response), "/staff/registry?error=columns");
    let empty = app.upload_registry(&staff, "vuoto.csv", b"\r\n \r\n").await;
    assert_eq!(location(&empty), "/staff/registry?error=empty");
    assert_eq!(
        registry_import::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    let page = app.get("/staff/registry?error=columns", Some(&staff)).await;
    assert!(
        page.body
            .contains("La prima riga non indica le colonne necessarie"),
        "{}",
        page.body
    );
}

/// A file of 100,000 people (the size of the ministry's export; timed in the `registry` bench)
/// is stored in the background: the upload's page shows the progress until it is a preview.
/// Applying a newer file replaces the registry.
async fn a_large_export_is_read_in_the_background_and_replaces_the_registry(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let mut file = String::from("Nome;Cognome;Email;Codice meccanografico\n");
    for n in 0..100_000 {
        file.push_str(&format!(
            "Persona;Numero {n};persona{n}@scuola.it;FIIC812003\n"
        ));
    }
    let first = upload(&app, &staff, "grande.csv", file.as_bytes()).await;
    let mut seen_reading = false;
    let preview = loop {
        let import = load(&app, &staff, &first).await;
        if import["status"] == "reading" {
            seen_reading = true;
            let page = app
                .get(&format!("/staff/registry/{first}"), Some(&staff))
                .await;
            // Still reading: the progress bar; or it finished meanwhile: the preview.
            assert!(
                page.body.contains("<progress") || page.body.contains("Applicare questo file?"),
                "{}",
                page.body
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        }
        break import;
    };
    assert_eq!(preview["status"], "preview");
    assert_eq!(preview["people"], 100_000);
    assert_eq!(preview["stored"], 100_000);
    let _ = seen_reading; // How fast the machine is decides whether the progress was caught.
    let applied = app
        .call(
            "apply_registry_import",
            &[("import_id", &first)],
            Some(&staff),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    let second = upload(
        &app,
        &staff,
        "nuova.csv",
        b"Nome;Cognome;Email;Codice meccanografico\nSola;Persona;sola@scuola.it;FIIC812003\n",
    )
    .await;
    let applied = app
        .call(
            "apply_registry_import",
            &[("import_id", &second)],
            Some(&staff),
        )
        .await;
    assert_eq!(applied.status, StatusCode::OK, "{}", applied.body);
    assert_eq!(
        registry_entry::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(load(&app, &staff, &first).await["status"], "replaced");
    let overview = app.call("load_registry", &[], Some(&staff)).await.json();
    assert_eq!(overview["people_now"], 1);
    assert_eq!(overview["imports"][0]["status"], "applied");
}

async fn a_new_sign_up_the_registry_knows_is_validated_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let id = upload(
        &app,
        &staff,
        "anagrafe.csv",
        b"Nome;Cognome;Email;Codice meccanografico\nGiulia;Bianchi;giulia@scuola.it;FIIC812003\n",
    )
    .await;
    app.call("apply_registry_import", &[("import_id", &id)], Some(&staff))
        .await;
    for email in ["Giulia@Scuola.it", "sconosciuta@scuola.it"] {
        let signed_up = app
            .call(
                "sign_up",
                &[
                    ("email", email),
                    ("given_name", "Giulia"),
                    ("family_name", "Bianchi"),
                    ("school_name", "IC Firenze 3"),
                    ("school_code", "FIIC812003"),
                    ("password", PASSWORD),
                ],
                None,
            )
            .await;
        assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    }
    let known = person(&app, app.user_id("giulia@scuola.it").await).await;
    assert_eq!(known.registration_status, RegistrationStatus::Validated);
    assert_eq!(known.registry_match, Some(RegistryMatch::Exact));
    // Same name and school, another address: a partial match, for staff.
    let other = person(&app, app.user_id("sconosciuta@scuola.it").await).await;
    assert_eq!(other.registration_status, RegistrationStatus::Pending);
    assert_eq!(other.registry_match, Some(RegistryMatch::Partial));
}
