-- (PostgreSQL only: the agent table keeps its foreign key to cluster on the embedded database.)
SELECT 1;
