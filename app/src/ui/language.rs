//! Which language a page is in. The server decides, for every request: the language cookie
//! (set by the language switch and at sign-in), else the browser's `Accept-Language`, else
//! Italian. It writes the choice on `<html lang>`, and the browser keeps what the server
//! chose: the browser's own language settings never switch a page, nor the cookie, behind the
//! user's back (they once did, in the middle of a sign-up).

use crate::i18n::{I18nLocaleTrait, Locale};

/// The cookie that remembers the language chosen with the switch or stored on the account.
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The language of the page being built (server) or hydrated (browser).
pub fn chosen_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        let headers = leptos::prelude::use_context::<http::request::Parts>().map(|p| p.headers);
        let header = |name: http::header::HeaderName| {
            headers
                .as_ref()
                .and_then(|h| h.get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        choose(
            header(http::header::COOKIE).as_deref(),
            header(http::header::ACCEPT_LANGUAGE).as_deref(),
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|lang| lang.parse().ok())
            .unwrap_or_default()
    }
}

/// The rule: the cookie's language if it names one of ours, else the best match for the
/// browser's `Accept-Language`, else Italian.
pub fn choose(cookie_header: Option<&str>, accept_language: Option<&str>) -> Locale {
    let from_cookie = cookie_header.and_then(|cookies| {
        cookies
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| value.trim().parse::<Locale>().ok())
    });
    from_cookie.unwrap_or_else(|| {
        let requested: Vec<&str> = accept_language
            .unwrap_or_default()
            .split(',')
            .map(|tag| tag.split(';').next().unwrap_or_default().trim())
            .filter(|tag| !tag.is_empty() && *tag != "*")
            .collect();
        Locale::find_locale(&requested)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(
            choose(
                Some("a=b; i18n_pref_locale=en; c=d"),
                Some("it-IT,it;q=0.9")
            ),
            Locale::en
        );
        assert_eq!(
            choose(Some("i18n_pref_locale=it"), Some("en-US")),
            Locale::it
        );
    }

    #[test]
    fn without_a_cookie_the_browser_language_counts() {
        assert_eq!(choose(None, Some("en-GB,en;q=0.9")), Locale::en);
        assert_eq!(choose(None, Some("it-IT")), Locale::it);
        assert_eq!(choose(Some("other=1"), Some("de-DE, en;q=0.5")), Locale::en);
    }

    #[test]
    fn anything_else_is_italian() {
        assert_eq!(choose(None, None), Locale::it);
        assert_eq!(
            choose(Some("i18n_pref_locale=fr"), Some("de-DE,*")),
            Locale::it
        );
        assert_eq!(choose(Some(";;=;"), Some(",,;q=1")), Locale::it);
    }
}
