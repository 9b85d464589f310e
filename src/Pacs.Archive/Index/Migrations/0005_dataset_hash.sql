-- From this version on, the hash recorded for a stored object (sha256) is that of its dataset, the bytes after the File
-- Meta Information, which is also its content identity (content_sha256): ingest hashes each instance once. Rows
-- written before carry the whole object's hash in sha256; they take their dataset hash, so verify checks every row
-- the same way.
UPDATE instance_version SET sha256 = content_sha256 WHERE content_sha256 IS NOT NULL AND sha256 IS DISTINCT FROM content_sha256;
UPDATE instance i SET sha256 = v.content_sha256
  FROM instance_version v
 WHERE v.version_pk = i.current_version_pk AND v.content_sha256 IS NOT NULL AND i.sha256 IS DISTINCT FROM v.content_sha256;
