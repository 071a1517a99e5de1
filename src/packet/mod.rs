//! The certified record, the filing packet and its verification.
