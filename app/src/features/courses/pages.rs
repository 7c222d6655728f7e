//! Staff: the course list, a new course, a course with its editions.

use super::api::{CourseWithEditions, CreateCourse, UpdateCourse, course_detail, list_courses};
use crate::domain::Field;
use crate::domain::editions::{MAX_DESCRIPTION, MAX_WORKLOAD_HOURS};
use crate::features::editions::api::{CreateEdition, EditionSummary};
use crate::features::editions::staff_pages::EditionFields;
use crate::i18n::*;
use crate::ui::badges::StatusBadge;
use crate::ui::forms::{Submit, TextArea, TextField, action_error, succeeded};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, SuccessNotice};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateCourse>::new();
    let courses = Resource::new(move || create.version().get(), |_| list_courses());
    let error = action_error(create);
    view! {
        <Title text=t_string!(i18n, staff.title).to_string()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match courses.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(list) => view! {
                        <header class="page-header">
                            <h1>{t!(i18n, staff.title)}</h1>
                            <p class="lead">{t!(i18n, staff.lead)}</p>
                        </header>
                        <section aria-labelledby="courses-heading">
                            <h2 id="courses-heading">{t!(i18n, staff.courses)}</h2>
                            {if list.is_empty() {
                                view! { <EmptyState><p>{t!(i18n, staff.no_courses)}</p></EmptyState> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap" tabindex="0">
                                        <table>
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, fields.code)}</th>
                                                <th scope="col">{t!(i18n, fields.title)}</th>
                                                <th scope="col" class="num">{t!(i18n, fields.workload_hours)}</th>
                                                <th scope="col" class="num">{t!(i18n, staff.editions)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {list.into_iter().map(|c| view! {
                                                    <tr>
                                                        <td><code>{c.code}</code></td>
                                                        <td><a href=format!("/staff/courses/{}", c.id)>{c.title}</a></td>
                                                        <td class="num">{c.workload_hours}</td>
                                                        <td class="num">{c.editions}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        </section>
                        <section class="card" aria-labelledby="new-course-heading">
                            <h2 id="new-course-heading">{t!(i18n, staff.new_course)}</h2>
                            <ErrorNotice error/>
                            <ActionForm action=create>
                                <CourseFields error course=None form="new-course"/>
                                <Submit pending=create.pending()>{t!(i18n, staff.create_course)}</Submit>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CourseFields(
    error: Signal<Option<crate::error::AppError>>,
    course: Option<CourseWithEditions>,
    form: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let (code, title, description, hours) = match course {
        Some(c) => (
            Some(c.code),
            Some(c.title),
            Some(c.description),
            Some(c.workload_hours.to_string()),
        ),
        None => (None, None, None, Some("25".to_owned())),
    };
    view! {
        <div class="field-row">
            <TextField form=form field=Field::Code error required=true maxlength=20 value=code hint=t_string!(i18n, staff.code_hint).to_string()>
                {t!(i18n, fields.code)}
            </TextField>
            <TextField form=form field=Field::WorkloadHours error input_type="number" required=true min=1 max=MAX_WORKLOAD_HOURS value=hours>
                {t!(i18n, fields.workload_hours)}
            </TextField>
        </div>
        <TextField form=form field=Field::Title error required=true maxlength=200 value=title>
            {t!(i18n, fields.title)}
        </TextField>
        <TextArea form=form field=Field::Description error value=description maxlength=MAX_DESCRIPTION>
            {t!(i18n, fields.description)}
        </TextArea>
    }
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let id = id_param();
    let update = ServerAction::<UpdateCourse>::new();
    let create_edition = ServerAction::<CreateEdition>::new();
    let course = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                create_edition.version().get(),
            )
        },
        |(id, _, _)| found(id, course_detail),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match course.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(course) => view! { <CourseView course update create_edition/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CourseView(
    course: CourseWithEditions,
    update: ServerAction<UpdateCourse>,
    create_edition: ServerAction<CreateEdition>,
) -> impl IntoView {
    let i18n = use_i18n();
    let update_error = action_error(update);
    let edition_error = action_error(create_edition);
    let saved = succeeded(update);
    let course_id = course.id;
    let editions = course.editions.clone();
    let title = course.title.clone();
    view! {
        <Title text=title.clone()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
        </nav>
        <header class="page-header">
            <p class="eyebrow"><code>{course.code.clone()}</code></p>
            <h1>{title}</h1>
        </header>
        <section aria-labelledby="editions-heading">
            <h2 id="editions-heading">{t!(i18n, staff.editions)}</h2>
            <EditionsTable editions/>
        </section>
        <div class="two-columns">
            <section class="card" aria-labelledby="new-edition-heading">
                <h2 id="new-edition-heading">{t!(i18n, staff.new_edition)}</h2>
                <ErrorNotice error=edition_error/>
                <ActionForm action=create_edition>
                    <input type="hidden" name="course_id" value=course_id/>
                    <EditionFields error=edition_error edition=None form="new-edition"/>
                    <Submit pending=create_edition.pending()>{t!(i18n, staff.create_edition)}</Submit>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="edit-course-heading">
                <h2 id="edit-course-heading">{t!(i18n, staff.edit_course)}</h2>
                <Show when=move || saved.get()><SuccessNotice>{t!(i18n, common.saved)}</SuccessNotice></Show>
                <ErrorNotice error=update_error/>
                <ActionForm action=update>
                    <input type="hidden" name="course_id" value=course_id/>
                    <CourseFields error=update_error course=Some(course) form="course"/>
                    <Submit pending=update.pending()>{t!(i18n, common.save)}</Submit>
                </ActionForm>
            </section>
        </div>
    }
}

#[component]
pub fn EditionsTable(editions: Vec<EditionSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if editions.is_empty() {
        return view! { <EmptyState><p>{t!(i18n, staff.no_editions)}</p></EmptyState> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0">
            <table>
                <thead><tr>
                    <th scope="col">{t!(i18n, fields.title)}</th>
                    <th scope="col">{t!(i18n, editions.course_dates)}</th>
                    <th scope="col">{t!(i18n, staff.status)}</th>
                    <th scope="col" class="num">{t!(i18n, staff.enrolled)}</th>
                    <th scope="col" class="num">{t!(i18n, staff.waiting)}</th>
                </tr></thead>
                <tbody>
                    {editions.into_iter().map(|e| {
                        let dates = e.dates;
                        view! {
                            <tr>
                                <td><a href=format!("/staff/editions/{}", e.id)>{e.title}</a></td>
                                <td>{move || text::date_range(i18n, dates.starts_on, dates.ends_on)}</td>
                                <td><StatusBadge status=e.status/></td>
                                <td class="num">{format!("{} / {}", e.enrolled, e.capacity)}</td>
                                <td class="num">{e.waiting}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
