//! Roles. Everybody is a participant; ambassador and staff are granted by staff.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Ambassador,
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ambassador => "ambassador",
            Role::Staff => "staff",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "ambassador" => Some(Role::Ambassador),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles {
    pub ambassador: bool,
    pub staff: bool,
}

impl Roles {
    pub fn has(self, role: Role) -> bool {
        match role {
            Role::Ambassador => self.ambassador,
            Role::Staff => self.staff,
        }
    }

    pub fn with(self, role: Role, granted: bool) -> Self {
        match role {
            Role::Ambassador => Self {
                ambassador: granted,
                ..self
            },
            Role::Staff => Self {
                staff: granted,
                ..self
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleChangeRefusal {
    /// Staff may not remove their own staff role: nobody locks the platform out by mistake.
    OwnStaffRole,
}

/// Whether staff member `by` may set `role` to `granted` on user `target`.
pub fn check_role_change(
    by: i32,
    target: i32,
    role: Role,
    granted: bool,
) -> Result<(), RoleChangeRefusal> {
    if by == target && role == Role::Staff && !granted {
        return Err(RoleChangeRefusal::OwnStaffRole);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_granted_and_removed_independently() {
        let roles = Roles::default().with(Role::Ambassador, true);
        assert!(roles.has(Role::Ambassador) && !roles.has(Role::Staff));
        let roles = roles.with(Role::Staff, true).with(Role::Ambassador, false);
        assert!(!roles.has(Role::Ambassador) && roles.has(Role::Staff));
    }

    #[test]
    fn staff_cannot_remove_their_own_staff_role() {
        assert_eq!(
            check_role_change(1, 1, Role::Staff, false),
            Err(RoleChangeRefusal::OwnStaffRole)
        );
        assert_eq!(check_role_change(1, 1, Role::Ambassador, false), Ok(()));
        assert_eq!(check_role_change(1, 2, Role::Staff, false), Ok(()));
        assert_eq!(check_role_change(1, 1, Role::Staff, true), Ok(()));
    }

    #[test]
    fn names_round_trip() {
        for role in [Role::Ambassador, Role::Staff] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("participant"), None);
    }
}
