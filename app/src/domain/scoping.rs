//! Who may see and do what inside one edition. Services load the caller's [`EditionRole`]
//! once, then ask these functions; objects are always loaded through the edition and group
//! they belong to, never by a bare id.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditionRole {
    /// Staff see and act on everything.
    Staff,
    /// Ambassador of these groups of the edition.
    Ambassador { groups: Vec<i32> },
    /// Enrolled (holding a place), in this group if assigned.
    Participant { group: Option<i32> },
    /// Not part of the edition.
    Outsider,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupAccess {
    Staff,
    Ambassador,
    Member,
}

impl EditionRole {
    pub fn is_staff(&self) -> bool {
        matches!(self, EditionRole::Staff)
    }

    /// Whether the caller is part of the edition at all.
    pub fn takes_part(&self) -> bool {
        !matches!(self, EditionRole::Outsider)
    }

    /// A participant holding a place (the one who hands in work, takes quizzes, attends).
    pub fn is_participant(&self) -> bool {
        matches!(self, EditionRole::Participant { .. })
    }

    /// Staff, or an ambassador of some of the edition's groups: those who follow participants'
    /// progress, review their work and record their attendance.
    pub fn follows_participants(&self) -> bool {
        matches!(self, EditionRole::Staff | EditionRole::Ambassador { .. })
    }

    pub fn group_access(&self, group_id: i32) -> Option<GroupAccess> {
        match self {
            EditionRole::Staff => Some(GroupAccess::Staff),
            EditionRole::Ambassador { groups } if groups.contains(&group_id) => {
                Some(GroupAccess::Ambassador)
            }
            EditionRole::Participant { group: Some(group) } if *group == group_id => {
                Some(GroupAccess::Member)
            }
            _ => None,
        }
    }

    /// Whether the caller may see (and, as an ambassador, review or mark) the work of a participant
    /// who is in `participant_group`; `own` when it is the caller's own work.
    pub fn may_follow(&self, participant_group: Option<i32>, own: bool) -> bool {
        match self {
            EditionRole::Staff => true,
            EditionRole::Ambassador { groups } => {
                participant_group.is_some_and(|g| groups.contains(&g))
            }
            EditionRole::Participant { .. } => own,
            EditionRole::Outsider => false,
        }
    }

    /// Groups whose participants the caller follows: all (`None`) or these.
    pub fn followed_groups(&self) -> Option<Vec<i32>> {
        match self {
            EditionRole::Staff => None,
            EditionRole::Ambassador { groups } => Some(groups.clone()),
            _ => Some(Vec::new()),
        }
    }
}

impl GroupAccess {
    /// Announcements come from staff and the group's ambassadors.
    pub fn may_announce(self) -> bool {
        matches!(self, GroupAccess::Staff | GroupAccess::Ambassador)
    }
}

/// Splits participants into groups of about `size`, mixing school levels and regions: people
/// are sorted by (level, region) and dealt out in turn, so each group gets a share of each.
/// Sizes differ by at most one.
pub fn split_into_groups<T: Clone>(
    participants: &[(T, Option<String>, Option<String>)],
    size: usize,
) -> Vec<Vec<T>> {
    if participants.is_empty() || size == 0 {
        return Vec::new();
    }
    let count = participants.len().div_ceil(size);
    let mut sorted: Vec<&(T, Option<String>, Option<String>)> = participants.iter().collect();
    sorted.sort_by(|a, b| (&a.2, &a.1).cmp(&(&b.2, &b.1)));
    let mut groups: Vec<Vec<T>> = vec![Vec::new(); count];
    for (i, participant) in sorted.into_iter().enumerate() {
        groups[i % count].push(participant.0.clone());
    }
    groups
}

/// One of an edition's groups, as a newcomer is placed: its size and whether someone tutors it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupPlace {
    pub id: i32,
    pub members: usize,
    pub tutored: bool,
}

/// The group a participant enrolling after the groups were formed joins: the smallest group
/// with a tutor (so her work reaches a reviewer), else the smallest group; the oldest on a tie.
/// `None` when the edition has no groups yet ("Forma i gruppi" places her later).
pub fn group_for_newcomer(groups: &[GroupPlace]) -> Option<i32> {
    let pick = |tutored_only: bool| {
        groups
            .iter()
            .filter(|g| g.tutored || !tutored_only)
            .min_by_key(|g| (g.members, g.id))
            .map(|g| g.id)
    };
    pick(true).or_else(|| pick(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newcomer_joins_the_smallest_tutored_group() {
        let place = |id, members, tutored| GroupPlace {
            id,
            members,
            tutored,
        };
        assert_eq!(
            group_for_newcomer(&[place(1, 20, true), place(2, 18, true), place(3, 2, false)]),
            Some(2),
            "a group without a tutor is taken only when no group has one"
        );
        assert_eq!(
            group_for_newcomer(&[place(1, 5, false), place(2, 4, false)]),
            Some(2)
        );
        assert_eq!(
            group_for_newcomer(&[place(7, 4, true), place(3, 4, true)]),
            Some(3),
            "the oldest group on a tie"
        );
        assert_eq!(group_for_newcomer(&[]), None);
    }

    #[test]
    fn staff_reach_every_group_ambassadors_theirs_members_their_own() {
        let staff = EditionRole::Staff;
        let ambassador = EditionRole::Ambassador { groups: vec![1, 2] };
        let member = EditionRole::Participant { group: Some(1) };
        let unassigned = EditionRole::Participant { group: None };
        for group in [1, 2, 3] {
            assert_eq!(staff.group_access(group), Some(GroupAccess::Staff));
        }
        assert_eq!(ambassador.group_access(2), Some(GroupAccess::Ambassador));
        assert_eq!(ambassador.group_access(3), None);
        assert_eq!(member.group_access(1), Some(GroupAccess::Member));
        assert_eq!(member.group_access(2), None);
        assert_eq!(unassigned.group_access(1), None);
        assert_eq!(EditionRole::Outsider.group_access(1), None);
    }

    #[test]
    fn who_follows_participants_and_who_is_one() {
        let ambassador = EditionRole::Ambassador { groups: vec![1] };
        let member = EditionRole::Participant { group: None };
        assert!(EditionRole::Staff.follows_participants() && ambassador.follows_participants());
        assert!(!member.follows_participants() && !EditionRole::Outsider.follows_participants());
        assert!(member.is_participant());
        assert!(!ambassador.is_participant() && !EditionRole::Staff.is_participant());
    }

    #[test]
    fn only_staff_and_ambassadors_announce() {
        assert!(GroupAccess::Staff.may_announce());
        assert!(GroupAccess::Ambassador.may_announce());
        assert!(!GroupAccess::Member.may_announce());
    }

    #[test]
    fn following_someone_s_work() {
        let ambassador = EditionRole::Ambassador { groups: vec![1] };
        assert!(ambassador.may_follow(Some(1), false));
        assert!(!ambassador.may_follow(Some(2), false));
        assert!(!ambassador.may_follow(None, false));
        let member = EditionRole::Participant { group: Some(1) };
        assert!(member.may_follow(Some(1), true));
        assert!(!member.may_follow(Some(1), false), "not a classmate's work");
        assert!(EditionRole::Staff.may_follow(None, false));
        assert!(!EditionRole::Outsider.may_follow(Some(1), true));
    }

    #[test]
    fn splitting_balances_sizes_and_mixes_levels() {
        let people: Vec<(i32, Option<String>, Option<String>)> = (0..10)
            .map(|i| {
                let level = if i < 5 { "primaria" } else { "secondaria" };
                let region = if i % 2 == 0 { "Toscana" } else { "Lazio" };
                (i, Some(region.to_owned()), Some(level.to_owned()))
            })
            .collect();
        let groups = split_into_groups(&people, 4);
        assert_eq!(groups.len(), 3);
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        assert!(
            sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
            "{sizes:?}"
        );
        let mut everyone: Vec<i32> = groups.iter().flatten().copied().collect();
        everyone.sort_unstable();
        assert_eq!(everyone, (0..10).collect::<Vec<_>>(), "each exactly once");
        for group in &groups {
            assert!(
                group.iter().any(|i| *i < 5) && group.iter().any(|i| *i >= 5),
                "levels mixed: {group:?}"
            );
        }
    }

    #[test]
    fn splitting_nothing_or_by_zero() {
        assert!(split_into_groups::<i32>(&[], 5).is_empty());
        assert!(split_into_groups(&[(1, None, None)], 0).is_empty());
        assert_eq!(split_into_groups(&[(1, None, None)], 30), vec![vec![1]]);
    }
}
