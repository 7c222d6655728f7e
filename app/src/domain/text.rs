//! Cleaning of free text typed into forms.

use super::Problem;

/// A single line of text: trimmed, inner runs of white space folded to one space, no control
/// characters, between 1 and `max` characters.
pub fn single_line(input: &str, max: u32) -> Result<String, Problem> {
    if input.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(Problem::ControlCharacters);
    }
    let folded = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_empty() {
        return Err(Problem::Required);
    }
    if folded.chars().count() > max as usize {
        return Err(Problem::TooLong { max });
    }
    Ok(folded)
}

/// Like [`single_line`], but empty is allowed (an optional note).
pub fn optional_single_line(input: &str, max: u32) -> Result<String, Problem> {
    match single_line(input, max) {
        Err(Problem::Required) => Ok(String::new()),
        other => other,
    }
}

/// Characters that print as nothing or turn the text around (bidirectional overrides and
/// isolates, zero-width characters, soft hyphens, variation selectors, tags): harmless in a
/// message, but in a name printed on a certificate they make two different names look alike.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// Several lines of text: line breaks kept (normalised to `\n`), outer white space trimmed,
/// no control characters other than line breaks and tabs, at most `max` characters; may be empty.
pub fn multi_line(input: &str, max: u32) -> Result<String, Problem> {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    if normalised
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Problem::ControlCharacters);
    }
    let trimmed = normalised.trim().to_string();
    if trimmed.chars().count() > max as usize {
        return Err(Problem::TooLong { max });
    }
    Ok(trimmed)
}

/// A whole number typed into a form, within `min..=max`.
pub fn whole_number(input: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    let value: i64 = trimmed.parse().map_err(|_| Problem::NotAWholeNumber)?;
    if value < min || value > max {
        return Err(Problem::OutOfRange { min, max });
    }
    Ok(value)
}

/// A calendar date as an HTML date input sends it (`YYYY-MM-DD`).
pub fn date(input: &str) -> Result<chrono::NaiveDate, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map_err(|_| Problem::DateInvalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_folds_spaces_and_keeps_case_and_accents() {
        assert_eq!(
            single_line("  Niccolò   Dell'Acqua ", 80).as_deref(),
            Ok("Niccolò Dell'Acqua")
        );
    }

    #[test]
    fn single_line_rejects_empty_long_and_control() {
        assert_eq!(single_line("   ", 10), Err(Problem::Required));
        assert_eq!(
            single_line("abcdefghijk", 10),
            Err(Problem::TooLong { max: 10 })
        );
        assert_eq!(single_line("a\u{0}b", 10), Err(Problem::ControlCharacters));
    }

    #[test]
    fn an_optional_line_may_be_empty_but_not_too_long() {
        assert_eq!(optional_single_line("  ", 10), Ok(String::new()));
        assert_eq!(optional_single_line(" a  b ", 10), Ok("a b".to_owned()));
        assert_eq!(
            optional_single_line("abcdefghijk", 10),
            Err(Problem::TooLong { max: 10 })
        );
    }

    #[test]
    fn single_line_counts_characters_not_bytes() {
        assert!(single_line("èèèèè", 5).is_ok());
    }

    #[test]
    fn multi_line_keeps_line_breaks() {
        assert_eq!(multi_line(" a\r\nb\rc ", 100).as_deref(), Ok("a\nb\nc"));
        assert_eq!(multi_line("", 100).as_deref(), Ok(""));
        assert_eq!(multi_line("a\u{7}", 100), Err(Problem::ControlCharacters));
        assert_eq!(multi_line("abc", 2), Err(Problem::TooLong { max: 2 }));
    }

    #[test]
    fn whole_number_checks_range_and_format() {
        assert_eq!(whole_number(" 25 ", 1, 500), Ok(25));
        assert_eq!(whole_number("", 1, 500), Err(Problem::Required));
        assert_eq!(whole_number("2.5", 1, 500), Err(Problem::NotAWholeNumber));
        assert_eq!(whole_number("abc", 1, 500), Err(Problem::NotAWholeNumber));
        assert_eq!(
            whole_number("0", 1, 500),
            Err(Problem::OutOfRange { min: 1, max: 500 })
        );
    }

    #[test]
    fn date_parses_html_date_inputs_only() {
        assert_eq!(
            date("2027-03-01"),
            Ok(chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap())
        );
        assert_eq!(date("01/03/2027"), Err(Problem::DateInvalid));
        assert_eq!(date("2027-02-30"), Err(Problem::DateInvalid));
        assert_eq!(date(" "), Err(Problem::Required));
    }
}
