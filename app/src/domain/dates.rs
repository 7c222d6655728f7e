//! Dates as people read them, in their language.

use crate::i18n::Locale;
use chrono::{NaiveDate, NaiveDateTime};

/// Month names in each language of Aula, written out rather than asked of chrono's locales
/// (`format_localized` parses its pattern on every call; an edition page writes dozens of
/// dates).
fn month_name(month: u32, language: Locale) -> &'static str {
    const IT: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let names = match language {
        Locale::it => &IT,
        Locale::en => &EN,
    };
    // `month` is 1-12 for every chrono date.
    names
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or_default()
}

/// "12 marzo" / "12 March".
fn day_and_month(date: NaiveDate, language: Locale) -> String {
    use chrono::Datelike;
    format!("{} {}", date.day(), month_name(date.month(), language))
}

/// "12 marzo 2027" / "12 March 2027".
pub fn long_date(date: NaiveDate, language: Locale) -> String {
    use chrono::Datelike;
    format!("{} {}", day_and_month(date, language), date.year())
}

/// A date and time as machines read it, to the minute ("2027-03-12T17:00"): `<time datetime>`
/// and the value of a `datetime-local` field (read back by `activities::parse_local_datetime`).
pub fn machine_time(at: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute()
    )
}

/// "1–31 marzo 2027", "28 febbraio – 31 marzo 2027", "1 dicembre 2027 – 10 gennaio 2028".
pub fn date_range(from: NaiveDate, to: NaiveDate, language: Locale) -> String {
    use chrono::Datelike;
    if from.year() != to.year() {
        format!(
            "{} – {}",
            long_date(from, language),
            long_date(to, language)
        )
    } else if from.month() != to.month() {
        format!(
            "{} – {}",
            day_and_month(from, language),
            long_date(to, language)
        )
    } else if from.day() != to.day() {
        format!("{}–{}", from.day(), long_date(to, language))
    } else {
        long_date(from, language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn machine_times_are_iso_to_the_minute() {
        let at = d(2027, 3, 2).and_hms_opt(7, 5, 59).unwrap();
        assert_eq!(machine_time(at), "2027-03-02T07:05");
        assert_eq!(machine_time(at), at.format("%Y-%m-%dT%H:%M").to_string());
    }

    #[test]
    fn long_dates_in_both_languages() {
        assert_eq!(long_date(d(2027, 3, 1), Locale::it), "1 marzo 2027");
        assert_eq!(long_date(d(2027, 3, 1), Locale::en), "1 March 2027");
        assert_eq!(long_date(d(2026, 1, 31), Locale::it), "31 gennaio 2026");
        assert_eq!(long_date(d(2026, 12, 9), Locale::en), "9 December 2026");
    }

    #[test]
    fn ranges_say_each_part_once() {
        assert_eq!(
            date_range(d(2027, 3, 1), d(2027, 3, 31), Locale::it),
            "1–31 marzo 2027"
        );
        assert_eq!(
            date_range(d(2027, 2, 28), d(2027, 3, 31), Locale::en),
            "28 February – 31 March 2027"
        );
        assert_eq!(
            date_range(d(2027, 12, 1), d(2028, 1, 10), Locale::it),
            "1 dicembre 2027 – 10 gennaio 2028"
        );
        assert_eq!(
            date_range(d(2027, 3, 1), d(2027, 3, 1), Locale::en),
            "1 March 2027"
        );
    }
}
