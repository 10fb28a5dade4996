-- (PostgreSQL only: the staging table is unlogged there.)
SELECT 1;
