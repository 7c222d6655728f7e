//! Activities of an edition: kinds, the activity form, ordering, and what a participant sees
//! of each (its state, whether a webinar's join link is shown yet).

use super::problem::Problems;
use super::{Field, Problem, text};
use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum ActivityKind {
    Material,
    Webinar,
    TaskSheet,
    DesignExercise,
    Quiz,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::Material,
        ActivityKind::Webinar,
        ActivityKind::TaskSheet,
        ActivityKind::DesignExercise,
        ActivityKind::Quiz,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Material => "material",
            ActivityKind::Webinar => "webinar",
            ActivityKind::TaskSheet => "task_sheet",
            ActivityKind::DesignExercise => "design_exercise",
            ActivityKind::Quiz => "quiz",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == input)
    }
}

/// Where a participant stands with one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityState {
    ToDo,
    Viewed,
    /// A webinar still to come.
    Upcoming,
    Attended,
    /// Attended, but for fewer minutes than the edition requires.
    TooShort,
    Missed,
    /// Missed, then caught up on: the recording watched and its confirming quiz passed.
    WatchedRecording,
    Submitted,
    NeedsRevision,
    Accepted,
    Passed,
    Failed,
    /// A quiz attempt started and not handed in yet.
    InProgress,
}

impl ActivityState {
    /// Done: nothing more is expected of the participant.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            ActivityState::Viewed
                | ActivityState::Attended
                | ActivityState::WatchedRecording
                | ActivityState::Accepted
                | ActivityState::Passed
        )
    }
}

/// A webinar's state from the minutes recorded for the participant.
pub fn webinar_state(
    now: NaiveDateTime,
    ends_at: Option<NaiveDateTime>,
    minutes: Option<i32>,
    required: i32,
) -> ActivityState {
    match minutes {
        Some(m) if m >= required => ActivityState::Attended,
        Some(_) => ActivityState::TooShort,
        None if ends_at.is_some_and(|end| now < end) => ActivityState::Upcoming,
        None => ActivityState::Missed,
    }
}

/// A webinar missed (or attended too briefly) still counts when the edition allows catching up,
/// the participant has watched the recording and passed the quiz that confirms it.
pub fn with_recording(
    live: ActivityState,
    allowed: bool,
    watched: bool,
    confirmed: bool,
) -> ActivityState {
    match live {
        ActivityState::Missed | ActivityState::TooShort if allowed && watched && confirmed => {
            ActivityState::WatchedRecording
        }
        other => other,
    }
}

/// Whether a participant may say they watched the recording: the webinar is over without
/// counting for them, the edition allows it, there is a recording and a quiz to confirm it.
pub fn may_catch_up(live: ActivityState, allowed: bool, recording: bool, quiz: bool) -> bool {
    matches!(live, ActivityState::Missed | ActivityState::TooShort) && allowed && recording && quiz
}

/// The join link appears to enrolled participants this long before the start, and stays
/// until the end.
pub const JOIN_LINK_LEAD: TimeDelta = TimeDelta::minutes(15);

pub fn join_link_visible(
    now: NaiveDateTime,
    starts_at: NaiveDateTime,
    duration_minutes: i32,
) -> bool {
    let end = starts_at + TimeDelta::minutes(i64::from(duration_minutes.max(0)));
    now >= starts_at - JOIN_LINK_LEAD && now <= end
}

/// The activity to do next: work sent back for revision first (someone is waiting for it),
/// then among those not done the nearest due date (those without one after), then the course
/// order.
pub fn next_to_do(items: &[(i32, ActivityState, Option<NaiveDateTime>, i32)]) -> Option<i32> {
    items
        .iter()
        .filter(|(_, state, _, _)| {
            !state.is_done()
                && *state != ActivityState::Missed
                && *state != ActivityState::Submitted
        })
        .min_by_key(|(_, state, due, position)| {
            (
                *state != ActivityState::NeedsRevision,
                due.is_none(),
                *due,
                *position,
            )
        })
        .map(|(id, ..)| *id)
}

/// The order in which a participant sees activities, as indexes into `when` (each activity's
/// date in course order: a webinar's start, else a due date): by date, so a task sheet due at
/// 23:00 comes after the webinar at 17:00 that day. An activity without a date stays after the
/// one it follows in the course (a material before the first webinar stays first).
pub fn in_date_order(when: &[Option<NaiveDateTime>]) -> Vec<usize> {
    let mut carried: Option<NaiveDateTime> = None;
    let keys: Vec<Option<NaiveDateTime>> = when
        .iter()
        .map(|w| {
            if w.is_some() {
                carried = *w;
            }
            carried
        })
        .collect();
    let mut order: Vec<usize> = (0..when.len()).collect();
    // Stable: equal keys keep the course order.
    order.sort_by_key(|i| keys[*i]);
    order
}

/// The order after moving `id` one place up or down.
pub fn moved(order: &[i32], id: i32, up: bool) -> Vec<i32> {
    let mut order = order.to_vec();
    if let Some(i) = order.iter().position(|x| *x == id) {
        let j = if up {
            i.checked_sub(1)
        } else {
            Some(i + 1).filter(|j| *j < order.len())
        };
        if let Some(j) = j {
            order.swap(i, j);
        }
    }
    order
}

pub const MAX_URL: usize = 2000;

/// A web address for a link or a video call: http(s) only.
pub fn parse_url(input: &str) -> Result<String, Problem> {
    let url = input.trim();
    if url.is_empty() {
        return Err(Problem::Required);
    }
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= MAX_URL
        && url.len() > "https://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if ok {
        Ok(url.to_owned())
    } else {
        Err(Problem::UrlInvalid)
    }
}

/// A date and time as a `datetime-local` input sends it, in the users' time zone.
pub fn parse_local_datetime(input: &str) -> Result<NaiveDateTime, Problem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| Problem::DateInvalid)
}

fn optional<T>(
    input: &str,
    parse: impl Fn(&str) -> Result<T, Problem>,
) -> Result<Option<T>, Problem> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

/// Hours as typed ("1", "1,5", "0.5") → minutes.
pub fn parse_hours(input: &str) -> Result<i32, Problem> {
    let trimmed = input.trim().replace(',', ".");
    if trimmed.is_empty() {
        return Err(Problem::Required);
    }
    let hours: f64 = trimmed.parse().map_err(|_| Problem::NotANumber)?;
    if !hours.is_finite() || !(0.0..=100.0).contains(&hours) {
        return Err(Problem::OutOfRange { min: 0, max: 100 });
    }
    Ok((hours * 60.0).round() as i32)
}

/// The activity form as typed (every field a string, as forms send them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub opens_at: String,
    pub due_at: String,
    pub estimated_hours: String,
    pub counts: Option<String>,
    pub url: String,
    pub body: String,
    pub starts_at: String,
    pub duration_minutes: String,
    pub recording_url: String,
    #[serde(default)]
    pub pass_percent: String,
    #[serde(default)]
    pub max_attempts: String,
    #[serde(default)]
    pub time_limit_minutes: String,
    #[serde(default)]
    pub shuffle: Option<String>,
    #[serde(default)]
    pub review_policy: String,
    /// For a quiz: the id of the webinar whose recording it confirms ("" for none).
    #[serde(default)]
    pub confirms_webinar: String,
}

/// A valid activity; times are local (Europe/Rome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    pub opens_at: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub estimated_minutes: i32,
    pub counts: bool,
    pub url: Option<String>,
    pub body: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub duration_minutes: Option<i32>,
    pub recording_url: Option<String>,
    pub quiz: Option<super::quiz::QuizSettings>,
    /// Checked against the edition's webinars by the service.
    pub confirms_webinar_id: Option<i32>,
}

impl ActivityForm {
    pub fn parse(&self) -> Result<ValidActivity, Vec<super::FieldProblem>> {
        let mut problems = Problems::new();
        let kind = problems.check(
            Field::Kind,
            ActivityKind::parse(self.kind.trim()).ok_or(Problem::Required),
        );
        let title = problems.check(Field::Title, text::single_line(&self.title, 200));
        let description = problems.check(
            Field::Description,
            text::multi_line(&self.description, 20_000),
        );
        let opens_at = problems.check(
            Field::OpensAt,
            optional(&self.opens_at, parse_local_datetime),
        );
        let due_at = problems.check(Field::DueAt, optional(&self.due_at, parse_local_datetime));
        let estimated = problems.check(Field::EstimatedHours, parse_hours(&self.estimated_hours));
        if let (Some(Some(opens)), Some(Some(due))) = (opens_at, due_at)
            && due < opens
        {
            problems.push(Field::DueAt, Problem::DueBeforeOpens);
        }
        let mut url = None;
        let mut body = None;
        let mut starts_at = None;
        let mut duration = None;
        let mut recording_url = None;
        let mut quiz = None;
        let mut confirms_webinar_id = None;
        match kind {
            Some(ActivityKind::Material) => {
                url = problems
                    .check(Field::Url, optional(&self.url, parse_url))
                    .flatten();
                let page = problems
                    .check(Field::Body, text::multi_line(&self.body, 50_000))
                    .filter(|b| !b.is_empty());
                if url.is_none() && page.is_none() && problems.is_empty() {
                    problems.push(Field::Url, Problem::LinkOrPageRequired);
                }
                body = page;
            }
            Some(ActivityKind::Webinar) => {
                starts_at = problems.check(Field::StartsAt, parse_local_datetime(&self.starts_at));
                duration = problems
                    .check(
                        Field::DurationMinutes,
                        text::whole_number(&self.duration_minutes, 5, 600),
                    )
                    .map(|d| d as i32);
                url = problems
                    .check(Field::Url, optional(&self.url, parse_url))
                    .flatten();
                recording_url = problems
                    .check(
                        Field::RecordingUrl,
                        optional(&self.recording_url, parse_url),
                    )
                    .flatten();
            }
            Some(ActivityKind::Quiz) => {
                quiz = super::quiz::parse_settings(
                    &self.pass_percent,
                    &self.max_attempts,
                    &self.time_limit_minutes,
                    self.shuffle.is_some(),
                    &self.review_policy,
                    &mut problems,
                );
                if !self.confirms_webinar.trim().is_empty() {
                    confirms_webinar_id = problems
                        .check(
                            Field::ConfirmsWebinar,
                            text::whole_number(&self.confirms_webinar, 1, i64::from(i32::MAX)),
                        )
                        .map(|id| id as i32);
                }
            }
            _ => {}
        }
        match (kind, title, description, opens_at, due_at, estimated) {
            (
                Some(kind),
                Some(title),
                Some(description),
                Some(opens_at),
                Some(due_at),
                Some(estimated_minutes),
            ) if problems.is_empty() => Ok(ValidActivity {
                kind,
                title,
                description,
                opens_at,
                due_at,
                estimated_minutes,
                counts: self.counts.is_some(),
                url,
                body,
                starts_at,
                duration_minutes: duration,
                recording_url,
                quiz,
                confirms_webinar_id,
            }),
            _ => Err(problems.into_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 3, day)
            .unwrap()
            .and_hms_opt(hour, minute, 0)
            .unwrap()
    }

    fn webinar_form() -> ActivityForm {
        ActivityForm {
            kind: "webinar".into(),
            title: "Webinar 1 – Benvenuti".into(),
            description: "Presentazione del corso".into(),
            estimated_hours: "1,5".into(),
            counts: Some("on".into()),
            url: "https://zoom.us/j/81234567890".into(),
            starts_at: "2027-03-04T17:00".into(),
            duration_minutes: "90".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_webinar_form_parses() {
        let valid = webinar_form().parse().unwrap();
        assert_eq!(valid.kind, ActivityKind::Webinar);
        assert_eq!(valid.estimated_minutes, 90);
        assert!(valid.counts);
        assert_eq!(valid.starts_at, Some(at(4, 17, 0)));
        assert_eq!(valid.duration_minutes, Some(90));
    }

    #[test]
    fn a_webinar_needs_a_start_and_a_sane_duration() {
        let form = ActivityForm {
            starts_at: String::new(),
            duration_minutes: "2".into(),
            url: "zoom.us/j/1".into(),
            ..webinar_form()
        };
        let problems = form.parse().unwrap_err();
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![Field::StartsAt, Field::DurationMinutes, Field::Url]
        );
    }

    #[test]
    fn a_material_needs_a_link_or_a_page() {
        let form = ActivityForm {
            kind: "material".into(),
            title: "Guida".into(),
            estimated_hours: "1".into(),
            ..Default::default()
        };
        assert_eq!(
            form.parse().unwrap_err()[0].problem,
            Problem::LinkOrPageRequired
        );
        let page = ActivityForm {
            body: "Leggete questa pagina.".into(),
            ..form.clone()
        };
        assert_eq!(
            page.parse().unwrap().body.as_deref(),
            Some("Leggete questa pagina.")
        );
        assert!(!page.parse().unwrap().counts);
    }

    #[test]
    fn due_dates_follow_opening() {
        let form = ActivityForm {
            opens_at: "2027-03-10T09:00".into(),
            due_at: "2027-03-01T09:00".into(),
            ..webinar_form()
        };
        assert_eq!(
            form.parse().unwrap_err()[0].problem,
            Problem::DueBeforeOpens
        );
        let bad_kind = ActivityForm {
            kind: "party".into(),
            ..webinar_form()
        };
        assert_eq!(bad_kind.parse().unwrap_err()[0].field, Field::Kind);
    }

    #[test]
    fn urls_are_http_only() {
        assert!(parse_url("https://www.etwinning.net").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "https://a b",
            "https://x\"onclick",
        ] {
            assert_eq!(parse_url(bad), Err(Problem::UrlInvalid), "{bad}");
        }
    }

    #[test]
    fn hours_in_either_decimal_style() {
        assert_eq!(parse_hours("1,5"), Ok(90));
        assert_eq!(parse_hours("0.25"), Ok(15));
        assert_eq!(parse_hours("tanto"), Err(Problem::NotANumber));
        assert_eq!(
            parse_hours("-1"),
            Err(Problem::OutOfRange { min: 0, max: 100 })
        );
    }

    #[test]
    fn webinar_states() {
        let end = Some(at(4, 18, 30));
        assert_eq!(
            webinar_state(at(4, 10, 0), end, None, 45),
            ActivityState::Upcoming
        );
        assert_eq!(
            webinar_state(at(5, 10, 0), end, None, 45),
            ActivityState::Missed
        );
        assert_eq!(
            webinar_state(at(5, 10, 0), end, Some(44), 45),
            ActivityState::TooShort
        );
        assert_eq!(
            webinar_state(at(5, 10, 0), end, Some(45), 45),
            ActivityState::Attended
        );
    }

    #[test]
    fn the_join_link_shows_from_fifteen_minutes_before_until_the_end() {
        let start = at(4, 17, 0);
        assert!(!join_link_visible(at(4, 16, 44), start, 90));
        assert!(join_link_visible(at(4, 16, 45), start, 90));
        assert!(join_link_visible(at(4, 18, 30), start, 90));
        assert!(!join_link_visible(at(4, 18, 31), start, 90));
    }

    #[test]
    fn the_next_thing_to_do_is_the_nearest_due() {
        let items = vec![
            (1, ActivityState::Viewed, Some(at(1, 9, 0)), 1),
            (2, ActivityState::ToDo, Some(at(20, 9, 0)), 2),
            (3, ActivityState::ToDo, Some(at(10, 9, 0)), 3),
            (4, ActivityState::ToDo, None, 4),
        ];
        assert_eq!(next_to_do(&items), Some(3));
        assert_eq!(
            next_to_do(&[
                (4, ActivityState::ToDo, None, 4),
                (5, ActivityState::NeedsRevision, None, 2)
            ]),
            Some(5)
        );
        assert_eq!(next_to_do(&[(1, ActivityState::Attended, None, 1)]), None);
    }

    #[test]
    fn work_sent_back_comes_before_anything_due() {
        let items = vec![
            (1, ActivityState::ToDo, Some(at(2, 9, 0)), 1),
            (2, ActivityState::NeedsRevision, Some(at(20, 9, 0)), 2),
        ];
        assert_eq!(next_to_do(&items), Some(2));
    }

    #[test]
    fn activities_are_listed_by_date_and_undated_ones_keep_their_place() {
        let material = None;
        let sheet_due = Some(at(23, 23, 0));
        let webinar = Some(at(23, 17, 0));
        let later = Some(at(28, 9, 0));
        // Course order: material, task sheet, webinar, a reading after the webinar, a quiz.
        let when = [material, sheet_due, webinar, None, later];
        assert_eq!(in_date_order(&when), vec![0, 2, 3, 1, 4]);
        assert_eq!(in_date_order(&[]), Vec::<usize>::new());
        assert_eq!(in_date_order(&[None, None]), vec![0, 1]);
    }

    #[test]
    fn moving_activities_up_and_down() {
        assert_eq!(moved(&[1, 2, 3], 2, true), vec![2, 1, 3]);
        assert_eq!(moved(&[1, 2, 3], 2, false), vec![1, 3, 2]);
        assert_eq!(moved(&[1, 2, 3], 1, true), vec![1, 2, 3]);
        assert_eq!(moved(&[1, 2, 3], 3, false), vec![1, 2, 3]);
        assert_eq!(moved(&[1, 2, 3], 9, true), vec![1, 2, 3]);
    }

    #[test]
    fn kinds_round_trip() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn a_recording_counts_only_when_allowed_watched_and_confirmed() {
        use ActivityState::*;
        for live in [Missed, TooShort] {
            assert_eq!(with_recording(live, true, true, true), WatchedRecording);
            assert_eq!(with_recording(live, false, true, true), live);
            assert_eq!(with_recording(live, true, false, true), live);
            assert_eq!(with_recording(live, true, true, false), live);
        }
        // Attending live is better than any recording; a webinar to come cannot be caught up.
        assert_eq!(with_recording(Attended, true, true, true), Attended);
        assert_eq!(with_recording(Upcoming, true, true, true), Upcoming);
        assert!(WatchedRecording.is_done());
        assert!(may_catch_up(Missed, true, true, true));
        assert!(!may_catch_up(Attended, true, true, true));
        assert!(!may_catch_up(Upcoming, true, true, true));
        assert!(!may_catch_up(Missed, false, true, true));
        assert!(!may_catch_up(Missed, true, false, true));
        assert!(!may_catch_up(Missed, true, true, false));
    }
}
