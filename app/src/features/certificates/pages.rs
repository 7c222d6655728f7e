//! Staff issue certificates for an edition (one action, with a live progress bar), revoke and
//! re-issue them; participants download theirs; anyone verifies one.

use super::api::{
    CertificatesAdmin, IssuedCertificate, MyCertificate, Pending, ReissueCertificate,
    RevokeCertificate, SaveCertificateTemplate, Verification, Verified, issue_certificates,
    load_certificates, verify_certificate,
};
use crate::domain::Field;
use crate::domain::certificates::{RevocationCategory, Validity};
use crate::domain::outcome::{Form, Outcome};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::forms::{TextField, action_error, succeeded};
use crate::ui::layout::EditionToolHeader;
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, SuccessNotice};
use crate::ui::params::{found, id_param};
use crate::ui::text::{I18n, long_date};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// People issued to per request: small enough for the bar to move often.
const ROUND: u32 = 25;

#[component]
pub fn CertificatesPage() -> impl IntoView {
    let id = id_param();
    let revoke = ServerAction::<RevokeCertificate>::new();
    let reissue = ServerAction::<ReissueCertificate>::new();
    let template = ServerAction::<SaveCertificateTemplate>::new();
    let data = Resource::new(
        move || {
            (
                id.get(),
                revoke.version().get(),
                reissue.version().get(),
                template.version().get(),
            )
        },
        |(id, ..)| found(id, load_certificates),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(admin) => view! {
                        <CertificatesView admin revoke reissue template/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Where the "issue all" action is.
#[derive(Clone, Copy)]
struct Issuing {
    total: RwSignal<u32>,
    done: RwSignal<u32>,
    running: RwSignal<bool>,
    finished: RwSignal<Option<u32>>,
    failure: RwSignal<Option<AppError>>,
}

impl Issuing {
    fn new() -> Self {
        Self {
            total: RwSignal::new(0),
            done: RwSignal::new(0),
            running: RwSignal::new(false),
            finished: RwSignal::new(None),
            failure: RwSignal::new(None),
        }
    }
}

fn validity_badge(i18n: I18n, validity: &Validity) -> impl IntoView + use<> {
    let (class, text) = match validity {
        Validity::Valid => (
            "badge state-done",
            t_string!(i18n, certificates.valid).to_string(),
        ),
        Validity::Revoked { .. } => (
            "badge state-attention",
            t_string!(i18n, certificates.revoked).to_string(),
        ),
        Validity::Replaced { .. } => (
            "badge state-pending",
            t_string!(i18n, certificates.replaced).to_string(),
        ),
    };
    view! { <span class=class>{text}</span> }
}

#[component]
fn CertificatesView(
    admin: CertificatesAdmin,
    revoke: ServerAction<RevokeCertificate>,
    reissue: ServerAction<ReissueCertificate>,
    template: ServerAction<SaveCertificateTemplate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edition_id = admin.edition_id;
    // Set when the page was opened by the end of an "issue all" (see `IssueSection`).
    let issued = crate::ui::params::page_query(ISSUED_KEY).and_then(|n| n.parse().ok());
    view! {
        <EditionToolHeader edition_id edition_title=admin.edition_title.clone()
            heading=t_string!(i18n, certificates.title).to_string() lead=t_string!(i18n, certificates.lead).to_string()/>
        {(!admin.has_rule).then(|| view! {
            <div class="notice warning" role="note">
                {t!(i18n, certificates.no_rule)} " "
                <a href=format!("/staff/editions/{edition_id}/completion")>{t!(i18n, completion.manage)}</a>
            </div>
        })}
        <IssueSection
            edition_id
            waiting=admin.pending_total
            valid_total=admin.valid_total
            pending=admin.pending
            issued
        />
        <IssuedSection issued=admin.issued revoke reissue/>
        <section class="card" aria-labelledby="template-heading">
            <TemplateForm
                edition_id
                template
                signatory_name=admin.signatory_name
                signatory_role=admin.signatory_role
                languages=admin.languages
            />
            <LogoForm edition_id has_logo=admin.has_logo/>
        </section>
    }
}

/// The address's key that says how many certificates the "issue all" that led here issued.
const ISSUED_KEY: &str = "issued";

/// "Issue all": rounds of [`ROUND`] until nobody is left, with a progress bar. An island: the
/// rounds run from the browser. Once all went well the page opens afresh with the new lists,
/// the finished bar and how many were issued (`issued`, from the address).
#[island]
fn IssueSection(
    edition_id: i32,
    waiting: u32,
    valid_total: u32,
    pending: Vec<Pending>,
    issued: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let issuing = Issuing::new();
    let Issuing {
        total,
        done,
        running,
        finished,
        failure,
    } = issuing;
    if let Some(issued) = issued {
        total.set(issued);
        done.set(issued);
        finished.set(Some(issued));
    }
    // The issuing loop: rounds until nobody is left; the bar shows how far it got.
    let start = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        failure.set(None);
        finished.set(None);
        total.set(waiting);
        done.set(0);
        leptos::task::spawn_local(async move {
            let issued = issue_in_rounds(edition_id, waiting, issuing).await;
            running.set(false);
            if failure.get_untracked().is_none() {
                done.set(waiting);
                let shown =
                    format!("/staff/editions/{edition_id}/certificates?{ISSUED_KEY}={issued}");
                #[cfg(feature = "hydrate")]
                let _ = window().location().replace(&shown);
                #[cfg(not(feature = "hydrate"))]
                let _ = shown;
            }
            finished.set(Some(issued));
        });
    };
    let percent = move || (done.get() * 100).checked_div(total.get()).unwrap_or(100);
    view! {
        <section class="card issue-card" aria-labelledby="issue-heading">
            <h2 id="issue-heading">{t!(i18n, certificates.issue_heading)}</h2>
            <p class="figures">
                <strong data-testid="pending-total">{waiting}</strong> " " {t!(i18n, certificates.waiting)}
                " · "
                <strong>{valid_total}</strong> " " {t!(i18n, certificates.valid_total)}
            </p>
            {(waiting > 0).then(|| view! {
                <button type="button" class="button primary" data-testid="issue-all"
                    on:click=start
                    disabled=move || running.get()>
                    {move || t_string!(i18n, certificates.issue_all, count = waiting).to_string()}
                </button>
            })}
            <Show when=move || running.get() || finished.get().is_some()>
                <div class="progress-bar" role="progressbar" aria-valuemin="0" aria-valuemax=move || total.get()
                    aria-valuenow=move || done.get() data-testid="issue-progress"
                    aria-label=move || t_string!(i18n, certificates.issue_heading)>
                    <span style=move || format!("width: {}%", percent())></span>
                </div>
                <p class="progress-figure" aria-live="polite">
                    {move || t_string!(i18n, certificates.progress, done = done.get(), total = total.get()).to_string()}
                </p>
            </Show>
            {move || finished.get().map(|n| view! {
                <SuccessNotice>{move || t_string!(i18n, certificates.issued_notice, count = n).to_string()}</SuccessNotice>
            })}
            <ErrorNotice error=Signal::derive(move || failure.get())/>
            {(waiting == 0).then(|| view! { <EmptyState>{t!(i18n, certificates.nobody_waiting)}</EmptyState> })}
            {(waiting > 0).then(|| view! { <PendingList pending waiting/> })}
        </section>

    }
}

/// Issues rounds of [`ROUND`] until nobody is left, a round fails (kept in `failure`), or
/// someone else issuing the same people has taken over; `done` follows along. Answers how many
/// this page issued.
async fn issue_in_rounds(edition_id: i32, waiting: u32, issuing: Issuing) -> u32 {
    let mut issued = 0u32;
    let mut idle_rounds = 0;
    loop {
        match issue_certificates(edition_id, ROUND).await {
            Ok(round) => {
                issued += round.issued;
                issuing.done.set(issued.min(waiting));
                if round.remaining == 0 {
                    return issued;
                }
                // Someone else is issuing the same people: let their rounds land.
                idle_rounds = if round.issued == 0 {
                    idle_rounds + 1
                } else {
                    0
                };
                if idle_rounds >= 3 {
                    return issued;
                }
            }
            Err(error) => {
                issuing.failure.set(Some(error));
                return issued;
            }
        }
    }
}

/// Who is waiting for a certificate (the first of them, when there are many).
#[component]
fn PendingList(pending: Vec<Pending>, waiting: u32) -> impl IntoView {
    let i18n = use_i18n();
    let shown = pending.len() as u32;
    view! {
        <details class="pending-list">
            <summary>{t!(i18n, certificates.who_waits)}
                {(shown < waiting).then(|| format!(" ({shown}/{waiting})"))}
            </summary>
            <ul>
                {pending.into_iter().map(|p| view! {
                    <li>
                        {p.name}
                        {p.override_reason.map(|reason| view! {
                            " " <span class="badge" title=reason>{t!(i18n, completion.override_badge)}</span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </details>
    }
}

/// Every certificate of the edition, with revoke and re-issue.
#[component]
fn IssuedSection(
    issued: Vec<IssuedCertificate>,
    revoke: ServerAction<RevokeCertificate>,
    reissue: ServerAction<ReissueCertificate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let revoke_error = action_error(revoke);
    let reissue_error = action_error(reissue);
    let issued_count = issued.len();
    view! {
        <section class="card" aria-labelledby="issued-heading">
            <h2 id="issued-heading">{t!(i18n, certificates.issued_heading)}</h2>
            <ErrorNotice error=revoke_error/>
            <ErrorNotice error=reissue_error/>
            {(issued_count == 0).then(|| view! { <EmptyState>{t!(i18n, certificates.none_issued)}</EmptyState> })}
            {(issued_count > 0).then(|| view! {
                <div class="table-wrap" tabindex="0">
                    <table class="certificates-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, certificates.participant)}</th>
                            <th scope="col">{t!(i18n, certificates.code)}</th>
                            <th scope="col">{t!(i18n, certificates.issued_on)}</th>
                            <th scope="col">{t!(i18n, certificates.status)}</th>
                            <th scope="col">{t!(i18n, certificates.actions)}</th>
                        </tr></thead>
                        <tbody>
                            {issued.into_iter().map(|c| view! { <IssuedRow c revoke reissue/> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>

    }
}

/// What the course's certificates print: the signatory and the languages.
#[component]
fn TemplateForm(
    edition_id: i32,
    template: ServerAction<SaveCertificateTemplate>,
    signatory_name: String,
    signatory_role: String,
    languages: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let template_error = action_error(template);
    let template_saved = succeeded(template);
    view! {
            <h2 id="template-heading">{t!(i18n, certificates.template_heading)}</h2>
            <p class="hint">{t!(i18n, certificates.template_hint)}</p>
            <Show when=move || template_saved.get()>
                <SuccessNotice>{t!(i18n, certificates.template_saved)}</SuccessNotice>
            </Show>
            <ErrorNotice error=template_error/>
            <ActionForm action=template attr:class="stacked-form">
                <input type="hidden" name="edition_id" value=edition_id/>
                <TextField field=Field::SignatoryName error=template_error value=Some(signatory_name) maxlength=120>
                    {t!(i18n, certificates.signatory_name)}
                </TextField>
                <TextField field=Field::SignatoryRole error=template_error value=Some(signatory_role) maxlength=120>
                    {t!(i18n, certificates.signatory_role)}
                </TextField>
                <div class="field">
                    <label for="certificate-languages">{t!(i18n, certificates.languages)}</label>
                    <select id="certificate-languages" name="languages">
                        {[("it_en", "it_en"), ("it", "it"), ("en", "en")].into_iter().map(|(value, _)| {
                            let selected = languages == value;
                            let label = move || match value {
                                "it" => t_string!(i18n, certificates.lang_it).to_string(),
                                "en" => t_string!(i18n, certificates.lang_en).to_string(),
                                _ => t_string!(i18n, certificates.lang_it_en).to_string(),
                            };
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button primary">{t!(i18n, certificates.template_save)}</button>
            </ActionForm>
    }
}

/// The course's logo: upload (a plain form, with the file) or removal.
#[component]
fn LogoForm(edition_id: i32, has_logo: bool) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let logo_status = move || {
        query.with(|q| {
            q.get(Form::Logo.key())
                .map(|code| Outcome::parse(&code).unwrap_or(Outcome::NotPng))
        })
    };
    view! {
            <h3 class="logo-heading">{t!(i18n, certificates.logo_heading)}</h3>
            {move || logo_status().map(|outcome| {
                let ok = outcome.is_success();
                let text = move || match outcome {
                    Outcome::Saved => t_string!(i18n, certificates.logo_saved).to_string(),
                    Outcome::Removed => t_string!(i18n, certificates.logo_removed).to_string(),
                    Outcome::TooLarge => t_string!(i18n, certificates.logo_too_large).to_string(),
                    Outcome::TooManyPixels => t_string!(i18n, certificates.logo_too_many_pixels).to_string(),
                    Outcome::Missing => t_string!(i18n, certificates.logo_missing).to_string(),
                    _ => t_string!(i18n, certificates.logo_not_png).to_string(),
                };
                view! { <div class=if ok { "notice success" } else { "notice error" } role="status">{text}</div> }
            })}
            <p class="hint">
                {if has_logo { t!(i18n, certificates.logo_present).into_any() } else { t!(i18n, certificates.logo_none).into_any() }}
                " " {t!(i18n, certificates.logo_hint)}
            </p>
            <form method="post" enctype="multipart/form-data" action=format!("/staff/editions/{edition_id}/certificate-logo") class="stacked-form">
                <div class="field">
                    <label for="certificate-logo">{t!(i18n, certificates.logo_file)}</label>
                    <input id="certificate-logo" type="file" name="logo" accept="image/png" required/>
                </div>
                <button type="submit" class="button secondary">{t!(i18n, certificates.logo_upload)}</button>
            </form>
            {has_logo.then(|| view! {
                <form method="post" enctype="multipart/form-data" action=format!("/staff/editions/{edition_id}/certificate-logo")>
                    <input type="hidden" name="remove" value="1"/>
                    <button type="submit" class="button link">{t!(i18n, certificates.logo_remove)}</button>
                </form>
            })}
    }
}

#[component]
fn IssuedRow(
    c: IssuedCertificate,
    revoke: ServerAction<RevokeCertificate>,
    reissue: ServerAction<ReissueCertificate>,
) -> impl IntoView {
    let i18n = use_i18n();
    let valid = c.validity == Validity::Valid;
    let id = c.id.clone();
    let revoke_form = format!("revoke-{}", c.id);
    let reissue_form = format!("reissue-{}", c.id);
    let revoke_reason = format!("{revoke_form}-reason");
    let revoke_category = format!("{revoke_form}-category");
    let reissue_reason = format!("{reissue_form}-reason");
    let (id2, id3, id4) = (id.clone(), id.clone(), id.clone());
    view! {
        <tr data-code=c.code.clone()>
            <td>{c.name.clone()}</td>
            <td><code>{c.code.clone()}</code></td>
            <td>{move || long_date(i18n, c.issued_on)}</td>
            <td>
                {validity_badge(i18n, &c.validity)}
                {c.replaces.clone().map(|old| view! {
                    " " <a href=format!("/verify/{old}") class="aside">{t!(i18n, certificates.replaces_link)}</a>
                })}
            </td>
            <td class="row-actions">
                <a href=format!("/certificates/{id2}.pdf") download>{t!(i18n, certificates.download)}</a>
                " · "
                <a href=format!("/verify/{id3}")>{t!(i18n, certificates.verify_link)}</a>
                {valid.then(move || view! {
                    <details class="inline-action">
                        <summary>{t!(i18n, certificates.revoke)}</summary>
                        <ActionForm action=revoke attr:id=revoke_form>
                            <input type="hidden" name="id" value=id4.clone()/>
                            <label for=revoke_category.clone()>{t!(i18n, certificates.category)}</label>
                            <select id=revoke_category name="category" required>
                                {RevocationCategory::ALL.into_iter().map(|category| view! {
                                    <option value=category.as_str()>{move || category_text(i18n, category)}</option>
                                }).collect_view()}
                            </select>
                            <label for=revoke_reason.clone()>{t!(i18n, certificates.reason_private)}</label>
                            <input id=revoke_reason name="reason" required maxlength="500"/>
                            <button type="submit" class="button danger">{t!(i18n, certificates.revoke_confirm)}</button>
                        </ActionForm>
                    </details>
                    <details class="inline-action">
                        <summary>{t!(i18n, certificates.reissue)}</summary>
                        <ActionForm action=reissue attr:id=reissue_form>
                            <input type="hidden" name="id" value=id.clone()/>
                            <p class="hint">{t!(i18n, certificates.reissue_hint)}</p>
                            <label for=reissue_reason.clone()>{t!(i18n, certificates.reason_private)}</label>
                            <input id=reissue_reason name="reason" required maxlength="500"/>
                            <button type="submit" class="button primary">{t!(i18n, certificates.reissue_confirm)}</button>
                        </ActionForm>
                    </details>
                })}
            </td>
        </tr>
    }
}

/// On the edition page, for a participant who holds a valid certificate.
#[component]
pub fn MyCertificateView(mine: MyCertificate) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card certificate-card" aria-labelledby="certificate-heading">
            <h2 id="certificate-heading">{t!(i18n, certificates.mine_title)}</h2>
            <p>{move || t_string!(i18n, certificates.mine_text, date = long_date(i18n, mine.issued_on)).to_string()}</p>
            <p>{t!(i18n, certificates.code)} ": " <code data-testid="my-certificate-code">{mine.code.clone()}</code></p>
            <p class="actions">
                <a class="button primary" href=format!("/certificates/{}.pdf", mine.id) download data-testid="download-certificate">
                    {t!(i18n, certificates.download_pdf)}
                </a>
                " "
                <a href=format!("/verify/{}", mine.id)>{t!(i18n, certificates.verify_link)}</a>
            </p>
        </section>
    }
}

/// `/verify` (a form for the code) and `/verify/:id` (the QR code's link): public.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let lookup = move || {
        let id = params.with(|p| p.get("id")).unwrap_or_default();
        let code = query.with(|q| q.get("code")).unwrap_or_default();
        let signature = query.with(|q| q.get("s"));
        let asked = if id.is_empty() { code } else { id };
        (asked, signature)
    };
    let data = Resource::new(lookup, |(asked, signature)| async move {
        if asked.trim().is_empty() {
            None
        } else {
            Some(verify_certificate(asked, signature).await)
        }
    });
    let typed = move || query.with(|q| q.get("code")).unwrap_or_default();
    view! {
        <Title text=t_string!(i18n, verify.title).to_string()/>
        <header class="page-header">
            <h1>{t!(i18n, verify.title)}</h1>
            <p class="lead">{t!(i18n, verify.lead)}</p>
        </header>
        <form method="get" action="/verify" class="card verify-form" role="search">
            <div class="field">
                <label for="verify-code">{t!(i18n, verify.code_label)}</label>
                <input id="verify-code" name="code" value=typed autocomplete="off" placeholder="AULA-XXXX-XXXX" maxlength="40" required/>
            </div>
            <button type="submit" class="button primary">{t!(i18n, verify.check)}</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    None => ().into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error=Signal::derive(move || Some(error.clone()))/> }.into_any(),
                    Some(Ok(verification)) => view! { <VerificationView verification/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn VerificationView(verification: Verification) -> impl IntoView {
    let i18n = use_i18n();
    let key = verification.public_key.clone();
    let key_id = verification.key_id.clone();
    match verification.certificate {
        None => view! {
            <section class="card verdict unknown" data-testid="verdict" data-verdict="unknown">
                <h2>{t!(i18n, verify.unknown)}</h2>
                <p>{t!(i18n, verify.unknown_hint)}</p>
            </section>
        }
        .into_any(),
        Some(c) => view! { <VerifiedView c key key_id/> }.into_any(),
    }
}

/// A revocation category in the reader's language.
fn category_text(i18n: I18n, category: RevocationCategory) -> String {
    match category {
        RevocationCategory::IssuedInError => {
            t_string!(i18n, certificates.category_issued_in_error).to_string()
        }
        RevocationCategory::RequirementsNotMet => {
            t_string!(i18n, certificates.category_requirements_not_met).to_string()
        }
        RevocationCategory::Other => t_string!(i18n, certificates.category_other).to_string(),
    }
}

#[component]
fn VerifiedView(c: Verified, key: String, key_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let (class, verdict) = match &c.validity {
        _ if !c.signature_ok => ("verdict bad", "tampered"),
        Validity::Valid => ("verdict ok", "valid"),
        Validity::Revoked { .. } => ("verdict bad", "revoked"),
        Validity::Replaced { .. } => ("verdict bad", "replaced"),
    };
    let validity = c.validity.clone();
    let heading = move || match (&validity, c.signature_ok) {
        (_, false) => t_string!(i18n, verify.tampered).to_string(),
        (Validity::Valid, _) => t_string!(i18n, verify.valid).to_string(),
        (Validity::Revoked { on, category, .. }, _) => t_string!(
            i18n,
            verify.revoked,
            date = long_date(i18n, *on),
            category = category_text(i18n, *category)
        )
        .to_string(),
        (Validity::Replaced { on, .. }, _) => {
            t_string!(i18n, verify.replaced, date = long_date(i18n, *on)).to_string()
        }
    };
    let replacement = match &c.validity {
        Validity::Replaced { by, .. } => Some(by.clone()),
        _ => None,
    };
    view! {
        <section class=format!("card {class}") data-testid="verdict" data-verdict=verdict>
            <h2>{heading}</h2>
            {replacement.map(|by| view! {
                <p><a href=format!("/verify/{by}")>{t!(i18n, verify.see_replacement)}</a></p>
            })}
            {c.link_signature_ok.map(|ok| view! {
                <p class=if ok { "aside" } else { "notice error" }>
                    {move || if ok { t_string!(i18n, verify.link_signature_ok) } else { t_string!(i18n, verify.link_signature_bad) }}
                </p>
            })}
            <dl class="facts">
                <dt>{t!(i18n, verify.holder)}</dt><dd data-testid="holder">{c.name.clone()}</dd>
                <dt>{t!(i18n, verify.course)}</dt><dd>{c.course.clone()}</dd>
                <dt>{t!(i18n, verify.edition)}</dt><dd>{c.edition.clone()}</dd>
                <dt>{t!(i18n, verify.dates)}</dt>
                <dd>{move || format!("{} – {}", long_date(i18n, c.starts_on), long_date(i18n, c.ends_on))}</dd>
                <dt>{t!(i18n, verify.hours)}</dt><dd>{c.hours}</dd>
                <dt>{t!(i18n, verify.issued_on)}</dt><dd>{move || long_date(i18n, c.issued_on)}</dd>
                <dt>{t!(i18n, verify.issuer)}</dt><dd>{c.issuer.clone()}</dd>
                <dt>{t!(i18n, certificates.code)}</dt><dd><code>{c.code.clone()}</code></dd>
            </dl>
            {c.replaces.clone().map(|old| view! {
                <p class="aside"><a href=format!("/verify/{old}")>{t!(i18n, verify.replaces)}</a></p>
            })}
            <details class="offline-check">
                <summary>{t!(i18n, verify.offline)}</summary>
                <p class="hint">{t!(i18n, verify.offline_hint)}</p>
                <p><strong>{t!(i18n, verify.public_key)}</strong> " " <code class="wrap">{key}</code> " (" {t!(i18n, verify.key_id)} " " <code>{key_id}</code> ")"</p>
                <p><strong>{t!(i18n, verify.signature)}</strong> " " <code class="wrap">{c.signature.clone()}</code></p>
                <pre class="payload">{c.payload.clone()}</pre>
            </details>
        </section>
    }
}
