//! The identifiers of the four things most often named by id across the layers: a congress
//! (or a meeting, which is a congress row of its own), a contest, a delegate and a candidate.
//!
//! Each is an owned `String` newtype, so a contest id cannot be passed where a congress id is
//! expected (the two were both `&str`, and a swapped pair compiled). Functions take them
//! borrowed (`&ContestId`), which costs nothing; the text is reached explicitly with
//! [`as_str`](ContestId::as_str). They serialise as the bare string (`serde(transparent)`), so
//! JSON, forms and URL path segments read and write the same text as before, and an actix
//! `web::Path<(CongressId, ContestId)>` parses the path directly.
//!
//! Deliberately not provided: `Deref<Target = str>` (every `&str` function would accept any id
//! again) and `AsRef<str>` (a generic `impl AsRef<str>` parameter would take any of the four
//! interchangeably). `Borrow<str>` is provided so a map keyed by ids can be looked up with a
//! `&str` without allocating. How storage binds them in queries is `storage::ids`.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id as text (for SQL binds, file names, URLs and messages).
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The owned text, without copying.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                $name(s.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

id_type!(
    /// A congress (学代会), or a meeting between congresses (a congress row of its own).
    CongressId
);
id_type!(
    /// A contest (选举与表决事项) of a congress.
    ContestId
);
id_type!(
    /// A delegate (代表) on a congress's roster.
    DelegateId
);
id_type!(
    /// A candidate (候选人) of an election.
    CandidateId
);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn serialises_as_the_bare_string() {
        let id = ContestId::from("k-7");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"k-7\"");
        let back: ContestId = serde_json::from_str("\"k-7\"").unwrap();
        assert_eq!(back, id);
        let pair: (CongressId, ContestId) = serde_json::from_str("[\"c1\",\"k2\"]").unwrap();
        assert_eq!(pair.0.as_str(), "c1");
        assert_eq!(pair.1.to_string(), "k2");
    }

    #[test]
    fn looks_up_by_str_and_orders_as_text() {
        let mut m = BTreeMap::new();
        m.insert(DelegateId::from("b"), 2);
        m.insert(DelegateId::from("a"), 1);
        assert_eq!(m.get("b"), Some(&2));
        assert_eq!(m.keys().next().unwrap(), "a");
        assert_eq!(String::from(CandidateId::from("x".to_string())), "x");
    }
}
