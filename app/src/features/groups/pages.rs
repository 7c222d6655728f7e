//! The group space (announcements, discussion board, threads) and the staff page that forms
//! groups and assigns ambassadors.

use super::api::{
    AppointAmbassador, CreateGroup, GroupSpace, GroupSummary, GroupsOverview, MoveToGroup, Person,
    PostAnnouncement, PostReply, SetGroupAmbassador, SplitIntoGroups, StartThread, ThreadView,
    load_group_space, load_groups_overview, load_thread,
};
use crate::domain::Field;
use crate::i18n::*;
use crate::ui::forms::{CheckboxField, Submit, TextArea, TextField, action_error, succeeded};
use crate::ui::layout::EditionToolHeader;
use crate::ui::messages::{
    EmptyState, ErrorNotice, Loading, PageError, Pagination, RichText, local_time,
};
use crate::ui::params::{found, id_param};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn GroupsAdminPage() -> impl IntoView {
    let id = id_param();
    let create = ServerAction::<CreateGroup>::new();
    let split = ServerAction::<SplitIntoGroups>::new();
    let assign = ServerAction::<SetGroupAmbassador>::new();
    let move_member = ServerAction::<MoveToGroup>::new();
    let appoint = ServerAction::<AppointAmbassador>::new();
    let overview = Resource::new(
        move || {
            (
                id.get(),
                appoint.version().get(),
                create.version().get(),
                split.version().get(),
                assign.version().get(),
                move_member.version().get(),
            )
        },
        |(id, ..)| found(id, load_groups_overview),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(overview) => view! { <GroupsAdmin overview create split assign move_member appoint/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GroupsAdmin(
    overview: GroupsOverview,
    create: ServerAction<CreateGroup>,
    split: ServerAction<SplitIntoGroups>,
    assign: ServerAction<SetGroupAmbassador>,
    move_member: ServerAction<MoveToGroup>,
    appoint: ServerAction<AppointAmbassador>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edition_id = overview.edition_id;
    let untutored = overview
        .groups
        .iter()
        .filter(|g| g.ambassadors.is_empty())
        .count();
    let assign_error = action_error(assign);
    let move_error = action_error(move_member);
    let group_choices: Vec<(i32, String)> = overview
        .groups
        .iter()
        .map(|g| (g.id, g.name.clone()))
        .collect();
    let ambassadors = overview.ambassadors.clone();
    let unassigned = overview.unassigned.clone();
    let actions = GroupActions {
        edition_id,
        assign,
        move_member,
    };
    view! {
        <EditionToolHeader edition_id edition_title=overview.edition_title.clone()
            heading=t_string!(i18n, groups.title).to_string() lead=t_string!(i18n, groups.lead).to_string()/>
        <ErrorNotice error=Signal::derive(move || assign_error.get().or(move_error.get()))/>
        <div class="two-columns">
            <SplitForm edition_id unassigned=unassigned.len() split/>
            <NewGroupForm edition_id create/>
        </div>
        {(untutored > 0).then(|| view! {
            <div class="notice warning" role="status">
                <p>{move || t_string!(i18n, groups.untutored, count = untutored).to_string()}</p>
            </div>
        })}
        {(!group_choices.is_empty()).then(|| view! { <AppointForm choices=group_choices.clone() appoint/> })}
        {if overview.groups.is_empty() {
            view! { <EmptyState><p>{t!(i18n, groups.none)}</p></EmptyState> }.into_any()
        } else {
            overview
                .groups
                .into_iter()
                .map(|group| {
                    let available: Vec<_> = ambassadors.iter().filter(|a| !group.ambassadors.iter().any(|t| t.id == a.id)).cloned().collect();
                    view! { <GroupCard group available choices=group_choices.clone() actions/> }
                })
                .collect_view()
                .into_any()
        }}
        {(!unassigned.is_empty() && !group_choices.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="unassigned-heading">
                <h2 id="unassigned-heading">{t!(i18n, groups.unassigned)}</h2>
                <ul class="people">
                    {unassigned.clone().into_iter().map(|m| view! {
                        <li>{m.name.clone()}<MoveForm edition_id user_id=m.id current=None choices=group_choices.clone() action=move_member/></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// Appoints anyone with an account as a group's ambassador, giving the role when staff confirm.
#[component]
fn AppointForm(
    choices: Vec<(i32, String)>,
    appoint: ServerAction<AppointAmbassador>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(appoint);
    let done = succeeded(appoint);
    view! {
        <section class="card" aria-labelledby="appoint-heading">
            <h2 id="appoint-heading">{t!(i18n, groups.appoint)}</h2>
            <p class="hint">{t!(i18n, groups.appoint_explainer)}</p>
            <ErrorNotice error/>
            <Show when=move || done.get()>
                <p class="notice success" role="status">{t!(i18n, groups.appointed)}</p>
            </Show>
            <ActionForm action=appoint>
                <TextField form="appoint" field=Field::Email error input_type="email" required=true autocomplete="off">
                    {t!(i18n, groups.appoint_email)}
                </TextField>
                <div class="field">
                    <label for="appoint-group">{t!(i18n, groups.appoint_group)}</label>
                    <select id="appoint-group" name="group_id">
                        {choices.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </div>
                <CheckboxField form="appoint" field=Field::GrantRole error>
                    {t!(i18n, groups.grant_role)}
                </CheckboxField>
                <Submit pending=appoint.pending()>{t!(i18n, groups.appoint_submit)}</Submit>
            </ActionForm>
        </section>
    }
}

/// "Forma i gruppi": split the participants in no group into groups of a given size.
#[component]
fn SplitForm(
    edition_id: i32,
    unassigned: usize,
    split: ServerAction<SplitIntoGroups>,
) -> impl IntoView {
    let i18n = use_i18n();
    let split_error = action_error(split);
    view! {
        <section class="card" aria-labelledby="split-heading">
            <h2 id="split-heading">{t!(i18n, groups.split)}</h2>
            <p class="hint">{move || t_string!(i18n, groups.split_explainer, count = unassigned).to_string()}</p>
            <ErrorNotice error=split_error/>
            <ActionForm action=split>
                <input type="hidden" name="edition_id" value=edition_id/>
                <TextField form="split" field=Field::GroupSize error=split_error input_type="number" min=2 max=500 value=Some("25".to_owned()) required=true>
                    {t!(i18n, groups.size)}
                </TextField>
                <Submit pending=split.pending()>{t!(i18n, groups.split_submit)}</Submit>
            </ActionForm>
        </section>
    }
}

#[component]
fn NewGroupForm(edition_id: i32, create: ServerAction<CreateGroup>) -> impl IntoView {
    let i18n = use_i18n();
    let create_error = action_error(create);
    view! {
        <section class="card" aria-labelledby="new-group-heading">
            <h2 id="new-group-heading">{t!(i18n, groups.new_group)}</h2>
            <ErrorNotice error=create_error/>
            <ActionForm action=create>
                <input type="hidden" name="edition_id" value=edition_id/>
                <TextField form="new-group" field=Field::Name error=create_error required=true maxlength=100>
                    {t!(i18n, groups.name)}
                </TextField>
                <Submit pending=create.pending()>{t!(i18n, groups.create)}</Submit>
            </ActionForm>
        </section>
    }
}

/// What each group card can do: assign ambassadors and move members.
#[derive(Clone, Copy)]
struct GroupActions {
    edition_id: i32,
    assign: ServerAction<SetGroupAmbassador>,
    move_member: ServerAction<MoveToGroup>,
}

/// A group with its ambassadors (remove one, add one of `available`) and its members (move
/// one to another of `choices`).
#[component]
fn GroupCard(
    group: GroupSummary,
    available: Vec<Person>,
    choices: Vec<(i32, String)>,
    actions: GroupActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let GroupActions {
        edition_id,
        assign,
        move_member,
    } = actions;
    let group_id = group.id;
    let member_count = group.members.len();
    view! {
        <section class="card group-card" aria-labelledby=format!("group-{group_id}")>
            <h2 id=format!("group-{group_id}")><a href=format!("/groups/{group_id}")>{group.name.clone()}</a></h2>
            <h3>{t!(i18n, groups.ambassadors)}</h3>
            {group.ambassadors.is_empty().then(|| view! {
                <p><span class="badge state-pending">{t!(i18n, groups.no_tutor)}</span></p>
            })}
            <ul class="people">
                {group.ambassadors.into_iter().map(|a| view! {
                    <li>
                        {a.name.clone()}
                        <ActionForm action=assign>
                            <input type="hidden" name="group_id" value=group_id/>
                            <input type="hidden" name="user_id" value=a.id/>
                            <input type="hidden" name="assigned" value="false"/>
                            <button type="submit" class="button link small">{t!(i18n, users.remove)}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            {(!available.is_empty()).then(|| view! {
                <ActionForm action=assign>
                    <input type="hidden" name="group_id" value=group_id/>
                    <input type="hidden" name="assigned" value="true"/>
                    <div class="inline-form">
                        <label for=format!("ambassador-{group_id}")>{t!(i18n, groups.add_ambassador)}</label>
                        <select id=format!("ambassador-{group_id}") name="user_id">
                            {available.into_iter().map(|a| view! { <option value=a.id>{a.name}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button secondary small">{t!(i18n, users.grant)}</button>
                    </div>
                </ActionForm>
            })}
            <h3>{move || t_string!(i18n, groups.members, count = member_count).to_string()}</h3>
            <ul class="people">
                {group.members.into_iter().map(|m| {
                    let choices = choices.clone();
                    view! {
                        <li>
                            {m.name.clone()}
                            <MoveForm edition_id user_id=m.id current=Some(group_id) choices action=move_member/>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn MoveForm(
    edition_id: i32,
    user_id: i32,
    current: Option<i32>,
    choices: Vec<(i32, String)>,
    action: ServerAction<MoveToGroup>,
) -> impl IntoView {
    let i18n = use_i18n();
    let select_id = format!("move-{user_id}");
    view! {
        <ActionForm action>
            <input type="hidden" name="edition_id" value=edition_id/>
            <input type="hidden" name="user_id" value=user_id/>
            <div class="inline-form">
                <label class="visually-hidden" for=select_id.clone()>{t!(i18n, groups.move_to)}</label>
                <select id=select_id name="group_id">
                    {choices.into_iter().map(|(id, name)| view! { <option value=id selected=current == Some(id)>{name}</option> }).collect_view()}
                </select>
                <button type="submit" class="button link small">{t!(i18n, groups.move_submit)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn GroupSpacePage() -> impl IntoView {
    let id = id_param();
    let announce = ServerAction::<PostAnnouncement>::new();
    let start = ServerAction::<StartThread>::new();
    let space = Resource::new(
        move || (id.get(), announce.version().get()),
        |(id, _)| found(id, load_group_space),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match space.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(space) => view! { <GroupSpaceView space announce start/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn GroupSpaceView(
    space: GroupSpace,
    announce: ServerAction<PostAnnouncement>,
    start: ServerAction<StartThread>,
) -> impl IntoView {
    let i18n = use_i18n();
    let group_id = space.id;
    let announce_error = action_error(announce);
    let start_error = action_error(start);
    let announced = succeeded(announce);
    view! {
        <Title text=space.name.clone()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/editions/{}", space.edition_id)>{space.edition_title.clone()}</a>
        </nav>
        <header class="page-header">
            <p class="eyebrow">{t!(i18n, groups.space)}</p>
            <h1>{space.name.clone()}</h1>
            <p class="aside">
                {t!(i18n, groups.ambassadors)} ": "
                {if space.ambassadors.is_empty() { t_string!(i18n, groups.no_ambassador).to_string() } else { space.ambassadors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(", ") }}
                " · " {
                    let count = space.members.len();
                    move || t_string!(i18n, groups.members, count = count).to_string()
                }
            </p>
        </header>
        <div class="edition-layout">
            <div>
                <section aria-labelledby="board-heading">
                    <h2 id="board-heading">{t!(i18n, groups.board)}</h2>
                    <p class="hint">{t!(i18n, groups.board_explainer)}</p>
                    {if space.threads.is_empty() {
                        view! { <EmptyState><p>{t!(i18n, groups.no_threads)}</p></EmptyState> }.into_any()
                    } else {
                        view! {
                            <ul class="threads">
                                {space.threads.into_iter().map(|t| view! {
                                    <li>
                                        <a href=format!("/groups/{group_id}/threads/{}", t.id)>{t.title}</a>
                                        <span class="aside">
                                            {format!("{} · ", t.author)}
                                            {move || t_string!(i18n, groups.replies, count = t.replies).to_string()}
                                            " · " {move || local_time(i18n, t.last_activity)}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <details class="card new-thread">
                        <summary class="button secondary">{t!(i18n, groups.new_thread)}</summary>
                        <ErrorNotice error=start_error/>
                        <ActionForm action=start>
                            <input type="hidden" name="group_id" value=group_id/>
                            <TextField form="thread" field=Field::Title error=start_error required=true maxlength=200>{t!(i18n, fields.title)}</TextField>
                            <TextArea form="thread" field=Field::Body error=start_error maxlength=10_000>{t!(i18n, groups.message)}</TextArea>
                            <Submit pending=start.pending()>{t!(i18n, groups.publish)}</Submit>
                        </ActionForm>
                    </details>
                </section>
            </div>
            <aside aria-labelledby="announcements-heading">
                <h2 id="announcements-heading">{t!(i18n, groups.announcements)}</h2>
                {space.may_announce.then(|| view! {
                    <div class="card">
                        <ErrorNotice error=announce_error/>
                        <Show when=move || announced.get()>
                            <p class="notice success" role="status">{t!(i18n, groups.announced)}</p>
                        </Show>
                        <ActionForm action=announce>
                            <input type="hidden" name="group_id" value=group_id/>
                            <TextArea form="announce" field=Field::Body error=announce_error rows=4 maxlength=10_000>{t!(i18n, groups.new_announcement)}</TextArea>
                            <Submit pending=announce.pending()>{t!(i18n, groups.publish)}</Submit>
                        </ActionForm>
                    </div>
                })}
                {if space.announcements.is_empty() {
                    view! { <EmptyState><p>{t!(i18n, groups.no_announcements)}</p></EmptyState> }.into_any()
                } else {
                    space.announcements.into_iter().map(|a| view! {
                        <article class="post announcement">
                            <p class="post-meta">{a.author.clone()} " · " {move || local_time(i18n, a.at)}</p>
                            <RichText text=a.body.clone()/>
                        </article>
                    }).collect_view().into_any()
                }}
            </aside>
        </div>
    }
}

#[component]
pub fn ThreadPage() -> impl IntoView {
    let id = crate::ui::params::thread_param();
    let query = leptos_router::hooks::use_query_map();
    let page = move || crate::domain::paging::page_number(query.read().get("page").as_deref());
    let reply = ServerAction::<PostReply>::new();
    let thread = Resource::new(
        move || (id.get(), page(), reply.version().get()),
        |(id, page, _)| found(id, move |id| load_thread(id, page)),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match thread.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(thread) => view! { <Thread thread reply/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Thread(thread: ThreadView, reply: ServerAction<PostReply>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(reply);
    let replied = succeeded(reply);
    let thread_id = thread.id;
    let (page, pages, group_id) = (thread.page, thread.pages, thread.group_id);
    let opening = thread.opening.clone();
    view! {
        <Title text=thread.title.clone()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/groups/{}", thread.group_id)>{thread.group_name.clone()}</a>
        </nav>
        <article class="thread">
            <h1>{thread.title.clone()}</h1>
            <div class="post">
                <p class="post-meta">{opening.author.clone()} " · " {move || local_time(i18n, opening.at)}</p>
                <RichText text=opening.body.clone()/>
            </div>
            <h2>{
                let count = thread.reply_count;
                move || t_string!(i18n, groups.replies, count = count).to_string()
            }</h2>
            {thread.replies.into_iter().map(|r| view! {
                <div class="post reply">
                    <p class="post-meta">{r.author.clone()} " · " {move || local_time(i18n, r.at)}</p>
                    <RichText text=r.body.clone()/>
                </div>
            }).collect_view()}
            {(pages > 1).then(|| view! {
                <Pagination number=page pages link=Callback::new(move |n: u64| format!("/groups/{group_id}/threads/{thread_id}?page={n}"))/>
            })}
            <section class="card" aria-labelledby="reply-heading">
                <h2 id="reply-heading">{t!(i18n, groups.reply)}</h2>
                <ErrorNotice error/>
                <Show when=move || replied.get()>
                    <p class="notice success" role="status">{t!(i18n, groups.replied)}</p>
                </Show>
                <ActionForm action=reply>
                    <input type="hidden" name="thread_id" value=thread_id/>
                    <TextArea form="reply" field=Field::Body error rows=4 maxlength=10_000>{t!(i18n, groups.message)}</TextArea>
                    <Submit pending=reply.pending()>{t!(i18n, groups.publish)}</Submit>
                </ActionForm>
            </section>
        </article>
    }
}
