//! Reading an attendance report: find the participant table (after any meeting-summary
//! block), then add up each person's time across their join/leave rows.

use super::text::{self, DecodeError};
use serde::{Deserialize, Serialize};

/// One person as the report tells them, with their time summed over all their rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub name: String,
    /// Lower-cased; guests and phone callers often have none.
    pub email: Option<String>,
    pub minutes: u32,
    /// How many rows of the report were added up.
    pub rows: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub attendees: Vec<Attendee>,
    /// 1-based line numbers of participant rows whose duration could not be read.
    pub unreadable_rows: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportError {
    Empty,
    NotText,
    /// No table with a name column and a duration column was found.
    NoParticipantTable,
    /// The table was found but holds nobody.
    NoAttendees,
}

impl From<DecodeError> for ReportError {
    fn from(error: DecodeError) -> Self {
        match error {
            DecodeError::Empty => ReportError::Empty,
            DecodeError::NotText => ReportError::NotText,
        }
    }
}

const NAME_HEADERS: &[&str] = &[
    "name (original name)",
    "name",
    "full name",
    "display name",
    "participant",
    "nome",
    "nome completo",
    "nome (nome originale)",
    "partecipante",
];
const EMAIL_HEADERS: &[&str] = &[
    "user email",
    "email",
    "e-mail",
    "email address",
    "indirizzo email",
    "email utente",
    "posta elettronica",
];
const UPN_HEADERS: &[&str] = &["participant id (upn)", "upn"];
const MINUTES_HEADERS: &[&str] = &[
    "duration (minutes)",
    "duration (mins)",
    "total duration (minutes)",
    "durata (minuti)",
    "durata totale (minuti)",
    "minutes",
    "minuti",
];
const DURATION_HEADERS: &[&str] = &[
    "in-meeting duration",
    "duration",
    "durata",
    "durata nella riunione",
    "durata della partecipazione",
    "attendance duration",
];

struct Columns {
    name: usize,
    email: Option<usize>,
    duration: usize,
    /// The duration column holds plain minutes (Zoom) rather than "1h 5m 3s" (Teams).
    in_minutes: bool,
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|cell| names.contains(&text::fold(cell).as_str()))
}

fn columns(header: &[String]) -> Option<Columns> {
    let name = find(header, NAME_HEADERS)?;
    let email = find(header, EMAIL_HEADERS).or_else(|| find(header, UPN_HEADERS));
    let (duration, in_minutes) = match find(header, MINUTES_HEADERS) {
        Some(column) => (column, true),
        None => (find(header, DURATION_HEADERS)?, false),
    };
    Some(Columns {
        name,
        email,
        duration,
        in_minutes,
    })
}

/// Reads a report from the uploaded bytes.
pub fn read(bytes: &[u8]) -> Result<Report, ReportError> {
    let text = text::decode(bytes)?;
    let delimiter = text::guess_delimiter(&text);
    let rows = text::rows(&text, delimiter);
    // The participant table is the first whose header has a name and a duration: a Zoom
    // meeting summary before it has durations but no names; Teams' later "in-meeting
    // activities" repeat the same people session by session.
    let (header_at, columns) = rows
        .iter()
        .enumerate()
        .find_map(|(i, (_, row))| columns(row).map(|c| (i, c)))
        .ok_or(ReportError::NoParticipantTable)?;

    let mut attendees: Vec<Attendee> = Vec::new();
    let mut unreadable_rows = Vec::new();
    for (line, row) in rows.iter().skip(header_at + 1) {
        // A blank row or a new section ends the table.
        if row.is_empty() || row.len() == 1 {
            break;
        }
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        let name = cell(columns.name).trim();
        if name.is_empty() {
            continue;
        }
        let seconds = if columns.in_minutes {
            parse_minutes(cell(columns.duration)).map(|m| m * 60)
        } else {
            parse_duration(cell(columns.duration))
        };
        let Some(seconds) = seconds else {
            unreadable_rows.push(*line);
            continue;
        };
        let email = columns
            .email
            .map(|i| cell(i).trim().to_lowercase())
            .filter(|e| e.contains('@'));
        let key = |a: &Attendee| match (&a.email, &email) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (None, None) => text::fold(&a.name) == text::fold(name),
            _ => false,
        };
        match attendees.iter_mut().find(|a| key(a)) {
            Some(existing) => {
                existing.minutes = existing.minutes.saturating_add(seconds);
                existing.rows += 1;
            }
            // `minutes` holds seconds until the sums are complete.
            None => attendees.push(Attendee {
                name: name.to_owned(),
                email,
                minutes: seconds,
                rows: 1,
            }),
        }
    }
    for attendee in &mut attendees {
        attendee.minutes /= 60; // the sums above were seconds
    }
    if attendees.is_empty() && unreadable_rows.is_empty() {
        return Err(ReportError::NoAttendees);
    }
    Ok(Report {
        attendees,
        unreadable_rows,
    })
}

/// "45", "45.5", "45,5" minutes → whole minutes.
fn parse_minutes(cell: &str) -> Option<u32> {
    let cleaned = cell.trim().replace(',', ".");
    let value: f64 = cleaned.parse().ok()?;
    (value.is_finite() && (0.0..=100_000.0).contains(&value)).then_some(value.floor() as u32)
}

/// "1h 5m 3s", "45m 12s", "1 h 2 min", "58 min", "01:05:03", "05:03" → seconds.
pub fn parse_duration(cell: &str) -> Option<u32> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    if cell.contains(':') {
        let parts: Vec<u32> = cell
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        return match parts.as_slice() {
            [h, m, s] if *m < 60 && *s < 60 => Some(h * 3600 + m * 60 + s),
            [m, s] if *s < 60 => Some(m * 60 + s),
            _ => None,
        };
    }
    if let Some(minutes) = parse_minutes(cell) {
        return Some(minutes * 60);
    }
    let mut total = 0u32;
    let mut number = String::new();
    let mut found = false;
    let lowered = cell.to_lowercase();
    let mut chars = lowered.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let mut unit = String::from(c);
        while let Some(&next) = chars.peek() {
            if next.is_alphabetic() {
                unit.push(next);
                chars.next();
            } else {
                break;
            }
        }
        let value: u32 = number.parse().ok()?;
        number.clear();
        let factor = match unit.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" | "ora" | "ore" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" | "minuto" | "minuti" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" | "secondo" | "secondi" => 1,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(factor)?)?;
        found = true;
    }
    (found && number.is_empty()).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Zoom participant export with the meeting summary first, a participant who left and
    /// came back twice, a guest without email, and an accented name (UTF-8 with BOM).
    const ZOOM: &str = "\u{feff}Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n\
        812 3456 7890,Webinar 1 - Benvenuti in eTwinning,11/05/2026 04:58:03 PM,11/05/2026 06:03:41 PM,staff@aula.example,66,4\n\
        \n\
        Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent\n\
        Giulia Bianchi,staff@aula.example,11/05/2026 04:58:03 PM,11/05/2026 06:03:41 PM,66,No,Y\n\
        Niccolò Dell'Acqua,Niccolo.DellAcqua@scuola.example,11/05/2026 05:00:10 PM,11/05/2026 05:20:40 PM,21,No,Y\n\
        Niccolò Dell'Acqua,niccolo.dellacqua@scuola.example,11/05/2026 05:22:00 PM,11/05/2026 05:50:00 PM,28,No,Y\n\
        Niccolò Dell'Acqua,niccolo.dellacqua@scuola.example,11/05/2026 05:51:00 PM,11/05/2026 06:00:00 PM,9,No,Y\n\
        \"Rossi, Anna (Anna R.)\",,11/05/2026 05:01:00 PM,11/05/2026 06:01:00 PM,60,Yes,Y\n";

    #[test]
    fn zoom_rows_are_summed_per_person_after_the_summary_block() {
        let report = read(ZOOM.as_bytes()).unwrap();
        assert_eq!(report.attendees.len(), 3);
        let niccolo = &report.attendees[1];
        assert_eq!(niccolo.name, "Niccolò Dell'Acqua");
        assert_eq!(
            niccolo.email.as_deref(),
            Some("niccolo.dellacqua@scuola.example")
        );
        assert_eq!((niccolo.minutes, niccolo.rows), (58, 3));
        let guest = &report.attendees[2];
        assert_eq!(
            (guest.name.as_str(), guest.email.as_deref(), guest.minutes),
            ("Rossi, Anna (Anna R.)", None, 60)
        );
        assert!(report.unreadable_rows.is_empty());
    }

    fn teams_utf16(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    /// A Teams attendance report: UTF-16, tabs, a summary section, then participants, then
    /// in-meeting activities.
    const TEAMS: &str = "1. Summary\r\n\
        Meeting title\tWebinar 2 - Progettare un gemellaggio\r\n\
        Attended participants\t3\r\n\
        Start time\t11/12/26, 4:59:12 PM\r\n\
        End time\t11/12/26, 6:02:03 PM\r\n\
        Meeting duration\t1h 2m 51s\r\n\
        Average attendance time\t48m 5s\r\n\
        \r\n\
        2. Participants\r\n\
        Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\r\n\
        Zoë Łukasiewicz\t11/12/26, 5:00:01 PM\t11/12/26, 6:01:00 PM\t1h 50s\tzoe.lukasiewicz@scuola.example\tzoe.lukasiewicz@scuola.example\tAttendee\r\n\
        Marco Ferri\t11/12/26, 4:59:12 PM\t11/12/26, 6:02:03 PM\t1h 2m 51s\tambasciatore@aula.example\tambasciatore@aula.example\tPresenter\r\n\
        Anna Rossi (Guest)\t11/12/26, 5:10:00 PM\t11/12/26, 5:40:00 PM\t30m\t\t\tAttendee\r\n\
        Bruno Verdi\t11/12/26, 5:10:00 PM\t11/12/26, 5:40:00 PM\tsoon\tbruno@scuola.example\t\tAttendee\r\n\
        \r\n\
        3. In-Meeting Activities\r\n\
        Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole\r\n\
        Zoë Łukasiewicz\t11/12/26, 5:00:01 PM\t11/12/26, 6:01:00 PM\t1h 50s\tzoe.lukasiewicz@scuola.example\tAttendee\r\n";

    #[test]
    fn teams_utf16_reports_are_read_from_the_participants_section() {
        let report = read(&teams_utf16(TEAMS)).unwrap();
        let summary: Vec<(&str, Option<&str>, u32)> = report
            .attendees
            .iter()
            .map(|a| (a.name.as_str(), a.email.as_deref(), a.minutes))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "Zoë Łukasiewicz",
                    Some("zoe.lukasiewicz@scuola.example"),
                    60
                ),
                ("Marco Ferri", Some("ambasciatore@aula.example"), 62),
                ("Anna Rossi (Guest)", None, 30),
            ]
        );
        // Bruno's duration reads "soon": reported by its line, not guessed.
        assert_eq!(report.unreadable_rows, vec![14]);
    }

    #[test]
    fn durations_in_every_style() {
        assert_eq!(parse_duration("1h 2m 51s"), Some(3771));
        assert_eq!(parse_duration("45m 12s"), Some(2712));
        assert_eq!(parse_duration("1 h 2 min"), Some(3720));
        assert_eq!(parse_duration("58 min"), Some(3480));
        assert_eq!(parse_duration("01:05:03"), Some(3903));
        assert_eq!(parse_duration("05:03"), Some(303));
        assert_eq!(parse_duration("30"), Some(1800));
        assert_eq!(parse_duration("1h 50s"), Some(3650));
        for bad in ["", "soon", "1x", "12:99", "h", "5 5"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_files_are_refused_with_a_reason() {
        assert_eq!(read(b""), Err(ReportError::Empty));
        assert_eq!(
            read(&[0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]),
            Err(ReportError::NotText)
        );
        assert_eq!(
            read(b"just some text\nwith lines\n"),
            Err(ReportError::NoParticipantTable)
        );
        assert_eq!(
            read(b"Name,Email,Duration (Minutes)\n\n"),
            Err(ReportError::NoAttendees)
        );
    }

    #[test]
    fn unreadable_durations_are_reported_by_line() {
        let report =
            read(b"Name,Email,Duration (Minutes)\nAnna,anna@x.it,forty\nBruno,bruno@x.it,40\n")
                .unwrap();
        assert_eq!(report.unreadable_rows, vec![2]);
        assert_eq!(report.attendees.len(), 1);
    }

    #[test]
    fn the_same_file_reads_the_same_way_twice() {
        assert_eq!(read(ZOOM.as_bytes()), read(ZOOM.as_bytes()));
    }
}
