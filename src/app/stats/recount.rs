//! The tallies checked against a recount from the raw rows, and rebuilt
//! from it (`casework stats check|rebuild`).

use crate::app::{AppError, Engine};
use crate::store::tallies;

/// Compares the stored tallies with a recount from the raw rows; returns
/// one line per difference (empty when they agree).
pub async fn check(engine: &Engine) -> Result<Vec<String>, AppError> {
    let stored = tallies::stored(&engine.store).await?;
    let recount = tallies::recount(&engine.store).await?;
    let mut differences = tallies::differences(&stored, &recount);
    // The agency portal's counts against its access log.
    let log = crate::store::portal::recount(&engine.store).await?;
    let (first, last) = match (log.first(), log.last()) {
        (Some(f), Some(l)) => (f.day, l.day),
        _ => (
            chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
            chrono::NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or_default(),
        ),
    };
    let kept = crate::store::portal::tallies(&engine.store, first, last).await?;
    if kept != log {
        differences.push(format!(
            "agency portal: the tallies hold {} persons asked about, the access log {}",
            kept.iter().map(|t| t.count).sum::<i64>(),
            log.iter().map(|t| t.count).sum::<i64>()
        ));
    }
    Ok(differences)
}

/// Replaces the stored tallies with a recount; returns the rows written.
pub async fn rebuild(engine: &Engine) -> Result<usize, AppError> {
    let recount = tallies::recount(&engine.store).await?;
    let rows = recount.rows().filter(|(_, v)| **v != (0, 0)).count();
    let tx = engine.store.begin().await?;
    tallies::replace_all(&tx, recount).await?;
    tx.commit().await?;
    Ok(rows)
}
