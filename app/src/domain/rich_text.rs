//! Text people write (announcements, posts, feedback) is stored as typed and shown as text:
//! never as HTML. Line breaks are kept by the stylesheet; web addresses become links.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Segment {
    Text(String),
    Link(String),
}

/// Splits text into plain runs and `http(s)://` links. Trailing punctuation stays text.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find_link_start(rest) {
        let (before, from_link) = rest.split_at(start);
        let end = from_link
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(from_link.len());
        let mut link = &from_link[..end];
        while let Some(last) = link.chars().last()
            && ".,;:!?)]}'".contains(last)
        {
            link = &link[..link.len() - last.len_utf8()];
        }
        let scheme_only = link == "http://" || link == "https://";
        if !before.is_empty() {
            push_text(&mut out, before);
        }
        if scheme_only {
            push_text(&mut out, link);
        } else {
            out.push(Segment::Link(link.to_owned()));
        }
        rest = &from_link[link.len()..];
    }
    if !rest.is_empty() {
        push_text(&mut out, rest);
    }
    out
}

fn push_text(out: &mut Vec<Segment>, text: &str) {
    if let Some(Segment::Text(previous)) = out.last_mut() {
        previous.push_str(text);
    } else {
        out.push(Segment::Text(text.to_owned()));
    }
}

fn find_link_start(text: &str) -> Option<usize> {
    match (text.find("https://"), text.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_punctuation_left_out() {
        assert_eq!(
            segments("Guardate https://www.etwinning.net/it/pub/index.htm, poi scrivete."),
            vec![
                Segment::Text("Guardate ".into()),
                Segment::Link("https://www.etwinning.net/it/pub/index.htm".into()),
                Segment::Text(", poi scrivete.".into()),
            ]
        );
    }

    #[test]
    fn markup_stays_text() {
        let typed = "<script>alert(1)</script> <b>ciao</b>";
        assert_eq!(segments(typed), vec![Segment::Text(typed.into())]);
        assert_eq!(
            segments("javascript:alert(1)"),
            vec![Segment::Text("javascript:alert(1)".into())]
        );
    }

    #[test]
    fn a_link_cannot_break_out_of_its_attribute() {
        let segments = segments("http://x.it/\"onmouseover=\"alert(1)");
        assert_eq!(segments[0], Segment::Link("http://x.it/".into()));
    }

    #[test]
    fn bare_schemes_and_empty_text() {
        assert_eq!(
            segments("http:// e basta"),
            vec![Segment::Text("http:// e basta".into())]
        );
        assert!(segments("").is_empty());
    }
}
