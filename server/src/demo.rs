//! Demo data, created only when asked for (`server serve --demo`, which `cargo xtask run`
//! passes): a course, one open edition, and accounts whose passwords are printed at start-up.
//! Run again, it adds what is missing and gives the demo accounts new passwords.

use crate::commands::generate_password;
use app::domain::account::{Email, PersonName, RegistrationStatus, SchoolCode, SchoolName};
use app::domain::activities::ActivityKind;
use app::domain::editions::{EditionDates, EditionStatus};
use app::domain::enrolment::EnrolmentStatus;
use app::domain::quiz::ReviewPolicy;
use app::domain::submissions::SubmissionStatus;
use app::features::accounts::service::{NewAccount, create_account};
use app::features::editions::service::insert_edition;
use app::ssr::AppState;
use app::ssr::auth::passwords;
use app::ssr::entities::{
    activity, course, edition, group, group_ambassador, group_member, quiz_question, submission,
    user,
};
use chrono::{Days, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

pub const COURSE_CODE: &str = "ETW-BASE";

struct DemoAccount {
    email: &'static str,
    given: &'static str,
    family: &'static str,
    school: &'static str,
    code: &'static str,
    role: &'static str,
}

const ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        email: "staff@aula.example",
        given: "Giulia",
        family: "Bianchi",
        school: "Unità nazionale eTwinning",
        code: "RMUN000001",
        role: "staff",
    },
    DemoAccount {
        email: "ambasciatore@aula.example",
        given: "Marco",
        family: "Ferri",
        school: "IC Firenze 3",
        code: "FIIC812003",
        role: "ambassador",
    },
    DemoAccount {
        email: "niccolo.dellacqua@scuola.example",
        given: "Niccolò",
        family: "Dell'Acqua",
        school: "Liceo scientifico Galilei",
        code: "PIPS01000X",
        role: "participant",
    },
    DemoAccount {
        email: "zoe.lukasiewicz@scuola.example",
        given: "Zoë",
        family: "Łukasiewicz",
        school: "IC Bolzano Europa",
        code: "BZIC80300A",
        role: "participant",
    },
    DemoAccount {
        email: "anna.rossi@scuola.example",
        given: "Anna",
        family: "Rossi",
        school: "Scuola primaria Manzoni",
        code: "MIEE04500B",
        role: "participant",
    },
];

fn parse<T>(result: Result<T, app::domain::Problem>) -> Result<T, String> {
    result.map_err(|problem| format!("demo data: {problem:?}"))
}

/// The demo accounts with their new passwords, and who is who.
struct People {
    credentials: Vec<(String, String, String)>,
    participants: Vec<i32>,
    ambassador: Option<i32>,
}

/// Demo data resets the demo staff account's password and adds people and editions: it
/// belongs on a local SQLite trial, never on a real site by mistake. A real database
/// (PostgreSQL) or a public https address needs `--force-demo`.
pub fn allowed(config: &crate::config::Config, demo: bool, forced: bool) -> Result<(), String> {
    if !demo || forced {
        return Ok(());
    }
    if !config.is_sqlite() {
        return Err(
            "--demo refuses PostgreSQL: it would reset the demo staff password on a real \
                    database (add --force-demo if this really is a trial)"
                .to_owned(),
        );
    }
    if config.base_url.starts_with("https://") {
        return Err(format!(
            "--demo refuses an https address ({}): it looks like a real site (add --force-demo \
             if this really is a trial)",
            config.base_url
        ));
    }
    Ok(())
}

/// Creates what is missing and returns the demo credentials (email, password, role).
pub async fn seed(state: &AppState) -> Result<Vec<(String, String, String)>, String> {
    let people = accounts(state).await?;
    pending_registrations(state).await?;
    let course = demo_course(state).await?;
    let has_edition = edition::Entity::find()
        .filter(edition::Column::CourseId.eq(course.id))
        .one(&state.db)
        .await
        .map_err(db_error)?
        .is_some();
    if !has_edition {
        let edition = open_edition(state, &course, &people).await?;
        let created = demo_activities(state, &edition, &people.participants).await?;
        demo_rule(state, edition, &created).await?;
        past_edition(state, &course, &people.participants, people.ambassador).await?;
    }
    Ok(people.credentials)
}

/// People who signed up and wait for staff to validate them (`/staff/registrations`): nobody
/// signs in as them, so their passwords are never printed.
async fn pending_registrations(state: &AppState) -> Result<(), String> {
    let waiting = [
        (
            "chiara.gallo@scuola.example",
            "Chiara",
            "Gallo",
            "IC Bologna 12",
            "BOIC81700R",
            Some("GLLCHR88C45A944T"),
            1,
        ),
        (
            "paolo.russo@scuola.example",
            "Paolo",
            "Russo",
            "Liceo Galilei",
            "PIPS01000X",
            None,
            4,
        ),
        (
            "sara.conti@scuola.example",
            "Sara",
            "Conti",
            "IIS Volta",
            "NAIS02300B",
            None,
            11,
        ),
    ];
    for (email, given, family, school, code, tax_code, days_ago) in waiting {
        let exists = user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&state.db)
            .await
            .map_err(db_error)?
            .is_some();
        if exists {
            continue;
        }
        let new = NewAccount {
            email: parse(Email::parse(email))?,
            given_name: parse(PersonName::parse(given))?,
            family_name: parse(PersonName::parse(family))?,
            school_name: parse(SchoolName::parse(school))?,
            school_code: parse(SchoolCode::parse(code))?,
            tax_code: tax_code
                .map(|code| parse(app::domain::registration::TaxCode::parse(code)))
                .transpose()?,
            password: generate_password(),
        };
        let created = create_account(state, new, app::i18n::Locale::it, false)
            .await
            .map_err(|e| format!("demo data: {e}"))?;
        let mut active: user::ActiveModel = created.into();
        active.registration_status = Set(RegistrationStatus::Pending);
        active.registration_decided_at = Set(None);
        active.created_at = Set(Utc::now() - chrono::TimeDelta::days(days_ago));
        active.update(&state.db).await.map_err(db_error)?;
    }
    Ok(())
}

fn db_error(e: sea_orm::DbErr) -> String {
    format!("demo data: {e}")
}

/// The demo accounts, created when missing, each with a new password.
async fn accounts(state: &AppState) -> Result<People, String> {
    let mut credentials = Vec::new();
    let mut participant_ids = Vec::new();
    let mut ambassador_id = None;
    for account in &ACCOUNTS {
        let password = generate_password();
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(account.email))
            .one(&state.db)
            .await
            .map_err(db_error)?;
        let user = match existing {
            Some(user) => {
                let hash = passwords::hash(password.clone())
                    .await
                    .map_err(|e| format!("demo data: {e}"))?;
                let mut active: user::ActiveModel = user.into();
                active.password_hash = Set(Some(hash));
                active.update(&state.db).await.map_err(db_error)?
            }
            None => {
                let new = NewAccount {
                    email: parse(Email::parse(account.email))?,
                    given_name: parse(PersonName::parse(account.given))?,
                    family_name: parse(PersonName::parse(account.family))?,
                    school_name: parse(SchoolName::parse(account.school))?,
                    school_code: parse(SchoolCode::parse(account.code))?,
                    tax_code: None,
                    password: password.clone(),
                };
                let created =
                    create_account(state, new, app::i18n::Locale::it, account.role == "staff")
                        .await
                        .map_err(|e| format!("demo data: {e}"))?;
                let mut active: user::ActiveModel = created.into();
                active.is_ambassador = Set(account.role == "ambassador");
                active.registration_status = Set(RegistrationStatus::Validated);
                active.update(&state.db).await.map_err(db_error)?
            }
        };
        if account.role == "participant" {
            participant_ids.push(user.id);
        }
        if account.role == "ambassador" {
            ambassador_id = Some(user.id);
        }
        credentials.push((account.email.to_owned(), password, account.role.to_owned()));
    }

    Ok(People {
        credentials,
        participants: participant_ids,
        ambassador: ambassador_id,
    })
}

/// The beginners' course.
async fn demo_course(state: &AppState) -> Result<course::Model, String> {
    let now = Utc::now();
    let course = match course::Entity::find().filter(course::Column::Code.eq(COURSE_CODE)).one(&state.db).await.map_err(db_error)? {
        Some(course) => course,
        None => course::ActiveModel {
            code: Set(COURSE_CODE.to_owned()),
            title: Set("Corso online di base eTwinning".to_owned()),
            description: Set(
                "Un percorso di circa un mese per docenti appena registrati: tre webinar, schede di lavoro, \
                 quiz e un esercizio di progettazione, con il supporto degli ambasciatori.\n\n\
                 Chi completa le attività previste riceve un attestato di partecipazione nominativo."
                    .to_owned(),
            ),
            workload_hours: Set(25),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .map_err(db_error)?,
    };
    Ok(course)
}

/// The day `offset` days from today, in Rome.
fn day(offset: i64) -> chrono::NaiveDate {
    let today = app::ssr::db::today_in_rome();
    if offset >= 0 {
        today.checked_add_days(Days::new(offset as u64))
    } else {
        today.checked_sub_days(Days::new(offset.unsigned_abs()))
    }
    .unwrap_or(today)
}

/// The edition open for enrolment, starting in two weeks: two participants enrolled and
/// grouped with the ambassador; the third can try enrolling.
async fn open_edition(
    state: &AppState,
    course: &course::Model,
    people: &People,
) -> Result<edition::Model, String> {
    let (participant_ids, ambassador_id) = (&people.participants, people.ambassador);
    let dates = EditionDates {
        enrolment_opens_on: day(-7),
        enrolment_closes_on: day(21),
        starts_on: day(14),
        ends_on: day(44),
    };
    let title = format!(
        "Edizione di {}",
        day(14).format_localized("%B %Y", chrono::Locale::it_IT)
    );
    let edition = insert_edition(&state.db, course.id, title, dates, 500, None)
        .await
        .map_err(|e| format!("demo data: {e}"))?;
    let mut open: edition::ActiveModel = edition.clone().into();
    open.status = Set(EditionStatus::Open);
    open.update(&state.db).await.map_err(db_error)?;
    // Two participants are enrolled and grouped with the ambassador; the third can try
    // enrolling.
    let enrolled: Vec<i32> = participant_ids.iter().take(2).copied().collect();
    for user_id in &enrolled {
        app::features::enrolment::service::enrol_user(state, edition.id, *user_id)
            .await
            .map_err(|e| format!("demo data: {e}"))?;
    }
    first_group(state, edition.id, ambassador_id, &enrolled).await?;
    Ok(edition)
}

/// The edition's activities, in order; the first participant has handed in the task sheet.
/// Answers each activity's kind and id.
async fn demo_activities(
    state: &AppState,
    edition: &edition::Model,
    participant_ids: &[i32],
) -> Result<Vec<(&'static str, i32)>, String> {
    let now = Utc::now();
    let at = |offset: i64, hour: u32| {
        app::ssr::db::from_local(day(offset).and_hms_opt(hour, 0, 0).unwrap_or_default())
    };
    let activities: [DemoActivity; 7] = [
        ("material", "Guida al TwinSpace", None, None, 60),
        (
            "webinar",
            "Webinar 1 – Benvenuti in eTwinning",
            Some(at(14, 17)),
            None,
            90,
        ),
        (
            "task_sheet",
            "Il mio primo progetto",
            None,
            Some(at(24, 23)),
            180,
        ),
        (
            "webinar",
            "Webinar 2 – Progettare un gemellaggio",
            Some(at(24, 17)),
            None,
            90,
        ),
        (
            "design_exercise",
            "Esercizio di progettazione",
            None,
            Some(at(38, 23)),
            240,
        ),
        (
            "webinar",
            "Webinar 3 – Valutare e documentare",
            Some(at(34, 17)),
            None,
            90,
        ),
        ("quiz", "Quiz finale", None, Some(at(44, 23)), 30),
    ];
    let mut created_ids: Vec<(&str, i32)> = Vec::new();
    for (position, (kind, title, starts_at, due_at, minutes)) in activities.into_iter().enumerate()
    {
        let quiz = kind == "quiz";
        let created = activity::ActiveModel {
            edition_id: Set(edition.id),
            position: Set(position as i32 + 1),
            kind: Set(ActivityKind::parse(kind).ok_or("demo activity kind")?),
            title: Set(title.to_owned()),
            description: Set(match kind {
                "task_sheet" => "Descrivi in 10-15 righe un'idea di progetto per la tua \
                                 classe: con chi, su quale tema, con quali attività. Puoi \
                                 allegare un documento (PDF, Word, OpenDocument) o \
                                 un'immagine."
                    .to_owned(),
                "design_exercise" => "Progetta un'attività di gemellaggio completa, \
                                      campo per campo."
                    .to_owned(),
                "quiz" => "Quattro domande sui contenuti dei webinar: servono almeno \
                           il 70% delle risposte giuste. Hai tre tentativi di 20 minuti."
                    .to_owned(),
                _ => String::new(),
            }),
            // The quiz is open already (staff may open one before the edition starts), so a
            // visitor can try it.
            opens_at: Set(quiz.then(|| Utc::now() - chrono::TimeDelta::days(1))),
            due_at: Set(due_at),
            estimated_minutes: Set(minutes),
            counts: Set(true),
            url: Set(match kind {
                "material" => Some("https://www.etwinning.net/it/pub/index.htm".to_owned()),
                "webinar" => Some("https://meet.example.org/etwinning-webinar".to_owned()),
                _ => None,
            }),
            body: Set(None),
            starts_at: Set(starts_at),
            duration_minutes: Set(starts_at.map(|_| 90)),
            recording_url: Set(None),
            pass_percent: Set(quiz.then_some(70)),
            max_attempts: Set(quiz.then_some(3)),
            time_limit_minutes: Set(quiz.then_some(20)),
            shuffle: Set(quiz),
            review_policy: Set(quiz.then_some(ReviewPolicy::AfterSubmission)),
            hidden: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .map_err(db_error)?;
        match kind {
            "quiz" => demo_questions(state, created.id).await?,
            // The first participant has handed in the task sheet: the ambassador's review
            // queue is not empty.
            "task_sheet" => {
                if let Some(user_id) = participant_ids.first() {
                    submission::ActiveModel {
                        activity_id: Set(created.id),
                        user_id: Set(*user_id),
                        version: Set(1),
                        status: Set(SubmissionStatus::Submitted),
                        body: Set("Il mio progetto: un gemellaggio con una scuola di Lione \
                                   sul tema dell'acqua, per una classe quarta."
                            .to_owned()),
                        updated_at: Set(now),
                        submitted_at: Set(Some(now)),
                        ..Default::default()
                    }
                    .insert(&state.db)
                    .await
                    .map_err(db_error)?;
                }
            }
            _ => {}
        }
        created_ids.push((kind, created.id));
    }
    Ok(created_ids)
}

/// The completion rule: two webinars, the first task sheet, the design exercise and the final
/// quiz at 70%.
async fn demo_rule(
    state: &AppState,
    edition: edition::Model,
    created_ids: &[(&str, i32)],
) -> Result<(), String> {
    let id_of = |wanted: &str| {
        created_ids
            .iter()
            .find(|(k, _)| *k == wanted)
            .map(|(_, id)| *id)
    };
    let mut requirements =
        vec![app::domain::completion::Requirement::WebinarsAttended { at_least: 2 }];
    if let Some(sheet) = id_of("task_sheet") {
        requirements.push(app::domain::completion::Requirement::TaskSheetsAccepted {
            at_least: 1,
            including: vec![sheet],
        });
    }
    if let Some(design) = id_of("design_exercise") {
        requirements.push(app::domain::completion::Requirement::ActivityDone { activity: design });
    }
    if let Some(quiz) = id_of("quiz") {
        requirements.push(app::domain::completion::Requirement::QuizPassed {
            activity: quiz,
            min_percent: 70,
        });
    }
    let rule = app::domain::completion::Rule { requirements };
    let mut with_rule: edition::ActiveModel = edition.into();
    with_rule.completion_rule = Set(serde_json::to_string(&rule).ok());
    with_rule.update(&state.db).await.map_err(db_error)?;
    Ok(())
}

/// "Gruppo 1" of an edition, tutored by the ambassador, with `members` in it.
async fn first_group(
    state: &AppState,
    edition_id: i32,
    ambassador_id: Option<i32>,
    members: &[i32],
) -> Result<(), String> {
    let group = group::ActiveModel {
        edition_id: Set(edition_id),
        name: Set("Gruppo 1".to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map_err(db_error)?;
    if let Some(ambassador) = ambassador_id {
        group_ambassador::ActiveModel {
            group_id: Set(group.id),
            user_id: Set(ambassador),
        }
        .insert(&state.db)
        .await
        .map_err(db_error)?;
    }
    for user_id in members {
        group_member::ActiveModel {
            edition_id: Set(edition_id),
            user_id: Set(*user_id),
            group_id: Set(group.id),
        }
        .insert(&state.db)
        .await
        .map_err(db_error)?;
    }
    Ok(())
}

/// Last month's edition, already over: the first two participants attended both webinars,
/// which is what its rule asks, so staff can issue their certificates right away.
async fn past_edition(
    state: &AppState,
    course: &course::Model,
    participant_ids: &[i32],
    ambassador_id: Option<i32>,
) -> Result<(), String> {
    use app::ssr::entities::{attendance, enrolment};
    let now = Utc::now();
    let mut template: course::ActiveModel = course.clone().into();
    template.signatory_name = Set("Giulia Bianchi".to_owned());
    template.signatory_role = Set("Responsabile dell'Unità nazionale".to_owned());
    template.update(&state.db).await.map_err(db_error)?;
    let dates = EditionDates {
        enrolment_opens_on: day(-60),
        enrolment_closes_on: day(-40),
        starts_on: day(-45),
        ends_on: day(-15),
    };
    let title = format!(
        "Edizione di {}",
        day(-45).format_localized("%B %Y", chrono::Locale::it_IT)
    );
    let edition = insert_edition(&state.db, course.id, title, dates, 500, None)
        .await
        .map_err(|e| format!("demo data: {e}"))?;
    let webinars = past_webinars(state, edition.id).await?;
    // Enrolled directly: the edition is over, so enrolling the usual way would be refused.
    let attended: Vec<i32> = participant_ids.iter().take(2).copied().collect();
    for user_id in &attended {
        enrolment::ActiveModel {
            edition_id: Set(edition.id),
            user_id: Set(*user_id),
            status: Set(EnrolmentStatus::Enrolled),
            requested_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .map_err(db_error)?;
        for webinar in &webinars {
            attendance::ActiveModel {
                activity_id: Set(*webinar),
                user_id: Set(*user_id),
                minutes: Set(85),
                source: Set(app::domain::attendance::Source::Manual),
                recorded_by: Set(ambassador_id),
                recorded_at: Set(now),
            }
            .insert(&state.db)
            .await
            .map_err(db_error)?;
        }
    }
    first_group(state, edition.id, ambassador_id, &attended).await?;
    let rule = app::domain::completion::Rule {
        requirements: vec![app::domain::completion::Requirement::WebinarsAttended { at_least: 2 }],
    };
    let mut closed: edition::ActiveModel = edition.into();
    closed.status = Set(EditionStatus::Closed);
    closed.completion_rule = Set(serde_json::to_string(&rule).ok());
    closed.update(&state.db).await.map_err(db_error)?;
    Ok(())
}

/// The past edition's two webinars, held 44 and 30 days ago; answers their ids.
async fn past_webinars(state: &AppState, edition_id: i32) -> Result<Vec<i32>, String> {
    let now = Utc::now();
    let mut webinars = Vec::new();
    for (n, (title, back)) in [
        ("Webinar 1 – Benvenuti in eTwinning", 44),
        ("Webinar 2 – Progettare un gemellaggio", 30),
    ]
    .into_iter()
    .enumerate()
    {
        let starts = app::ssr::db::from_local(day(-back).and_hms_opt(17, 0, 0).unwrap_or_default());
        let webinar = activity::ActiveModel {
            edition_id: Set(edition_id),
            position: Set(n as i32 + 1),
            kind: Set(ActivityKind::Webinar),
            title: Set(title.to_owned()),
            description: Set(String::new()),
            opens_at: Set(None),
            due_at: Set(None),
            estimated_minutes: Set(90),
            counts: Set(true),
            url: Set(Some(
                "https://meet.example.org/etwinning-webinar".to_owned(),
            )),
            body: Set(None),
            starts_at: Set(Some(starts)),
            duration_minutes: Set(Some(90)),
            recording_url: Set(None),
            hidden: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .map_err(db_error)?;
        webinars.push(webinar.id);
    }
    Ok(webinars)
}

/// Kind, title, start (webinars), due time, estimated minutes.
type DemoActivity = (
    &'static str,
    &'static str,
    Option<chrono::DateTime<Utc>>,
    Option<chrono::DateTime<Utc>>,
    i32,
);

/// A short final quiz: one question of each kind.
async fn demo_questions(state: &AppState, activity_id: i32) -> Result<(), String> {
    use app::domain::quiz::Kind;
    let questions = [
        (
            "Che cos'è il TwinSpace?",
            Kind::SingleChoice {
                options: vec![
                    "Lo spazio di lavoro online di un progetto".to_owned(),
                    "Un social network per studenti".to_owned(),
                    "Un registro elettronico".to_owned(),
                ],
                correct: 0,
            },
        ),
        (
            "Quali elementi servono a un buon progetto?",
            Kind::MultipleChoice {
                options: vec![
                    "Obiettivi chiari".to_owned(),
                    "Attività condivise tra le classi".to_owned(),
                    "Un solo docente che fa tutto".to_owned(),
                ],
                correct: vec![0, 1],
            },
        ),
        (
            "Un progetto eTwinning può coinvolgere scuole dello stesso Paese.",
            Kind::TrueFalse { correct: true },
        ),
        (
            "Come si chiama il riconoscimento nazionale per i progetti di qualità?",
            Kind::ShortAnswer {
                accepted: vec![
                    "certificato di qualità".to_owned(),
                    "quality label".to_owned(),
                ],
            },
        ),
    ];
    for (position, (prompt, kind)) in questions.into_iter().enumerate() {
        quiz_question::ActiveModel {
            activity_id: Set(activity_id),
            position: Set(position as i32 + 1),
            prompt: Set(prompt.to_owned()),
            points: Set(1),
            kind: Set(serde_json::to_string(&kind).map_err(|e| e.to_string())?),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .map_err(|e| format!("demo data: {e}"))?;
    }
    Ok(())
}
