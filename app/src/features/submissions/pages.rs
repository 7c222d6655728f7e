//! The participant's work form and history on an activity page, and the review page that
//! ambassadors and staff open from their cockpit.

use super::api::{
    MySubmission, ReviewSubmission, SubmissionReview, VersionView, load_my_submission,
    load_submission,
};
use crate::domain::Field;
use crate::domain::activities::ActivityKind;
use crate::domain::outcome::{Form, Outcome};
use crate::domain::submissions::{Design, SubmissionRefusal};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::badges::SubmissionStatusBadge;
use crate::ui::forms::{Submit, TextArea, TextField, action_error, succeeded};
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The parts of a design exercise, in the order they are asked.
fn design_parts(design: &Design) -> [(Field, String); 7] {
    [
        (Field::ProjectTitle, design.project_title.clone()),
        (Field::AgeRange, design.age_range.clone()),
        (Field::Subjects, design.subjects.clone()),
        (Field::Objectives, design.objectives.clone()),
        (Field::Activities, design.activities.clone()),
        (Field::DigitalTools, design.digital_tools.clone()),
        (Field::Evaluation, design.evaluation.clone()),
    ]
}

/// One version as handed in, with its review.
#[component]
pub fn VersionCard(version: VersionView) -> impl IntoView {
    let i18n = use_i18n();
    let number = version.version;
    view! {
        <article class="version card" data-version=number>
            <header class="version-header">
                <h3>{move || t_string!(i18n, submissions.version, number = number).to_string()}</h3>
                <SubmissionStatusBadge status=version.status/>
                {version.submitted_at.map(|at| view! {
                    <span class="aside">{move || t_string!(i18n, submissions.handed_in_at, date = local_time(i18n, at)).to_string()}</span>
                })}
                {version.late.then(|| view! { <span class="badge state-attention">{t!(i18n, submissions.late)}</span> })}
            </header>
            {version.design.clone().map(|design| view! {
                <dl class="design">
                    {design_parts(&design).into_iter().map(|(field, value)| view! {
                        <div><dt>{move || text::field_label(i18n, field)}</dt><dd class="prewrap">{value}</dd></div>
                    }).collect_view()}
                </dl>
            })}
            {(!version.body.is_empty()).then(|| view! { <p class="prewrap submission-text">{version.body.clone()}</p> })}
            {version.file.clone().map(|file| view! {
                <p class="attached"><a href=file.url download>{file.name}</a> <span class="aside">{file.size_kb} " KB"</span></p>
            })}
            {version.review.clone().map(|review| view! {
                <div class="review">
                    <p class="eyebrow">{move || t_string!(i18n, submissions.reviewed_by, name = review.reviewer.clone(), date = local_time(i18n, review.at)).to_string()}</p>
                    {(!review.feedback.is_empty()).then(|| view! { <p class="prewrap">{review.feedback.clone()}</p> })}
                </div>
            })}
        </article>
    }
}

/// The participant's work on a task sheet or design exercise (nothing for others).
#[component]
pub fn SubmissionSection(activity_id: i32) -> impl IntoView {
    let data = Resource::new(move || activity_id, load_my_submission);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(mine)) => view! { <MySubmissionView mine/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <ErrorNotice error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MySubmissionView(mine: MySubmission) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // A "handed in" notice left in the address is stale once the version has been reviewed.
    let outcome = query
        .read_untracked()
        .get(Form::Submission.key())
        .and_then(|code| Outcome::parse(&code))
        .filter(|outcome| {
            *outcome != Outcome::HandedIn || mine.locked == Some(SubmissionRefusal::AwaitingReview)
        });
    let notice = outcome.map(|outcome| {
        let message = text::submission_outcome(i18n, outcome, mine.max_file_mb);
        if outcome.is_success() {
            view! { <SuccessNotice>{message}</SuccessNotice> }.into_any()
        } else {
            view! { <div class="notice error" role="alert">{message}</div> }.into_any()
        }
    });
    // The fields that stop a hand-in are marked once the participant has tried.
    let missing = (outcome == Some(Outcome::Incomplete) && !mine.missing.is_empty())
        .then(|| AppError::Invalid(mine.missing.clone()));
    let error = Signal::stored(missing);
    // Work sent back: its review leads the section, and a new version starts from the old text
    // (the file is not carried over: it is attached again when still wanted).
    let sent_back = mine
        .versions
        .first()
        .filter(|v| v.status == crate::domain::submissions::SubmissionStatus::NeedsRevision)
        .cloned();
    let starts_from_sent_back = mine.draft.is_none() && sent_back.is_some();
    let draft = mine.draft.clone().or_else(|| sent_back.clone());
    let body = draft.as_ref().map(|d| d.body.clone()).unwrap_or_default();
    let design = draft
        .as_ref()
        .and_then(|d| d.design.clone())
        .unwrap_or_default();
    let draft_file = mine.draft.as_ref().and_then(|d| d.file.clone());
    let action = format!("/activities/{}/submission", mine.activity_id);
    let type_labels = mine
        .file_types
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(", ");
    let accept = mine
        .file_types
        .iter()
        .map(|t| t.accept())
        .collect::<Vec<_>>()
        .join(",");
    let lock = mine.locked;
    let design_kind = mine.kind == ActivityKind::DesignExercise;
    let textareas: [(Field, String, u32); 5] = [
        (Field::Subjects, design.subjects.clone(), 500),
        (Field::Objectives, design.objectives.clone(), 10_000),
        (Field::Activities, design.activities.clone(), 10_000),
        (Field::DigitalTools, design.digital_tools.clone(), 5_000),
        (Field::Evaluation, design.evaluation.clone(), 10_000),
    ];
    view! {
        <section class="submission" id="submission" aria-labelledby="submission-heading">
            <h2 id="submission-heading">{t!(i18n, submissions.title)}</h2>
            {notice}
            {sent_back.and_then(|v| v.review).map(|review| {
                let (reviewer, at, feedback) = (review.reviewer, review.at, review.feedback);
                view! {
                <div class="notice warning sent-back">
                    <p><strong>{t!(i18n, submissions.sent_back)}</strong></p>
                    <p class="eyebrow">{move || t_string!(i18n, submissions.reviewed_by, name = reviewer.clone(), date = local_time(i18n, at)).to_string()}</p>
                    {(!feedback.is_empty()).then(|| view! { <p class="prewrap">{feedback.clone()}</p> })}
                    {starts_from_sent_back.then(|| view! { <p class="hint">{t!(i18n, submissions.starts_from_sent_back)}</p> })}
                </div>
            }})}
            {match lock {
                Some(refusal) => view! { <p class="notice info">{move || text::refusal(i18n, crate::error::Refusal::Submission(refusal))}</p> }.into_any(),
                None => view! {
                    <form class="submission-form card" method="post" action=action enctype="multipart/form-data">
                        <input type="hidden" name="version" value=mine.next_version/>
                        {design_kind.then(|| view! {
                            <TextField field=Field::ProjectTitle error maxlength=200 value=Some(design.project_title.clone())>{move || text::field_label(i18n, Field::ProjectTitle)}</TextField>
                            <TextField field=Field::AgeRange error maxlength=100 value=Some(design.age_range.clone()) hint=t_string!(i18n, submissions.age_range_hint).to_string()>{move || text::field_label(i18n, Field::AgeRange)}</TextField>
                            {textareas.clone().into_iter().map(|(field, value, max)| view! {
                                <TextArea field error rows=3 maxlength=max value=Some(value)>{move || text::field_label(i18n, field)}</TextArea>
                            }).collect_view()}
                        })}
                        <TextArea field=Field::Body error rows=8 maxlength=50_000 value=Some(body)>
                            {move || if design_kind { t_string!(i18n, submissions.notes).to_string() } else { t_string!(i18n, submissions.text).to_string() }}
                        </TextArea>
                        <div class="field">
                            <label for="submission-file">{t!(i18n, submissions.file)}</label>
                            <p class="hint" id="submission-file-hint">{move || t_string!(i18n, submissions.file_hint, types = type_labels.clone(), max = mine.max_file_mb).to_string()}</p>
                            {draft_file.clone().map(|file| view! {
                                <p class="attached">
                                    {t!(i18n, submissions.attached)} " " <a href=file.url download>{file.name}</a>
                                    <label class="inline"><input type="checkbox" name="remove_file" value="on"/> {t!(i18n, submissions.remove_file)}</label>
                                </p>
                            })}
                            <input id="submission-file" type="file" name="file" aria-describedby="submission-file-hint"
                                accept=accept/>
                        </div>
                        <div class="actions">
                            <button type="submit" class="button primary" name="action" value="hand_in">{t!(i18n, submissions.hand_in)}</button>
                            <button type="submit" class="button secondary" name="action" value="save" formnovalidate>{t!(i18n, submissions.save_draft)}</button>
                        </div>
                        <p class="hint">{t!(i18n, submissions.hand_in_hint)}</p>
                    </form>
                }.into_any(),
            }}
            {(!mine.versions.is_empty()).then(|| view! {
                <section class="history" aria-labelledby="history-heading">
                    <h3 id="history-heading">{t!(i18n, submissions.history)}</h3>
                    {mine.versions.into_iter().map(|version| view! { <VersionCard version/> }).collect_view()}
                </section>
            })}
        </section>
    }
}

/// `/submissions/:id`: a participant's work on one activity, for review.
#[component]
pub fn SubmissionPage() -> impl IntoView {
    let id = id_param();
    let review = ServerAction::<ReviewSubmission>::new();
    let page = Resource::new(
        move || (id.get(), review.version().get()),
        |(id, _)| found(id, load_submission),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(page) => view! { <SubmissionView page review/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SubmissionView(page: SubmissionReview, review: ServerAction<ReviewSubmission>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(review);
    let kind = page.kind;
    let title = format!("{} · {}", page.participant, page.activity_title);
    let done = succeeded(review);
    view! {
        <Title text=title/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/editions/{}", page.edition_id)>{page.edition_title.clone()}</a>
            " › "
            <a href=format!("/editions/{}/cockpit", page.edition_id)>{t!(i18n, cockpit.title)}</a>
        </nav>
        <header class="page-header">
            <p class="eyebrow">{move || text::activity_kind(i18n, kind)} " · " <a href=format!("/activities/{}", page.activity_id)>{page.activity_title.clone()}</a></p>
            <h1>{page.participant.clone()}</h1>
            {page.group.clone().map(|g| view! { <p class="aside">{g}</p> })}
        </header>
        <Show when=move || done.get()>
            <SuccessNotice>{t!(i18n, submissions.review_saved)}</SuccessNotice>
        </Show>
        {page.waiting.map(|submission_id| view! {
            <ActionForm action=review attr:class="review-form card">
                <h2>{t!(i18n, submissions.review_title)}</h2>
                <input type="hidden" name="submission_id" value=submission_id/>
                <ErrorNotice error/>
                <fieldset class="choices">
                    <legend>{t!(i18n, submissions.decision)}</legend>
                    <label class="inline"><input type="radio" name="decision" value="accept" required/> {t!(i18n, submissions.accept)}</label>
                    <label class="inline"><input type="radio" name="decision" value="revise"/> {t!(i18n, submissions.revise)}</label>
                </fieldset>
                <TextArea field=Field::Feedback error rows=5 maxlength=10_000>{t!(i18n, submissions.feedback)}</TextArea>
                <Submit pending=review.pending()>{t!(i18n, submissions.send_review)}</Submit>
            </ActionForm>
        })}
        <section class="history">
            <h2>{t!(i18n, submissions.history)}</h2>
            {page.versions.into_iter().map(|version| view! { <VersionCard version/> }).collect_view()}
        </section>
    }
}
