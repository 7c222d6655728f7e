//! A participant's calendar (iCalendar, RFC 5545): webinars and due dates, so they appear in
//! whatever calendar the teacher uses.

use chrono::{DateTime, TimeDelta, Utc};

pub struct Event {
    /// Stable across downloads, so calendars update events instead of duplicating them.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub url: Option<String>,
}

/// A due date shown as a short event at the due time.
pub fn due_event(
    uid: String,
    summary: String,
    due_at: DateTime<Utc>,
    url: Option<String>,
) -> Event {
    Event {
        uid,
        summary,
        description: String::new(),
        starts_at: due_at,
        ends_at: due_at + TimeDelta::minutes(15),
        url,
    }
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes text for a property value: backslash, semicolon, comma and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

pub fn calendar(name: &str, events: &[Event], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Aula//Calendario corsi//IT",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.push_str(&fold(line));
    }
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", escape(name))));
    for event in events {
        out.push_str(&fold("BEGIN:VEVENT"));
        out.push_str(&fold(&format!("UID:{}", escape(&event.uid))));
        out.push_str(&fold(&format!("DTSTAMP:{}", stamp(now))));
        out.push_str(&fold(&format!("DTSTART:{}", stamp(event.starts_at))));
        out.push_str(&fold(&format!("DTEND:{}", stamp(event.ends_at))));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(&event.summary))));
        if !event.description.is_empty() {
            out.push_str(&fold(&format!(
                "DESCRIPTION:{}",
                escape(&event.description)
            )));
        }
        if let Some(url) = &event.url {
            out.push_str(&fold(&format!("URL:{}", escape(url))));
        }
        out.push_str(&fold("END:VEVENT"));
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> String {
        let start = Utc.with_ymd_and_hms(2027, 3, 4, 16, 0, 0).unwrap();
        let events = vec![
            Event {
                uid: "activity-7@aula".into(),
                summary: "Webinar 1, benvenuti; \"eTwinning\"".into(),
                description: "Riga uno\nRiga due con un testo abbastanza lungo da dover essere piegato su più righe, àèìòù".into(),
                starts_at: start,
                ends_at: start + TimeDelta::minutes(90),
                url: Some("https://aula.example.org/activities/7".into()),
            },
            due_event("activity-8-due@aula".into(), "Scadenza: Il mio primo progetto".into(), start + TimeDelta::days(7), None),
        ];
        calendar("Aula – Niccolò", &events, start)
    }

    #[test]
    fn the_calendar_parses_in_a_standard_parser() {
        let text = sample();
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let calendar = parser
            .next()
            .expect("one calendar")
            .expect("valid calendar");
        assert_eq!(calendar.events.len(), 2);
        let first = &calendar.events[0];
        let get = |name: &str| {
            first
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
                .unwrap()
        };
        assert_eq!(get("DTSTART"), "20270304T160000Z");
        assert_eq!(get("DTEND"), "20270304T173000Z");
        assert_eq!(get("SUMMARY"), "Webinar 1\\, benvenuti\\; \"eTwinning\"");
        assert!(
            get("DESCRIPTION").contains("àèìòù"),
            "folding keeps characters whole"
        );
    }

    #[test]
    fn lines_are_short_and_end_in_crlf() {
        for line in sample().split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(sample().ends_with("END:VCALENDAR\r\n"));
    }
}
