//! The outbox: mail written with a change is sent once, by whichever instance claims it, and
//! nothing is lost when an instance stops half-way or the relay is away.

use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::domain::outbox::MailStatus;
use app::ssr::entities::outbox;
use app::ssr::mail::{Delivery, MailSettings, Sender};
use app::ssr::outbox::{NewMail, deliver_due, enqueue};
use chrono::{TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};

both_databases!(
    three_instances_send_each_mail_once,
    mail_claimed_by_an_instance_that_stopped_is_sent_by_another,
    a_relay_that_is_away_gets_the_mail_later_and_then_it_is_given_up,
    without_a_relay_mail_is_written_to_files,
    staff_see_the_outbox_and_send_a_failed_mail_again
);

fn mail(n: usize) -> NewMail {
    NewMail {
        kind: "test",
        to: format!("persona{n}@scuola.it"),
        subject: format!("Messaggio {n}"),
        body: format!("Gentile persona {n},\nè un messaggio di prova.\n\nhttps://aula.test/"),
        certificate: None,
    }
}

/// A row of the outbox as an instance left it.
fn row(
    recipient: &str,
    status: MailStatus,
    attempts: i32,
    due_at: chrono::DateTime<Utc>,
    claimed_until: Option<chrono::DateTime<Utc>>,
    last_error: Option<&str>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        kind: Set("test".to_owned()),
        recipient: Set(recipient.to_owned()),
        subject: Set("Il tuo attestato".to_owned()),
        body: Set("Ecco il tuo attestato.".to_owned()),
        certificate_id: Set(None),
        attachment_name: Set(None),
        status: Set(status),
        attempts: Set(attempts),
        due_at: Set(due_at),
        claimed_until: Set(claimed_until),
        last_error: Set(last_error.map(str::to_owned)),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        ..Default::default()
    }
}

fn sender(app: &TestApp) -> Sender {
    Sender::new(&app.state.settings.mail.clone().expect("mail settings")).expect("a sender")
}

async fn statuses(app: &TestApp) -> Vec<(MailStatus, i32)> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.state.db)
        .await
        .expect("outbox")
        .into_iter()
        .map(|row| (row.status, row.attempts))
        .collect()
}

/// 30 mails, the test app's own worker and two more instances sending at the same time: each
/// mail reaches the relay exactly once.
async fn three_instances_send_each_mail_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sender = sender(&app);
    let dir = app.state.settings.certificate_dir();
    enqueue(&app.state.db, (0..30).map(mail).collect())
        .await
        .expect("written");
    app::ssr::outbox::wake();
    let (a, b) = tokio::join!(
        deliver_due(&app.state.db, &sender, &dir, Utc::now()),
        deliver_due(&app.state.db, &sender, &dir, Utc::now())
    );
    a.expect("instance a");
    b.expect("instance b");
    app.mailbox.wait_for(30).await;
    // A second copy would arrive right behind the first ones.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let messages = app.mailbox.messages();
    assert_eq!(messages.len(), 30, "each mail once");
    for n in 0..30 {
        let to = format!("persona{n}@scuola.it");
        assert_eq!(
            messages.iter().filter(|m| m.contains(&to)).count(),
            1,
            "{to}"
        );
    }
    let sent = messages.iter().find(|m| m.contains("persona7@")).unwrap();
    assert!(
        sent.contains("text/plain") && sent.contains("text/html"),
        "{sent}"
    );
    assert!(
        statuses(&app)
            .await
            .iter()
            .all(|s| *s == (MailStatus::Sent, 1))
    );
}

/// An instance claimed two mails and stopped before sending them: nobody sends them while its
/// claim lasts, and once the claim has run out the next instance does.
async fn mail_claimed_by_an_instance_that_stopped_is_sent_by_another(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sender = sender(&app);
    let dir = app.state.settings.certificate_dir();
    let now = Utc::now();
    for n in 0..2 {
        let claimed = Some(now + TimeDelta::minutes(5));
        row(
            &format!("persona{n}@scuola.it"),
            MailStatus::Queued,
            0,
            now,
            claimed,
            None,
        )
        .insert(&app.state.db)
        .await
        .expect("a claimed mail");
    }
    let sent = deliver_due(&app.state.db, &sender, &dir, now)
        .await
        .expect("looks");
    assert_eq!(sent, 0, "still claimed");
    assert_eq!(app.mailbox.messages().len(), 0);
    let later = now + TimeDelta::minutes(6);
    let sent = deliver_due(&app.state.db, &sender, &dir, later)
        .await
        .expect("sends");
    assert_eq!(sent, 2, "the claim ran out");
    assert_eq!(app.mailbox.wait_for(2).await.len(), 2);
    assert_eq!(statuses(&app).await, vec![(MailStatus::Sent, 1); 2]);
}

/// The relay does not answer: the mail stays queued with the error, due again a minute later,
/// and after the last attempt it is given up (and kept, with its error, for staff).
async fn a_relay_that_is_away_gets_the_mail_later_and_then_it_is_given_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let away = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let settings = MailSettings {
        delivery: Delivery::Smtp(format!("smtp://127.0.0.1:{away}")),
        from: "Aula <noreply@aula.test>".to_owned(),
    };
    let sender = Sender::new(&settings).expect("a sender");
    let dir = app.state.settings.certificate_dir();
    // Far in the future, so that the test app's own worker (which sends with the real relay)
    // does not take it first.
    let future = Utc::now() + TimeDelta::days(3650);
    let mut due = future;
    let row = row("ada@scuola.it", MailStatus::Queued, 0, due, None, None)
        .insert(&app.state.db)
        .await
        .expect("a mail");
    let sent = deliver_due(&app.state.db, &sender, &dir, due)
        .await
        .expect("tries");
    assert_eq!(sent, 0);
    let after = outbox::Entity::find_by_id(row.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((after.status, after.attempts), (MailStatus::Queued, 1));
    assert!(after.last_error.is_some(), "the error is kept");
    // (PostgreSQL keeps microseconds.)
    let again = after.due_at - (due + TimeDelta::minutes(1));
    assert!(
        again.num_milliseconds().abs() < 1,
        "tried again a minute later: {again}"
    );
    // Not due again at once.
    assert_eq!(
        deliver_due(&app.state.db, &sender, &dir, due)
            .await
            .unwrap(),
        0
    );
    let after = outbox::Entity::find_by_id(row.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.attempts, 1, "not tried before it is due");
    for _ in 1..app::domain::outbox::MAX_ATTEMPTS {
        due += TimeDelta::days(1);
        let mut row: outbox::ActiveModel = outbox::Entity::find_by_id(row.id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .into();
        row.due_at = Set(due);
        row.update(&app.state.db).await.unwrap();
        deliver_due(&app.state.db, &sender, &dir, due)
            .await
            .unwrap();
    }
    let given_up = outbox::Entity::find_by_id(row.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (given_up.status, given_up.attempts),
        (MailStatus::Failed, app::domain::outbox::MAX_ATTEMPTS)
    );
    assert!(given_up.last_error.is_some());
    assert!(app.mailbox.messages().is_empty());
}

/// With no relay configured (`cargo xtask run`, a first try of Aula), each mail becomes an
/// `.eml` file a mail program opens.
async fn without_a_relay_mail_is_written_to_files(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let folder = std::env::temp_dir().join(format!(
        "aula-test-mail-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    let settings = MailSettings {
        delivery: Delivery::Files(folder.clone()),
        from: "Aula <noreply@aula.test>".to_owned(),
    };
    let future = Utc::now() + TimeDelta::days(3650);
    let mut first = mail(1);
    first.subject = "Verifica il tuo indirizzo".to_owned();
    enqueue(&app.state.db, vec![first]).await.unwrap();
    // Due now for this instance only: the row is moved to the far future for the app's worker.
    let row = outbox::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut moved: outbox::ActiveModel = row.clone().into();
    moved.due_at = Set(future);
    moved.update(&app.state.db).await.unwrap();
    let sent = deliver_due(
        &app.state.db,
        &Sender::new(&settings).expect("a sender"),
        &app.state.settings.certificate_dir(),
        future,
    )
    .await
    .unwrap();
    assert_eq!(sent, 1);
    let file = std::fs::read_to_string(folder.join(format!("{}.eml", row.id))).expect("an .eml");
    assert!(
        file.contains("Subject: Verifica il tuo indirizzo"),
        "{file}"
    );
    assert!(file.contains("To: persona1@scuola.it"), "{file}");
    assert!(
        app.mailbox.messages().is_empty(),
        "nothing went to the relay"
    );
    std::fs::remove_dir_all(&folder).ok();
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Staff see the outbox by state, with a failure's error, and send a mail again: it goes out.
async fn staff_see_the_outbox_and_send_a_failed_mail_again(backend: Backend) {
    use app::features::mail::api::{LoadOutbox, ResendMail};
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (_, participant) = app.user("ada@scuola.it", false, false).await;
    let now = Utc::now();
    let failed = row(
        "bruno@scuola.it",
        MailStatus::Failed,
        app::domain::outbox::MAX_ATTEMPTS,
        now,
        None,
        Some("Connection refused"),
    )
    .insert(&app.state.db)
    .await
    .unwrap();
    let listed = app
        .invoke(
            LoadOutbox {
                page: 1,
                status: Some(MailStatus::Failed),
            },
            Some(&staff),
        )
        .await
        .expect("staff read the outbox");
    assert_eq!(listed.total, 1);
    assert_eq!(
        listed.rows[0].last_error.as_deref(),
        Some("Connection refused")
    );
    assert!(listed.counts.contains(&(MailStatus::Failed, 1)));
    let page = app.get("/staff/mail?status=failed", Some(&staff)).await;
    assert!(
        page.body.contains("Connection refused"),
        "the error is shown"
    );
    assert!(page.body.contains("Invia di nuovo"));
    assert!(
        app.invoke(ResendMail { mail_id: failed.id }, Some(&participant))
            .await
            .is_err(),
        "participants cannot"
    );
    app.invoke(ResendMail { mail_id: failed.id }, Some(&staff))
        .await
        .expect("sent again");
    // On record: who sent which mail again.
    let logged = app::ssr::entities::audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].action, app::domain::audit::Action::MailResent);
    assert!(
        logged[0].detail.contains("bruno@scuola.it"),
        "{}",
        logged[0].detail
    );
    let mails = app.mailbox.wait_for(1).await;
    assert!(mails[0].contains("bruno@scuola.it"));
    let mut row = outbox::Entity::find_by_id(failed.id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    for _ in 0..50 {
        if row.status == MailStatus::Sent {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        row = outbox::Entity::find_by_id(failed.id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
    }
    assert_eq!((row.status, row.attempts), (MailStatus::Sent, 1));
}
