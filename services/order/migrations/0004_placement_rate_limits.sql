-- Up Migration
-- The placement rate limit's counters, shared by every replica (rate-limiter-flexible's
-- RateLimiterPostgres layout: one row per customer and window; `expire` is epoch milliseconds).
-- Created here rather than by the library at run time, so the service needs no DDL rights and
-- the schema is versioned with the rest.
CREATE TABLE placement_rate_limits (
  key    text PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
-- The library's sweep deletes windows that ended an hour ago.
CREATE INDEX placement_rate_limits_expire_idx ON placement_rate_limits (expire);

-- Down Migration
DROP TABLE placement_rate_limits;
