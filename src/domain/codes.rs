//! The stable codes and Chinese names of the domain's small enums (states, kinds, roles), each
//! declared once in a table by [`coded!`](crate::coded). The code is what the database stores,
//! the API sends and the forms post; the Chinese name is what the pages print. Storage maps
//! every such column through [`Coded`] in one place (`storage::codes`).

/// An enum with a stable code per value.
pub trait Coded: Copy + Sized + 'static {
    /// Every value, in declaration order.
    fn all() -> &'static [Self];

    /// The value's code (`"open"`, `"election"`, ...).
    fn code(self) -> &'static str;

    /// The value whose code is exactly `code` (no trimming, no Chinese names): for what the
    /// system itself wrote.
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == code)
    }
}

/// Declares the codes (and optionally the Chinese names) of an enum's values:
///
/// ```text
/// coded! { ContestState { Draft => "draft", "准备中"; Open => "open", "投票中"; } }
/// ```
///
/// gives `ContestState::ALL`, `as_str()` (the code), `zh()` (the Chinese name), `parse()` (a
/// code or a Chinese name, surrounding spaces ignored: forms and files) and the [`Coded`]
/// implementation. Without Chinese names (`Print => "print";`) only `ALL`, `as_str()` and
/// [`Coded`] are generated.
#[macro_export]
macro_rules! coded {
    ($ty:ident { $($v:ident => $code:literal, $zh:literal;)+ }) => {
        $crate::coded!(@base $ty { $($v => $code;)+ });
        impl $ty {
            /// The Chinese name.
            pub fn zh(self) -> &'static str {
                match self { $($ty::$v => $zh,)+ }
            }

            /// A code or a Chinese name, surrounding spaces ignored.
            pub fn parse(s: &str) -> Option<$ty> {
                let s = s.trim();
                Self::ALL.into_iter().find(|v| v.as_str() == s || v.zh() == s)
            }
        }
    };
    ($ty:ident { $($v:ident => $code:literal;)+ }) => {
        $crate::coded!(@base $ty { $($v => $code;)+ });
    };
    (@base $ty:ident { $($v:ident => $code:literal;)+ }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: [$ty; [$(stringify!($v)),+].len()] = [$($ty::$v),+];

            /// The stable code (database, API, forms).
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$v => $code,)+ }
            }
        }
        impl $crate::domain::codes::Coded for $ty {
            fn all() -> &'static [$ty] {
                &$ty::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Coded;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Colour {
        Red,
        Blue,
    }
    crate::coded! { Colour { Red => "red", "红"; Blue => "blue", "蓝"; } }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Bare {
        One,
    }
    crate::coded! { Bare { One => "one"; } }

    #[test]
    fn codes_names_and_parsing() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::Blue]);
        assert_eq!(Colour::Blue.as_str(), "blue");
        assert_eq!(Colour::Blue.zh(), "蓝");
        assert_eq!(Colour::parse(" 蓝 "), Some(Colour::Blue));
        assert_eq!(Colour::parse("red"), Some(Colour::Red));
        assert_eq!(Colour::parse("green"), None);
        // Storage reads exact codes only.
        assert_eq!(Colour::from_code("red"), Some(Colour::Red));
        assert_eq!(Colour::from_code(" red"), None);
        assert_eq!(Colour::from_code("红"), None);
        assert_eq!(Bare::from_code("one"), Some(Bare::One));
        assert_eq!(Bare::all(), &[Bare::One]);
    }
}
