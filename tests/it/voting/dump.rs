//! Every table of the database as text, in storage order, found from the catalogue itself
//! (SQLite: `sqlite_master`; PostgreSQL: `information_schema`), so a table added later is
//! checked without anyone remembering to list it.

use congress::storage::DbConnection;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};

/// One table: its columns and each row's values joined with " | ".
#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    /// SQLite's `CREATE TABLE` statement.
    pub sql: Option<String>,
}

#[derive(QueryableByName)]
struct V {
    #[diesel(sql_type = Text)]
    v: String,
}

fn texts(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    let q = diesel::sql_query(sql);
    let rows: Vec<V> = match conn {
        DbConnection::Sqlite(c) => q.load(c),
        DbConnection::Pg(c) => q.load(c),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|r| r.v).collect()
}

/// Every table with every row, rows in the order a plain `SELECT` returns them.
pub fn dump(conn: &mut DbConnection) -> Vec<Table> {
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    let names = if sqlite {
        texts(
            conn,
            "SELECT name AS v FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
    } else {
        texts(
            conn,
            "SELECT CAST(table_name AS TEXT) AS v FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
        )
    };
    assert!(names.len() >= 10, "catalogue lists {names:?}");
    // PostgreSQL: every table's columns in one catalogue query (one per table made the
    // authorisation walk, which dumps the database around every mutating request, slow).
    let mut pg_columns: std::collections::HashMap<String, Vec<String>> = Default::default();
    if !sqlite {
        let pairs = texts(
            conn,
            "SELECT CAST(table_name AS TEXT) || '|' || CAST(column_name AS TEXT) AS v \
             FROM information_schema.columns WHERE table_schema = 'public' \
             ORDER BY table_name, ordinal_position",
        );
        for pair in pairs {
            let (table, column) = pair.split_once('|').expect("table|column");
            pg_columns
                .entry(table.to_string())
                .or_default()
                .push(column.to_string());
        }
    }
    names
        .into_iter()
        .map(|name| {
            let columns = if sqlite {
                texts(
                    conn,
                    &format!("SELECT name AS v FROM pragma_table_info('{name}') ORDER BY cid"),
                )
            } else {
                pg_columns.remove(&name).unwrap_or_default()
            };
            let joined = columns
                .iter()
                .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')"))
                .collect::<Vec<_>>()
                .join(" || ' | ' || ");
            let rows = texts(conn, &format!("SELECT {joined} AS v FROM \"{name}\""));
            let sql = sqlite.then(|| {
                texts(
                    conn,
                    &format!("SELECT sql AS v FROM sqlite_master WHERE name = '{name}'"),
                )
                .concat()
            });
            Table {
                name,
                columns,
                rows,
                sql,
            }
        })
        .collect()
}

/// One column of a table in storage order: PostgreSQL's physical order (`ctid`), SQLite's
/// table b-tree order (what a plain `SELECT` returns).
pub fn column(conn: &mut DbConnection, table: &str, column: &str, filter: &str) -> Vec<String> {
    let order = match conn {
        DbConnection::Pg(_) => " ORDER BY ctid",
        DbConnection::Sqlite(_) => "",
    };
    texts(
        conn,
        &format!("SELECT CAST({column} AS TEXT) AS v FROM {table} WHERE {filter}{order}"),
    )
}
