#!/bin/sh
# A throw-away, one-node Ceph cluster with the RADOS Gateway (S3) on 127.0.0.1, for tests.
# Recipe: ../shared/design/TEST-LAB.md "A real S3 implementation on loopback". In-memory OSD (memstore),
# no auth inside the cluster (the gateway still checks SigV4), everything in one temp folder. The OSD
# holds OFFLOAD_RGW_MEMSTORE_BYTES (default 1 GiB, Ceph's default; the benchmarks raise it).
#
# Usage: rgw-cluster.sh MON_PORT RGW_PORT BIND_PORT_MIN USERS_JSON_LINES
# Prints one JSON line when ready, then waits: when its stdin closes (the test process ended, however
# it ended) or it gets SIGTERM, it kills the daemons and removes the folder.
set -eu
mon_port=$1 rgw_port=$2 bind_min=$3
dir=$(mktemp -d /tmp/offload-rgw-XXXXXX)
pids=""
cleanup() {
  # Order matters when stopping gently (radosgw, then OSD, then monitor); with throw-away data, SIGKILL is fine.
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 0' TERM INT
fail() { echo "rgw-cluster: $1 (logs in $dir/log)" >&2; tail -n 20 "$dir"/log/* >&2 2>/dev/null || true; exit 1; }

fsid=$(cat /proc/sys/kernel/random/uuid)
mkdir -p "$dir/mon" "$dir/osd" "$dir/run" "$dir/log" "$dir/rgw"
cat > "$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms_mon_client_mode = crc
osd pool default size = 1
osd pool default min size = 1
mon_allow_pool_size_one = true
osd pool default pg num = 8
osd pool default pgp num = 8
osd_pool_default_pg_autoscale_mode = off
osd_objectstore = memstore
memstore_device_bytes = ${OFFLOAD_RGW_MEMSTORE_BYTES:-1073741824}
paxos_propose_interval = 0.01
paxos_min_wait = 0.001
ms_bind_port_min = $bind_min
ms_bind_port_max = $((bind_min + 99))
run dir = $dir/run
log file = $dir/log/\$name.log
admin socket = $dir/run/\$name.asok
keyring = /dev/null
mon_data = $dir/mon
osd_data = $dir/osd
rgw_data = $dir/rgw
[client.rgw]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
# Free deleted objects' space within seconds, not hours: the OSD keeps everything in memory.
rgw_gc_obj_min_wait = 0
rgw_gc_processor_period = 2
CONF
conf="-c $dir/ceph.conf"

monmaptool --create --addv a "[v2:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >/dev/null || fail "monmaptool failed"
ceph-mon $conf --mkfs -i a --monmap "$dir/monmap" >/dev/null 2>&1 || fail "ceph-mon --mkfs failed"
ceph-mon $conf -f -i a >"$dir/log/mon.out" 2>&1 &
pids="$! $pids"
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(timeout 30 ceph $conf osd new "$osd_uuid" 2>/dev/null) || fail "ceph osd new failed"
timeout 30 ceph-osd $conf -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1 || fail "ceph-osd --mkfs failed"
ceph-osd $conf -f -i "$osd_id" >"$dir/log/osd.out" 2>&1 &
pids="$! $pids"
radosgw $conf -f -n client.rgw >"$dir/log/rgw.out" 2>&1 &
pids="$! $pids"

tries=0
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$rgw_port/" 2>/dev/null)" = 200 ]; do
  tries=$((tries + 1))
  [ "$tries" -lt 300 ] || fail "radosgw did not answer on 127.0.0.1:$rgw_port within 30 s"
  sleep 0.1
done

# One user or subuser per stdin line before the blank line: `user UID ACCESS SECRET` or
# `subuser UID:NAME ACCESS SECRET PERM`.
admin="timeout 30 radosgw-admin $conf -n client.admin"
while IFS= read -r line; do
  [ -n "$line" ] || break
  set -- $line
  case $1 in
    user) $admin user create --uid "$2" --display-name "$2" --access-key "$3" --secret-key "$4" >/dev/null 2>&1 || fail "user create $2 failed" ;;
    subuser) $admin subuser create --uid "${2%%:*}" --subuser "$2" --access="$5" --key-type=s3 --access-key "$3" --secret-key "$4" >/dev/null 2>&1 || fail "subuser create $2 failed" ;;
  esac
done

echo "{\"endpoint\":\"http://127.0.0.1:$rgw_port\",\"dir\":\"$dir\"}"
# Wait for the end of stdin (or a signal); the EXIT trap cleans up.
cat >/dev/null || true
