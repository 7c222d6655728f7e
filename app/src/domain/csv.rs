//! Writing CSV for spreadsheets: fields quoted when needed, and cells that a spreadsheet would
//! run as a formula (`=`, `+`, `-`, `@`) defused with a leading apostrophe.

/// One line, ended with CRLF as RFC 4180 asks.
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut value = field.as_ref().to_owned();
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            value.insert(0, '\'');
        }
        if value.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&value.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&value);
        }
    }
    out.push_str("\r\n");
    out
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
