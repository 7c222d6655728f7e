//! Matching the people of a report to an edition's participants: by email (any case), then
//! by exact full name (either order, ignoring case and accents). Several participants with
//! that name make the row ambiguous: staff decide, the import never guesses.

use super::report::Attendee;
use super::text::fold;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub user_id: i32,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    ByEmail(i32),
    ByName(i32),
    Ambiguous(Vec<i32>),
    Unmatched,
}

impl Outcome {
    pub fn user_id(&self) -> Option<i32> {
        match self {
            Outcome::ByEmail(id) | Outcome::ByName(id) => Some(*id),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub attendee: Attendee,
    pub outcome: Outcome,
}

pub fn match_attendees(attendees: &[Attendee], participants: &[Participant]) -> Vec<PreviewRow> {
    attendees
        .iter()
        .map(|attendee| PreviewRow {
            attendee: attendee.clone(),
            outcome: outcome(attendee, participants),
        })
        .collect()
}

fn outcome(attendee: &Attendee, participants: &[Participant]) -> Outcome {
    if let Some(email) = &attendee.email
        && let Some(p) = participants
            .iter()
            .find(|p| p.email.eq_ignore_ascii_case(email))
    {
        return Outcome::ByEmail(p.user_id);
    }
    let name = fold(&attendee.name);
    let same_name: Vec<i32> = participants
        .iter()
        .filter(|p| {
            name == fold(&format!("{} {}", p.given_name, p.family_name))
                || name == fold(&format!("{} {}", p.family_name, p.given_name))
        })
        .map(|p| p.user_id)
        .collect();
    match same_name.as_slice() {
        [] => Outcome::Unmatched,
        [one] => Outcome::ByName(*one),
        _ => Outcome::Ambiguous(same_name),
    }
}

/// Minutes per participant to record: rows matched to the same person are added up.
pub fn minutes_by_participant(rows: &[PreviewRow]) -> Vec<(i32, u32)> {
    let mut totals: Vec<(i32, u32)> = Vec::new();
    for row in rows {
        if let Some(id) = row.outcome.user_id() {
            match totals.iter_mut().find(|(user, _)| *user == id) {
                Some((_, minutes)) => *minutes = minutes.saturating_add(row.attendee.minutes),
                None => totals.push((id, row.attendee.minutes)),
            }
        }
    }
    totals.sort_unstable();
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i32, email: &str, given: &str, family: &str) -> Participant {
        Participant {
            user_id: id,
            email: email.into(),
            given_name: given.into(),
            family_name: family.into(),
        }
    }

    fn attendee(name: &str, email: Option<&str>, minutes: u32) -> Attendee {
        Attendee {
            name: name.into(),
            email: email.map(Into::into),
            minutes,
            rows: 1,
        }
    }

    fn edition() -> Vec<Participant> {
        vec![
            person(
                1,
                "niccolo.dellacqua@scuola.example",
                "Niccolò",
                "Dell'Acqua",
            ),
            person(2, "zoe@scuola.example", "Zoë", "Łukasiewicz"),
            person(3, "anna.rossi@scuola.example", "Anna", "Rossi"),
            person(4, "anna.rossi2@scuola.example", "Anna", "Rossi"),
            person(5, "marco@scuola.example", "Marco", "Ferri"),
        ]
    }

    #[test]
    fn email_first_in_any_case() {
        let rows = match_attendees(
            &[attendee(
                "Nick",
                Some("NICCOLO.DellAcqua@scuola.example"),
                50,
            )],
            &edition(),
        );
        assert_eq!(rows[0].outcome, Outcome::ByEmail(1));
    }

    #[test]
    fn then_the_exact_name_in_either_order_without_accents() {
        let rows = match_attendees(
            &[
                attendee("zoe lukasiewicz", None, 40),
                attendee("Ferri Marco", Some("other@gmail.com"), 45),
            ],
            &edition(),
        );
        assert_eq!(rows[0].outcome, Outcome::ByName(2));
        assert_eq!(rows[1].outcome, Outcome::ByName(5));
    }

    #[test]
    fn namesakes_are_ambiguous_and_strangers_unmatched() {
        let rows = match_attendees(
            &[
                attendee("Anna Rossi", None, 40),
                attendee("Anna Rossi (Guest)", None, 40),
            ],
            &edition(),
        );
        assert_eq!(rows[0].outcome, Outcome::Ambiguous(vec![3, 4]));
        assert_eq!(rows[1].outcome, Outcome::Unmatched, "no fuzzy matching");
    }

    #[test]
    fn rows_of_one_person_are_added_up() {
        let rows = match_attendees(
            &[
                attendee(
                    "Niccolò Dell'Acqua",
                    Some("niccolo.dellacqua@scuola.example"),
                    30,
                ),
                attendee("Niccolò Dell'Acqua", None, 20),
                attendee("Anna Rossi", None, 60),
            ],
            &edition(),
        );
        assert_eq!(minutes_by_participant(&rows), vec![(1, 50)]);
    }
}
