//! The participant's checklist towards the certificate, and the staff form for the rule.

use super::api::{
    CompletionAdmin, MyProgress, SaveCompletionRule, SetCompletionOverride, load_completion_rule,
};
use crate::domain::Field;
use crate::domain::activities::ActivityKind;
use crate::domain::completion::{Requirement, RequirementProgress};
use crate::error::{AppError, Refusal};
use crate::i18n::*;
use crate::ui::forms::{action_error, succeeded};
use crate::ui::layout::EditionToolHeader;
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice};
use crate::ui::params::{found, id_param};
use crate::ui::text::I18n;
use leptos::prelude::*;
use std::collections::HashMap;

/// One requirement in words, with the participant's figures.
fn describe(i18n: I18n, r: &RequirementProgress, titles: &HashMap<i32, String>) -> String {
    let title = |id: &i32| titles.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
    match &r.requirement {
        Requirement::WebinarsAttended { .. } => t_string!(
            i18n,
            completion.req_webinars,
            achieved = r.achieved,
            required = r.required
        )
        .to_string(),
        Requirement::TaskSheetsAccepted { including, .. } => {
            let mut text = t_string!(
                i18n,
                completion.req_task_sheets,
                achieved = r.achieved,
                required = r.required
            )
            .to_string();
            for id in including {
                text.push_str(", ");
                text.push_str(
                    &t_string!(i18n, completion.req_including, title = title(id)).to_string(),
                );
            }
            text
        }
        Requirement::ActivityDone { activity } => {
            t_string!(i18n, completion.req_done, title = title(activity)).to_string()
        }
        Requirement::QuizPassed {
            activity,
            min_percent,
        } if r.attempted => t_string!(
            i18n,
            completion.req_quiz,
            title = title(activity),
            min = *min_percent,
            best = r.achieved
        )
        .to_string(),
        Requirement::QuizPassed {
            activity,
            min_percent,
        } => t_string!(
            i18n,
            completion.req_quiz_untried,
            title = title(activity),
            min = *min_percent
        )
        .to_string(),
        Requirement::Hours { .. } => t_string!(
            i18n,
            completion.req_hours,
            achieved = r.achieved / 60,
            required = r.required / 60
        )
        .to_string(),
    }
}

/// On the edition page, for participants: a progress bar and what is still missing.
#[component]
pub fn MyProgressView(mine: MyProgress) -> impl IntoView {
    let i18n = use_i18n();
    let percent = mine.progress.percent;
    let met = mine.progress.met;
    let decided = mine.decided.clone();
    let titles = mine.titles.clone();
    view! {
        <section class="progress-card card" aria-labelledby="progress-heading">
            <h2 id="progress-heading">{t!(i18n, completion.my_title)}</h2>
            <div class="progress-bar" role="progressbar" aria-labelledby="progress-heading" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent>
                <span style=format!("width: {percent}%")></span>
            </div>
            <p class="progress-figure">{move || t_string!(i18n, completion.percent, percent = percent).to_string()}</p>
            {match decided {
                Some(d) if d.met => view! { <p class="notice success" data-testid="override">{move || t_string!(i18n, completion.override_met, reason = d.reason.clone()).to_string()}</p> }.into_any(),
                Some(d) => view! { <p class="notice warning" data-testid="override">{move || t_string!(i18n, completion.override_not_met, reason = d.reason.clone()).to_string()}</p> }.into_any(),
                None => met.then(|| view! { <p class="notice success">{t!(i18n, completion.complete)}</p> }).into_any(),
            }}
            <ul class="checklist">
                {mine.progress.requirements.into_iter().map(|r| {
                    let done = r.met;
                    let titles = titles.clone();
                    let text = move || describe(i18n, &r, &titles);
                    view! {
                        <li class=if done { "met" } else { "not-met" }>
                            <span class="mark" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
                            <span class="visually-hidden">{move || if done { t_string!(i18n, completion.met) } else { t_string!(i18n, completion.not_met) }}": "</span>
                            {text}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn CompletionRulePage() -> impl IntoView {
    let id = id_param();
    let query = leptos_router::hooks::use_query_map();
    let person = move || query.with(|q| q.get("person").and_then(|p| p.parse::<i32>().ok()));
    let save = ServerAction::<SaveCompletionRule>::new();
    let decide = ServerAction::<SetCompletionOverride>::new();
    let data = Resource::new(
        move || {
            (
                id.get(),
                person(),
                save.version().get(),
                decide.version().get(),
            )
        },
        |(id, person, ..)| found(id, move |id| load_completion_rule(id, person)),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(admin) => view! { <CompletionRuleView admin save decide/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CompletionRuleView(
    admin: CompletionAdmin,
    save: ServerAction<SaveCompletionRule>,
    decide: ServerAction<SetCompletionOverride>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edition_id = admin.edition_id;
    let error = action_error(save);
    let saved = succeeded(save);
    view! {
        <EditionToolHeader edition_id edition_title=admin.edition_title.clone()
            heading=t_string!(i18n, completion.title).to_string() lead=t_string!(i18n, completion.lead).to_string()/>
        <RuleSummary admin=admin.clone()/>
        <Show when=move || saved.get()>
            <SuccessNotice>{t!(i18n, completion.saved)}</SuccessNotice>
        </Show>
        <ErrorNotice error/>
        <RuleForm edition_id activities=admin.activities form=admin.form save/>
        <OverridesSection edition_id overrides=admin.overrides person=admin.person decide/>
    }
}

/// The rule in a few words, and how many participants meet it now.
#[component]
fn RuleSummary(admin: CompletionAdmin) -> impl IntoView {
    let i18n = use_i18n();
    let titles: HashMap<i32, String> = admin
        .activities
        .iter()
        .map(|(id, _, t)| (*id, t.clone()))
        .collect();
    let summary: Option<Vec<String>> = admin.rule.as_ref().map(|rule| {
        rule.requirements
            .iter()
            .map(|r| summary_of(i18n, r, &titles))
            .collect()
    });
    let (met, participants) = (admin.met, admin.participants);
    view! {
        <section class="card rule-summary">
            <p><strong>{t!(i18n, completion.summary)}</strong> " "
                {match &summary {
                    None => t_string!(i18n, completion.not_set).to_string(),
                    Some(s) if s.is_empty() => t_string!(i18n, completion.none).to_string(),
                    Some(s) => s.join(" · "),
                }}
            </p>
            <p class="aside">{move || t_string!(i18n, completion.now_met, count = met, participants = participants).to_string()}</p>
        </section>
    }
}

/// The form for the rule: one field per kind of requirement, filled with the current rule.
#[component]
fn RuleForm(
    edition_id: i32,
    activities: Vec<(i32, ActivityKind, String)>,
    form: HashMap<String, String>,
    save: ServerAction<SaveCompletionRule>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    // When the server asks for a confirmation, the next press carries it.
    let confirm = Signal::derive(move || match save.value().get() {
        Some(Err(AppError::Refused(Refusal::RuleChangesStatus { changed }))) => Some(changed),
        _ => None,
    });
    let value = move |name: &str| form.get(name).cloned().unwrap_or_default();
    let of_kind = |kind: ActivityKind| -> Vec<(i32, String)> {
        activities
            .iter()
            .filter(|(_, k, _)| *k == kind)
            .map(|(id, _, t)| (*id, t.clone()))
            .collect()
    };
    let webinar_count = of_kind(ActivityKind::Webinar).len();
    let sheets = of_kind(ActivityKind::TaskSheet);
    let quizzes = of_kind(ActivityKind::Quiz);
    let others: Vec<(i32, String)> = activities
        .iter()
        .filter(|(_, k, _)| !matches!(k, ActivityKind::TaskSheet | ActivityKind::Quiz))
        .map(|(id, _, t)| (*id, t.clone()))
        .collect();
    let checks = |prefix: &str, listed: &[(i32, String)]| -> Vec<(String, String, bool)> {
        listed
            .iter()
            .map(|(id, title)| {
                let name = format!("{prefix}_{id}");
                let checked = !value(&name).is_empty();
                (name, title.clone(), checked)
            })
            .collect()
    };
    let including = checks("including", &sheets);
    let done = checks("done", &others);
    view! {
        <ActionForm action=save attr:class="card rule-form">
            <input type="hidden" name="edition_id" value=edition_id/>
            {move || confirm.get().map(|n| view! { <input type="hidden" name="confirm" value=n/> })}
            <NumberField error field=Field::Webinars name="webinars".to_owned() label=t_string!(i18n, completion.webinars).to_string() max=webinar_count.max(1) current=value("webinars")/>
            <p class="hint">{t!(i18n, completion.webinars_hint)}</p>
            <NumberField error field=Field::TaskSheets name="task_sheets".to_owned() label=t_string!(i18n, completion.task_sheets).to_string() max=sheets.len().max(1) current=value("task_sheets")/>
            {(!including.is_empty()).then(|| view! {
                <ActivityChecks legend=t_string!(i18n, completion.including).to_string() checks=including/>
            })}
            {quizzes.iter().map(|(id, title)| {
                let name = format!("quiz_{id}");
                let current = value(&name);
                let label = format!("{} – {}", title, t_string!(i18n, completion.quiz_min));
                view! { <NumberField error field=Field::MinPercent name label max=100 current/> }
            }).collect_view()}
            {(!done.is_empty()).then(|| view! {
                <ActivityChecks legend=t_string!(i18n, completion.done).to_string() checks=done/>
            })}
            <NumberField error field=Field::Hours name="hours".to_owned() label=t_string!(i18n, completion.hours).to_string() max=1000 current=value("hours")/>
            <button type="submit" class="button primary">{t!(i18n, completion.save)}</button>
        </ActionForm>
    }
}

/// A number of the rule, with the problems the server found in it.
#[component]
fn NumberField(
    error: Signal<Option<AppError>>,
    field: Field,
    name: String,
    label: String,
    max: usize,
    current: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let problems = move || {
        error
            .get()
            .map(|e| e.problems_of(field))
            .unwrap_or_default()
    };
    let id = format!("rule-{name}");
    view! {
        <div class="field" class:has-problem=move || !problems().is_empty()>
            <label for=id.clone()>{label}</label>
            <input id=id type="number" name=format!("rule[{name}]") min="1" max=max value=current/>
            <ul class="field-problems">{move || problems().into_iter().map(|p| view! { <li>{crate::ui::text::problem(i18n, p)}</li> }).collect_view()}</ul>
        </div>
    }
}

/// Activities to tick, as (field name, title, ticked now).
#[component]
fn ActivityChecks(legend: String, checks: Vec<(String, String, bool)>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{legend}</legend>
            {checks.into_iter().map(|(name, title, checked)| {
                let input_id = format!("rule-{name}");
                view! {
                    <div class="field checkbox">
                        <input type="checkbox" id=input_id.clone() name=format!("rule[{name}]") value="on" checked=checked/>
                        <label for=input_id>{title}</label>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A requirement in a few words, for the staff summary.
fn summary_of(i18n: I18n, r: &Requirement, titles: &HashMap<i32, String>) -> String {
    let progress = RequirementProgress {
        requirement: r.clone(),
        achieved: 0,
        required: 0,
        met: false,
        missing: Vec::new(),
        attempted: false,
    };
    let title = |id: &i32| titles.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
    match r {
        Requirement::WebinarsAttended { at_least } => {
            format!("{} ≥ {at_least}", t_string!(i18n, completion.webinars))
        }
        Requirement::TaskSheetsAccepted {
            at_least,
            including,
        } => {
            let mut text =
                t_string!(i18n, completion.sum_task_sheets, count = *at_least).to_string();
            for id in including {
                text.push_str(", ");
                text.push_str(
                    &t_string!(i18n, completion.req_including, title = title(id)).to_string(),
                );
            }
            text
        }
        Requirement::QuizPassed {
            activity,
            min_percent,
        } => format!("«{}» ≥ {min_percent}%", title(activity)),
        Requirement::Hours { at_least } => {
            format!("{} ≥ {at_least}", t_string!(i18n, completion.hours))
        }
        Requirement::ActivityDone { .. } => describe(i18n, &progress, titles),
    }
}

/// Staff's decisions for single participants: the list, and the form for the participant the
/// page was opened for (from the cockpit's "Decide…").
#[component]
fn OverridesSection(
    edition_id: i32,
    overrides: Vec<(i32, String, super::api::Override)>,
    person: Option<(i32, String)>,
    decide: ServerAction<SetCompletionOverride>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(decide);
    let saved = succeeded(decide);
    let empty = overrides.is_empty();
    let reason_problems = move || {
        error
            .get()
            .map(|e| e.problems_of(Field::Reason))
            .unwrap_or_default()
    };
    view! {
        <section class="card overrides" id="overrides" aria-labelledby="overrides-heading">
            <h2 id="overrides-heading">{t!(i18n, completion.overrides_heading)}</h2>
            <p class="hint">{t!(i18n, completion.overrides_hint)}</p>
            <Show when=move || saved.get()>
                <SuccessNotice>{t!(i18n, completion.decision_saved)}</SuccessNotice>
            </Show>
            <ErrorNotice error/>
            {person.map(|(user_id, name)| view! {
                <ActionForm action=decide attr:class="stacked-form decide-form">
                    <h3>{move || t_string!(i18n, completion.decide_for, name = name.clone()).to_string()}</h3>
                    <input type="hidden" name="edition_id" value=edition_id/>
                    <input type="hidden" name="user_id" value=user_id/>
                    <fieldset>
                        <legend>{t!(i18n, completion.decision)}</legend>
                        {["met", "not_met", "clear"].into_iter().map(|value| {
                            let id = format!("decision-{value}");
                            let label = move || match value {
                                "met" => t_string!(i18n, completion.decision_met),
                                "not_met" => t_string!(i18n, completion.decision_not_met),
                                _ => t_string!(i18n, completion.decision_clear),
                            };
                            view! {
                                <div class="field checkbox">
                                    <input type="radio" id=id.clone() name="decision" value=value required/>
                                    <label for=id>{label}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <div class="field" class:has-problem=move || !reason_problems().is_empty()>
                        <label for="override-reason">{t!(i18n, completion.reason)}</label>
                        <input id="override-reason" name="reason" required maxlength="500"/>
                        <ul class="field-problems">{move || reason_problems().into_iter().map(|p| view! { <li>{crate::ui::text::problem(i18n, p)}</li> }).collect_view()}</ul>
                    </div>
                    <button type="submit" class="button primary">{t!(i18n, completion.decision_save)}</button>
                </ActionForm>
            })}
            {empty.then(|| view! { <p class="aside">{t!(i18n, completion.overrides_empty)}</p> })}
            {(!empty).then(|| view! {
                <ul class="override-list">
                    {overrides.into_iter().map(|(user_id, name, o)| view! {
                        <li>
                            <strong>{name}</strong> " — "
                            {move || if o.met { t_string!(i18n, completion.decision_met) } else { t_string!(i18n, completion.decision_not_met) }}
                            ": " <span class="reason">{o.reason.clone()}</span> " "
                            <a class="aside" href=format!("/staff/editions/{edition_id}/completion?person={user_id}#overrides")>{t!(i18n, completion.decide)}</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}
