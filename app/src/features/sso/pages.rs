//! The single sign-on parts of pages: the providers' buttons and what went wrong (sign-in
//! page), `/sso/link` (connect a provider account with the password), and the profile's
//! sign-in methods.

use super::api::{
    ConfirmSsoLink, DisconnectSso, SignInMethods, load_sign_in_methods, load_sso_link,
    sso_providers,
};
use crate::domain::sso::SsoProblem;
use crate::i18n::*;
use crate::ui::forms::{PasswordField, Submit, action_error};
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// "Accedi con …" for each configured provider (nothing when there are none). `next` is where
/// to land afterwards.
#[component]
pub fn SsoButtons(#[prop(into)] next: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let providers = Resource::new(|| (), |_| sso_providers());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let providers = providers.await.unwrap_or_default();
                (!providers.is_empty()).then(|| view! {
                    <div class="sso" role="group" aria-label=move || t_string!(i18n, sso.group_label)>
                        <p class="sso-or"><span>{t!(i18n, sso.or)}</span></p>
                        {providers.into_iter().map(|provider| {
                            let href = move || {
                                let next = next.get();
                                if next.is_empty() {
                                    format!("/sso/{}/start", provider.id)
                                } else {
                                    format!("/sso/{}/start?next={}", provider.id, urlencoding::encode(&next))
                                }
                            };
                            let name = provider.name.clone();
                            view! {
                                <a class="button secondary sso-button" href=href>
                                    {move || t_string!(i18n, sso.sign_in_with, provider = name.clone()).to_string()}
                                </a>
                            }
                        }).collect_view()}
                    </div>
                })
            })}
        </Suspense>
    }
}

/// Why a sign-in through a provider failed, from `?sso_problem=…`.
#[component]
pub fn SsoProblemNotice() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    move || {
        query
            .read()
            .get("sso_problem")
            .and_then(|p| SsoProblem::parse(&p))
            .map(|problem| {
                view! {
                    <div class="notice error" role="alert">
                        <p><strong>{t!(i18n, sso.failed)}</strong></p>
                        <p>{problem_text(i18n, problem)}</p>
                    </div>
                }
            })
    }
}

pub fn problem_text(i18n: crate::ui::text::I18n, problem: SsoProblem) -> String {
    crate::ui::text::sso_problem_in(i18n.get_locale(), problem)
}

/// `/sso/link`: the provider's address belongs to an account here; its password connects the
/// two (once), and signs in.
#[component]
pub fn SsoLinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmSsoLink>::new();
    let error = action_error(action);
    let request = Resource::new(|| (), |_| load_sso_link());
    view! {
        <Title text=t_string!(i18n, sso.link_title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, sso.link_title)}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match request.await {
                        Err(error) => view! { <PageError error/> }.into_any(),
                        Ok(None) => view! {
                            <div class="notice error" role="alert">
                                <p>{problem_text(i18n, SsoProblem::State)}</p>
                            </div>
                            <p class="actions"><a class="button" href="/login">{t!(i18n, account.back_to_login)}</a></p>
                        }.into_any(),
                        Ok(Some(pending)) if !pending.has_password => {
                            let (provider, email) = (pending.provider_name.clone(), pending.email.clone());
                            view! {
                                <p class="lead">{move || t_string!(i18n, sso.link_no_password, provider = provider.clone(), email = email.clone()).to_string()}</p>
                                <p class="actions"><a class="button" href="/login">{t!(i18n, account.back_to_login)}</a></p>
                            }.into_any()
                        }
                        Ok(Some(pending)) => {
                            let (provider, email) = (pending.provider_name.clone(), pending.email.clone());
                            let provider_again = provider.clone();
                            view! {
                                <p class="lead">{move || t_string!(i18n, sso.link_lead, provider = provider.clone(), email = email.clone()).to_string()}</p>
                                <p class="hint">{move || t_string!(i18n, sso.link_why, provider = provider_again.clone()).to_string()}</p>
                                <ErrorNotice error/>
                                <ActionForm action>
                                    <PasswordField error autocomplete="current-password">
                                        {t!(i18n, sso.link_password)}
                                    </PasswordField>
                                    <Submit pending=action.pending()>{t!(i18n, sso.link_submit)}</Submit>
                                </ActionForm>
                                <p class="aside">
                                    <a href="/password/forgot">{t!(i18n, account.forgot_link)}</a>
                                    " · "
                                    <a href="/login">{t!(i18n, sso.link_cancel)}</a>
                                </p>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The profile's "how you sign in": the password, connected providers (disconnect, after a
/// confirmation), and providers to connect.
#[component]
pub fn SignInMethodsSection() -> impl IntoView {
    let i18n = use_i18n();
    let disconnect = ServerAction::<DisconnectSso>::new();
    let error = action_error(disconnect);
    let data = Resource::new(
        move || disconnect.version().get(),
        |_| load_sign_in_methods(),
    );
    let query = use_query_map();
    let outcome = move || query.read().get("sso");
    view! {
        <section class="card" id="sign-in-methods" aria-labelledby="profile-methods">
            <h2 id="profile-methods">{t!(i18n, profile.methods_title)}</h2>
            {move || match outcome().as_deref() {
                Some("connected") => Some(view! { <SuccessNotice>{t!(i18n, sso.connected)}</SuccessNotice> }.into_any()),
                Some("disconnected") => Some(view! { <SuccessNotice>{t!(i18n, sso.disconnected)}</SuccessNotice> }.into_any()),
                _ => None,
            }}
            <SsoProblemNotice/>
            <ErrorNotice error/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <PageError error/> }.into_any(),
                        Ok(methods) => view! { <MethodsList methods disconnect/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn MethodsList(methods: SignInMethods, disconnect: ServerAction<DisconnectSso>) -> impl IntoView {
    let i18n = use_i18n();
    let SignInMethods {
        has_password,
        connections,
        to_connect,
    } = methods;
    view! {
        <ul class="methods">
            {has_password.then(|| view! { <li class="method"><span>{t!(i18n, profile.method_password)}</span></li> })}
            {connections.into_iter().map(|connection| {
                let name = connection.provider_name.clone();
                let confirm_name = name.clone();
                let email = connection.email.clone();
                let since = local_time(i18n, connection.connected_at);
                let used = connection.last_used_at.map(|at| local_time(i18n, at));
                view! {
                    <li class="method">
                        <span>
                            <strong>{name.clone()}</strong>
                            {(!email.is_empty()).then(|| view! { <br/><span>{email.clone()}</span> })}
                            <br/>
                            <span class="hint">
                                {move || t_string!(i18n, sso.connected_since, at = since.clone()).to_string()}
                                {used.clone().map(|used| view! { " · " {move || t_string!(i18n, sso.last_used, at = used.clone()).to_string()} })}
                            </span>
                        </span>
                        {if connection.may_disconnect {
                            view! {
                                <details class="confirm">
                                    <summary class="button secondary small">{t!(i18n, sso.disconnect)}</summary>
                                    <div class="confirm-body">
                                        <p>{move || t_string!(i18n, sso.disconnect_confirm, provider = confirm_name.clone()).to_string()}</p>
                                        <ActionForm action=disconnect>
                                            <input type="hidden" name="connection" value=connection.id/>
                                            <Submit pending=disconnect.pending() class="button danger small">{t!(i18n, sso.disconnect_yes)}</Submit>
                                        </ActionForm>
                                    </div>
                                </details>
                            }.into_any()
                        } else {
                            view! { <span class="hint">{t!(i18n, sso.last_method)}</span> }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!has_password).then(|| view! { <p class="hint">{t!(i18n, sso.no_password_hint)}</p> })}
        {(!to_connect.is_empty()).then(|| view! {
            <p class="connect-methods">
                {to_connect.into_iter().map(|provider| {
                    let name = provider.name.clone();
                    view! {
                        <a class="button secondary" href=format!("/sso/{}/start?connect=1", provider.id)>
                            {move || t_string!(i18n, sso.connect, provider = name.clone()).to_string()}
                        </a>
                    }
                }).collect_view()}
            </p>
        })}
    }
}
