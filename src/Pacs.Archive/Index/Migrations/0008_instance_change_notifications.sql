-- Nodes keep the location of recently read instances (blob key, version, study and series) in memory, so that a
-- WADO-RS frame or rendered image read again needs no index query. A cached location goes stale when its instance is
-- replaced (a new current version, possibly in another series) or deleted, by this node or by any other sharing the
-- database; these triggers tell every listening node which instances changed, in the same transaction as the change
-- (a notification is delivered only once that transaction commits). New instances need no notification: nothing of
-- theirs can be cached yet. The payload is the changed SOP Instance UIDs separated by spaces, or '*' (drop
-- everything) when a statement changed more than 100 of them, which keeps it under the 8000-byte payload limit.
CREATE FUNCTION pacs_notify_instances_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    uids text;
BEGIN
    SELECT count(*), string_agg(sop_instance_uid, ' ') INTO n, uids FROM (SELECT sop_instance_uid FROM changed LIMIT 101) c;
    IF n > 100 THEN
        PERFORM pg_notify('pacs_instances_changed', '*');
    ELSIF n > 0 THEN
        PERFORM pg_notify('pacs_instances_changed', uids);
    END IF;
    RETURN NULL;
END $$;

-- PostgreSQL allows a transition table only on a trigger for a single event, hence two triggers.
CREATE TRIGGER instance_updated_notify AFTER UPDATE ON instance
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION pacs_notify_instances_changed();
CREATE TRIGGER instance_deleted_notify AFTER DELETE ON instance
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION pacs_notify_instances_changed();
