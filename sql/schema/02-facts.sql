-- Facts: one table per stream of DATA-CONTRACT.md, typed, keyed as the contract says.
-- Keys are enforced by the loader (replace by key, reject an id seen twice in one load) and
-- checked by tests/sql; no PRIMARY KEY index, which would slow bulk loads of millions of rows.
-- batch_id and line say which file and line last changed the row (lineage for data-quality reports
-- and for naming the earlier line when an id is given twice in one load).

CREATE TYPE dispute_type AS ENUM ('wages', 'social_insurance', 'contract', 'injury', 'other');
CREATE TYPE mediation_channel AS ENUM ('court', 'union', 'hrss', 'other');
CREATE TYPE mediation_outcome AS ENUM ('success', 'failed', 'withdrawn', 'pending');
CREATE TYPE mutual_aid_plan AS ENUM ('inpatient', 'special_disease', 'accident', 'critical_illness', 'women_special_disease');
CREATE TYPE claim_status AS ENUM ('paid', 'rejected', 'pending');
CREATE TYPE hardship_level AS ENUM ('deep', 'relative', 'sudden');
CREATE TYPE hardship_cause AS ENUM ('illness', 'disability', 'schooling', 'unemployment', 'disaster', 'other');
CREATE TYPE assistance_channel AS ENUM ('union', 'referral', 'online');
CREATE TYPE assistance_status AS ENUM ('active', 'resolved', 'exited');
CREATE TYPE training_kind AS ENUM ('training', 'competition', 'certification');
CREATE TYPE skill_level AS ENUM ('apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'principal_technician', 'chief_technician');
CREATE TYPE funding_program AS ENUM ('county_strengthening', 'workers_palace', 'service_complex', 'outdoor_station', 'hardship', 'other');
CREATE TYPE funding_source AS ENUM ('acftu', 'regional_federation', 'finance', 'city_match');

-- One row per labour-dispute mediation case (key: case_id).
CREATE TABLE fact_mediation (
  case_id       VARCHAR NOT NULL,
  county_code   VARCHAR NOT NULL,
  received_date DATE NOT NULL,
  closed_date   DATE,
  dispute_type  dispute_type NOT NULL,
  channel       mediation_channel NOT NULL,
  outcome       mediation_outcome NOT NULL,
  workers       INTEGER NOT NULL CHECK (workers >= 1),
  amount_yuan   DECIMAL(14, 2) CHECK (amount_yuan >= 0),
  batch_id      INTEGER NOT NULL,
  line          INTEGER NOT NULL
);

-- One row per member, plan year and plan (key: member_id, plan_year, plan).
CREATE TABLE fact_insurance_enrolment (
  member_id         VARCHAR NOT NULL,
  county_code       VARCHAR NOT NULL,
  plan_year         SMALLINT NOT NULL,
  plan              mutual_aid_plan NOT NULL,
  enrolled_date     DATE NOT NULL,
  contribution_yuan DECIMAL(12, 2) NOT NULL CHECK (contribution_yuan >= 0),
  batch_id          INTEGER NOT NULL,
  line          INTEGER NOT NULL
);

-- One row per mutual-aid claim (key: claim_id).
CREATE TABLE fact_insurance_claim (
  claim_id       VARCHAR NOT NULL,
  member_id      VARCHAR NOT NULL,
  county_code    VARCHAR NOT NULL,
  plan_year      SMALLINT NOT NULL,
  submitted_date DATE NOT NULL,
  paid_date      DATE,
  amount_yuan    DECIMAL(14, 2) NOT NULL CHECK (amount_yuan >= 0),
  status         claim_status NOT NULL,
  batch_id       INTEGER NOT NULL,
  line          INTEGER NOT NULL
);

-- One row per hardship-assistance case file (key: case_id).
CREATE TABLE fact_assistance (
  case_id     VARCHAR NOT NULL,
  county_code VARCHAR NOT NULL,
  opened_date DATE NOT NULL,
  level       hardship_level NOT NULL,
  cause       hardship_cause NOT NULL,
  channel     assistance_channel NOT NULL,
  aid_yuan    DECIMAL(14, 2) NOT NULL CHECK (aid_yuan >= 0),
  status      assistance_status NOT NULL,
  closed_date DATE,
  batch_id    INTEGER NOT NULL,
  line          INTEGER NOT NULL
);

-- One row per training, competition or certification record (key: record_id).
CREATE TABLE fact_training (
  record_id   VARCHAR NOT NULL,
  county_code VARCHAR NOT NULL,
  person_id   VARCHAR NOT NULL,
  kind        training_kind NOT NULL,
  program     VARCHAR NOT NULL,
  date        DATE NOT NULL,
  skill_level skill_level,
  certified   BOOLEAN NOT NULL,
  batch_id    INTEGER NOT NULL,
  line          INTEGER NOT NULL
);

-- One row per subsidy disbursement (key: grant_id). recipient_code is a county or a city.
CREATE TABLE fact_funding (
  grant_id       VARCHAR NOT NULL,
  recipient_code VARCHAR NOT NULL,
  program        funding_program NOT NULL,
  source         funding_source NOT NULL,
  amount_yuan    DECIMAL(14, 2) NOT NULL CHECK (amount_yuan > 0),
  disbursed_date DATE NOT NULL,
  batch_id       INTEGER NOT NULL,
  line          INTEGER NOT NULL
);

-- One row per reported indicator value (key: indicator_code, unit_code, period).
-- period is '2023', '2023-Q2' or '2023-07'; period_start/period_end make it joinable.
CREATE TABLE fact_indicator_value (
  indicator_code VARCHAR NOT NULL,
  unit_code      VARCHAR NOT NULL,
  period         VARCHAR NOT NULL,
  period_start   DATE NOT NULL,
  period_end     DATE NOT NULL,
  value          DOUBLE NOT NULL,
  batch_id       INTEGER NOT NULL,
  line          INTEGER NOT NULL
);
