#!/bin/sh
# Dry start of a staged Kamailio configuration (sinch.est.kamailio role).
#
#   kamailio-dry-run.sh STAGE_DIR KAMAILIO KAMCMD
#
# `kamailio -c` parses the configuration but loads no data file; this starts the staged copy with
# SBC_DRY_RUN (listening on a spare 127.0.0.1 UDP port, no keepalives, no registrations) until its
# control socket answers, so every module loads its files (dispatcher list, address file, db_text
# tables) as the real start will. Any ERROR or CRITICAL line fails it. The instance is always stopped.
set -u
stage=$1
kamailio=$2
kamcmd=$3
log="$stage/dry-run.log"
ctl="unix:$stage/run/kamailio_ctl"
mkdir -p "$stage/run"
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$kamailio" -DD -E -A SBC_DRY_RUN -A "SBC_DRY_PORT=$port" -A "SBC_DIR=\"$stage\"" \
    -A "SBC_DB_URL=\"text://$stage\"" -A "SBC_CTL=\"$ctl\"" -Y "$stage/run" \
    -f "$stage/kamailio.cfg" >"$log" 2>&1 </dev/null &
pid=$!
ready=no
tries=0
while [ "$tries" -lt 50 ]; do
    kill -0 "$pid" 2>/dev/null || break
    if "$kamcmd" -s "$ctl" core.uptime >/dev/null 2>&1; then
        ready=yes
        sleep 1  # the timer and worker processes load their tables just after the control socket opens
        break
    fi
    sleep 0.2
    tries=$((tries + 1))
done
# Read the log before stopping it: a stopping Kamailio logs its own shutdown noise.
errors=$(grep -E '(ERROR|CRITICAL|ALERT|BUG):' "$log")
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

if [ "$ready" = yes ] && [ -z "$errors" ]; then
    echo "the staged configuration started cleanly on udp:127.0.0.1:$port"
    exit 0
fi
echo "the staged configuration did not start cleanly:" >&2
if [ -n "$errors" ]; then echo "$errors" >&2; else tail -n 20 "$log" >&2; fi
exit 1
