-- The pilot roster of Phase 2.
CREATE TABLE pilot (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    contact     VARCHAR(200) NOT NULL,
    pilot_group VARCHAR(16)  NOT NULL,
    wing        INT          NOT NULL,
    squadron    INT          NOT NULL
);
CREATE INDEX pilot_group_unit ON pilot (pilot_group, wing, squadron);
