//! Staff: find people and grant or remove the ambassador and staff roles.

use super::api::{SetRole, UserRow, list_users};
use crate::domain::paging;
use crate::i18n::*;
use crate::ui::forms::action_error;
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, Pagination};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || paging::page_number(query.read().get("page").as_deref());
    let set_role = ServerAction::<SetRole>::new();
    let error = action_error(set_role);
    let users = Resource::new(
        move || (search(), page(), set_role.version().get()),
        |(search, page, _)| list_users(search, page),
    );
    let link = move |page: u64| {
        format!(
            "/staff/users?q={}&page={page}",
            urlencoding::encode(&search())
        )
    };
    view! {
        <Title text=t_string!(i18n, users.title).to_string()/>
        <header class="page-header">
            <h1>{t!(i18n, users.title)}</h1>
            <p class="lead">{t!(i18n, users.lead)}</p>
        </header>
        <form class="search" method="get" role="search">
            <div class="field">
                <label for="search-q">{t!(i18n, users.search_label)}</label>
                <input id="search-q" name="q" type="search" value=search/>
            </div>
            <button type="submit" class="button secondary">{t!(i18n, staff.search)}</button>
        </form>
        <ErrorNotice error/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! {
                        <EmptyState><p>{t!(i18n, users.none)}</p></EmptyState>
                    }.into_any(),
                    Ok(page) => {
                        let (number, pages, total) = (page.number, page.pages(), page.total);
                        view! {
                            <p class="count">{move || t_string!(i18n, staff.results, count = total).to_string()}</p>
                            <div class="table-wrap" tabindex="0">
                                <table>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, staff.name)}</th>
                                        <th scope="col">{t!(i18n, fields.email)}</th>
                                        <th scope="col">{t!(i18n, fields.school_name)}</th>
                                        <th scope="col">{t!(i18n, users.ambassador)}</th>
                                        <th scope="col">{t!(i18n, users.staff)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|user| view! { <UserLine user set_role/> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pagination number pages link=Callback::new(link)/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn UserLine(user: UserRow, set_role: ServerAction<SetRole>) -> impl IntoView {
    let name = format!("{} {}", user.family_name, user.given_name);
    view! {
        <tr>
            <td><a href=format!("/staff/users/{}", user.id)>{name.clone()}</a></td>
            <td>{user.email.clone()}</td>
            <td>{format!("{} ({})", user.school_name, user.school_code)}</td>
            <td><RoleSwitch user_id=user.id role="ambassador" has=user.is_ambassador locked=false name=name.clone() set_role/></td>
            <td><RoleSwitch user_id=user.id role="staff" has=user.is_staff locked=user.is_me name set_role/></td>
        </tr>
    }
}

#[component]
fn RoleSwitch(
    user_id: i32,
    role: &'static str,
    has: bool,
    locked: bool,
    name: String,
    set_role: ServerAction<SetRole>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || {
        let role_name = if role == "staff" {
            t_string!(i18n, users.staff)
        } else {
            t_string!(i18n, users.ambassador)
        };
        if has {
            t_string!(
                i18n,
                users.remove_role,
                role = role_name,
                name = name.clone()
            )
            .to_string()
        } else {
            t_string!(
                i18n,
                users.grant_role,
                role = role_name,
                name = name.clone()
            )
            .to_string()
        }
    };
    view! {
        <div class="role-cell">
            <span class=if has { "badge role-on" } else { "badge role-off" }>
                {move || if has { t_string!(i18n, common.yes) } else { t_string!(i18n, common.no) }}
            </span>
            {(!locked).then(|| {
                let question = {
                    let label = label.clone();
                    move || {
                        let consequence = match (role, has) {
                            ("staff", false) => t_string!(i18n, users.staff_grant_means).to_string(),
                            ("staff", true) => t_string!(i18n, users.staff_remove_means).to_string(),
                            (_, false) => t_string!(i18n, users.ambassador_grant_means).to_string(),
                            (_, true) => t_string!(i18n, users.ambassador_remove_means).to_string(),
                        };
                        format!("{}? {consequence}", label())
                    }
                };
                view! {
                // A role changes what someone may see and do: it takes a second, deliberate click.
                <details class="confirm">
                    <summary class="button link small" aria-label=label.clone()>
                        {move || if has { t_string!(i18n, users.remove) } else { t_string!(i18n, users.grant) }}
                    </summary>
                    <ActionForm action=set_role>
                        <input type="hidden" name="user_id" value=user_id/>
                        <input type="hidden" name="role" value=role/>
                        <input type="hidden" name="granted" value=if has { "false" } else { "true" }/>
                        <p>{question}</p>
                        <button type="submit" class=if has { "button danger small" } else { "button primary small" }>
                            {move || if has { t_string!(i18n, users.confirm_remove) } else { t_string!(i18n, users.confirm_grant) }}
                        </button>
                    </ActionForm>
                </details>
            }})}
        </div>
    }
}
