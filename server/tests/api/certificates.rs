//! Certificates: issuing to everyone who completed (and nobody twice, even when two requests
//! race), the PDF, mail through a real SMTP server, verification, revocation, re-issue,
//! staff overrides and the audit log.

use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::domain::Field;
use app::domain::audit::Action;
use app::domain::certificates::{RevocationCategory, Validity};
use app::error::AppError;
use app::features::audit::api::LoadAudit;
use app::features::certificates::api::{
    IssueCertificates, LoadCertificates, ReissueCertificate, RevokeCertificate, VerifyCertificate,
};
use app::features::completion::api::SetCompletionOverride;
use app::features::editions::api::EditionPage;
use app::ssr::entities::{certificate, user};
use axum::http::StatusCode;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

both_databases!(
    certificates_are_issued_verified_revoked_and_reissued,
    concurrent_issuing_never_gives_two_valid_certificates,
    verification_is_rate_limited,
    the_course_logo_is_printed_on_certificates,
    a_revoked_certificate_says_so_without_staffs_words,
    the_register_outlives_deleted_people_and_editions
);

async fn rename(app: &TestApp, id: i32, given: &str, family: &str) {
    let mut person: user::ActiveModel = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    person.given_name = Set(given.to_owned());
    person.family_name = Set(family.to_owned());
    person.update(&app.state.db).await.unwrap();
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir =
        std::env::temp_dir().join(format!("aula-pdf-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("certificate.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by cargo xtask test");
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

async fn get_bytes(
    app: &TestApp,
    path: &str,
    session: Option<&str>,
) -> (StatusCode, String, Vec<u8>) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = Request::get(path).header(header::HOST, "aula.test");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("aula_session={token}"));
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, kind, bytes)
}

async fn certificates_are_issued_verified_revoked_and_reissued(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let (bruno, bruno_session) = app.user("bruno@scuola.it", false, false).await;
    let (carla, _) = app.user("carla@scuola.it", false, false).await;
    let (_, outsider) = app.user("ugo@scuola.it", false, false).await;
    rename(&app, anna, "Niccolò", "Dell'Acqua").await;
    rename(&app, bruno, "Zoë", "Łukasiewicz").await;
    let edition = app.completed_edition(&staff, &[anna, bruno, carla]).await;
    let admin = |session: String| {
        let app = &app;
        async move {
            app.invoke(
                LoadCertificates {
                    edition_id: edition,
                },
                Some(&session),
            )
            .await
            .expect("the certificates page")
        }
    };
    assert_eq!(admin(staff.clone()).await.pending_total, 3);

    // Staff decide that Carla has not completed; a reason is required.
    let decide = |decision: &str, reason: &str| SetCompletionOverride {
        edition_id: edition,
        user_id: carla,
        decision: decision.to_owned(),
        reason: reason.to_owned(),
    };
    let no_reason = app.invoke(decide("not_met", "  "), Some(&staff)).await;
    assert!(
        matches!(&no_reason, Err(AppError::Invalid(problems)) if problems.iter().any(|p| p.field == Field::Reason)),
        "{no_reason:?}"
    );
    assert_eq!(
        app.invoke(decide("met", "x"), Some(&anna_session)).await,
        Err(AppError::NotAllowed)
    );
    app.invoke(
        decide("not_met", "Project copied from another participant"),
        Some(&staff),
    )
    .await
    .expect("decided");
    let pending = admin(staff.clone()).await;
    assert_eq!(pending.pending_total, 2);
    assert!(pending.pending.iter().all(|p| p.user_id != carla));

    // Participants cannot issue; staff issue in rounds until nobody is left.
    let issue = |limit: u32| IssueCertificates {
        edition_id: edition,
        limit,
    };
    assert_eq!(
        app.invoke(issue(10), Some(&anna_session)).await,
        Err(AppError::NotAllowed)
    );
    let round = app.invoke(issue(1), Some(&staff)).await.expect("a round");
    assert_eq!((round.issued, round.remaining), (1, 1));
    let round = app.invoke(issue(25), Some(&staff)).await.expect("a round");
    assert_eq!((round.issued, round.remaining), (1, 0));
    // A second click, or a reload that starts again: nothing more.
    let again = app.invoke(issue(25), Some(&staff)).await.expect("a round");
    assert_eq!(again.issued, 0);
    let listed = admin(staff.clone()).await;
    assert_eq!((listed.valid_total, listed.pending_total), (2, 0));

    // Anna finds hers on the edition page and downloads it; nobody else but staff can.
    let mine = |session: String| {
        let app = &app;
        async move {
            app.invoke(
                EditionPage {
                    edition_id: edition,
                },
                Some(&session),
            )
            .await
            .expect("the participant's certificate")
            .certificate
        }
    };
    let anna_mine = mine(anna_session.clone())
        .await
        .expect("Anna's certificate");
    let (anna_cert, anna_code) = (anna_mine.id, anna_mine.code);
    assert_eq!(anna_cert.len(), 32);
    assert!(
        anna_code.starts_with("AULA-") && anna_code.len() == 14,
        "{anna_code}"
    );
    let path = format!("/certificates/{anna_cert}.pdf");
    let (status, kind, pdf) = get_bytes(&app, &path, Some(&anna_session)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());
    let text = pdf_text(&pdf);
    assert!(text.contains("Niccolò Dell'Acqua"), "{text}");
    assert!(text.contains(&anna_code), "{text}");
    assert!(text.contains("25"), "{text}");
    assert_eq!(
        get_bytes(&app, &path, Some(&bruno_session)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get_bytes(&app, &path, Some(&outsider)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get_bytes(&app, &path, Some(&staff)).await.0, StatusCode::OK);
    assert_eq!(get_bytes(&app, &path, None).await.0, StatusCode::SEE_OTHER);
    assert_eq!(
        get_bytes(&app, "/certificates/../../etc/passwd.pdf", Some(&staff))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let bruno_cert = mine(bruno_session.clone())
        .await
        .expect("Zoë's certificate")
        .id;
    let (_, _, bruno_pdf) = get_bytes(
        &app,
        &format!("/certificates/{bruno_cert}.pdf"),
        Some(&bruno_session),
    )
    .await;
    assert!(pdf_text(&bruno_pdf).contains("Zoë Łukasiewicz"));

    // Each of them got a mail through the SMTP server, with the PDF attached.
    let mails = app.mailbox.wait_for(2).await;
    let to_anna = mails
        .iter()
        .find(|m| m.contains("anna@scuola.it"))
        .expect("mail to Anna");
    assert!(to_anna.contains("application/pdf"), "{to_anna}");
    assert!(
        to_anna.contains(&format!("attestato-{anna_code}.pdf")),
        "{to_anna}"
    );
    assert!(
        to_anna.contains(&anna_cert),
        "the verification link: {to_anna}"
    );

    // Anyone verifies it by id (with the link's signature) or by the code typed loosely.
    let verify = |query: &str, signature: Option<&str>| {
        let app = &app;
        let call = VerifyCertificate {
            query: query.to_owned(),
            s: signature.map(str::to_owned),
        };
        async move {
            app.invoke(call, None)
                .await
                .expect("the verification page")
                .certificate
        }
    };
    let signature = certificate::Entity::find_by_id(anna_cert.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .signature;
    let found = verify(&anna_cert, Some(&signature)).await.expect("found");
    assert_eq!(found.validity, Validity::Valid);
    assert!(found.signature_ok);
    assert_eq!(found.link_signature_ok, Some(true));
    assert_eq!(found.name, "Niccolò Dell'Acqua");
    assert_eq!(found.hours, 25);
    let typed = anna_code.to_lowercase().replace('-', " ");
    assert_eq!(verify(&typed, None).await.expect("by code").id, anna_cert);
    let forged_signature = format!(
        "{}{}",
        if signature.starts_with('A') { 'B' } else { 'A' },
        &signature[1..]
    );
    let forged = verify(&anna_cert, Some(&forged_signature))
        .await
        .expect("found");
    assert_eq!(forged.link_signature_ok, Some(false));
    for unknown in [
        "AULA-2222-2222",
        "not a code",
        "<script>",
        "00000000000000000000000000000000",
    ] {
        assert_eq!(verify(unknown, None).await, None, "{unknown}");
    }

    // The record is frozen: a later profile change does not alter it...
    rename(&app, anna, "Nicola", "Acqua").await;
    let still = verify(&anna_cert, None).await.expect("found");
    assert_eq!(still.name, "Niccolò Dell'Acqua");
    // ...and a record altered behind Aula's back no longer matches its signature.
    let mut altered: certificate::ActiveModel = certificate::Entity::find_by_id(bruno_cert.clone())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    altered.hours = Set(250);
    altered.update(&app.state.db).await.unwrap();
    let tampered = verify(&bruno_cert, None).await.expect("found");
    assert!(!tampered.signature_ok);

    // Revoking needs staff and a reason; then the page says revoked, with the reason.
    let revoke = |reason: &str| RevokeCertificate {
        id: anna_cert.clone(),
        category: "issued_in_error".to_owned(),
        reason: reason.to_owned(),
    };
    assert!(matches!(
        app.invoke(revoke(""), Some(&staff)).await,
        Err(AppError::Invalid(_))
    ));
    assert_eq!(
        app.invoke(revoke("mine"), Some(&anna_session)).await,
        Err(AppError::NotAllowed)
    );
    app.invoke(revoke("Issued by mistake"), Some(&staff))
        .await
        .expect("revoked");
    assert!(matches!(
        app.invoke(revoke("again"), Some(&staff)).await,
        Err(AppError::Refused(_))
    ));
    // The public answer gives the category, not staff's words.
    let answer = verify(&anna_cert, None).await.expect("found");
    assert!(
        matches!(
            &answer.validity,
            Validity::Revoked {
                category: RevocationCategory::IssuedInError,
                reason: None,
                ..
            }
        ),
        "{answer:?}"
    );
    assert_eq!(mine(anna_session.clone()).await, None);
    // She still meets the rule, so she is waiting again.
    assert_eq!(admin(staff.clone()).await.pending_total, 1);

    // Re-issue after Zoë's name was corrected: the old one shows as replaced, the new one
    // links back and prints the corrected name.
    rename(&app, bruno, "Zoë Maria", "Łukasiewicz").await;
    let reissue = |reason: &str| ReissueCertificate {
        id: bruno_cert.clone(),
        reason: reason.to_owned(),
    };
    let new_id = app
        .invoke(reissue("Name corrected on request"), Some(&staff))
        .await
        .expect("re-issued");
    let old = verify(&bruno_cert, None).await.expect("found");
    assert!(
        matches!(&old.validity, Validity::Replaced { by, .. } if *by == new_id),
        "{old:?}"
    );
    let new = verify(&new_id, None).await.expect("found");
    assert_eq!(new.validity, Validity::Valid);
    // Her edition page offers the new one, not the one it replaced.
    let shown = mine(bruno_session.clone())
        .await
        .expect("the new certificate");
    assert_eq!(shown.id, new_id);
    assert!(new.signature_ok);
    assert_eq!(new.replaces.as_deref(), Some(bruno_cert.as_str()));
    assert_eq!(new.name, "Zoë Maria Łukasiewicz");
    assert!(
        matches!(
            app.invoke(reissue("twice"), Some(&staff)).await,
            Err(AppError::Refused(_))
        ),
        "a replaced certificate is not replaced again"
    );
    app.mailbox.wait_for(3).await;
    let valid = certificate::Entity::find()
        .filter(certificate::Column::ValidFor.is_not_null())
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(valid, 1, "only Zoë's new certificate is valid");

    // All of it is in the audit log, which only staff read.
    let audit =
        |action: Option<Action>, edition_id: Option<i32>, subject_id: Option<i32>| LoadAudit {
            page: 1,
            action,
            edition_id,
            subject_id,
        };
    let log = app
        .invoke(audit(None, Some(edition), None), Some(&staff))
        .await
        .expect("the audit log");
    let actions: Vec<Action> = log.entries.iter().map(|e| e.action).collect();
    for expected in [
        Action::OverrideSet,
        Action::CertificateIssued,
        Action::CertificateRevoked,
        Action::CertificateReissued,
    ] {
        assert!(
            actions.contains(&expected),
            "{expected:?} missing from {actions:?}"
        );
    }
    assert!(
        log.entries
            .iter()
            .any(|e| e.reason.as_deref() == Some("Issued by mistake"))
    );
    let filtered = app
        .invoke(
            audit(Some(Action::CertificateRevoked), None, None),
            Some(&staff),
        )
        .await
        .expect("the audit log");
    assert_eq!(filtered.total, 1);
    let by_person = app
        .invoke(audit(None, None, Some(carla)), Some(&staff))
        .await
        .expect("the audit log");
    assert_eq!(by_person.total, 1);
    assert_eq!(
        app.invoke(audit(None, None, None), Some(&anna_session))
            .await
            .err(),
        Some(AppError::NotAllowed)
    );

    // The progress list as CSV, for staff only.
    let csv_path = format!("/staff/editions/{edition}/progress.csv");
    let (status, kind, csv) = get_bytes(&app, &csv_path, Some(&staff)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.contains("Project copied from another participant"),
        "{csv}"
    );
    assert!(csv.contains("Łukasiewicz"), "{csv}");
    assert_eq!(
        get_bytes(&app, &csv_path, Some(&anna_session)).await.0,
        StatusCode::FORBIDDEN
    );
}

async fn concurrent_issuing_never_gives_two_valid_certificates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, first_staff) = app.user("staff1@aula.it", false, true).await;
    let (_, second_staff) = app.user("staff2@aula.it", false, true).await;
    let mut people = Vec::new();
    for n in 0..24 {
        people.push(app.user(&format!("p{n}@scuola.it"), false, false).await.0);
    }
    let edition = app.completed_edition(&first_staff, &people).await;
    let issue_all = IssueCertificates {
        edition_id: edition,
        limit: 100,
    };
    // Two staff members press "issue all" at the same moment, twice each.
    let press = |session: String| {
        let app = &app;
        let issue_all = issue_all.clone();
        async move {
            let mut issued = 0;
            for _ in 0..2 {
                let round = app.invoke(issue_all.clone(), Some(&session)).await;
                issued += round.expect("a round").issued;
            }
            issued
        }
    };
    let (a, b) = tokio::join!(press(first_staff.clone()), press(second_staff.clone()));
    assert_eq!(a + b, 24, "each certificate counted once ({a} + {b})");
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::EditionId.eq(edition))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(certificates.len(), 24);
    let mut holders: Vec<i32> = certificates.iter().filter_map(|c| c.user_id).collect();
    holders.sort_unstable();
    holders.dedup();
    assert_eq!(holders.len(), 24, "nobody has two");

    // Two server instances (two tasks on their own) racing for the same people.
    let edition_model = app::ssr::entities::edition::Entity::find_by_id(edition)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let late: Vec<String> = certificates.iter().take(10).map(|c| c.id.clone()).collect();
    for old in &late {
        let revoke = RevokeCertificate {
            id: old.clone(),
            category: "other".to_owned(),
            reason: "Re-run".to_owned(),
        };
        app.invoke(revoke, Some(&first_staff))
            .await
            .expect("revoked");
    }
    let (one, two) = tokio::join!(
        tokio::spawn({
            let state = app.state.clone();
            let edition = edition_model.clone();
            async move { app::features::certificates::service::issue(&state, None, &edition, 100).await }
        }),
        tokio::spawn({
            let state = app.state.clone();
            let edition = edition_model.clone();
            async move { app::features::certificates::service::issue(&state, None, &edition, 100).await }
        }),
    );
    let issued: u32 = [one.unwrap(), two.unwrap()]
        .into_iter()
        .map(|r| r.map(|round| round.issued).unwrap_or(0))
        .sum();
    let valid = certificate::Entity::find()
        .filter(certificate::Column::EditionId.eq(edition))
        .filter(certificate::Column::ValidFor.is_not_null())
        .all(&app.state.db)
        .await
        .unwrap();
    let mut holders: Vec<i32> = valid.iter().filter_map(|c| c.user_id).collect();
    holders.sort_unstable();
    holders.dedup();
    assert_eq!(
        holders.len(),
        valid.len(),
        "nobody has two valid certificates"
    );
    assert!(issued <= 10, "{issued}");
    // Whatever a racing instance gave up on, the next round finishes.
    let last = app
        .invoke(issue_all, Some(&second_staff))
        .await
        .expect("a round");
    assert_eq!(last.remaining, 0);
    let valid = certificate::Entity::find()
        .filter(certificate::Column::EditionId.eq(edition))
        .filter(certificate::Column::ValidFor.is_not_null())
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(valid, 24);
}

async fn verification_is_rate_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Windows are whole clock minutes: start early in one so that all look-ups fall in it.
    let into_minute = chrono::Utc::now().timestamp().rem_euclid(60) as u64;
    if into_minute > 40 {
        tokio::time::sleep(std::time::Duration::from_secs(61 - into_minute)).await;
    }
    // Two instances behind a load balancer count against one limit: 30 look-ups in all.
    let other = app.another_instance();
    let look_up = |query: String| VerifyCertificate { query, s: None };
    for n in 0..30 {
        let query = format!("AULA-2222-{:04}", 2222 + n);
        let instance = if n % 2 == 0 { &app.router } else { &other };
        let answer = app.invoke_via(instance, look_up(query), None).await;
        assert!(answer.is_ok(), "look-up {n}: {answer:?}");
    }
    for instance in [&app.router, &other] {
        let blocked = app
            .invoke_via(instance, look_up("AULA-3333-3333".to_owned()), None)
            .await;
        assert!(
            matches!(blocked, Err(AppError::TooManyAttempts { .. })),
            "{blocked:?}"
        );
    }
    // The database holds counts under keyed hashes, not addresses.
    let rows = app::ssr::entities::request_limit::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one client, one window");
    assert_eq!(rows[0].requests, 32);
    assert!(!rows[0].key_hash.contains("203.0.113.7"));
    // Someone else (another address) is not held back, and gets the page's answer in words.
    let page = app.get("/verify/AULA-3333-3333", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Nessun attestato corrisponde"),
        "{}",
        page.body
    );
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 251) as u8).collect();
        writer.write_image_data(&pixels).unwrap();
    }
    out
}

async fn the_course_logo_is_printed_on_certificates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna]).await;
    let path = format!("/staff/editions/{edition}/certificate-logo");
    let course_id = app::ssr::entities::edition::Entity::find_by_id(edition)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .course_id;
    let logo_file =
        app::features::certificates::logo::path_for(&app.state.settings.upload_dir, course_id);

    // A participant may not; a file that is not a PNG, or far too big a picture, is refused.
    let by_participant = app
        .post_file(&path, "logo", "logo.png", &png(40, 20), &anna_session)
        .await;
    assert_eq!(by_participant.status, StatusCode::FORBIDDEN);
    let not_png = app
        .post_file(&path, "logo", "logo.png", b"%PDF-1.7 pretending", &staff)
        .await;
    assert!(
        crate::helpers::location(&not_png).ends_with("logo=not_png#template-heading"),
        "{}",
        crate::helpers::location(&not_png)
    );
    let huge = app
        .post_file(&path, "logo", "logo.png", &png(1300, 10), &staff)
        .await;
    assert!(crate::helpers::location(&huge).contains("logo=too_many_pixels"));
    assert!(!logo_file.exists(), "nothing kept");

    // A real logo is kept and printed on the certificates issued from then on.
    let saved = app
        .post_file(&path, "logo", "logo.png", &png(300, 100), &staff)
        .await;
    assert!(crate::helpers::location(&saved).contains("logo=saved"));
    assert!(logo_file.exists());
    let listed = app
        .invoke(
            LoadCertificates {
                edition_id: edition,
            },
            Some(&staff),
        )
        .await
        .expect("the certificates page");
    assert!(listed.has_logo);
    let issue = IssueCertificates {
        edition_id: edition,
        limit: 10,
    };
    let round = app.invoke(issue, Some(&staff)).await.expect("a round");
    assert_eq!(round.issued, 1);
    let id = app
        .invoke(
            EditionPage {
                edition_id: edition,
            },
            Some(&anna_session),
        )
        .await
        .expect("the participant's certificate")
        .certificate
        .expect("issued")
        .id;
    let (_, _, pdf) = get_bytes(
        &app,
        &format!("/certificates/{id}.pdf"),
        Some(&anna_session),
    )
    .await;
    assert!(
        String::from_utf8_lossy(&pdf).contains("/Image"),
        "the logo is in the PDF"
    );
    assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());

    // And it can be taken away again.
    let removed = app.post_file(&path, "remove", "", b"1", &staff).await;
    assert!(crate::helpers::location(&removed).contains("logo=removed"));
    assert!(!logo_file.exists());
}

/// Revoked: the public page gives the date and a category, never staff's own words (they may
/// name people or reasons that are nobody else's business), and the holder's download no
/// longer hands out the PDF as if it were good.
async fn a_revoked_certificate_says_so_without_staffs_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna]).await;
    let issued = app
        .invoke(
            IssueCertificates {
                edition_id: edition,
                limit: 10,
            },
            Some(&staff),
        )
        .await
        .expect("issued");
    assert_eq!(issued.issued, 1);
    let id = certificate::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a certificate")
        .id;
    let (status, _, _) = get_bytes(
        &app,
        &format!("/certificates/{id}.pdf"),
        Some(&anna_session),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let revoked = app
        .call(
            "revoke_certificate",
            &[
                ("id", id.as_str()),
                ("category", "issued_in_error"),
                ("reason", "Segnalazione riservata 4711"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);

    let page = app.get(&format!("/verify/{id}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("4711"),
        "staff's words on the public page"
    );
    assert!(
        page.body.contains("Rilasciato per errore"),
        "the category is shown"
    );
    let answer = app
        .call("verify_certificate", &[("query", id.as_str())], None)
        .await;
    assert!(!answer.body.contains("4711"), "{}", answer.body);

    let (status, _, _) = get_bytes(
        &app,
        &format!("/certificates/{id}.pdf"),
        Some(&anna_session),
    )
    .await;
    assert_ne!(
        status,
        StatusCode::OK,
        "the holder still downloads a revoked certificate"
    );
    // Staff keep access to what was issued.
    let (status, _, _) = get_bytes(&app, &format!("/certificates/{id}.pdf"), Some(&staff)).await;
    assert_eq!(status, StatusCode::OK);
}

/// Deleting a person or an edition (an erasure, a clean-up by hand) never takes the register
/// with it: the certificate row stays and still verifies.
async fn the_register_outlives_deleted_people_and_editions(backend: Backend) {
    use app::ssr::entities::edition;
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let (bruno, _) = app.user("bruno@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna, bruno]).await;
    let issued = app
        .invoke(
            IssueCertificates {
                edition_id: edition,
                limit: 10,
            },
            Some(&staff),
        )
        .await
        .expect("issued");
    assert_eq!(issued.issued, 2);

    user::Entity::delete_by_id(anna)
        .exec(&app.state.db)
        .await
        .expect("the person is deleted");
    let all = certificate::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(all, 2, "a certificate went with its holder");

    edition::Entity::delete_by_id(edition)
        .exec(&app.state.db)
        .await
        .expect("the edition is deleted");
    let kept = certificate::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(kept.len(), 2, "certificates went with their edition");
    for c in kept {
        let answer = app
            .invoke(
                VerifyCertificate {
                    query: c.code.clone(),
                    s: None,
                },
                None,
            )
            .await
            .expect("verified");
        let found = answer.certificate.expect("still in the register");
        assert!(found.signature_ok, "{}", c.code);
        assert_eq!(found.validity, Validity::Valid);
    }
}
