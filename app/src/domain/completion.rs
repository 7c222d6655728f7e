//! The completion rule of an edition and a participant's progress against it. Evaluation is
//! one pure function: the rule and the participant's facts in, progress out, with every
//! requirement explaining what is achieved, what is required and what is missing.

use super::activities::{ActivityKind, ActivityState};
use serde::{Deserialize, Serialize};

/// One thing a participant must have done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Requirement {
    /// At least this many webinars attended (long enough) or caught up with the recording.
    WebinarsAttended { at_least: u32 },
    /// At least this many task sheets accepted, these among them.
    TaskSheetsAccepted {
        at_least: u32,
        #[serde(default)]
        including: Vec<i32>,
    },
    /// A named activity done: accepted, viewed, attended, passed.
    ActivityDone { activity: i32 },
    /// A quiz passed with at least this percentage in the best attempt.
    QuizPassed { activity: i32, min_percent: u32 },
    /// At least this many hours of activities that count, done.
    Hours { at_least: u32 },
}

/// Every requirement must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub requirements: Vec<Requirement>,
}

/// What the evaluation needs to know of one activity, for one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFact {
    pub id: i32,
    pub kind: ActivityKind,
    /// Counts towards the hours.
    pub counts: bool,
    pub estimated_minutes: u32,
    pub state: ActivityState,
    /// For a quiz: the best percentage among submitted attempts.
    pub best_percent: Option<u32>,
}

/// Where one requirement stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementProgress {
    pub requirement: Requirement,
    /// In the requirement's own unit: webinars, task sheets, 0/1, percent, minutes.
    pub achieved: u32,
    pub required: u32,
    pub met: bool,
    /// Named activities still missing (for "including" and "activity done").
    pub missing: Vec<i32>,
    /// For a quiz: whether any attempt was handed in (a best of 0% is not "no attempt yet").
    pub attempted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub requirements: Vec<RequirementProgress>,
    /// Every requirement holds.
    pub met: bool,
    /// 0–100, for a progress bar: each requirement weighs the same.
    pub percent: u32,
}

fn is_attended(state: ActivityState) -> bool {
    matches!(
        state,
        ActivityState::Attended | ActivityState::WatchedRecording
    )
}

fn done(facts: &[ActivityFact], id: i32) -> bool {
    facts.iter().any(|f| f.id == id && f.state.is_done())
}

fn one(requirement: &Requirement, facts: &[ActivityFact]) -> RequirementProgress {
    let mut attempted = false;
    let (achieved, required, missing) = match requirement {
        Requirement::WebinarsAttended { at_least } => {
            let attended = facts
                .iter()
                .filter(|f| f.kind == ActivityKind::Webinar && is_attended(f.state))
                .count() as u32;
            (attended, *at_least, Vec::new())
        }
        Requirement::TaskSheetsAccepted {
            at_least,
            including,
        } => {
            let accepted = |f: &ActivityFact| {
                f.kind == ActivityKind::TaskSheet && f.state == ActivityState::Accepted
            };
            let count = facts.iter().filter(|f| accepted(f)).count() as u32;
            let missing: Vec<i32> = including
                .iter()
                .copied()
                .filter(|id| !facts.iter().any(|f| f.id == *id && accepted(f)))
                .collect();
            (count, *at_least, missing)
        }
        Requirement::ActivityDone { activity } => {
            let is_done = done(facts, *activity);
            (
                u32::from(is_done),
                1,
                if is_done { Vec::new() } else { vec![*activity] },
            )
        }
        Requirement::QuizPassed {
            activity,
            min_percent,
        } => {
            let best = facts
                .iter()
                .find(|f| f.id == *activity)
                .and_then(|f| f.best_percent);
            attempted = best.is_some();
            let best = best.unwrap_or(0);
            let missing = if best >= *min_percent {
                Vec::new()
            } else {
                vec![*activity]
            };
            (best, *min_percent, missing)
        }
        Requirement::Hours { at_least } => {
            let minutes: u32 = facts
                .iter()
                .filter(|f| f.counts && f.state.is_done())
                .map(|f| f.estimated_minutes)
                .sum();
            (minutes, at_least.saturating_mul(60), Vec::new())
        }
    };
    RequirementProgress {
        requirement: requirement.clone(),
        achieved,
        required,
        met: achieved >= required && missing.is_empty(),
        missing,
        attempted,
    }
}

/// A participant's progress against a rule. A rule with no requirements is met.
pub fn evaluate(rule: &Rule, facts: &[ActivityFact]) -> Progress {
    let requirements: Vec<RequirementProgress> =
        rule.requirements.iter().map(|r| one(r, facts)).collect();
    let met = requirements.iter().all(|r| r.met);
    let percent = if requirements.is_empty() {
        100
    } else {
        let share: u64 = requirements
            .iter()
            .map(|r| {
                if r.met {
                    1000
                } else if r.required == 0 {
                    // Only a named activity can be missing here.
                    0
                } else {
                    // Never a full share while something named is missing.
                    (u64::from(r.achieved.min(r.required)) * 1000 / u64::from(r.required)).min(999)
                }
            })
            .sum();
        (share / (requirements.len() as u64 * 10)) as u32
    };
    Progress {
        requirements,
        met,
        percent: if met { 100 } else { percent.min(99) },
    }
}

/// Where a participant stands with the rule, for staff and ambassadors: done, nearly there, on their way, or
/// behind the pace the edition's calendar asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Met,
    /// 75% or more of the way.
    Close,
    OnTrack,
    /// Below two thirds of the share of the edition already gone by, or not met once the
    /// edition has ended.
    AtRisk,
}

pub fn standing(
    progress: &Progress,
    today: chrono::NaiveDate,
    starts_on: chrono::NaiveDate,
    ends_on: chrono::NaiveDate,
) -> Standing {
    if progress.met {
        return Standing::Met;
    }
    if today > ends_on {
        return Standing::AtRisk;
    }
    let length = (ends_on - starts_on).num_days().max(1);
    let gone = (today - starts_on).num_days().clamp(0, length);
    let expected = (gone * 100 / length) as u32;
    // Behind when below two thirds of where the calendar says one should be: a fixed margin
    // called 12% "on track" a third of the way in.
    if progress.percent * 3 < expected * 2 {
        Standing::AtRisk
    } else if progress.percent >= 75 {
        Standing::Close
    } else {
        Standing::OnTrack
    }
}

/// The staff form's fields, as sent: `webinars`, `task_sheets`, `hours` (blank: not
/// required), `including_{id}` and `done_{id}` (checked), `quiz_{id}` (a minimum percentage or
/// blank). `activities` are the edition's, as (id, kind).
pub fn parse_form(
    fields: &std::collections::HashMap<String, String>,
    activities: &[(i32, ActivityKind)],
) -> Result<Rule, Vec<super::FieldProblem>> {
    use super::problem::Problems;
    use super::{Field, text};
    let mut problems = Problems::new();
    let count = |kind: ActivityKind| activities.iter().filter(|(_, k)| *k == kind).count() as i64;
    let number = |name: &str| fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let checked = |prefix: &str, id: i32| fields.contains_key(&format!("{prefix}_{id}"));
    let mut requirements = Vec::new();

    if let Some(value) = number("webinars")
        && let Some(n) = problems.check(
            Field::Webinars,
            text::whole_number(value, 1, count(ActivityKind::Webinar).max(1)),
        )
    {
        requirements.push(Requirement::WebinarsAttended { at_least: n as u32 });
    }
    let including: Vec<i32> = activities
        .iter()
        .filter(|(id, kind)| *kind == ActivityKind::TaskSheet && checked("including", *id))
        .map(|(id, _)| *id)
        .collect();
    match number("task_sheets") {
        Some(value) => {
            if let Some(n) = problems.check(
                Field::TaskSheets,
                text::whole_number(value, 1, count(ActivityKind::TaskSheet).max(1)),
            ) {
                if (n as usize) < including.len() {
                    problems.push(Field::TaskSheets, super::Problem::FewerThanNamed);
                } else {
                    requirements.push(Requirement::TaskSheetsAccepted {
                        at_least: n as u32,
                        including,
                    });
                }
            }
        }
        // Named task sheets alone: exactly those.
        None if !including.is_empty() => requirements.push(Requirement::TaskSheetsAccepted {
            at_least: including.len() as u32,
            including,
        }),
        None => {}
    }
    for (id, kind) in activities {
        if *kind == ActivityKind::Quiz {
            if let Some(value) = number(&format!("quiz_{id}"))
                && let Some(p) =
                    problems.check(Field::MinPercent, text::whole_number(value, 1, 100))
            {
                requirements.push(Requirement::QuizPassed {
                    activity: *id,
                    min_percent: p as u32,
                });
            }
        } else if *kind != ActivityKind::TaskSheet && checked("done", *id) {
            requirements.push(Requirement::ActivityDone { activity: *id });
        }
    }
    if let Some(value) = number("hours")
        && let Some(h) = problems.check(Field::Hours, text::whole_number(value, 1, 1000))
    {
        requirements.push(Requirement::Hours { at_least: h as u32 });
    }
    if problems.is_empty() {
        Ok(Rule { requirements })
    } else {
        Err(problems.into_vec())
    }
}

impl Rule {
    /// The form's fields for this rule, to fill the form with.
    pub fn form(&self) -> std::collections::HashMap<String, String> {
        let mut fields = std::collections::HashMap::new();
        for requirement in &self.requirements {
            match requirement {
                Requirement::WebinarsAttended { at_least } => {
                    fields.insert("webinars".to_owned(), at_least.to_string());
                }
                Requirement::TaskSheetsAccepted {
                    at_least,
                    including,
                } => {
                    fields.insert("task_sheets".to_owned(), at_least.to_string());
                    for id in including {
                        fields.insert(format!("including_{id}"), "on".to_owned());
                    }
                }
                Requirement::ActivityDone { activity } => {
                    fields.insert(format!("done_{activity}"), "on".to_owned());
                }
                Requirement::QuizPassed {
                    activity,
                    min_percent,
                } => {
                    fields.insert(format!("quiz_{activity}"), min_percent.to_string());
                }
                Requirement::Hours { at_least } => {
                    fields.insert("hours".to_owned(), at_least.to_string());
                }
            }
        }
        fields
    }

    /// The same rule with activities re-pointed (for a cloned edition); requirements naming
    /// an activity that has no copy are dropped.
    pub fn remapped(&self, copies: &std::collections::HashMap<i32, i32>) -> Rule {
        let requirements = self
            .requirements
            .iter()
            .filter_map(|r| match r {
                Requirement::TaskSheetsAccepted {
                    at_least,
                    including,
                } => Some(Requirement::TaskSheetsAccepted {
                    at_least: *at_least,
                    including: including
                        .iter()
                        .filter_map(|id| copies.get(id).copied())
                        .collect(),
                }),
                Requirement::ActivityDone { activity } => copies
                    .get(activity)
                    .map(|a| Requirement::ActivityDone { activity: *a }),
                Requirement::QuizPassed {
                    activity,
                    min_percent,
                } => copies.get(activity).map(|a| Requirement::QuizPassed {
                    activity: *a,
                    min_percent: *min_percent,
                }),
                other => Some(other.clone()),
            })
            .collect();
        Rule { requirements }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityKind::*;
    use ActivityState::*;

    fn fact(id: i32, kind: ActivityKind, state: ActivityState) -> ActivityFact {
        ActivityFact {
            id,
            kind,
            counts: true,
            estimated_minutes: 90,
            state,
            best_percent: None,
        }
    }

    /// The design's example: 2 of 3 webinars, 3 task sheets including #10, final quiz ≥ 70%.
    fn example_rule() -> Rule {
        Rule {
            requirements: vec![
                Requirement::WebinarsAttended { at_least: 2 },
                Requirement::TaskSheetsAccepted {
                    at_least: 3,
                    including: vec![10],
                },
                Requirement::QuizPassed {
                    activity: 20,
                    min_percent: 70,
                },
            ],
        }
    }

    #[test]
    fn the_example_rule_is_met_exactly_when_everything_holds() {
        let mut facts = vec![
            fact(1, Webinar, Attended),
            fact(2, Webinar, WatchedRecording),
            fact(3, Webinar, Missed),
            fact(10, TaskSheet, Accepted),
            fact(11, TaskSheet, Accepted),
            fact(12, TaskSheet, Accepted),
            ActivityFact {
                best_percent: Some(70),
                ..fact(20, Quiz, Passed)
            },
        ];
        let progress = evaluate(&example_rule(), &facts);
        assert!(progress.met, "{progress:?}");
        assert_eq!(progress.percent, 100);

        // 69% is not enough, and says by how much.
        facts[6].best_percent = Some(69);
        let progress = evaluate(&example_rule(), &facts);
        assert!(!progress.met);
        let quiz = &progress.requirements[2];
        assert_eq!((quiz.achieved, quiz.required, quiz.met), (69, 70, false));
        assert_eq!(quiz.missing, vec![20]);
    }

    #[test]
    fn a_named_task_sheet_is_required_even_when_the_count_is_reached() {
        let facts = vec![
            fact(10, TaskSheet, NeedsRevision),
            fact(11, TaskSheet, Accepted),
            fact(12, TaskSheet, Accepted),
            fact(13, TaskSheet, Accepted),
        ];
        let rule = Rule {
            requirements: vec![Requirement::TaskSheetsAccepted {
                at_least: 3,
                including: vec![10],
            }],
        };
        let progress = evaluate(&rule, &facts);
        let sheets = &progress.requirements[0];
        assert_eq!((sheets.achieved, sheets.required), (3, 3));
        assert_eq!(sheets.missing, vec![10]);
        assert!(!sheets.met && !progress.met);
        assert!(progress.percent < 100);
    }

    #[test]
    fn too_short_and_missed_webinars_do_not_count() {
        let facts = vec![
            fact(1, Webinar, TooShort),
            fact(2, Webinar, Missed),
            fact(3, Webinar, Attended),
        ];
        let rule = Rule {
            requirements: vec![Requirement::WebinarsAttended { at_least: 2 }],
        };
        let progress = evaluate(&rule, &facts);
        assert_eq!(progress.requirements[0].achieved, 1);
        assert_eq!(progress.percent, 50);
    }

    #[test]
    fn hours_count_done_activities_that_count() {
        let mut optional = fact(4, Material, Viewed);
        optional.counts = false;
        let facts = vec![
            fact(1, Material, Viewed),
            fact(2, Webinar, Attended),
            fact(3, TaskSheet, Submitted),
            optional,
        ];
        let rule = Rule {
            requirements: vec![Requirement::Hours { at_least: 3 }],
        };
        let progress = evaluate(&rule, &facts);
        assert_eq!(progress.requirements[0].achieved, 180);
        assert_eq!(progress.requirements[0].required, 180);
        assert!(progress.met);
    }

    #[test]
    fn a_named_activity_is_done_in_its_own_way() {
        let rule = Rule {
            requirements: vec![Requirement::ActivityDone { activity: 5 }],
        };
        for (state, met) in [
            (Accepted, true),
            (Viewed, true),
            (Submitted, false),
            (ToDo, false),
        ] {
            let progress = evaluate(&rule, &[fact(5, DesignExercise, state)]);
            assert_eq!(progress.met, met, "{state:?}");
        }
        // An activity that no longer exists is simply missing.
        let progress = evaluate(&rule, &[]);
        assert_eq!(progress.requirements[0].missing, vec![5]);
    }

    #[test]
    fn an_empty_rule_is_met() {
        let progress = evaluate(&Rule::default(), &[]);
        assert!(progress.met);
        assert_eq!(progress.percent, 100);
    }

    #[test]
    fn rules_travel_as_json() {
        let rule = example_rule();
        let text = serde_json::to_string(&rule).unwrap();
        assert!(text.contains("\"kind\":\"task_sheets_accepted\""), "{text}");
        assert_eq!(serde_json::from_str::<Rule>(&text).unwrap(), rule);
    }

    #[test]
    fn the_staff_form_becomes_a_rule_and_back() {
        let activities = [
            (1, Webinar),
            (2, Webinar),
            (3, Webinar),
            (10, TaskSheet),
            (11, TaskSheet),
            (12, TaskSheet),
            (15, DesignExercise),
            (20, Quiz),
        ];
        let fields: std::collections::HashMap<String, String> = [
            ("webinars", "2"),
            ("task_sheets", "3"),
            ("including_10", "on"),
            ("done_15", "on"),
            ("quiz_20", "70"),
            ("hours", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let rule = parse_form(&fields, &activities).unwrap();
        assert_eq!(
            rule.requirements,
            vec![
                Requirement::WebinarsAttended { at_least: 2 },
                Requirement::TaskSheetsAccepted {
                    at_least: 3,
                    including: vec![10]
                },
                Requirement::ActivityDone { activity: 15 },
                Requirement::QuizPassed {
                    activity: 20,
                    min_percent: 70
                },
            ]
        );
        assert_eq!(parse_form(&rule.form(), &activities).unwrap(), rule);
    }

    #[test]
    fn impossible_thresholds_are_refused() {
        use crate::domain::{Field, Problem};
        let activities = [(1, Webinar), (10, TaskSheet), (11, TaskSheet), (20, Quiz)];
        let form = |pairs: &[(&str, &str)]| -> std::collections::HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let fields_of = |r: Result<Rule, Vec<crate::domain::FieldProblem>>| -> Vec<Field> {
            r.unwrap_err().into_iter().map(|p| p.field).collect()
        };
        // More webinars than the edition has; a quiz at 120%; hours that are not a number.
        assert_eq!(
            fields_of(parse_form(
                &form(&[("webinars", "2"), ("quiz_20", "120"), ("hours", "tante")]),
                &activities
            )),
            vec![Field::Webinars, Field::MinPercent, Field::Hours]
        );
        // Fewer task sheets than those named.
        let problems = parse_form(
            &form(&[
                ("task_sheets", "1"),
                ("including_10", "on"),
                ("including_11", "on"),
            ]),
            &activities,
        )
        .unwrap_err();
        assert_eq!(problems[0].problem, Problem::FewerThanNamed);
        // A checkbox for an activity of another edition is ignored.
        let rule = parse_form(&form(&[("done_99", "on")]), &activities).unwrap();
        assert!(rule.requirements.is_empty());
    }

    #[test]
    fn a_cloned_rule_points_at_the_copies() {
        let copies: std::collections::HashMap<i32, i32> = [(10, 110), (20, 120)].into();
        let cloned = example_rule().remapped(&copies);
        assert_eq!(
            cloned.requirements[1],
            Requirement::TaskSheetsAccepted {
                at_least: 3,
                including: vec![110]
            }
        );
        assert_eq!(
            cloned.requirements[2],
            Requirement::QuizPassed {
                activity: 120,
                min_percent: 70
            }
        );
    }

    #[test]
    fn standing_follows_the_calendar() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2027, 3, d).unwrap();
        let at = |percent: u32, met: bool| Progress {
            requirements: Vec::new(),
            met,
            percent,
        };
        // A 30-day edition from 1 to 31 March.
        let (start, end) = (day(1), day(31));
        assert_eq!(standing(&at(100, true), day(2), start, end), Standing::Met);
        assert_eq!(
            standing(&at(0, false), day(1), start, end),
            Standing::OnTrack
        );
        assert_eq!(
            standing(&at(80, false), day(10), start, end),
            Standing::Close
        );
        // A third of the way in with 12%: behind, though early days forgive a slow start.
        assert_eq!(
            standing(&at(12, false), day(11), start, end),
            Standing::AtRisk
        );
        assert_eq!(
            standing(&at(12, false), day(5), start, end),
            Standing::OnTrack
        );
        // Half-way through with 20%: behind.
        assert_eq!(
            standing(&at(20, false), day(16), start, end),
            Standing::AtRisk
        );
        assert_eq!(
            standing(&at(40, false), day(16), start, end),
            Standing::OnTrack
        );
        // Not done once the edition is over.
        assert_eq!(
            standing(&at(90, false), day(31).succ_opt().unwrap(), start, end),
            Standing::AtRisk
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        const KINDS: [ActivityKind; 5] = [Material, Webinar, TaskSheet, DesignExercise, Quiz];
        /// From less done to more done, per kind; a fact "grows" by moving right.
        fn ladder(kind: ActivityKind) -> &'static [ActivityState] {
            match kind {
                Material => &[ToDo, Viewed],
                Webinar => &[Upcoming, Missed, WatchedRecording, Attended],
                TaskSheet | DesignExercise => &[ToDo, Submitted, NeedsRevision, Accepted],
                Quiz => &[ToDo, Failed, Passed],
            }
        }

        fn facts() -> impl Strategy<Value = Vec<ActivityFact>> {
            prop::collection::vec(
                (0usize..5, 0usize..4, 0u32..240, any::<bool>(), 0u32..=100),
                0..12,
            )
            .prop_map(|raw| {
                raw.into_iter()
                    .enumerate()
                    .map(|(i, (k, s, minutes, counts, percent))| {
                        let kind = KINDS[k];
                        let steps = ladder(kind);
                        let state = steps[s % steps.len()];
                        ActivityFact {
                            id: i as i32 + 1,
                            kind,
                            counts,
                            estimated_minutes: minutes,
                            state,
                            best_percent: (kind == Quiz && state != ToDo).then_some(percent),
                        }
                    })
                    .collect()
            })
        }

        fn requirement() -> impl Strategy<Value = Requirement> {
            prop_oneof![
                (0u32..5).prop_map(|n| Requirement::WebinarsAttended { at_least: n }),
                (0u32..5, prop::collection::vec(1i32..14, 0..3)).prop_map(|(n, including)| {
                    Requirement::TaskSheetsAccepted {
                        at_least: n,
                        including,
                    }
                }),
                (1i32..14).prop_map(|activity| Requirement::ActivityDone { activity }),
                (1i32..14, 0u32..=100).prop_map(|(activity, min_percent)| {
                    Requirement::QuizPassed {
                        activity,
                        min_percent,
                    }
                }),
                (0u32..20).prop_map(|h| Requirement::Hours { at_least: h }),
            ]
        }

        fn rule() -> impl Strategy<Value = Rule> {
            prop::collection::vec(requirement(), 0..5)
                .prop_map(|requirements| Rule { requirements })
        }

        /// One fact moved one step up its ladder (and its best quiz score up, never down).
        fn grown(facts: &[ActivityFact], which: usize, extra: u32) -> Vec<ActivityFact> {
            let mut more = facts.to_vec();
            if let Some(f) = more.get_mut(which) {
                let steps = ladder(f.kind);
                let at = steps.iter().position(|s| *s == f.state).unwrap_or(0);
                f.state = steps[(at + 1).min(steps.len() - 1)];
                if f.kind == Quiz && f.state != ToDo {
                    f.best_percent =
                        Some(f.best_percent.unwrap_or(0).saturating_add(extra).min(100));
                }
            }
            more
        }

        proptest! {
            #[test]
            fn adding_a_fact_never_lowers_progress(
                rule in rule(),
                facts in facts(),
                which in 0usize..12,
                extra in 0u32..50,
            ) {
                let before = evaluate(&rule, &facts);
                let after = evaluate(&rule, &grown(&facts, which, extra));
                prop_assert!(after.percent >= before.percent, "{before:?} → {after:?}");
                prop_assert!(!before.met || after.met);
                for (b, a) in before.requirements.iter().zip(&after.requirements) {
                    prop_assert!(a.achieved >= b.achieved);
                    prop_assert!(!b.met || a.met);
                }
            }

            #[test]
            fn the_rule_is_met_exactly_when_every_requirement_is(
                rule in rule(),
                facts in facts(),
            ) {
                let progress = evaluate(&rule, &facts);
                let each = progress.requirements.iter().all(|r| r.met);
                prop_assert_eq!(progress.met, each);
                prop_assert_eq!(progress.percent == 100, progress.met);
                for r in &progress.requirements {
                    prop_assert_eq!(r.met, r.achieved >= r.required && r.missing.is_empty());
                }
            }
        }
    }
}
