//! Dates as people read them, in their language.

use crate::i18n::Locale;
use chrono::NaiveDate;

/// How chrono names months in a language of Aula.
fn chrono_locale(language: Locale) -> chrono::Locale {
    match language {
        Locale::it => chrono::Locale::it_IT,
        Locale::en => chrono::Locale::en_GB,
    }
}

/// "12 marzo 2027" / "12 March 2027".
pub fn long_date(date: NaiveDate, language: Locale) -> String {
    date.format_localized("%-d %B %Y", chrono_locale(language))
        .to_string()
}

/// "1–31 marzo 2027", "28 febbraio – 31 marzo 2027", "1 dicembre 2027 – 10 gennaio 2028".
pub fn date_range(from: NaiveDate, to: NaiveDate, language: Locale) -> String {
    use chrono::Datelike;
    let locale = chrono_locale(language);
    if from.year() != to.year() {
        format!(
            "{} – {}",
            long_date(from, language),
            long_date(to, language)
        )
    } else if from.month() != to.month() {
        format!(
            "{} – {}",
            from.format_localized("%-d %B", locale),
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
    fn long_dates_in_both_languages() {
        assert_eq!(long_date(d(2027, 3, 1), Locale::it), "1 marzo 2027");
        assert_eq!(long_date(d(2027, 3, 1), Locale::en), "1 March 2027");
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
