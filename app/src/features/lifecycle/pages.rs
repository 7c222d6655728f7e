//! `/privacy`: the privacy notice: what Aula keeps, why, for how long (the configured periods),
//! and what a person can do about it.

use super::api::retention_periods;
use crate::i18n::*;
use crate::ui::messages::{Loading, PageError};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let periods = Resource::new(|| (), |_| retention_periods());
    view! {
        <Title text=t_string!(i18n, privacy.title).to_string()/>
        <article class="narrow card privacy">
            <h1>{t!(i18n, privacy.title)}</h1>
            <p class="lead">{t!(i18n, privacy.lead)}</p>
            <h2>{t!(i18n, privacy.what_heading)}</h2>
            <p>{t!(i18n, privacy.what)}</p>
            <h2>{t!(i18n, privacy.why_heading)}</h2>
            <p>{t!(i18n, privacy.why)}</p>
            <h2>{t!(i18n, privacy.how_long_heading)}</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match periods.await {
                        Err(error) => view! { <PageError error/> }.into_any(),
                        Ok(r) => view! {
                            <ul>
                                <li>{move || t_string!(i18n, privacy.inactive, days = r.inactive_after_days).to_string()}</li>
                                <li>{move || t_string!(i18n, privacy.warning, days = r.warn_before_days).to_string()}</li>
                                <li>{move || t_string!(i18n, privacy.anonymised, days = r.anonymise_after_days).to_string()}</li>
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            <p>{t!(i18n, privacy.certificates)}</p>
            <h2>{t!(i18n, privacy.rights_heading)}</h2>
            <p>{t!(i18n, privacy.rights)}</p>
        </article>
    }
}
