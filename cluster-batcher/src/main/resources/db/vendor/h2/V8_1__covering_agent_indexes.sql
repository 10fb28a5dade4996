-- (PostgreSQL only: indexes that carry the columns an index-only scan needs.)
SELECT 1;
