-- ETL bookkeeping: one row per file loaded, one row per rejected value, the first arrival of each
-- report. Every statement is idempotent: a load runs this file again on the snapshot it copies, so a
-- warehouse built before a table or column existed is brought up to date.

CREATE TABLE IF NOT EXISTS load_batch (
  batch_id      INTEGER PRIMARY KEY,
  file_name     VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  stream        VARCHAR NOT NULL,
  started_at    TIMESTAMP NOT NULL,
  finished_at   TIMESTAMP,
  rows_read     INTEGER NOT NULL DEFAULT 0,
  rows_accepted INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  rows_replaced INTEGER NOT NULL DEFAULT 0,
  rows_unchanged INTEGER NOT NULL DEFAULT 0
);
-- Where the file's data came from and when it arrived: 'central' for a CLI load (arrived when the
-- load started), 'county' for a county's submission (arrived when the county submitted it, which the
-- reporting loop passes to the loader). Only county arrivals are judged for punctuality.
ALTER TABLE load_batch ADD COLUMN IF NOT EXISTS source VARCHAR DEFAULT 'central';
ALTER TABLE load_batch ADD COLUMN IF NOT EXISTS arrived_at TIMESTAMP;
UPDATE load_batch SET arrived_at = started_at WHERE arrived_at IS NULL;

-- A row may be rejected for several columns at once: one reject row per problem.
CREATE TABLE IF NOT EXISTS load_reject (
  batch_id  INTEGER NOT NULL,
  file_name VARCHAR NOT NULL,
  line      INTEGER NOT NULL, -- as Excel shows it: the header is line 1
  "column"  VARCHAR,          -- the header as written in the file; NULL for whole-row problems
  raw_value VARCHAR,
  reason    VARCHAR NOT NULL
);

-- The batch that first brought a value for each report (indicator x unit x native period of
-- fact_indicator_value). Written once by the load that first inserts the key and never changed: a
-- correction replaces the fact (and its batch_id) but not this row, so punctuality is judged from
-- the first arrival and a later rewrite counts as a correction.
CREATE TABLE IF NOT EXISTS report_arrival (
  indicator_code VARCHAR NOT NULL,
  unit_code      VARCHAR NOT NULL,
  period         VARCHAR NOT NULL,
  batch_id       INTEGER NOT NULL,
  PRIMARY KEY (indicator_code, unit_code, period)
);
-- Reports loaded before arrivals were recorded: their first arrival is unknown, the batch that wrote
-- them is the earliest one known.
INSERT OR IGNORE INTO report_arrival
  SELECT indicator_code, unit_code, period, batch_id FROM fact_indicator_value;

-- One row per snapshot build: which catalog version scored it, when it was published, and which
-- version of the warehouse code built it (core/warehouse-code.ts; NULL: built before versions were
-- recorded). The server serves only snapshots built by its own code version.
CREATE TABLE IF NOT EXISTS snapshot_info (
  built_at        TIMESTAMP NOT NULL,
  catalog_version VARCHAR,
  newest_data     DATE
);
ALTER TABLE snapshot_info ADD COLUMN IF NOT EXISTS code_version VARCHAR;
