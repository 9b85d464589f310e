#!/usr/bin/env bash
# OpenStack Swift 2.30 (Debian 12 package python3-swift) with its s3api middleware, run as a
# single-node, single-replica S3 endpoint on 127.0.0.1. Unlike the fakes it verifies SigV4
# signatures (headers and presigned URLs), answers 409 BucketAlreadyOwnedByYou and 206 to ranged HEADs.
#
#   start-s3.sh ROOT PROXY_PORT     (account/container/object servers use PROXY_PORT+1..+3)
#   stop-s3.sh ROOT [--remove]
#
# S3 credentials: access key test:tester, secret testing (tempauth user), region us-east-1.
# Installs python3-swift (68 Debian packages, ~30 s; run apt-get update first on a fresh machine)
# when missing; needs root for that. ROOT must be on a filesystem with user xattrs (ext4 is fine).
# Per-server logs (one line per request) go to ROOT/log/.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(realpath -m "$1")"; PP="$2"; AP=$((PP+1)); CP=$((PP+2)); OP=$((PP+3))
PY=/usr/bin/python3
$PY -c 'import swift' 2>/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-swift >&2; }
mkdir -p "$ROOT/etc" "$ROOT/srv/d1" "$ROOT/run" "$ROOT/log" "$ROOT/py"
# tempauth and s3api need a memcache; with workers = 0 (one process) an in-process dict will do.
cat > "$ROOT/py/fakecache.py" <<'EOF'
import time as _t
class DictCache(object):
    def __init__(self):
        self.d = {}
    def _live(self, key):
        v = self.d.get(key)
        if v is not None and v[1] and v[1] < _t.time():
            del self.d[key]
            return None
        return v
    def get(self, key, raise_on_error=False):
        v = self._live(key)
        return None if v is None else v[0]
    def set(self, key, value, serialize=True, time=0, min_compress_len=0, raise_on_error=False):
        self.d[key] = (value, _t.time() + time if time else 0)
        return True
    def incr(self, key, delta=1, time=0):
        v = self._live(key)
        n = (int(v[0]) if v else 0) + int(delta)
        self.d[key] = (n, _t.time() + time if time else 0)
        return n
    def decr(self, key, delta=1, time=0):
        return self.incr(key, -delta, time)
    def delete(self, key, server_key=None):
        self.d.pop(key, None)
    def get_multi(self, keys, server_key):
        return [self.get(k) for k in keys]
    def set_multi(self, mapping, server_key, serialize=True, time=0, min_compress_len=0):
        for k, v in mapping.items():
            self.set(k, v, time=time)
_cache = DictCache()
def filter_factory(global_conf, **local_conf):
    def wrap(app):
        def mw(env, start_response):
            env['swift.cache'] = _cache
            return app(env, start_response)
        return mw
    return wrap
EOF
cat > "$ROOT/etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = probe-suffix
swift_hash_path_prefix = probe-prefix
[storage-policy:0]
name = Policy-0
default = yes
EOF
common() { cat <<EOF
[DEFAULT]
devices = $ROOT/srv
mount_check = false
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
swift_dir = $ROOT/etc
log_address = $ROOT/run/nolog
EOF
}
for s in account:$AP container:$CP object:$OP; do
  n=${s%%:*}; p=${s##*:}
  { common "$p"; printf '[pipeline:main]\npipeline = %s-server\n[app:%s-server]\nuse = egg:swift#%s\n' "$n" "$n" "$n"; } > "$ROOT/etc/$n-server.conf"
done
{ common "$PP"; cat <<'EOF'
[pipeline:main]
pipeline = catch_errors gatekeeper proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:cache]
paste.filter_factory = fakecache:filter_factory
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
} > "$ROOT/etc/proxy-server.conf"

cd "$ROOT/etc"
if [ ! -f object.ring.gz ]; then   # one process builds all three rings (part power 8, 1 replica)
  $PY - "$AP" "$CP" "$OP" >/dev/null <<'EOF'
import sys
from swift.cli.ringbuilder import main
for name, port in zip(("account", "container", "object"), sys.argv[1:]):
    for cmd in (["create", "8", "1", "1"], ["add", "r1z1-127.0.0.1:%s/d1" % port, "100"], ["rebalance"]):
        try:
            main(["swift-ring-builder", name + ".builder"] + cmd)
        except SystemExit as e:
            if e.code not in (None, 0, 1):
                raise
EOF
fi
# A second start (a test restarting S3 that is already up) must not orphan the running servers.
if [ -f "$ROOT/pids" ]; then "$HERE/stop-s3.sh" "$ROOT"; fi
: > "$ROOT/pids"
for n in account container object proxy; do
  PYTHONPATH="$ROOT/py" $PY -c 'import sys; from swift.common.utils import set_swift_dir; set_swift_dir(sys.argv[2]); from swift.common.wsgi import run_wsgi; sys.exit(run_wsgi(sys.argv[1], sys.argv[3], verbose=True))' \
    "$ROOT/etc/$n-server.conf" "$ROOT/etc" "$n-server" > "$ROOT/log/$n.log" 2>&1 &
  echo $! >> "$ROOT/pids"
done
for port in $AP $CP $OP $PP; do   # any HTTP answer counts as up
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done
curl -s -o /dev/null -w 'proxy answers: HTTP %{http_code}\n' "http://127.0.0.1:$PP/" >&2
echo "S3_ENDPOINT=127.0.0.1:$PP S3_ACCESS_KEY=test:tester S3_SECRET_KEY=testing"
