//! The published artefacts and the filing packet: boards, the certified record and its
//! addenda, the packet on disk, and its verification by an outsider.

pub mod format;
