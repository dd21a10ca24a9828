-- Runs once, on the first start of an empty data volume: one database per service plus
-- Temporal's two (the temporal container is told SKIP_DB_CREATE and only installs its schema).
CREATE DATABASE orders;
CREATE DATABASE inventory;
CREATE DATABASE payments;
CREATE DATABASE notifications;
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
