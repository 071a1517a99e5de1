//! The web application (actix-web + maud).
