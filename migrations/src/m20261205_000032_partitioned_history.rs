use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A history table and what it is rebuilt with once partitioned: its
/// primary key and unique index now include the partition key `at`
/// (PostgreSQL requires it), its other indexes and foreign keys as before.
struct History {
    table: &'static str,
    /// Run after the rows are in, on the partitioned table.
    indexes: &'static [&'static str],
    /// Run on the plain table when going back.
    plain_indexes: &'static [&'static str],
}

const HISTORY: [History; 2] = [
    History {
        table: "audit_events",
        indexes: &[
            "ALTER TABLE audit_events ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id, at)",
            "CREATE UNIQUE INDEX ux_audit_events_application_seq ON audit_events (application_id, seq, at)",
            "CREATE INDEX ix_audit_events_at_moves ON audit_events (at, application_id, from_state, to_state, actor)",
            "ALTER TABLE audit_events ADD CONSTRAINT fk_audit_events_application FOREIGN KEY (application_id) \
             REFERENCES applications (id) ON DELETE RESTRICT",
        ],
        plain_indexes: &[
            "ALTER TABLE audit_events ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id)",
            "CREATE UNIQUE INDEX ux_audit_events_application_seq ON audit_events (application_id, seq)",
            "CREATE INDEX ix_audit_events_at_moves ON audit_events (at, application_id, from_state, to_state, actor)",
            "ALTER TABLE audit_events ADD CONSTRAINT fk_audit_events_application FOREIGN KEY (application_id) \
             REFERENCES applications (id) ON DELETE RESTRICT",
        ],
    },
    History {
        table: "agency_access",
        indexes: &[
            "ALTER TABLE agency_access ADD CONSTRAINT agency_access_pkey PRIMARY KEY (id, at)",
            "CREATE UNIQUE INDEX ux_agency_access_agency_seq ON agency_access (agency_id, seq, at)",
            "CREATE INDEX ix_agency_access_application ON agency_access (application_id, id)",
            "CREATE INDEX ix_agency_access_at ON agency_access (at)",
            "ALTER TABLE agency_access ADD CONSTRAINT agency_access_agency_id_fkey FOREIGN KEY (agency_id) \
             REFERENCES agencies (id) ON DELETE RESTRICT",
        ],
        plain_indexes: &[
            "ALTER TABLE agency_access ADD CONSTRAINT agency_access_pkey PRIMARY KEY (id)",
            "CREATE UNIQUE INDEX ux_agency_access_agency_seq ON agency_access (agency_id, seq)",
            "CREATE INDEX ix_agency_access_application ON agency_access (application_id, id)",
            "CREATE INDEX ix_agency_access_at ON agency_access (at)",
            "ALTER TABLE agency_access ADD CONSTRAINT agency_access_agency_id_fkey FOREIGN KEY (agency_id) \
             REFERENCES agencies (id) ON DELETE RESTRICT",
        ],
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // PostgreSQL only: the audit events and the access log partitioned
        // by month on their time, so that old months are separate tables
        // (and can be moved, archived or dropped whole) and a month's reads
        // touch its partition only. SQLite keeps one table each.
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for history in &HISTORY {
            let t = history.table;
            // Identity columns are not allowed on a partitioned table
            // before PostgreSQL 17: the ids come from a sequence of their
            // own, going on from the largest id there is.
            let mut sql = vec![
                format!("ALTER TABLE {t} RENAME TO {t}_unpartitioned"),
                format!("CREATE SEQUENCE {t}_ids"),
                format!(
                    "CREATE TABLE {t} (LIKE {t}_unpartitioned INCLUDING DEFAULTS) PARTITION BY RANGE (at)"
                ),
                format!("ALTER TABLE {t} ALTER COLUMN id SET DEFAULT nextval('{t}_ids')"),
                format!("ALTER SEQUENCE {t}_ids OWNED BY {t}.id"),
                // One partition a month from the oldest row's to three
                // months ahead (the scheduler keeps making them ahead).
                format!(
                    "DO $$ DECLARE m date; BEGIN \
                     FOR m IN SELECT generate_series( \
                         date_trunc('month', COALESCE((SELECT MIN(at) FROM {t}_unpartitioned), now()) AT TIME ZONE 'UTC'), \
                         date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', \
                         interval '1 month')::date LOOP \
                       EXECUTE format('CREATE TABLE %I PARTITION OF {t} FOR VALUES FROM (%L) TO (%L)', \
                         '{t}_p' || to_char(m, 'YYYY_MM'), m::text || ' 00:00:00+00', \
                         (m + interval '1 month')::date::text || ' 00:00:00+00'); \
                     END LOOP; END $$"
                ),
                format!("CREATE TABLE {t}_default PARTITION OF {t} DEFAULT"),
                format!("INSERT INTO {t} SELECT * FROM {t}_unpartitioned"),
                format!(
                    "SELECT setval('{t}_ids', COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
                ),
                format!("DROP TABLE {t}_unpartitioned"),
            ];
            sql.extend(history.indexes.iter().map(|s| String::from(*s)));
            sql.push(format!("ANALYZE {t}"));
            for statement in sql {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for history in &HISTORY {
            let t = history.table;
            let mut sql = vec![
                format!("CREATE TABLE {t}_plain (LIKE {t})"),
                format!("INSERT INTO {t}_plain SELECT * FROM {t}"),
                format!("DROP TABLE {t}"),
                format!("ALTER TABLE {t}_plain RENAME TO {t}"),
                format!("ALTER TABLE {t} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"),
                format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
                ),
            ];
            sql.extend(history.plain_indexes.iter().map(|s| String::from(*s)));
            for statement in sql {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }
}
