//! Forms posted without JavaScript (before the page is interactive, or with scripts off).
//!
//! The framework answers such a post by sending the browser back to the page it came from,
//! with the error in the address when there was one, and with nothing when it went well: the
//! page that arrives could not tell "saved" from "never sent". The address it goes back to
//! now says which server function succeeded (`__done`), so the page shows the same
//! confirmation a form sent from an interactive page shows (`ui::forms::succeeded`).

use crate::ui::forms::DONE_KEY;
use url::Url;

/// Keys of the address that report a previous post's outcome.
const OUTCOME_KEYS: [&str; 3] = ["__path", "__err", DONE_KEY];

/// The address to send the browser back to after the server function at `function_path`
/// answered a plain form post with a redirect to `location`.
///
/// Only the framework's own way back (to the page the form was on) is marked; a server function
/// that sends the browser elsewhere (sign-in to the page asked for, say) keeps its address. An
/// earlier post's mark is dropped either way, so a confirmation is never shown for another
/// form's work. `None` when the address stays as it is.
pub fn back_to_form(location: &str, referer: Option<&str>, function_path: &str) -> Option<String> {
    let back = Url::parse(location).ok()?;
    let failed = back.query_pairs().any(|(key, _)| key == "__err");
    let had_mark = back.query_pairs().any(|(key, _)| key == DONE_KEY);
    let to_form = referer
        .and_then(|referer| Url::parse(referer).ok())
        .is_some_and(|referer| without_outcome(&referer) == without_outcome(&back));
    let mark = to_form && !failed;
    if !mark && !had_mark {
        return None;
    }
    let mut back = without_keys(&back, &[DONE_KEY]);
    if mark {
        back.query_pairs_mut().append_pair(DONE_KEY, function_path);
    }
    Some(back.to_string())
}

/// The address without any post's outcome: what tells the page apart.
fn without_outcome(url: &Url) -> Url {
    let mut plain = without_keys(url, &OUTCOME_KEYS);
    plain.set_fragment(None);
    plain
}

/// The address without the query's `keys` (and without a bare `?` when nothing is left).
fn without_keys(url: &Url, keys: &[&str]) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| !keys.contains(&key.as_ref()))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let mut plain = url.clone();
    plain.set_query(None);
    if !kept.is_empty() {
        plain.query_pairs_mut().extend_pairs(kept);
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::back_to_form;

    const PAGE: &str = "http://aula.test/groups/4";

    #[test]
    fn a_post_that_went_well_is_marked_on_the_way_back() {
        assert_eq!(
            back_to_form(PAGE, Some(PAGE), "/api/post_announcement").as_deref(),
            Some("http://aula.test/groups/4?__done=%2Fapi%2Fpost_announcement")
        );
    }

    #[test]
    fn the_page_keeps_its_own_query_and_loses_an_earlier_mark() {
        let referer = "http://aula.test/editions/2/cockpit?group=3&__done=%2Fapi%2Fother";
        assert_eq!(
            back_to_form(referer, Some(referer), "/api/save").as_deref(),
            Some("http://aula.test/editions/2/cockpit?group=3&__done=%2Fapi%2Fsave")
        );
    }

    #[test]
    fn a_failed_post_is_not_marked_and_drops_an_earlier_mark() {
        let location = "http://aula.test/groups/4?__done=%2Fapi%2Fold&__path=%2Fapi%2Fnew&__err=eA";
        let referer = "http://aula.test/groups/4?__done=%2Fapi%2Fold";
        assert_eq!(
            back_to_form(location, Some(referer), "/api/new").as_deref(),
            Some("http://aula.test/groups/4?__path=%2Fapi%2Fnew&__err=eA")
        );
        assert_eq!(
            back_to_form(
                "http://aula.test/groups/4?__path=%2Fapi%2Fnew&__err=eA",
                Some(PAGE),
                "/api/new"
            ),
            None
        );
    }

    #[test]
    fn a_redirect_elsewhere_is_left_alone() {
        assert_eq!(
            back_to_form(
                "http://aula.test/editions/2",
                Some("http://aula.test/login?next=%2Feditions%2F2"),
                "/api/log_in"
            ),
            None
        );
        assert_eq!(back_to_form("/", None, "/api/log_out"), None);
        assert_eq!(back_to_form(PAGE, None, "/api/post_announcement"), None);
    }

    #[test]
    fn an_earlier_mark_leaves_with_a_redirect_elsewhere() {
        assert_eq!(
            back_to_form(
                "http://aula.test/?__done=%2Fapi%2Fold",
                Some(PAGE),
                "/api/log_out"
            )
            .as_deref(),
            Some("http://aula.test/")
        );
    }
}
