//! Writing CSV for spreadsheets: fields quoted when needed (by the `csv` crate), and cells that
//! a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) defused with a leading apostrophe.

/// One line, ended with CRLF as RFC 4180 asks, written by the `csv` crate (which quotes only
/// what needs quoting); cells a spreadsheet would run as formulas are defused first.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let defused = fields.iter().map(|field| {
        let value = field.as_ref();
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{value}")
        } else {
            value.to_owned()
        }
    });
    // Writing to memory does not fail; an empty line is all that could come of it.
    if fields.is_empty() || writer.write_record(defused).is_err() {
        return "\r\n".to_owned();
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_else(|| "\r\n".to_owned())
}

/// What a file for spreadsheets starts with: a byte-order mark, so they read UTF-8 names right.
pub const BOM: &str = "\u{feff}";

/// "sì"/"no" (or "yes"/"no") in a cell.
pub fn yes_no(language: crate::i18n::Locale, value: bool) -> String {
    use crate::i18n::td_string;
    if value {
        td_string!(language, common.yes).to_string()
    } else {
        td_string!(language, common.no).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(line(&["a", "b c", "75"]), "a,b c,75\r\n");
        assert_eq!(
            line(&["Dell'Acqua, Niccolò"]),
            "\"Dell'Acqua, Niccolò\"\r\n"
        );
        assert_eq!(line(&["say \"hi\""]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["two\nlines"]), "\"two\nlines\"\r\n");
        assert_eq!(line::<&str>(&[]), "\r\n");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(
            line(&["=HYPERLINK(\"x\")"]),
            "\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
        assert_eq!(line(&["+39 06", "-1", "@cmd"]), "'+39 06,'-1,'@cmd\r\n");
    }
}
