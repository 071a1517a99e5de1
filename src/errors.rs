//! Which error to use when, and the two helpers every layer shares.
//!
//! - `domain`: a broken rule is data, never a string glued in a handler: `Violation` (rule,
//!   college, required, found), `StateError` (the congress's lifecycle), `ContestRefusal` (the
//!   contest's), each with its Chinese explanation for the user.
//! - `storage`: `StorageError`, in English, for the logs: it says what failed and keeps the
//!   cause as its `source()`; nobody shows it to a user as it is.
//! - `crypto`, `import`, `packet`: their own `thiserror` enums; `import` and `packet` speak to
//!   the organiser (file, row, column, rule) in Chinese.
//! - `service`: `ServiceError`. `NotFound`, `State`, `Invalid` and `Conflict` carry the
//!   message for the user; `Storage` and `Internal` are nobody's input (a failing disk, a
//!   broken invariant) and keep their cause.
//! - `web`: `WebError` maps every kind to a status and a Chinese page or JSON body; an internal
//!   error is logged with its whole [`chain`] and the user sees a generic sentence.
//! - `cli`: `anyhow`, with storage errors worded in Chinese before printing (`cli::describe`).

/// The cause kept by an internal error: any error, or a sentence saying what broke.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What was being done when `cause` happened.
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
pub struct Context {
    what: String,
    #[source]
    cause: BoxError,
}

/// `cause`, with what was being done.
pub fn context(what: impl Into<String>, cause: impl Into<BoxError>) -> BoxError {
    Box::new(Context {
        what: what.into(),
        cause: cause.into(),
    })
}

/// `error: cause: cause of the cause ...`, for logs and the command line.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        let text = s.to_string();
        // A wrapper that repeats its cause's text adds nothing.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_chain_names_every_cause_once() {
        let e = Outer(std::io::Error::other("disk full"));
        assert_eq!(chain(&e), "outer: disk full");
        let boxed: BoxError = "no key".into();
        assert_eq!(chain(boxed.as_ref()), "no key");
        let ctx = context("reading the key", e);
        assert_eq!(chain(ctx.as_ref()), "reading the key: outer: disk full");
    }
}
