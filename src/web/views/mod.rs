//! maud views: functions returning `Markup`. `layout` wraps every staff page; components are
//! small functions. Views never touch the database.

pub mod approval;
pub mod assessment;
pub mod audit;
pub mod board;
pub mod card_use;
pub mod components;
pub mod contests;
pub mod delegate_filter;
pub mod import;
pub mod layout;
pub mod phone;
pub mod public;
pub mod registry;
pub mod results;
pub mod review;
pub mod roster;
pub mod screen;
pub mod setup;
pub mod term;

pub use components::*;
pub use layout::{layout, PageCtx};
pub use phone::phone_layout;
pub use public::{public_layout, PublicPage};
