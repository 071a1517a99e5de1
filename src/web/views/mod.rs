//! maud views: functions returning `Markup`. `layout` wraps every staff page; components are
//! small functions. Views never touch the database.

pub mod audit;
pub mod components;
pub mod import;
pub mod layout;
pub mod phone;
pub mod roster;

pub use components::*;
pub use layout::{layout, PageCtx};
pub use phone::phone_layout;
