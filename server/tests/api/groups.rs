use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::domain::{Field, Problem};
use app::error::{AppError, Refusal};
use app::features::cockpit::api::LoadCockpit;
use app::features::enrolment::api::Enrol;
use app::features::groups::api::{
    AppointAmbassador, LoadGroupSpace, LoadGroupsOverview, LoadThread, MoveToGroup,
    PostAnnouncement, PostReply, SetGroupAmbassador, SplitIntoGroups, StartThread,
};
use app::ssr::entities::{group, group_member};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

both_databases!(
    staff_form_groups_and_assign_ambassadors,
    group_spaces_are_private_and_text_stays_text,
    posting_is_limited_per_person_and_replies_come_in_pages,
    every_hand_in_reaches_a_reviewer
);

/// A participant who enrols after the groups were formed joins a tutored group; a group
/// without an ambassador is flagged and its work reaches staff; anyone with an account can be
/// appointed, the role given only when staff confirm it.
async fn every_hand_in_reaches_a_reviewer(backend: Backend) {
    let app = &TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (amb, amb_token) = app.user("amb@scuola.it", true, false).await;
    let (early, _) = app.user("early@scuola.it", false, false).await;
    let (lonely, _) = app.user("lonely@scuola.it", false, false).await;
    let (teacher, _) = app.user("maestra@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    let tutored = app.group(edition, "A", &[early], &[amb]).await;
    let untutored = app.group(edition, "B", &[lonely], &[]).await;
    let sheet = app
        .activity(edition, "task_sheet", "Scheda 1", chrono::TimeDelta::zero())
        .await;

    // A newcomer joins the tutored group, though the other is as small.
    let (newcomer, newcomer_token) = app.user("new@scuola.it", false, false).await;
    app.invoke(
        Enrol {
            edition_id: edition,
        },
        Some(&newcomer_token),
    )
    .await
    .expect("enrolled");
    let placed = group_member::Entity::find_by_id((edition, newcomer))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("placed in a group on enrolment");
    assert_eq!(placed.group_id, tutored);

    app.submission(sheet, newcomer, 1, "submitted").await;
    let lonely_work = app.submission(sheet, lonely, 1, "submitted").await;
    let cockpit = |session: String| async move {
        let call = LoadCockpit {
            edition_id: edition,
            group: None,
            page: 1,
            standing: None,
        };
        app.invoke(call, Some(&session)).await.expect("the cockpit")
    };
    let ambassadors = cockpit(amb_token.clone()).await;
    assert_eq!(
        ambassadors.queue.len(),
        1,
        "the newcomer's work reaches her tutor"
    );
    assert!(!ambassadors.queue[0].untutored);
    let staffs = cockpit(staff.clone()).await;
    let flagged: Vec<i32> = staffs
        .queue
        .iter()
        .filter(|q| q.untutored)
        .map(|q| q.submission_id)
        .collect();
    assert_eq!(
        flagged,
        vec![lonely_work],
        "work without a tutor is staff's: {staffs:?}"
    );

    // Appointing: an unknown address and a role not confirmed change nothing.
    let appoint = |email: &str, grant: &str| AppointAmbassador {
        group_id: untutored,
        email: email.to_owned(),
        grant_role: grant.to_owned(),
    };
    let before = app.snapshot().await;
    let unknown = app
        .invoke(appoint("nessuno@scuola.it", "true"), Some(&staff))
        .await;
    assert!(
        matches!(&unknown, Err(e) if e.problems_of(Field::Email) == vec![Problem::NoSuchAccount]),
        "{unknown:?}"
    );
    let unconfirmed = app
        .invoke(appoint("maestra@scuola.it", ""), Some(&staff))
        .await;
    assert!(
        matches!(&unconfirmed, Err(e) if e.problems_of(Field::GrantRole) == vec![Problem::RoleNotConfirmed]),
        "{unconfirmed:?}"
    );
    assert_eq!(
        app.invoke(appoint("maestra@scuola.it", "true"), Some(&amb_token))
            .await,
        Err(AppError::NotAllowed),
        "only staff appoint"
    );
    assert_eq!(app.snapshot().await, before, "nothing changed");

    app.invoke(appoint(" Maestra@Scuola.it ", "true"), Some(&staff))
        .await
        .expect("appointed with the role");
    // Appointing again is harmless.
    app.invoke(appoint("maestra@scuola.it", ""), Some(&staff))
        .await
        .expect("already an ambassador: no confirmation needed");
    let audit = app.audit_of(teacher).await;
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].0, "role_changed");

    let overview = app
        .invoke(
            LoadGroupsOverview {
                edition_id: edition,
            },
            Some(&staff),
        )
        .await
        .expect("the groups page");
    let b = overview.groups.iter().find(|g| g.id == untutored).unwrap();
    assert_eq!(
        b.ambassadors.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![teacher]
    );
    let staffs = cockpit(staff).await;
    assert!(staffs.queue.iter().all(|q| !q.untutored), "{staffs:?}");
}

async fn staff_form_groups_and_assign_ambassadors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (ambassador, _) = app.user("amb@scuola.it", true, false).await;
    let (not_ambassador, _) = app.user("plain@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    for n in 0..7 {
        let (_, token) = app.user(&format!("p{n}@scuola.it"), false, false).await;
        app.invoke(
            Enrol {
                edition_id: edition,
            },
            Some(&token),
        )
        .await
        .expect("enrolled");
    }

    let split = |size: &str| SplitIntoGroups {
        edition_id: edition,
        size: size.to_owned(),
    };
    let bad = app.invoke(split("1"), Some(&staff)).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))), "{bad:?}");
    assert_eq!(app.invoke(split("3"), Some(&staff)).await, Ok(7));
    let groups = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0].name, "Gruppo 1");
    // Splitting again places nobody twice.
    assert_eq!(app.invoke(split("3"), Some(&staff)).await, Ok(0));

    let first = groups[0].id;
    let assign = |user_id: i32| SetGroupAmbassador {
        group_id: first,
        user_id,
        assigned: "true".to_owned(),
    };
    assert_eq!(
        app.invoke(assign(not_ambassador), Some(&staff)).await,
        Err(AppError::Refused(Refusal::NotAnAmbassador))
    );
    assert_eq!(app.invoke(assign(ambassador), Some(&staff)).await, Ok(()));

    // Moving a participant: only to a group of the same edition.
    let member = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(groups[1].id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let move_to = |group_id: i32| MoveToGroup {
        edition_id: edition,
        user_id: member.user_id,
        group_id,
    };
    assert_eq!(app.invoke(move_to(first), Some(&staff)).await, Ok(()));
    let now = group_member::Entity::find_by_id((edition, member.user_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.group_id, groups[0].id);

    let other_edition = app.edition(course, "open", 100).await;
    let foreign = app.group(other_edition, "Altro", &[], &[]).await;
    assert_eq!(
        app.invoke(move_to(foreign), Some(&staff)).await,
        Err(AppError::NotFound),
        "a group of another edition is not in scope"
    );

    let overview = app
        .invoke(
            LoadGroupsOverview {
                edition_id: edition,
            },
            Some(&staff),
        )
        .await
        .expect("the groups page");
    assert_eq!(overview.groups[0].members.len(), 4);
    assert_eq!(overview.groups[0].ambassadors[0].id, ambassador);
    assert!(overview.unassigned.is_empty());
}

async fn group_spaces_are_private_and_text_stays_text(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (p1, t1) = app.user("p1@scuola.it", false, false).await;
    let (p2, t2) = app.user("p2@scuola.it", false, false).await;
    let (amb, amb_token) = app.user("amb@scuola.it", true, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    let a = app.group(edition, "A", &[p1], &[amb]).await;
    let _b = app.group(edition, "B", &[p2], &[]).await;

    let hostile = "<script>alert('x')</script> vedi https://example.org/guida.";
    let announce = |body: &str| PostAnnouncement {
        group_id: a,
        body: body.to_owned(),
    };
    assert_eq!(
        app.invoke(announce(hostile), Some(&amb_token)).await,
        Ok(())
    );
    assert_eq!(
        app.invoke(announce("io annuncio"), Some(&t1)).await,
        Err(AppError::NotAllowed)
    );
    let start = |title: &str, body: &str| StartThread {
        group_id: a,
        title: title.to_owned(),
        body: body.to_owned(),
    };
    let empty = app.invoke(start("Vuoto", "   "), Some(&t1)).await;
    assert!(matches!(empty, Err(AppError::Invalid(_))), "{empty:?}");
    let thread_id = app
        .invoke(start("Prima domanda", "Come inizio?"), Some(&t1))
        .await
        .expect("thread started");
    let reply = |body: &str| PostReply {
        thread_id,
        body: body.to_owned(),
    };
    assert_eq!(
        app.invoke(reply("Dal TwinSpace!"), Some(&amb_token)).await,
        Ok(())
    );

    let space = app
        .invoke(LoadGroupSpace { group_id: a }, Some(&t1))
        .await
        .expect("the group's space");
    assert_eq!(space.announcements[0].body, hostile, "stored as written");
    assert_eq!(space.threads[0].replies, 1);
    assert!(!space.may_announce);

    // The other group's member sees neither the space nor the thread, by any route.
    assert_eq!(
        app.invoke(LoadGroupSpace { group_id: a }, Some(&t2))
            .await
            .err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        app.invoke(LoadThread { thread_id, page: 1 }, Some(&t2))
            .await
            .err(),
        Some(AppError::NotFound)
    );
    assert_eq!(
        app.invoke(reply("intruso"), Some(&t2)).await,
        Err(AppError::NotFound)
    );

    // The page shows the announcement as text: the script tag is escaped, the address is a link.
    let page = app.get(&format!("/groups/{a}"), Some(&t1)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert"),
        "markup must be escaped"
    );
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(page.body.contains("href=\"https://example.org/guida\""));
}

/// A person posting in a burst is stopped after the per-minute allowance (the refused post is
/// not kept), and a long thread comes a page of replies at a time.
async fn posting_is_limited_per_person_and_replies_come_in_pages(backend: Backend) {
    use app::ssr::entities::reply;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, PaginatorTrait};
    let app = TestApp::spawn(backend).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let (bruno, bruno_session) = app.user("bruno@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    let group = app.group(edition, "A", &[anna, bruno], &[]).await;
    let started = app
        .call(
            "start_thread",
            &[
                ("group_id", &group.to_string()),
                ("title", "Presentiamoci"),
                ("body", "Ciao a tutti"),
            ],
            Some(&anna_session),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let thread = started.json().as_i64().expect("thread id").to_string();

    let mut posted = 1;
    let refused = loop {
        let body = format!("messaggio {posted}");
        let answer = app
            .call(
                "post_reply",
                &[("thread_id", thread.as_str()), ("body", body.as_str())],
                Some(&anna_session),
            )
            .await;
        if answer.status != StatusCode::OK {
            break answer;
        }
        posted += 1;
        assert!(posted <= 30, "30 posts in a row were all accepted");
    };
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert!(posted >= 5, "a conversation still flows: {posted}");
    let kept = reply::Entity::find().count(&app.state.db).await.unwrap();
    assert_eq!(kept, posted - 1, "the refused reply was not kept");
    // Someone else is not held up by Anna's burst.
    let other = app
        .call(
            "post_reply",
            &[("thread_id", thread.as_str()), ("body", "Ciao Anna")],
            Some(&bruno_session),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);

    // A long thread: 120 replies in all, shown 50 at a time.
    let thread_id: i32 = thread.parse().unwrap();
    let existing = reply::Entity::find().count(&app.state.db).await.unwrap();
    for n in existing..120 {
        reply::ActiveModel {
            thread_id: Set(thread_id),
            author_id: Set(bruno),
            body: Set(format!("risposta {n}")),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.state.db)
        .await
        .unwrap();
    }
    let page = |n: &str| {
        let app = &app;
        let thread = thread.clone();
        let session = anna_session.clone();
        let n = n.to_owned();
        async move {
            app.call(
                "load_thread",
                &[("thread_id", thread.as_str()), ("page", n.as_str())],
                Some(&session),
            )
            .await
            .json()
        }
    };
    let first = page("1").await;
    assert_eq!(
        first["replies"].as_array().map(Vec::len),
        Some(50),
        "{first}"
    );
    assert_eq!(first["reply_count"], 120);
    let last = page("3").await;
    assert_eq!(last["replies"].as_array().map(Vec::len), Some(20));
    let html = app
        .get(
            &format!("/groups/{group}/threads/{thread}?page=2"),
            Some(&anna_session),
        )
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.body.contains("risposta 60"),
        "page 2 shows replies 51-100"
    );
    assert!(
        !html.body.contains("risposta 10<"),
        "and not the first page's"
    );
}
