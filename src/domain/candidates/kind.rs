//! What an election fills (主席团, 委员会, 常任代表, 其他) and the seat limits each kind has:
//! rule C1's limit for the presidium only (issue 12.9).

use serde::{Deserialize, Serialize};

use super::{check_seats, violation};
use crate::domain::settings::RuleProfile;
use crate::domain::types::{Level, Violation};

/// What an election fills (issue 12.9): the presidium (主席团, rule C1's seat limit and C3's
/// eligibility), a committee (委员会), standing delegates (常任代表, by-elections included) or
/// anything else the congress elects (其他). Only the presidium is capped by C1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ElectionKind {
    #[default]
    Presidium,
    Committee,
    Standing,
    Other,
}

crate::coded! { ElectionKind {
    Presidium => "presidium", "主席团";
    Committee => "committee", "委员会";
    Standing => "standing", "常任代表";
    Other => "other", "其他";
} }

impl ElectionKind {
    /// Whether rule C3 (political status, ranking, no failed course) applies to candidates.
    pub fn checks_eligibility(self) -> bool {
        self == ElectionKind::Presidium
    }
}

/// Most seats an election other than the presidium may fill (a sanity bound, not a rule).
pub const MAX_SEATS_OTHER: u32 = 200;

/// Rule C1 by kind of election: the presidium within the level's limit ([`check_seats`]);
/// every other kind at least 1 seat (and at most [`MAX_SEATS_OTHER`]).
pub fn check_seats_of(
    kind: ElectionKind,
    level: Level,
    seats: u32,
    profile: &RuleProfile,
) -> Result<(), Violation> {
    match kind {
        ElectionKind::Presidium => check_seats(level, seats, profile),
        _ if seats == 0 => Err(violation(
            "C1",
            None,
            1,
            0,
            format!("{}选举应选名额至少为1名，当前为0名", kind.zh()),
        )),
        _ if seats > MAX_SEATS_OTHER => Err(violation(
            "C1",
            None,
            i64::from(MAX_SEATS_OTHER),
            i64::from(seats),
            format!(
                "{}选举应选名额不得超过{MAX_SEATS_OTHER}名，当前为{seats}名",
                kind.zh()
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_caps_the_presidium_only() {
        let p = RuleProfile::default();
        for level in [Level::School, Level::College] {
            assert!(check_seats_of(ElectionKind::Presidium, level, 6, &p).is_err());
            for k in [
                ElectionKind::Committee,
                ElectionKind::Standing,
                ElectionKind::Other,
            ] {
                assert_eq!(check_seats_of(k, level, 15, &p), Ok(()));
                let v = check_seats_of(k, level, 0, &p).unwrap_err();
                assert_eq!((v.rule.as_str(), v.required, v.found), ("C1", 1, 0));
                assert!(check_seats_of(k, level, MAX_SEATS_OTHER + 1, &p).is_err());
            }
        }
        assert_eq!(
            check_seats_of(ElectionKind::Presidium, Level::College, 3, &p),
            Ok(())
        );
        assert!(ElectionKind::Presidium.checks_eligibility());
        assert!(!ElectionKind::Standing.checks_eligibility());
        for k in ElectionKind::ALL {
            assert_eq!(ElectionKind::parse(k.as_str()), Some(k));
            assert_eq!(ElectionKind::parse(k.zh()), Some(k));
        }
        assert_eq!(ElectionKind::parse("council"), None);
    }
}
