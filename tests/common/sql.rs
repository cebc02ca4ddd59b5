//! Plain SQL on a test database, over a connection of its own, for what the
//! tests count, read or tamper with behind the application's back.

use sea_orm::{ConnectionTrait, Database, QueryResult, Statement};

/// Runs a query and returns its rows.
pub async fn query(url: &str, sql: &str) -> Vec<QueryResult> {
    let conn = Database::connect(url).await.expect("connect");
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await
        .expect("query")
}

/// Runs a query and returns each row's columns as text.
pub async fn rows(url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    query(url, sql)
        .await
        .iter()
        .map(|row| {
            (0..row.column_names().len())
                .map(|i| row.try_get_by_index::<Option<String>>(i).expect("text"))
                .collect()
        })
        .collect()
}

/// Runs a query whose one row holds one number, such as `SELECT COUNT(*)`.
pub async fn count(url: &str, sql: &str) -> i64 {
    query(url, sql)
        .await
        .first()
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a count")
}

/// Runs a statement that returns no rows.
pub async fn execute(url: &str, sql: &str) {
    let conn = Database::connect(url).await.expect("connect");
    conn.execute_unprepared(sql).await.expect("statement");
}
