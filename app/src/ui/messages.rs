//! Notices: errors, confirmations, empty lists, loading.

use super::text;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The error of a form or a page, in words. For invalid input it points at the fields, which
/// show the details themselves.
///
/// An error that appears once the page is interactive (a form sent without leaving the page)
/// takes the keyboard focus, so the person hears and sees it instead of staying on the button.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let notice = NodeRef::<leptos::html::Div>::new();
    // Shown as the page arrives after a form posted without JavaScript failed: the browser
    // focuses it as it loads the page.
    let after_post =
        super::params::page_query("__err").is_some() && error.with_untracked(Option::is_some);
    Effect::new(move |_| {
        if error.with(Option::is_some) && INTERACTIVE.load(std::sync::atomic::Ordering::Relaxed) {
            focus_when_shown(move || notice.get_untracked().map(Into::into));
        }
    });
    view! {
        <Show when=move || error.get().is_some()>
            <div class="notice error" role="alert" tabindex="-1" autofocus=after_post node_ref=notice>
                {move || error.get().map(|e| text::error(i18n, &e))}
            </div>
        </Show>
    }
}

/// Gives the element `target` finds the keyboard focus once it is in the document: a view
/// rendered inside a transition is attached a few frames after its effects run.
fn focus_when_shown(target: impl Fn() -> Option<leptos::web_sys::HtmlElement> + Copy + 'static) {
    fn attempt(
        target: impl Fn() -> Option<leptos::web_sys::HtmlElement> + Copy + 'static,
        frames_left: u32,
    ) {
        request_animation_frame(move || match target() {
            Some(element) if element.is_connected() => {
                let _ = element.focus();
            }
            _ if frames_left > 0 => attempt(target, frames_left - 1),
            _ => {}
        });
    }
    attempt(target, 30);
}

/// Set once the page's islands have hydrated: errors shown from then on come from something the
/// person just did (those in the page as it arrived are not focused over the person's head).
pub static INTERACTIVE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A whole page that could not be loaded.
#[component]
pub fn PageError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let signed_out = error == AppError::NotSignedIn;
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(error.status()),
    ) {
        response.set_status(status);
    }
    let title = text::error(i18n, &error);
    view! {
        <leptos_meta::Title text=title/>
        <section class="page-error">
            <h1>{move || text::error(i18n, &error)}</h1>
            {signed_out.then(|| view! {
                <p><a class="button primary" href="/login">{t!(i18n, nav.log_in)}</a></p>
            })}
            <p><a href="/">{t!(i18n, nav.back_home)}</a></p>
        </section>
    }
}

#[component]
pub fn SuccessNotice(children: Children) -> impl IntoView {
    view! { <div class="notice success" role="status">{children()}</div> }
}

#[component]
pub fn EmptyState(children: Children) -> impl IntoView {
    view! { <div class="empty-state">{children()}</div> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" aria-live="polite">{t!(i18n, common.loading)}</p> }
}

/// "← Previous · Page 2 of 5 · Next →" under a paged list; `link` makes a page's URL.
#[component]
pub fn Pagination(number: u64, pages: u64, link: Callback<u64, String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="pagination" aria-label=move || t_string!(i18n, staff.pages)>
            {(number > 1).then(|| view! { <a href=link.run(number - 1) rel="prev">{t!(i18n, staff.previous)}</a> })}
            <span>{move || t_string!(i18n, staff.page_of, page = number, pages = pages).to_string()}</span>
            {(number < pages).then(|| view! { <a href=link.run(number + 1) rel="next">{t!(i18n, staff.next)}</a> })}
        </nav>
    }
}

/// Text someone wrote, shown as text: line breaks kept, web addresses as links, no HTML.
#[component]
pub fn RichText(text: String) -> impl IntoView {
    use crate::domain::rich_text::{Segment, segments};
    view! {
        <div class="prewrap rich-text">
            {segments(&text)
                .into_iter()
                .map(|segment| match segment {
                    Segment::Text(text) => text.into_any(),
                    Segment::Link(url) => {
                        let shown = url.clone();
                        view! { <a href=url rel="nofollow noopener noreferrer ugc">{shown}</a> }.into_any()
                    }
                })
                .collect_view()}
        </div>
    }
}

/// A date and time in the interface language ("12 marzo 2027, 17:00").
pub fn local_time(i18n: super::text::I18n, at: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    // Written out: chrono's `format` parses its pattern on every call.
    format!(
        "{}, {:02}:{:02}",
        super::text::long_date(i18n, at.date()),
        at.hour(),
        at.minute()
    )
}
