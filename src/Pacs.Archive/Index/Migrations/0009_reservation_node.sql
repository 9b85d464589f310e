-- Which node recorded a reservation. Several nodes may share the index, and a node starting up used to remove every
-- reservation still 'creating', the stores in flight on the other nodes included (their commits then failed as lost).
-- A node now removes at start-up only the reservations it recorded itself before it stopped; those of other nodes go
-- by age, in the periodic sweep. Rows reserved before this version have no node and go by age too.
ALTER TABLE instance_version ADD COLUMN reserved_by text;
