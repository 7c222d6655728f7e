//! Quizzes: questions, grading on the server, attempts within time, and when answers may be
//! seen. Nothing here knows about the browser: what is sent there is a [`QuestionForTaker`],
//! which carries no correct answer.

use super::attendance::text::fold;
use super::problem::Problems;
use super::{Field, FieldProblem, Problem, text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Exactly one option is right.
    SingleChoice {
        options: Vec<String>,
        correct: usize,
    },
    /// Every right option and no wrong one must be chosen (all or nothing).
    MultipleChoice {
        options: Vec<String>,
        correct: Vec<usize>,
    },
    TrueFalse {
        correct: bool,
    },
    /// Any accepted answer counts, ignoring case, accents and extra spaces.
    ShortAnswer {
        accepted: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i32,
    pub prompt: String,
    pub points: u32,
    pub kind: Kind,
}

/// What a participant answered to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Choice(usize),
    Choices(Vec<usize>),
    Truth(bool),
    Text(String),
    Blank,
}

/// A question as it may travel to the person taking the quiz: no correct answer inside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForTaker {
    pub id: i32,
    pub prompt: String,
    pub points: u32,
    pub shape: Shape,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shape {
    /// `(position, text)` in the order shown: a shuffled order does not give away the
    /// author's (the answer maps positions back through the same order).
    SingleChoice(Vec<(usize, String)>),
    MultipleChoice(Vec<(usize, String)>),
    TrueFalse,
    ShortAnswer,
}

impl Question {
    pub fn for_taker(&self, option_order: Option<&[usize]>) -> QuestionForTaker {
        let options = |options: &[String]| -> Vec<(usize, String)> {
            let order: Vec<usize> = match option_order {
                Some(order) if order.len() == options.len() => order.to_vec(),
                _ => (0..options.len()).collect(),
            };
            order
                .into_iter()
                .filter_map(|i| options.get(i).cloned())
                .enumerate()
                .collect()
        };
        let shape = match &self.kind {
            Kind::SingleChoice { options: o, .. } => Shape::SingleChoice(options(o)),
            Kind::MultipleChoice { options: o, .. } => Shape::MultipleChoice(options(o)),
            Kind::TrueFalse { .. } => Shape::TrueFalse,
            Kind::ShortAnswer { .. } => Shape::ShortAnswer,
        };
        QuestionForTaker {
            id: self.id,
            prompt: self.prompt.clone(),
            points: self.points,
            shape,
        }
    }

    pub fn is_correct(&self, answer: &Answer) -> bool {
        match (&self.kind, answer) {
            (Kind::SingleChoice { correct, .. }, Answer::Choice(chosen)) => chosen == correct,
            (Kind::MultipleChoice { correct, .. }, Answer::Choices(chosen)) => {
                let mut chosen = chosen.clone();
                chosen.sort_unstable();
                chosen.dedup();
                let mut correct = correct.clone();
                correct.sort_unstable();
                correct.dedup();
                chosen == correct
            }
            (Kind::TrueFalse { correct }, Answer::Truth(chosen)) => chosen == correct,
            (Kind::ShortAnswer { accepted }, Answer::Text(text)) => {
                let given = fold(text);
                !given.is_empty() && accepted.iter().any(|a| fold(a) == given)
            }
            _ => false,
        }
    }

    /// Whether the question is well-formed enough to be asked.
    pub fn check(&self) -> Result<(), QuestionProblem> {
        if self.prompt.trim().is_empty() {
            return Err(QuestionProblem::NoPrompt);
        }
        if self.points == 0 {
            return Err(QuestionProblem::NoPoints);
        }
        match &self.kind {
            Kind::SingleChoice { options, correct } => {
                check_options(options)?;
                if *correct >= options.len() {
                    return Err(QuestionProblem::NoCorrectOption);
                }
            }
            Kind::MultipleChoice { options, correct } => {
                check_options(options)?;
                if correct.is_empty() || correct.iter().any(|i| *i >= options.len()) {
                    return Err(QuestionProblem::NoCorrectOption);
                }
            }
            Kind::TrueFalse { .. } => {}
            Kind::ShortAnswer { accepted } => {
                if accepted.iter().all(|a| fold(a).is_empty()) {
                    return Err(QuestionProblem::NoAcceptedAnswer);
                }
            }
        }
        Ok(())
    }
}

fn check_options(options: &[String]) -> Result<(), QuestionProblem> {
    if options.len() < 2 || options.iter().any(|o| o.trim().is_empty()) {
        Err(QuestionProblem::TooFewOptions)
    } else {
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionProblem {
    NoPrompt,
    NoPoints,
    TooFewOptions,
    NoCorrectOption,
    NoAcceptedAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub points: u32,
    pub max_points: u32,
    /// Whole percent, rounded down: 69.9% does not pass a 70% quiz.
    pub percent: u32,
    pub passed: bool,
    /// Per question id: whether it was answered correctly.
    pub correct: Vec<(i32, bool)>,
}

/// Grades answers (by question id; missing answers count as blank).
pub fn grade(questions: &[Question], answers: &[(i32, Answer)], pass_percent: u32) -> Grade {
    let mut points = 0u32;
    let mut max_points = 0u32;
    let mut correct = Vec::with_capacity(questions.len());
    for question in questions {
        max_points = max_points.saturating_add(question.points);
        let answer = answers
            .iter()
            .find(|(id, _)| *id == question.id)
            .map(|(_, a)| a)
            .unwrap_or(&Answer::Blank);
        let right = question.is_correct(answer);
        if right {
            points = points.saturating_add(question.points);
        }
        correct.push((question.id, right));
    }
    let percent = if max_points == 0 {
        0
    } else {
        (u64::from(points) * 100 / u64::from(max_points)) as u32
    };
    Grade {
        points,
        max_points,
        percent,
        passed: max_points > 0 && percent >= pass_percent,
        correct,
    }
}

/// When a participant may see the correct answers and their score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum ReviewPolicy {
    AfterSubmission,
    AfterClose,
}

pub fn can_review(policy: ReviewPolicy, attempt_submitted: bool, quiz_closed: bool) -> bool {
    match policy {
        ReviewPolicy::AfterSubmission => attempt_submitted,
        ReviewPolicy::AfterClose => attempt_submitted && quiz_closed,
    }
}

/// Whether the right answers may be shown: when the review policy allows, and only once the
/// participant cannot use them any more (no attempts left, or the quiz has closed).
pub fn solutions_visible(policy: ReviewPolicy, quiz_closed: bool, attempts_left: bool) -> bool {
    can_review(policy, true, quiz_closed) && (quiz_closed || !attempts_left)
}

/// Whether a new attempt may start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartRefusal {
    NotOpenYet,
    Closed,
    NoAttemptsLeft,
    /// An attempt is running: continue it instead.
    AttemptInProgress,
}

pub fn may_start(
    opens_in_future: bool,
    closed: bool,
    attempts_used: u32,
    attempts_allowed: Option<u32>,
    one_in_progress: bool,
) -> Result<(), StartRefusal> {
    if opens_in_future {
        return Err(StartRefusal::NotOpenYet);
    }
    if closed {
        return Err(StartRefusal::Closed);
    }
    if one_in_progress {
        return Err(StartRefusal::AttemptInProgress);
    }
    match attempts_allowed {
        Some(allowed) if attempts_used >= allowed => Err(StartRefusal::NoAttemptsLeft),
        _ => Ok(()),
    }
}

/// Seconds of slack after a time limit, for the network between the browser and us.
pub const SUBMIT_GRACE_SECS: i64 = 30;

/// Whether answers submitted `elapsed_secs` after the start are on time.
pub fn on_time(
    elapsed_secs: i64,
    time_limit_secs: Option<i64>,
    seconds_until_close: Option<i64>,
) -> bool {
    let within_limit =
        time_limit_secs.is_none_or(|limit| elapsed_secs <= limit + SUBMIT_GRACE_SECS);
    let before_close = seconds_until_close.is_none_or(|left| left >= -SUBMIT_GRACE_SECS);
    within_limit && before_close
}

/// A repeatable shuffle of `0..n` from a seed (the attempt's), so a reload shows the same
/// order and the server can tell which option was which.
pub fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    for i in (1..n).rev() {
        // xorshift64*: small, good enough to mix an order, no cryptography needed here.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let random = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        let j = (random % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

impl ReviewPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewPolicy::AfterSubmission => "after_submission",
            ReviewPolicy::AfterClose => "after_close",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [ReviewPolicy::AfterSubmission, ReviewPolicy::AfterClose]
            .into_iter()
            .find(|p| p.as_str() == input)
    }
}

/// How a quiz is taken: set by staff on the activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizSettings {
    pub pass_percent: u32,
    /// `None`: as many attempts as wanted.
    pub max_attempts: Option<u32>,
    pub time_limit_minutes: Option<u32>,
    pub shuffle: bool,
    pub review: ReviewPolicy,
}

impl Default for QuizSettings {
    fn default() -> Self {
        Self {
            pass_percent: 60,
            // A fixed number: with unlimited attempts, trying again is a way to find the
            // answers.
            max_attempts: Some(3),
            time_limit_minutes: None,
            shuffle: false,
            review: ReviewPolicy::AfterSubmission,
        }
    }
}

/// The quiz part of the activity form.
pub fn parse_settings(
    pass_percent: &str,
    max_attempts: &str,
    time_limit_minutes: &str,
    shuffle: bool,
    review_policy: &str,
    problems: &mut Problems,
) -> Option<QuizSettings> {
    let optional = |input: &str, min: i64, max: i64| -> Result<Option<u32>, Problem> {
        if input.trim().is_empty() {
            Ok(None)
        } else {
            text::whole_number(input, min, max).map(|n| Some(n as u32))
        }
    };
    let pass = problems.check(
        Field::PassPercent,
        text::whole_number(pass_percent, 1, 100).map(|n| n as u32),
    );
    let attempts = problems.check(Field::MaxAttempts, optional(max_attempts, 1, 20));
    let limit = problems.check(
        Field::TimeLimitMinutes,
        optional(time_limit_minutes, 1, 600),
    );
    let review = problems.check(
        Field::ReviewPolicy,
        ReviewPolicy::parse(review_policy.trim()).ok_or(Problem::Required),
    );
    Some(QuizSettings {
        pass_percent: pass?,
        max_attempts: attempts?,
        time_limit_minutes: limit?,
        shuffle,
        review: review?,
    })
}

/// A question as typed by staff. Options are one per line; the right ones start with `*`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionForm {
    pub kind: String,
    pub prompt: String,
    pub points: String,
    #[serde(default)]
    pub options: String,
    #[serde(default)]
    pub truth: String,
    #[serde(default)]
    pub accepted: String,
}

impl QuestionForm {
    pub fn parse(&self) -> Result<Question, Vec<FieldProblem>> {
        let mut problems = Problems::new();
        let prompt = problems.check(Field::Prompt, text::multi_line(&self.prompt, 2_000));
        if prompt.as_deref() == Some("") {
            problems.push(Field::Prompt, Problem::Required);
        }
        let points = problems.check(
            Field::Points,
            text::whole_number(&self.points, 1, 100).map(|n| n as u32),
        );
        let lines = |input: &str| -> Vec<String> {
            input
                .lines()
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .collect()
        };
        let options = || -> (Vec<String>, Vec<usize>) {
            let mut texts = Vec::new();
            let mut correct = Vec::new();
            for line in lines(&self.options) {
                match line.strip_prefix('*') {
                    Some(right) => {
                        correct.push(texts.len());
                        texts.push(right.trim().to_owned());
                    }
                    None => texts.push(line),
                }
            }
            (texts, correct)
        };
        let kind = match self.kind.as_str() {
            "single" | "multiple" => {
                let (texts, correct) = options();
                if texts.len() < 2 || texts.iter().any(|t| t.is_empty()) {
                    problems.push(Field::Options, Problem::TooFewOptions);
                    None
                } else if texts.iter().any(|t| t.chars().count() > 500) {
                    problems.push(Field::Options, Problem::TooLong { max: 500 });
                    None
                } else if self.kind == "single" {
                    match correct.as_slice() {
                        [one] => Some(Kind::SingleChoice {
                            options: texts,
                            correct: *one,
                        }),
                        _ => {
                            problems.push(Field::Options, Problem::OneCorrectOption);
                            None
                        }
                    }
                } else if correct.is_empty() {
                    problems.push(Field::Options, Problem::SomeCorrectOption);
                    None
                } else {
                    Some(Kind::MultipleChoice {
                        options: texts,
                        correct,
                    })
                }
            }
            "true_false" => match self.truth.as_str() {
                "true" => Some(Kind::TrueFalse { correct: true }),
                "false" => Some(Kind::TrueFalse { correct: false }),
                _ => {
                    problems.push(Field::Accepted, Problem::Required);
                    None
                }
            },
            "short" => {
                let accepted = lines(&self.accepted);
                if accepted.is_empty() {
                    problems.push(Field::Accepted, Problem::AcceptedAnswerRequired);
                    None
                } else {
                    Some(Kind::ShortAnswer { accepted })
                }
            }
            _ => {
                problems.push(Field::Kind, Problem::Required);
                None
            }
        };
        match (prompt, points, kind) {
            (Some(prompt), Some(points), Some(kind)) if problems.is_empty() => Ok(Question {
                id: 0,
                prompt,
                points,
                kind,
            }),
            _ => Err(problems.into_vec()),
        }
    }
}

impl Question {
    /// The form pre-filled with this question, for editing.
    pub fn form(&self) -> QuestionForm {
        let options = |texts: &[String], right: &dyn Fn(usize) -> bool| {
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| if right(i) { format!("*{t}") } else { t.clone() })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut form = QuestionForm {
            prompt: self.prompt.clone(),
            points: self.points.to_string(),
            ..Default::default()
        };
        match &self.kind {
            Kind::SingleChoice {
                options: o,
                correct,
            } => {
                form.kind = "single".into();
                form.options = options(o, &|i| i == *correct);
            }
            Kind::MultipleChoice {
                options: o,
                correct,
            } => {
                form.kind = "multiple".into();
                form.options = options(o, &|i| correct.contains(&i));
            }
            Kind::TrueFalse { correct } => {
                form.kind = "true_false".into();
                form.truth = correct.to_string();
            }
            Kind::ShortAnswer { accepted } => {
                form.kind = "short".into();
                form.accepted = accepted.join("\n");
            }
        }
        form
    }

    /// The right answer in words, for the review after submission.
    pub fn solution(&self) -> String {
        match &self.kind {
            Kind::SingleChoice { options, correct } => {
                options.get(*correct).cloned().unwrap_or_default()
            }
            Kind::MultipleChoice { options, correct } => correct
                .iter()
                .filter_map(|i| options.get(*i).cloned())
                .collect::<Vec<_>>()
                .join("; "),
            Kind::TrueFalse { correct } => correct.to_string(),
            Kind::ShortAnswer { accepted } => accepted.join(" / "),
        }
    }
}

/// Answers as a quiz form sends them: `q{id}` → the chosen option index(es), `true`/`false`,
/// or text. Unknown questions and impossible indexes are dropped (graded as blank).
/// The answers in a quiz form; `option_order` gives the order each question's options were
/// shown in (`None`: as written), so a chosen position maps back to the option.
pub fn answers_from_form(
    questions: &[Question],
    fields: &[(String, String)],
    option_order: impl Fn(&Question) -> Option<Vec<usize>>,
) -> Vec<(i32, Answer)> {
    questions
        .iter()
        .map(|q| {
            let key = format!("q{}", q.id);
            let values: Vec<&str> = fields
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v.as_str())
                .collect();
            let order = option_order(q);
            let index = |v: &str, n: usize| {
                let position = v.trim().parse::<usize>().ok().filter(|i| *i < n)?;
                match &order {
                    Some(order) if order.len() == n => order.get(position).copied(),
                    _ => Some(position),
                }
            };
            let answer = match &q.kind {
                Kind::SingleChoice { options, .. } => values
                    .first()
                    .and_then(|v| index(v, options.len()))
                    .map(Answer::Choice),
                Kind::MultipleChoice { options, .. } => {
                    let chosen: Vec<usize> = values
                        .iter()
                        .filter_map(|v| index(v, options.len()))
                        .collect();
                    (!chosen.is_empty()).then_some(Answer::Choices(chosen))
                }
                Kind::TrueFalse { .. } => match values.first().copied() {
                    Some("true") => Some(Answer::Truth(true)),
                    Some("false") => Some(Answer::Truth(false)),
                    _ => None,
                },
                Kind::ShortAnswer { .. } => values
                    .first()
                    .map(|v| v.chars().take(500).collect::<String>())
                    .filter(|v| !v.trim().is_empty())
                    .map(Answer::Text),
            };
            (q.id, answer.unwrap_or(Answer::Blank))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiz() -> Vec<Question> {
        vec![
            Question {
                id: 1,
                prompt: "Che cos'è un gemellaggio eTwinning?".into(),
                points: 2,
                kind: Kind::SingleChoice {
                    options: vec![
                        "Un progetto tra scuole".into(),
                        "Un viaggio".into(),
                        "Un esame".into(),
                    ],
                    correct: 0,
                },
            },
            Question {
                id: 2,
                prompt: "Quali strumenti offre il TwinSpace?".into(),
                points: 3,
                kind: Kind::MultipleChoice {
                    options: vec!["Forum".into(), "Pagine".into(), "Voti".into()],
                    correct: vec![0, 1],
                },
            },
            Question {
                id: 3,
                prompt: "Serve l'email istituzionale?".into(),
                points: 1,
                kind: Kind::TrueFalse { correct: false },
            },
            Question {
                id: 4,
                prompt: "Come si chiama lo spazio di progetto?".into(),
                points: 4,
                kind: Kind::ShortAnswer {
                    accepted: vec!["TwinSpace".into(), "Twin Space".into()],
                },
            },
        ]
    }

    #[test]
    fn all_right_is_full_marks() {
        let answers = vec![
            (1, Answer::Choice(0)),
            (2, Answer::Choices(vec![1, 0])),
            (3, Answer::Truth(false)),
            (4, Answer::Text("  twinspace ".into())),
        ];
        let grade = grade(&quiz(), &answers, 70);
        assert_eq!(
            (grade.points, grade.max_points, grade.percent, grade.passed),
            (10, 10, 100, true)
        );
    }

    #[test]
    fn multiple_choice_is_all_or_nothing_and_blanks_score_nothing() {
        let answers = vec![
            (1, Answer::Choice(0)),
            (2, Answer::Choices(vec![0])),
            (4, Answer::Text("Twin spàce".into())),
        ];
        let grade = grade(&quiz(), &answers, 70);
        assert_eq!(grade.points, 6);
        assert_eq!(
            grade.correct,
            vec![(1, true), (2, false), (3, false), (4, true)]
        );
        assert!(!grade.passed);
    }

    #[test]
    fn percent_rounds_down_at_the_threshold() {
        let questions: Vec<Question> = (1..=3)
            .map(|id| Question {
                id,
                prompt: "?".into(),
                points: 1,
                kind: Kind::TrueFalse { correct: true },
            })
            .collect();
        let two_of_three = vec![(1, Answer::Truth(true)), (2, Answer::Truth(true))];
        let grade = grade(&questions, &two_of_three, 67);
        assert_eq!(grade.percent, 66);
        assert!(!grade.passed, "66.7% does not pass 67%");
    }

    #[test]
    fn answers_of_the_wrong_shape_are_wrong_not_a_crash() {
        let answers = vec![
            (1, Answer::Text("0".into())),
            (3, Answer::Choice(1)),
            (99, Answer::Truth(true)),
        ];
        assert_eq!(grade(&quiz(), &answers, 70).points, 0);
        assert_eq!(
            grade(&[], &[], 70),
            Grade {
                points: 0,
                max_points: 0,
                percent: 0,
                passed: false,
                correct: vec![]
            }
        );
    }

    #[test]
    fn takers_never_receive_correct_answers() {
        for question in quiz() {
            let shown = serde_json::to_string(&question.for_taker(None)).unwrap();
            assert!(
                !shown.contains("correct") && !shown.contains("accepted"),
                "{shown}"
            );
        }
        let twinspace = quiz()[3].for_taker(None);
        assert!(
            !serde_json::to_string(&twinspace)
                .unwrap()
                .contains("TwinSpace")
        );
    }

    #[test]
    fn shuffled_options_are_numbered_as_shown_and_mapped_back() {
        let question = &quiz()[0];
        let shown = question.for_taker(Some(&[2, 0, 1]));
        // Positions as shown: nothing tells where an option stood in the author's list.
        assert_eq!(
            shown.shape,
            Shape::SingleChoice(vec![
                (0, "Un esame".into()),
                (1, "Un progetto tra scuole".into()),
                (2, "Un viaggio".into())
            ])
        );
        // Choosing "Un progetto tra scuole" (shown second) is choosing the author's first.
        let fields = vec![(format!("q{}", question.id), "1".to_owned())];
        let answers = answers_from_form(std::slice::from_ref(question), &fields, |_| {
            Some(vec![2, 0, 1])
        });
        assert_eq!(answers, vec![(question.id, Answer::Choice(0))]);
    }

    #[test]
    fn shuffles_are_permutations_and_repeatable() {
        for seed in [0u64, 1, 42, u64::MAX] {
            let order = shuffled(10, seed);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..10).collect::<Vec<_>>());
            assert_eq!(order, shuffled(10, seed));
        }
        assert_ne!(shuffled(10, 1), shuffled(10, 2));
        assert!(shuffled(0, 7).is_empty());
    }

    #[test]
    fn review_waits_for_the_policy() {
        assert!(can_review(ReviewPolicy::AfterSubmission, true, false));
        assert!(!can_review(ReviewPolicy::AfterSubmission, false, true));
        assert!(!can_review(ReviewPolicy::AfterClose, true, false));
        assert!(can_review(ReviewPolicy::AfterClose, true, true));
    }

    #[test]
    fn solutions_wait_until_they_can_no_longer_help() {
        use ReviewPolicy::*;
        // Attempts left and the quiz open: never, whatever the policy.
        assert!(!solutions_visible(AfterSubmission, false, true));
        assert!(!solutions_visible(AfterClose, false, true));
        // No attempts left: as the policy says.
        assert!(solutions_visible(AfterSubmission, false, false));
        assert!(!solutions_visible(AfterClose, false, false));
        // Closed: both policies show them.
        assert!(solutions_visible(AfterSubmission, true, true));
        assert!(solutions_visible(AfterClose, true, true));
    }

    #[test]
    fn starting_an_attempt() {
        assert_eq!(may_start(false, false, 0, Some(2), false), Ok(()));
        assert_eq!(
            may_start(false, false, 2, Some(2), false),
            Err(StartRefusal::NoAttemptsLeft)
        );
        assert_eq!(may_start(false, false, 9, None, false), Ok(()));
        assert_eq!(
            may_start(true, false, 0, None, false),
            Err(StartRefusal::NotOpenYet)
        );
        assert_eq!(
            may_start(false, true, 0, None, false),
            Err(StartRefusal::Closed)
        );
        assert_eq!(
            may_start(false, false, 0, None, true),
            Err(StartRefusal::AttemptInProgress)
        );
    }

    #[test]
    fn time_limits_are_enforced_with_a_little_grace() {
        assert!(on_time(600, Some(600), None));
        assert!(on_time(629, Some(600), None));
        assert!(!on_time(631, Some(600), None));
        assert!(on_time(10_000, None, Some(5)));
        assert!(!on_time(10, None, Some(-31)));
    }

    #[test]
    fn malformed_questions_are_caught() {
        let mut q = quiz()[0].clone();
        q.kind = Kind::SingleChoice {
            options: vec!["solo una".into()],
            correct: 0,
        };
        assert_eq!(q.check(), Err(QuestionProblem::TooFewOptions));
        q.kind = Kind::MultipleChoice {
            options: vec!["a".into(), "b".into()],
            correct: vec![],
        };
        assert_eq!(q.check(), Err(QuestionProblem::NoCorrectOption));
        q.kind = Kind::ShortAnswer {
            accepted: vec![" ".into()],
        };
        assert_eq!(q.check(), Err(QuestionProblem::NoAcceptedAnswer));
        q.points = 0;
        assert_eq!(q.check(), Err(QuestionProblem::NoPoints));
        assert!(quiz().iter().all(|q| q.check().is_ok()));
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    fn form(kind: &str, options: &str) -> QuestionForm {
        QuestionForm {
            kind: kind.into(),
            prompt: "Quale piattaforma usa eTwinning?".into(),
            points: "2".into(),
            options: options.into(),
            ..Default::default()
        }
    }

    #[test]
    fn options_are_one_per_line_with_the_right_ones_starred() {
        let q = form("single", "Moodle\n*  ESEP \n\nTeams").parse().unwrap();
        assert_eq!(
            q.kind,
            Kind::SingleChoice {
                options: vec!["Moodle".into(), "ESEP".into(), "Teams".into()],
                correct: 1
            }
        );
        assert_eq!(q.points, 2);
        assert_eq!(q.form().options, "Moodle\n*ESEP\nTeams");
        assert_eq!(q.form().parse().unwrap(), q, "the edit form round-trips");

        let q = form("multiple", "*A\nB\n*C").parse().unwrap();
        assert_eq!(
            q.kind,
            Kind::MultipleChoice {
                options: vec!["A".into(), "B".into(), "C".into()],
                correct: vec![0, 2]
            }
        );
        assert_eq!(q.solution(), "A; C");
    }

    #[test]
    fn malformed_questions_say_what_is_wrong() {
        let problem = |f: QuestionForm| f.parse().unwrap_err();
        assert_eq!(
            problem(form("single", "*A\n*B")),
            vec![FieldProblem::new(Field::Options, Problem::OneCorrectOption)]
        );
        assert_eq!(
            problem(form("single", "*A")),
            vec![FieldProblem::new(Field::Options, Problem::TooFewOptions)]
        );
        assert_eq!(
            problem(form("multiple", "A\nB")),
            vec![FieldProblem::new(
                Field::Options,
                Problem::SomeCorrectOption
            )]
        );
        assert_eq!(
            problem(QuestionForm {
                accepted: " \n ".into(),
                ..form("short", "")
            }),
            vec![FieldProblem::new(
                Field::Accepted,
                Problem::AcceptedAnswerRequired
            )]
        );
        let problems = problem(QuestionForm {
            prompt: " ".into(),
            points: "0".into(),
            truth: "true".into(),
            ..form("true_false", "")
        });
        assert_eq!(
            problems,
            vec![
                FieldProblem::new(Field::Prompt, Problem::Required),
                FieldProblem::new(Field::Points, Problem::OutOfRange { min: 1, max: 100 }),
            ]
        );
        assert_eq!(
            problem(form("essay", "")),
            vec![FieldProblem::new(Field::Kind, Problem::Required)]
        );
    }

    #[test]
    fn settings_are_checked_and_blank_means_no_limit() {
        let mut problems = Problems::new();
        let settings = parse_settings("70", "", " ", true, "after_close", &mut problems).unwrap();
        assert!(problems.is_empty());
        assert_eq!(
            settings,
            QuizSettings {
                pass_percent: 70,
                max_attempts: None,
                time_limit_minutes: None,
                shuffle: true,
                review: ReviewPolicy::AfterClose,
            }
        );
        let mut problems = Problems::new();
        assert!(parse_settings("0", "x", "601", false, "never", &mut problems).is_none());
        let fields: Vec<Field> = problems.into_vec().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::PassPercent,
                Field::MaxAttempts,
                Field::TimeLimitMinutes,
                Field::ReviewPolicy
            ]
        );
    }

    #[test]
    fn form_answers_map_to_questions_and_ignore_the_impossible() {
        let questions = vec![
            form("single", "A\n*B")
                .parse()
                .map(|q| Question { id: 7, ..q })
                .unwrap(),
            form("multiple", "*A\nB\n*C")
                .parse()
                .map(|q| Question { id: 8, ..q })
                .unwrap(),
            Question {
                id: 9,
                prompt: "?".into(),
                points: 1,
                kind: Kind::TrueFalse { correct: false },
            },
            Question {
                id: 10,
                prompt: "?".into(),
                points: 1,
                kind: Kind::ShortAnswer {
                    accepted: vec!["Città".into()],
                },
            },
        ];
        let fields: Vec<(String, String)> = [
            ("q7", "1"),
            ("q8", "0"),
            ("q8", "2"),
            ("q8", "99"),
            ("q9", "false"),
            ("q10", " citta "),
            ("q11", "0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let answers = answers_from_form(&questions, &fields, |_| None);
        assert_eq!(
            answers,
            vec![
                (7, Answer::Choice(1)),
                (8, Answer::Choices(vec![0, 2])),
                (9, Answer::Truth(false)),
                (10, Answer::Text(" citta ".into())),
            ]
        );
        let grade = grade(&questions, &answers, 100);
        assert!(grade.passed);
        let blank = answers_from_form(&questions, &[("q7".into(), "5".into())], |_| None);
        assert!(blank.iter().all(|(_, a)| *a == Answer::Blank));
    }
}
