//! Between congresses (rules I1-I6): the standing delegates (常任代表) nominated per college
//! from the congress's delegates and frozen; the meetings of the term (常代会会议, 评议会), each
//! a congress row of its own whose roster is the frozen standing list, so check-in, quorum,
//! contests, ballot papers, board, record, packet and verification work unchanged; a removal
//! vote (罢免) naming a presidium member; the presidium as the certified records make it; and
//! the term's timeline.

mod by_election;
mod meetings;
pub mod participants;
mod standing;
mod view;

pub use by_election::by_election_check;
pub use meetings::{
    add_participant, create_meeting, propose_removal, set_participant_present, MeetingDetails,
    MAX_PARTICIPANT_CHARS,
};
pub use participants::{participant_cards, set_participant_votes, ParticipantCard};
pub use standing::{check_now, freeze, nominate, set_quotas};
pub use view::{overview, presidium_of, today_cst, MeetingLine, TermOverview};

use crate::domain::state::CongressState;
use crate::storage::repo::congress::Congress;
use crate::storage::repo::term;
use crate::storage::DbConnection;

use super::{ServiceError, ServiceResult};

/// A congress whose term this is: not itself a meeting, and closed (the standing delegates
/// are nominated after the congress).
fn term_congress(c: &mut DbConnection, congress: &Congress) -> ServiceResult<()> {
    if term::meeting(c, &congress.id)?.is_some() {
        return Err(ServiceError::Conflict(
            "这是闭会期间的会议, 常任代表在学生代表大会的“闭会期间”页面推荐".to_string(),
        ));
    }
    if congress.state < CongressState::Closed {
        return Err(ServiceError::Conflict(format!(
            "现在还不能推荐常任代表: 大会当前状态为“{}”, 常任代表在大会闭幕后从本次大会代表中推荐",
            congress.state.zh()
        )));
    }
    Ok(())
}
