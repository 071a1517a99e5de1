//! How the typed ids of `domain::ids` meet diesel: each binds as `Text` (or `Nullable<Text>`),
//! so a repository filters with `contests::id.eq(contest_id)` on a `&ContestId` exactly as it
//! did on a `&str`. The rows of `storage::models` keep `String` columns; a repository turns a
//! row's text into the id when it builds the domain value (a move, no copy).

use diesel::expression::AsExpression;
use diesel::sql_types::{Nullable, Text};

use crate::domain::ids::{CandidateId, CongressId, ContestId, DelegateId};

macro_rules! bind_as_text {
    ($($name:ident),*) => {$(
        impl<'a> AsExpression<Text> for &'a $name {
            type Expression = <&'a str as AsExpression<Text>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'a str as AsExpression<Text>>::as_expression(self.as_str())
            }
        }

        impl<'a> AsExpression<Nullable<Text>> for &'a $name {
            type Expression = <&'a str as AsExpression<Nullable<Text>>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <&'a str as AsExpression<Nullable<Text>>>::as_expression(self.as_str())
            }
        }

        impl AsExpression<Text> for $name {
            type Expression = <String as AsExpression<Text>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <String as AsExpression<Text>>::as_expression(self.into_string())
            }
        }

        impl AsExpression<Nullable<Text>> for $name {
            type Expression = <String as AsExpression<Nullable<Text>>>::Expression;
            fn as_expression(self) -> Self::Expression {
                <String as AsExpression<Nullable<Text>>>::as_expression(self.into_string())
            }
        }
    )*};
}

bind_as_text!(CongressId, ContestId, DelegateId, CandidateId);
