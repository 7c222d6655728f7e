//! Dates as people read them, in their language.

use chrono::NaiveDate;

/// The language of the interface, as the domain sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    It,
    En,
}

/// "12 marzo 2027" / "12 March 2027".
pub fn long_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::It => date
            .format_localized("%-d %B %Y", chrono::Locale::it_IT)
            .to_string(),
        Lang::En => date
            .format_localized("%-d %B %Y", chrono::Locale::en_GB)
            .to_string(),
    }
}

/// "1–31 marzo 2027", "28 febbraio – 31 marzo 2027", "1 dicembre 2027 – 10 gennaio 2028".
pub fn date_range(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let locale = match lang {
        Lang::It => chrono::Locale::it_IT,
        Lang::En => chrono::Locale::en_GB,
    };
    if from.year() != to.year() {
        format!("{} – {}", long_date(from, lang), long_date(to, lang))
    } else if from.month() != to.month() {
        format!(
            "{} – {}",
            from.format_localized("%-d %B", locale),
            long_date(to, lang)
        )
    } else if from.day() != to.day() {
        format!("{}–{}", from.day(), long_date(to, lang))
    } else {
        long_date(from, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn long_dates_in_both_languages() {
        assert_eq!(long_date(d(2027, 3, 1), Lang::It), "1 marzo 2027");
        assert_eq!(long_date(d(2027, 3, 1), Lang::En), "1 March 2027");
    }

    #[test]
    fn ranges_say_each_part_once() {
        assert_eq!(
            date_range(d(2027, 3, 1), d(2027, 3, 31), Lang::It),
            "1–31 marzo 2027"
        );
        assert_eq!(
            date_range(d(2027, 2, 28), d(2027, 3, 31), Lang::En),
            "28 February – 31 March 2027"
        );
        assert_eq!(
            date_range(d(2027, 12, 1), d(2028, 1, 10), Lang::It),
            "1 dicembre 2027 – 10 gennaio 2028"
        );
        assert_eq!(
            date_range(d(2027, 3, 1), d(2027, 3, 1), Lang::En),
            "1 March 2027"
        );
    }
}
