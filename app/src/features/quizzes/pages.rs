//! The quiz on its activity page (taking attempts, results from the review moment) and the
//! staff page with questions, statistics and attempts.

use super::api::{
    AttemptRow, DeleteQuestion, PastAttempt, QuestionRow, QuizAdmin, QuizView, RunningAttempt,
    SaveQuestion, StartAttempt, load_quiz, load_quiz_admin,
};
use crate::domain::Field;
use crate::domain::outcome::{Form, Outcome};
use crate::domain::quiz::{QuestionForm, ReviewPolicy, Shape};
use crate::error::{AppError, QuizRefusal, Refusal};
use crate::i18n::*;
use crate::ui::forms::{Submit, TextArea, TextField, action_error, succeeded};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The participant's quiz (nothing for staff and ambassadors, who have the staff page).
#[component]
pub fn QuizSection(activity_id: i32, start: ServerAction<StartAttempt>) -> impl IntoView {
    let data = Resource::new(
        move || (activity_id, start.version().get()),
        |(id, _)| load_quiz(id),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(quiz)) => view! { <QuizPanel quiz start/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error=Some(error)/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuizPanel(quiz: QuizView, start: ServerAction<StartAttempt>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let outcome = query
        .read_untracked()
        .get(Form::Quiz.key())
        .and_then(|code| Outcome::parse(&code));
    let start_error = action_error(start);
    let settings = quiz.settings;
    let activity_id = quiz.activity_id;
    let notice = outcome.map(|outcome| match outcome {
        Outcome::Submitted => view! { <SuccessNotice>{t!(i18n, quiz.submitted)}</SuccessNotice> }.into_any(),
        Outcome::TooLate => view! { <div class="notice error" role="alert">{move || text::refusal(i18n, Refusal::Quiz(QuizRefusal::TooLate))}</div> }.into_any(),
        Outcome::Failed => view! { <div class="notice error" role="alert">{move || text::error(i18n, &AppError::Internal)}</div> }.into_any(),
        _ => view! { <div class="notice error" role="alert">{move || text::refusal(i18n, Refusal::Quiz(QuizRefusal::AlreadySubmitted))}</div> }.into_any(),
    });
    let attempts_text = move || match settings.max_attempts {
        Some(max) => {
            t_string!(i18n, quiz.attempts_of, used = quiz.attempts_used, max = max).to_string()
        }
        None => t_string!(i18n, quiz.attempts_used, used = quiz.attempts_used).to_string(),
    };
    let results_from = quiz.results_from;
    view! {
        <section class="quiz" id="quiz" aria-labelledby="quiz-heading">
            <h2 id="quiz-heading">{t!(i18n, quiz.title)}</h2>
            {notice}
            <dl class="facts">
                <div><dt>{t!(i18n, quiz.questions)}</dt><dd>{quiz.question_count}</dd></div>
                <div><dt>{t!(i18n, quiz.pass_percent)}</dt><dd>{settings.pass_percent} "%"</dd></div>
                <div><dt>{t!(i18n, quiz.attempts)}</dt><dd>{attempts_text}</dd></div>
                {settings.time_limit_minutes.map(|m| view! { <div><dt>{t!(i18n, quiz.time_limit)}</dt><dd>{m} " min"</dd></div> })}
            </dl>
            <p class="hint">{move || match settings.review {
                ReviewPolicy::AfterSubmission => t_string!(i18n, quiz.review_after_submission).to_string(),
                ReviewPolicy::AfterClose => t_string!(i18n, quiz.review_after_close).to_string(),
            }}</p>
            {match (quiz.running, quiz.may_start) {
                (Some(running), _) => view! { <AttemptForm running activity_id start/> }.into_any(),
                (None, None) => view! {
                    <ErrorNotice error=start_error/>
                    <ActionForm action=start>
                        <input type="hidden" name="activity_id" value=activity_id/>
                        <Submit pending=start.pending()>{move || if quiz.attempts_used == 0 { t_string!(i18n, quiz.start) } else { t_string!(i18n, quiz.start_again) }}</Submit>
                    </ActionForm>
                }.into_any(),
                (None, Some(refusal)) => view! {
                    <p class="notice info">{move || text::refusal(i18n, Refusal::Quiz(QuizRefusal::Start(refusal)))}</p>
                }.into_any(),
            }}
            {(!quiz.past.is_empty()).then(|| view! {
                <section class="attempts" aria-labelledby="attempts-heading">
                    <h3 id="attempts-heading">{t!(i18n, quiz.your_attempts)}</h3>
                    {quiz.solutions_later.then(|| view! { <p class="hint">{t!(i18n, quiz.solutions_later)}</p> })}
                    {quiz.past.into_iter().rev().map(|attempt| view! { <PastAttemptCard attempt results_from/> }).collect_view()}
                </section>
            })}
        </section>
    }
}

#[component]
fn AttemptForm(
    running: RunningAttempt,
    activity_id: i32,
    start: ServerAction<StartAttempt>,
) -> impl IntoView {
    let i18n = use_i18n();
    let number = running.number;
    // Started with the button (a plain post): the browser focuses the attempt as the page
    // loads, so keyboard focus is not lost in the footer.
    let started_by_post =
        start.value().with_untracked(Option::is_none) && succeeded(start).get_untracked();
    view! {
        <form class="attempt card" method="post" action=format!("/quiz-attempts/{}", running.id)>
            <input type="hidden" name="version" value=running.version/>
            <input type="hidden" name="activity_id" value=activity_id/>
            <h3 tabindex="-1" autofocus=started_by_post>{move || t_string!(i18n, quiz.attempt_number, number = number).to_string()}</h3>
            {running.ends_at.map(|at| view! {
                <p class="notice info">
                    {move || t_string!(i18n, quiz.ends_at, date = local_time(i18n, at)).to_string()}
                    {running.seconds_left.filter(|left| *left < COUNTDOWN_FROM).map(|left| view! { " " <Countdown seconds=left/> })}
                </p>
            })}
            <ol class="questions">
                {running.questions.into_iter().map(|q| {
                    let name = format!("q{}", q.id);
                    let points = q.points;
                    let body = match q.shape {
                        Shape::SingleChoice(options) => options.into_iter().map(|(i, text)| view! {
                            <label class="choice"><input type="radio" name=name.clone() value=i/> {text}</label>
                        }).collect_view().into_any(),
                        Shape::MultipleChoice(options) => view! {
                            <p class="hint">{t!(i18n, quiz.select_all)}</p>
                            {options.into_iter().map(|(i, text)| view! {
                                <label class="choice"><input type="checkbox" name=name.clone() value=i/> {text}</label>
                            }).collect_view()}
                        }.into_any(),
                        Shape::TrueFalse => view! {
                            <label class="choice"><input type="radio" name=name.clone() value="true"/> {t!(i18n, quiz.true_)}</label>
                            <label class="choice"><input type="radio" name=name.clone() value="false"/> {t!(i18n, quiz.false_)}</label>
                        }.into_any(),
                        Shape::ShortAnswer => view! {
                            <input type="text" name=name.clone() maxlength=500 aria-label=move || t_string!(i18n, quiz.your_answer)/>
                        }.into_any(),
                    };
                    view! {
                        <li class="question">
                            <fieldset>
                                <legend><span class="prewrap">{q.prompt}</span> <span class="aside">{move || t_string!(i18n, quiz.points, count = points).to_string()}</span></legend>
                                {body}
                            </fieldset>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <button type="submit" class="button primary">{t!(i18n, quiz.submit)}</button>
            <p class="hint">{t!(i18n, quiz.submit_hint)}</p>
        </form>
    }
}

/// A countdown is shown for the last hours of an attempt (a timed one, or a quiz about to
/// close); further away, the closing time says enough.
const COUNTDOWN_FROM: i64 = 6 * 3600;

/// The time left in an attempt, counting down each second once the page is interactive
/// (without JavaScript it shows the time left when the page was made). An island: it lives in
/// the browser.
#[island]
fn Countdown(seconds: i64) -> impl IntoView {
    let i18n = use_i18n();
    let left = RwSignal::new(seconds);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || left.update(|s| *s = (*s - 1).max(0)),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let shown = move || {
        let s = left.get();
        if s >= 3600 {
            format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
        } else {
            format!("{}:{:02}", s / 60, s % 60)
        }
    };
    view! {
        <span class="countdown" role="timer">
            {move || t_string!(i18n, quiz.time_left, time = shown()).to_string()}
        </span>
    }
}

#[component]
fn PastAttemptCard(
    attempt: PastAttempt,
    results_from: Option<chrono::NaiveDateTime>,
) -> impl IntoView {
    let i18n = use_i18n();
    let number = attempt.number;
    view! {
        <article class="attempt-result card">
            <header class="version-header">
                <h4>{move || t_string!(i18n, quiz.attempt_number, number = number).to_string()}</h4>
                {attempt.submitted_at.map(|at| view! { <span class="aside">{move || local_time(i18n, at)}</span> })}
            </header>
            {match (attempt.expired, attempt.score) {
                (true, _) => view! { <p>{t!(i18n, quiz.expired)}</p> }.into_any(),
                (false, Some(score)) => {
                    let passed = score.passed;
                    view! {
                        <p class="score">
                            <span class=if passed { "badge state-done" } else { "badge state-attention" }>
                                {move || if passed { t_string!(i18n, states.passed) } else { t_string!(i18n, states.failed) }}
                            </span>
                            " " {move || t_string!(i18n, quiz.score, points = score.points, max = score.max_points, percent = score.percent).to_string()}
                        </p>
                        <ol class="review-list">
                            {score.questions.into_iter().map(|q| {
                                let right = q.correct;
                                let truth = q.true_false;
                                let shown = move |value: String| match (truth, value.as_str()) {
                                    (true, "true") => t_string!(i18n, quiz.true_).to_string(),
                                    (true, "false") => t_string!(i18n, quiz.false_).to_string(),
                                    (_, "") => "—".to_owned(),
                                    _ => value,
                                };
                                let (given, solution) = (q.given.clone(), q.solution.clone());
                                view! {
                                    <li class=if right { "right" } else { "wrong" }>
                                        <p class="prewrap">{q.prompt}</p>
                                        <p>{t!(i18n, quiz.you_answered)} " " <strong>{move || shown(given.clone())}</strong>
                                            " " {move || if right { "✓" } else { "✗" }}</p>
                                        {(!right).then(|| view! { <p class="aside">{t!(i18n, quiz.right_answer)} " " {move || shown(solution.clone())}</p> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
                (false, None) => view! {
                    <p>{move || match results_from {
                        Some(at) => t_string!(i18n, quiz.results_from, date = local_time(i18n, at)).to_string(),
                        None => t_string!(i18n, quiz.results_later).to_string(),
                    }}</p>
                }.into_any(),
            }}
        </article>
    }
}

/// `/staff/activities/:id/quiz`: questions, statistics, attempts.
#[component]
pub fn QuizAdminPage() -> impl IntoView {
    let id = id_param();
    let save = ServerAction::<SaveQuestion>::new();
    let delete = ServerAction::<DeleteQuestion>::new();
    let data = Resource::new(
        move || (id.get(), save.version().get(), delete.version().get()),
        |(id, ..)| found(id, load_quiz_admin),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(admin) => view! { <QuizAdminView admin save delete/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuizAdminView(
    admin: QuizAdmin,
    save: ServerAction<SaveQuestion>,
    delete: ServerAction<DeleteQuestion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let activity_id = admin.activity_id;
    let total_points: u32 = admin
        .questions
        .iter()
        .filter_map(|q| q.form.points.parse::<u32>().ok())
        .sum();
    view! {
        <Title text=format!("{} · {}", admin.title, t_string!(i18n, quiz.questions))/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/staff/editions/{}/activities", admin.edition_id)>{admin.edition_title.clone()}</a>
        </nav>
        <header class="page-header">
            <p class="eyebrow">{t!(i18n, kinds.quiz)}</p>
            <h1>{admin.title.clone()}</h1>
            <p class="lead">{move || t_string!(i18n, quiz.admin_lead, pass = admin.settings.pass_percent, points = total_points).to_string()}</p>
        </header>
        <ErrorNotice error=error/>
        <section aria-labelledby="questions-heading">
            <h2 id="questions-heading">{t!(i18n, quiz.questions)}</h2>
            {if admin.questions.is_empty() {
                view! { <EmptyState><p>{t!(i18n, quiz.no_questions)}</p></EmptyState> }.into_any()
            } else {
                view! {
                    <ol class="question-admin">
                        {admin.questions.into_iter().map(|question| view! {
                            <QuestionItem question activity_id save delete error/>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="new-question-heading">
            <h2 id="new-question-heading">{t!(i18n, quiz.new_question)}</h2>
            <ActionForm action=save>
                <input type="hidden" name="activity_id" value=activity_id/>
                <input type="hidden" name="question_id" value=0/>
                <QuestionFields form=QuestionForm { kind: "single".into(), points: "1".into(), truth: "true".into(), ..Default::default() } form_id="new-question".to_owned() error/>
                <Submit pending=save.pending()>{t!(i18n, quiz.add_question)}</Submit>
            </ActionForm>
        </section>
        <section aria-labelledby="attempts-heading">
            <h2 id="attempts-heading">{t!(i18n, quiz.all_attempts)}</h2>
            {if admin.attempts.is_empty() {
                view! { <EmptyState><p>{t!(i18n, quiz.no_attempts)}</p></EmptyState> }.into_any()
            } else {
                view! { <AttemptsTable attempts=admin.attempts/> }.into_any()
            }}
        </section>
    }
}

/// A question as staff see it: the answer key, how often it was answered right, edit and
/// delete.
#[component]
fn QuestionItem(
    question: QuestionRow,
    activity_id: i32,
    save: ServerAction<SaveQuestion>,
    delete: ServerAction<DeleteQuestion>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let q = question;
    let id = q.id;
    let rate = (q.answered > 0).then(|| q.right * 100 / q.answered);
    let points = q.form.points.parse::<u32>().unwrap_or(0);
    let answered = q.answered;
    view! {
        <li class="card">
            <p class="prewrap"><strong>{q.form.prompt.clone()}</strong></p>
            <AnswerKey form=q.form.clone()/>
            <p class="aside">
                {move || t_string!(i18n, quiz.points, count = points).to_string()} " · "
                {move || match rate {
                    Some(rate) => t_string!(i18n, quiz.stats, count = answered, rate = rate).to_string(),
                    None => t_string!(i18n, quiz.no_answers_yet).to_string(),
                }}
            </p>
            <details class="edit">
                <summary class="button link small">{t!(i18n, activities.edit)}</summary>
                <ActionForm action=save>
                    <input type="hidden" name="activity_id" value=activity_id/>
                    <input type="hidden" name="question_id" value=id/>
                    <QuestionFields form=q.form form_id=format!("q{id}") error/>
                    <Submit pending=save.pending()>{t!(i18n, common.save)}</Submit>
                </ActionForm>
            </details>
            <details class="confirm">
                <summary class="button link small">{t!(i18n, activities.delete)}</summary>
                <ActionForm action=delete>
                    <input type="hidden" name="question_id" value=id/>
                    <button type="submit" class="button danger small">{t!(i18n, activities.delete_confirm)}</button>
                </ActionForm>
            </details>
        </li>
    }
}

/// Every participant's attempts at the quiz, with their results.
#[component]
fn AttemptsTable(attempts: Vec<AttemptRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <thead><tr>
                    <th scope="col">{t!(i18n, staff.name)}</th>
                    <th scope="col">{t!(i18n, quiz.attempt)}</th>
                    <th scope="col">{t!(i18n, quiz.handed_in)}</th>
                    <th scope="col">{t!(i18n, quiz.result)}</th>
                </tr></thead>
                <tbody>
                    {attempts.into_iter().map(|a| view! {
                        <tr>
                            <td>{a.participant}</td>
                            <td>{a.number}</td>
                            <td>{a.submitted_at.map(|at| view! { <span>{move || local_time(i18n, at)}</span> })}</td>
                            <td>{match (a.percent, a.passed) {
                                (Some(p), Some(passed)) => view! {
                                    <span class=if passed { "badge state-done" } else { "badge state-attention" }>{p} "%"</span>
                                }.into_any(),
                                _ => view! { <span class="aside">{t!(i18n, quiz.in_progress)}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn QuestionFields(
    form: QuestionForm,
    form_id: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind_id = format!("f-{form_id}-kind");
    let truth_id = format!("f-{form_id}-truth");
    let kind = form.kind.clone();
    let value = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let kinds = [
        ("single", "single"),
        ("multiple", "multiple"),
        ("true_false", "true_false"),
        ("short", "short"),
    ];
    view! {
        <div class="field-row">
            <div class="field">
                <label for=kind_id.clone()>{t!(i18n, quiz.question_kind)}</label>
                <select id=kind_id name="question[kind]">
                    {kinds.into_iter().map(|(value, _)| {
                        let selected = kind == value;
                        view! { <option value=value selected=selected>{move || text::question_kind(i18n, value)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <TextField form=form_id.clone() prefix="question" field=Field::Points error input_type="number" min=1 max=100 required=true value=value(&form.points)>{t!(i18n, quiz.points_label)}</TextField>
        </div>
        <TextArea form=form_id.clone() prefix="question" field=Field::Prompt error rows=2 maxlength=2000 value=value(&form.prompt)>{t!(i18n, quiz.prompt)}</TextArea>
        <TextArea form=form_id.clone() prefix="question" field=Field::Options error rows=4 value=value(&form.options)>
            {t!(i18n, quiz.options)} <span class="hint">" " {t!(i18n, quiz.options_hint)}</span>
        </TextArea>
        <div class="field">
            <label for=truth_id.clone()>{t!(i18n, quiz.truth)}</label>
            <select id=truth_id name="question[truth]">
                <option value="true" selected=form.truth != "false">{t!(i18n, quiz.true_)}</option>
                <option value="false" selected=form.truth == "false">{t!(i18n, quiz.false_)}</option>
            </select>
        </div>
        <TextArea form=form_id prefix="question" field=Field::Accepted error rows=2 value=value(&form.accepted)>
            {t!(i18n, quiz.accepted)} <span class="hint">" " {t!(i18n, quiz.accepted_hint)}</span>
        </TextArea>
    }
}

/// The options and right answers of a question, for staff only.
#[component]
fn AnswerKey(form: QuestionForm) -> impl IntoView {
    let i18n = use_i18n();
    match form.kind.as_str() {
        "single" | "multiple" => view! {
            <ul class="options-admin">
                {form.options.lines().filter(|l| !l.trim().is_empty()).map(|line| {
                    match line.trim().strip_prefix('*') {
                        Some(right) => view! { <li class="right">"✓ " {right.trim().to_owned()}</li> }.into_any(),
                        None => view! { <li>"○ " {line.trim().to_owned()}</li> }.into_any(),
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
        "true_false" => {
            let truth = form.truth == "true";
            view! {
                <ul class="options-admin">
                    <li class="right">"✓ " {move || if truth { t_string!(i18n, quiz.true_) } else { t_string!(i18n, quiz.false_) }}</li>
                </ul>
            }.into_any()
        }
        _ => view! {
            <ul class="options-admin">
                {form.accepted.lines().filter(|l| !l.trim().is_empty()).map(|line| view! {
                    <li class="right">"✓ " {line.trim().to_owned()}</li>
                }).collect_view()}
            </ul>
        }.into_any(),
    }
}
