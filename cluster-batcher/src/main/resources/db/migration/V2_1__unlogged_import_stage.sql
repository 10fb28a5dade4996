-- The staging rows are rebuilt from the upload if the database crashes mid-import: no WAL for them.
ALTER TABLE fleet_import_stage SET UNLOGGED;
