-- ETL bookkeeping: one row per file loaded, one row per rejected value.

CREATE TABLE load_batch (
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

-- A row may be rejected for several columns at once: one reject row per problem.
CREATE TABLE load_reject (
  batch_id  INTEGER NOT NULL,
  file_name VARCHAR NOT NULL,
  line      INTEGER NOT NULL, -- as Excel shows it: the header is line 1
  "column"  VARCHAR,          -- the header as written in the file; NULL for whole-row problems
  raw_value VARCHAR,
  reason    VARCHAR NOT NULL
);

-- One row per snapshot build: which catalog version scored it, when it was published.
CREATE TABLE snapshot_info (
  built_at        TIMESTAMP NOT NULL,
  catalog_version VARCHAR,
  newest_data     DATE
);
