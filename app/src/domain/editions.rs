//! Editions: their life cycle, their dates, and cloning one to a new start date.

use super::{Field, Problem, problem::Problems, text};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum EditionStatus {
    Draft,
    Open,
    Running,
    Closed,
    Archived,
}

impl EditionStatus {
    pub const ALL: [EditionStatus; 5] = [
        EditionStatus::Draft,
        EditionStatus::Open,
        EditionStatus::Running,
        EditionStatus::Closed,
        EditionStatus::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EditionStatus::Draft => "draft",
            EditionStatus::Open => "open",
            EditionStatus::Running => "running",
            EditionStatus::Closed => "closed",
            EditionStatus::Archived => "archived",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == input)
    }

    /// The only status an edition may move to from this one: the life cycle runs forward.
    pub fn next(self) -> Option<Self> {
        match self {
            EditionStatus::Draft => Some(EditionStatus::Open),
            EditionStatus::Open => Some(EditionStatus::Running),
            EditionStatus::Running => Some(EditionStatus::Closed),
            EditionStatus::Closed => Some(EditionStatus::Archived),
            EditionStatus::Archived => None,
        }
    }

    pub fn can_become(self, to: Self) -> bool {
        self.next() == Some(to)
    }

    /// Closed or archived: the course has ended (no more enrolment changes by participants).
    pub fn is_over(self) -> bool {
        matches!(self, EditionStatus::Closed | EditionStatus::Archived)
    }

    /// Participants see editions once they are open, and until they are archived.
    pub fn visible_to_participants(self) -> bool {
        matches!(
            self,
            EditionStatus::Open | EditionStatus::Running | EditionStatus::Closed
        )
    }
}

/// The four dates of an edition, in a valid order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionDates {
    pub enrolment_opens_on: NaiveDate,
    pub enrolment_closes_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl EditionDates {
    /// Parses the four date inputs of the edition form, recording every problem found.
    pub fn parse(
        problems: &mut Problems,
        enrolment_opens_on: &str,
        enrolment_closes_on: &str,
        starts_on: &str,
        ends_on: &str,
    ) -> Option<Self> {
        let opens = problems.check(Field::EnrolmentOpensOn, text::date(enrolment_opens_on));
        let closes = problems.check(Field::EnrolmentClosesOn, text::date(enrolment_closes_on));
        let starts = problems.check(Field::StartsOn, text::date(starts_on));
        let ends = problems.check(Field::EndsOn, text::date(ends_on));
        // Each order is checked as soon as its two dates are readable, so one bad date does not
        // hide another mistake.
        let before = problems.len();
        if let (Some(opens), Some(closes)) = (opens, closes)
            && closes < opens
        {
            problems.push(Field::EnrolmentClosesOn, Problem::ClosesBeforeOpens);
        }
        if let (Some(starts), Some(ends)) = (starts, ends)
            && ends < starts
        {
            problems.push(Field::EndsOn, Problem::EndsBeforeStarts);
        }
        if let (Some(closes), Some(ends)) = (closes, ends)
            && closes > ends
        {
            problems.push(Field::EnrolmentClosesOn, Problem::EnrolmentClosesAfterEnd);
        }
        let dates = Self {
            enrolment_opens_on: opens?,
            enrolment_closes_on: closes?,
            starts_on: starts?,
            ends_on: ends?,
        };
        (problems.len() == before).then_some(dates)
    }

    /// The dates of a clone that starts on `new_start`: every date moves by the same number of
    /// days. `None` only if a date would leave the calendar's range.
    pub fn shifted_to_start(&self, new_start: NaiveDate) -> Option<Self> {
        let offset = new_start.signed_duration_since(self.starts_on).num_days();
        let shift = |date: NaiveDate| {
            if offset >= 0 {
                date.checked_add_days(Days::new(offset.unsigned_abs()))
            } else {
                date.checked_sub_days(Days::new(offset.unsigned_abs()))
            }
        };
        Some(Self {
            enrolment_opens_on: shift(self.enrolment_opens_on)?,
            enrolment_closes_on: shift(self.enrolment_closes_on)?,
            starts_on: shift(self.starts_on)?,
            ends_on: shift(self.ends_on)?,
        })
    }

    /// Where `today` (in Europe/Rome) falls relative to the enrolment window; both ends included.
    pub fn enrolment_window(&self, today: NaiveDate) -> EnrolmentWindow {
        if today < self.enrolment_opens_on {
            EnrolmentWindow::NotYetOpen
        } else if today > self.enrolment_closes_on {
            EnrolmentWindow::Closed
        } else {
            EnrolmentWindow::Open
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrolmentWindow {
    NotYetOpen,
    Open,
    Closed,
}

/// A course code such as `ETW-BASE`: 2 to 20 upper-case letters, digits and dashes.
pub fn parse_course_code(input: &str) -> Result<String, Problem> {
    let code = input.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Err(Problem::Required);
    }
    let ok = (2..=20).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !code.starts_with('-')
        && !code.ends_with('-');
    if ok {
        Ok(code)
    } else {
        Err(Problem::CourseCodeInvalid)
    }
}

pub const MAX_TITLE: u32 = 200;
pub const MAX_DESCRIPTION: u32 = 10_000;
pub const MAX_WORKLOAD_HOURS: i64 = 500;
pub const MAX_CAPACITY: i64 = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn spring() -> EditionDates {
        EditionDates {
            enrolment_opens_on: d(2027, 2, 1),
            enrolment_closes_on: d(2027, 3, 5),
            starts_on: d(2027, 3, 1),
            ends_on: d(2027, 3, 31),
        }
    }

    #[test]
    fn an_edition_is_over_once_closed() {
        use EditionStatus::*;
        let over: Vec<_> = EditionStatus::ALL
            .into_iter()
            .filter(|s| s.is_over())
            .collect();
        assert_eq!(over, [Closed, Archived]);
    }

    #[test]
    fn the_life_cycle_runs_forward_one_step_at_a_time() {
        use EditionStatus::*;
        let allowed = [
            (Draft, Open),
            (Open, Running),
            (Running, Closed),
            (Closed, Archived),
        ];
        for from in EditionStatus::ALL {
            for to in EditionStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
        assert_eq!(Archived.next(), None);
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in EditionStatus::ALL {
            assert_eq!(EditionStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(EditionStatus::parse("published"), None);
    }

    #[test]
    fn dates_parse_and_check_their_order() {
        let mut problems = Problems::new();
        let dates = EditionDates::parse(
            &mut problems,
            "2027-02-01",
            "2027-03-05",
            "2027-03-01",
            "2027-03-31",
        );
        assert_eq!(dates, Some(spring()));
        assert!(problems.is_empty());

        let mut problems = Problems::new();
        let dates = EditionDates::parse(
            &mut problems,
            "2027-03-10",
            "2027-03-05",
            "2027-03-31",
            "2027-03-01",
        );
        assert_eq!(dates, None);
        let found = problems.into_vec();
        assert!(found.contains(&super::super::FieldProblem::new(
            Field::EnrolmentClosesOn,
            Problem::ClosesBeforeOpens
        )));
        assert!(found.contains(&super::super::FieldProblem::new(
            Field::EndsOn,
            Problem::EndsBeforeStarts
        )));
        assert!(found.contains(&super::super::FieldProblem::new(
            Field::EnrolmentClosesOn,
            Problem::EnrolmentClosesAfterEnd
        )));
    }

    #[test]
    fn every_bad_date_is_reported_at_once() {
        let mut problems = Problems::new();
        let dates = EditionDates::parse(&mut problems, "", "x", "2027-13-01", "2027-03-31");
        assert_eq!(dates, None);
        let fields: Vec<_> = problems.into_vec().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::EnrolmentOpensOn,
                Field::EnrolmentClosesOn,
                Field::StartsOn
            ]
        );

        // A bad end date does not hide that enrolment closes before it opens.
        let mut problems = Problems::new();
        EditionDates::parse(
            &mut problems,
            "2027-03-10",
            "2027-03-01",
            "2027-03-01",
            "31/03/2027",
        );
        let found: Vec<_> = problems.into_vec().into_iter().map(|p| p.problem).collect();
        assert_eq!(
            found,
            vec![Problem::DateInvalid, Problem::ClosesBeforeOpens]
        );
    }

    #[test]
    fn a_clone_shifts_every_date_by_the_same_amount() {
        let autumn = spring().shifted_to_start(d(2027, 10, 4)).unwrap();
        let offset = (d(2027, 10, 4) - d(2027, 3, 1)).num_days();
        assert_eq!(autumn.starts_on, d(2027, 10, 4));
        assert_eq!(
            (autumn.enrolment_opens_on - spring().enrolment_opens_on).num_days(),
            offset
        );
        assert_eq!(
            (autumn.enrolment_closes_on - spring().enrolment_closes_on).num_days(),
            offset
        );
        assert_eq!((autumn.ends_on - spring().ends_on).num_days(), offset);
        // Lengths of the enrolment window and of the edition are kept.
        assert_eq!(
            autumn.ends_on - autumn.starts_on,
            spring().ends_on - spring().starts_on
        );
    }

    #[test]
    fn a_clone_may_also_move_backwards() {
        let earlier = spring().shifted_to_start(d(2026, 12, 1)).unwrap();
        assert_eq!(earlier.starts_on, d(2026, 12, 1));
        assert_eq!(earlier.ends_on, d(2026, 12, 31));
        assert_eq!(earlier.enrolment_opens_on, d(2026, 11, 3));
    }

    #[test]
    fn the_enrolment_window_includes_both_ends() {
        let dates = spring();
        assert_eq!(
            dates.enrolment_window(d(2027, 1, 31)),
            EnrolmentWindow::NotYetOpen
        );
        assert_eq!(dates.enrolment_window(d(2027, 2, 1)), EnrolmentWindow::Open);
        assert_eq!(dates.enrolment_window(d(2027, 3, 5)), EnrolmentWindow::Open);
        assert_eq!(
            dates.enrolment_window(d(2027, 3, 6)),
            EnrolmentWindow::Closed
        );
    }

    #[test]
    fn course_codes() {
        assert_eq!(parse_course_code(" etw-base ").as_deref(), Ok("ETW-BASE"));
        assert_eq!(parse_course_code(""), Err(Problem::Required));
        for bad in [
            "A",
            "-ETW",
            "ETW-",
            "ETW BASE",
            "ETW_BASE",
            "ABCDEFGHIJKLMNOPQRSTU",
        ] {
            assert_eq!(
                parse_course_code(bad),
                Err(Problem::CourseCodeInvalid),
                "{bad}"
            );
        }
    }
}

/// The order in which someone's editions are listed: those running or still to come first
/// (soonest first), then those that are over (most recent first). Sort by this key.
pub fn listing_order(
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> (bool, i32) {
    use chrono::Datelike;
    let over = ends_on < today;
    (
        over,
        if over {
            -ends_on.num_days_from_ce()
        } else {
            starts_on.num_days_from_ce()
        },
    )
}

#[cfg(test)]
mod listing_tests {
    use super::listing_order;
    use chrono::NaiveDate;

    #[test]
    fn current_editions_come_before_past_ones() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        let today = d(11, 23);
        let mut editions = [
            ("october, over", d(10, 1), d(10, 30)),
            ("december", d(12, 1), d(12, 30)),
            ("november, running", d(11, 1), d(11, 30)),
            ("september, over", d(9, 1), d(9, 30)),
        ];
        editions.sort_by_key(|(_, starts, ends)| listing_order(*starts, *ends, today));
        let names: Vec<&str> = editions.iter().map(|e| e.0).collect();
        assert_eq!(
            names,
            [
                "november, running",
                "december",
                "october, over",
                "september, over"
            ]
        );
    }
}
