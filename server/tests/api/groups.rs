use crate::both_databases;
use crate::helpers::{Backend, TestApp, error_kind};
use app::ssr::entities::{group, group_member};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

both_databases!(
    staff_form_groups_and_assign_ambassadors,
    group_spaces_are_private_and_text_stays_text
);

async fn staff_form_groups_and_assign_ambassadors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (ambassador, _) = app.user("amb@scuola.it", true, false).await;
    let (not_ambassador, _) = app.user("plain@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    let id = edition.to_string();
    for n in 0..7 {
        let (_, token) = app.user(&format!("p{n}@scuola.it"), false, false).await;
        app.call("enrol", &[("edition_id", &id)], Some(&token))
            .await;
    }

    let bad = app
        .call(
            "split_into_groups",
            &[("edition_id", &id), ("size", "1")],
            Some(&staff),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let split = app
        .call(
            "split_into_groups",
            &[("edition_id", &id), ("size", "3")],
            Some(&staff),
        )
        .await;
    assert_eq!(split.json(), 7, "{}", split.body);
    let groups = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0].name, "Gruppo 1");
    // Splitting again places nobody twice.
    let again = app
        .call(
            "split_into_groups",
            &[("edition_id", &id), ("size", "3")],
            Some(&staff),
        )
        .await;
    assert_eq!(again.json(), 0);

    let first = groups[0].id.to_string();
    let refused = app
        .call(
            "set_group_ambassador",
            &[
                ("group_id", &first),
                ("user_id", &not_ambassador.to_string()),
                ("assigned", "true"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let assigned = app
        .call(
            "set_group_ambassador",
            &[
                ("group_id", &first),
                ("user_id", &ambassador.to_string()),
                ("assigned", "true"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK);

    // Moving a participant: only to a group of the same edition.
    let member = group_member::Entity::find()
        .filter(group_member::Column::GroupId.eq(groups[1].id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let moved = app
        .call(
            "move_to_group",
            &[
                ("edition_id", &id),
                ("user_id", &member.user_id.to_string()),
                ("group_id", &first),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK);
    let now = group_member::Entity::find_by_id((edition, member.user_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.group_id, groups[0].id);

    let other_edition = app.edition(course, "open", 100).await;
    let foreign = app.group(other_edition, "Altro", &[], &[]).await;
    let response = app
        .call(
            "move_to_group",
            &[
                ("edition_id", &id),
                ("user_id", &member.user_id.to_string()),
                ("group_id", &foreign.to_string()),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "a group of another edition is not in scope"
    );

    let overview = app
        .call("load_groups_overview", &[("edition_id", &id)], Some(&staff))
        .await
        .json();
    assert_eq!(
        overview["groups"][0]["members"].as_array().map(Vec::len),
        Some(4)
    );
    assert_eq!(overview["groups"][0]["ambassadors"][0]["id"], ambassador);
    assert_eq!(overview["unassigned"].as_array().map(Vec::len), Some(0));
}

async fn group_spaces_are_private_and_text_stays_text(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (p1, t1) = app.user("p1@scuola.it", false, false).await;
    let (p2, t2) = app.user("p2@scuola.it", false, false).await;
    let (amb, amb_token) = app.user("amb@scuola.it", true, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    let a = app.group(edition, "A", &[p1], &[amb]).await.to_string();
    let _b = app.group(edition, "B", &[p2], &[]).await;

    let hostile = "<script>alert('x')</script> vedi https://example.org/guida.";
    let posted = app
        .call(
            "post_announcement",
            &[("group_id", &a), ("body", hostile)],
            Some(&amb_token),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let member_cannot = app
        .call(
            "post_announcement",
            &[("group_id", &a), ("body", "io annuncio")],
            Some(&t1),
        )
        .await;
    assert_eq!(error_kind(&member_cannot), "NotAllowed");
    let empty = app
        .call(
            "start_thread",
            &[("group_id", &a), ("title", "Vuoto"), ("body", "   ")],
            Some(&t1),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let thread = app
        .call(
            "start_thread",
            &[
                ("group_id", &a),
                ("title", "Prima domanda"),
                ("body", "Come inizio?"),
            ],
            Some(&t1),
        )
        .await;
    let thread_id = thread.json().as_i64().unwrap().to_string();
    let reply = app
        .call(
            "post_reply",
            &[("thread_id", &thread_id), ("body", "Dal TwinSpace!")],
            Some(&amb_token),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    let space = app
        .call("load_group_space", &[("group_id", &a)], Some(&t1))
        .await
        .json();
    assert_eq!(
        space["announcements"][0]["body"], hostile,
        "stored as written"
    );
    assert_eq!(space["threads"][0]["replies"], 1);
    assert_eq!(space["may_announce"], false);

    // The other group's member sees neither the space nor the thread, by any route.
    for (endpoint, arg, value) in [
        ("load_group_space", "group_id", &a),
        ("load_thread", "thread_id", &thread_id),
    ] {
        let response = app
            .call(endpoint, &[(arg, value.as_str())], Some(&t2))
            .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{endpoint}");
    }
    let sneaky = app
        .call(
            "post_reply",
            &[("thread_id", &thread_id), ("body", "intruso")],
            Some(&t2),
        )
        .await;
    assert_eq!(sneaky.status, StatusCode::NOT_FOUND);

    // The page shows the announcement as text: the script tag is escaped, the address is a link.
    let page = app.get(&format!("/groups/{a}"), Some(&t1)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert"),
        "markup must be escaped"
    );
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(page.body.contains("href=\"https://example.org/guida\""));
    let _ = p2;
}
