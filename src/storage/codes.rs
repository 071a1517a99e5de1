//! The one mapping between domain values and their stored columns: the domain's codes
//! ([`Coded`]) read back strictly, and counts and positions converted with a check (a value
//! that does not fit is an error, never clamped or wrapped).

use crate::domain::codes::Coded;

use super::{StorageError, StorageResult};

/// The value stored as `code` in column `column` of row `id` of `table`.
pub(crate) fn decode<T: Coded>(
    table: &str,
    id: &str,
    column: &str,
    code: &str,
) -> StorageResult<T> {
    T::from_code(code).ok_or_else(|| corrupt(table, id, column, code))
}

/// [`decode`] of a nullable column.
pub(crate) fn decode_opt<T: Coded>(
    table: &str,
    id: &str,
    column: &str,
    code: Option<&str>,
) -> StorageResult<Option<T>> {
    code.map(|c| decode(table, id, column, c)).transpose()
}

/// A stored non-negative integer (a count, a position, a number).
pub(crate) fn count(table: &str, id: &str, column: &str, v: i32) -> StorageResult<u32> {
    u32::try_from(v).map_err(|_| corrupt(table, id, column, &v.to_string()))
}

/// [`count`] of a nullable column.
pub(crate) fn count_opt(
    table: &str,
    id: &str,
    column: &str,
    v: Option<i32>,
) -> StorageResult<Option<u32>> {
    v.map(|v| count(table, id, column, v)).transpose()
}

/// A stored non-negative 64-bit figure (students enrolled, votes).
pub(crate) fn count64(table: &str, id: &str, column: &str, v: i64) -> StorageResult<u64> {
    u64::try_from(v).map_err(|_| corrupt(table, id, column, &v.to_string()))
}

/// A 64-bit figure as stored (a `BIGINT` column): refused when it does not fit.
pub(crate) fn to_big_column(
    column: &'static str,
    v: impl TryInto<i64> + Copy + ToString,
) -> StorageResult<i64> {
    v.try_into().map_err(|_| StorageError::OutOfRange {
        column,
        value: v.to_string(),
    })
}

/// A count or position as stored (an `INTEGER` column): refused when it does not fit.
pub(crate) fn to_column(
    column: &'static str,
    v: impl TryInto<i32> + Copy + ToString,
) -> StorageResult<i32> {
    v.try_into().map_err(|_| StorageError::OutOfRange {
        column,
        value: v.to_string(),
    })
}

fn corrupt(table: &str, id: &str, column: &str, value: &str) -> StorageError {
    StorageError::corrupt(format!("{table} {id}: {column} {value}"))
}
