#!/usr/bin/env bash
# Closes every WebSocket connection of the rig's kamailio (started by kamailio.sh WORKDIR).
# Usage: tests/phone/sip/drop-websockets.sh [--abrupt] WORKDIR
#   default   kamailio closes them cleanly (ws.close: close frame 1000 "Normal closure", TCP closed ~1 s later).
#             Prints the closed connections' ids, one a line.
#   --abrupt  the kernel destroys kamailio's end of every TCP connection on the WS/WSS ports (ss -K): the client
#             gets a reset (ECONNRESET), no close frame. Prints the number of sockets destroyed.
# Registrations stay in the location table either way, so a call to a dropped user gets 480 until it registers
# again. One connection: kamcmd -s unix:WORKDIR/kamailio.ctl ws.close ID   (ids from ... ws.dump)
set -euo pipefail
abrupt=no
[[ ${1:-} == --abrupt ]] && { abrupt=yes; shift; }
[[ $# -eq 1 ]] || { echo "usage: $0 [--abrupt] WORKDIR" >&2; exit 2; }
workdir=$(cd "$1" && pwd)
if [[ $abrupt == yes ]]; then
  ports=$(sed -n 's/^listen=\(tcp\|tls\):127\.0\.0\.1:\([0-9][0-9]*\)$/\2/p' "$workdir/kamailio.cfg")
  filter=$(for p in $ports; do printf 'sport = :%s or ' "$p"; done)
  ss -H -K -t state established "( ${filter% or } )" | grep -c . || true
  exit 0
fi
kamcmd=$(command -v kamcmd || echo /usr/sbin/kamcmd)
# ws.dump lists connections as "ID: wss:CLIENT -> wss:SERVER (state: OPEN, ...)".
ids=$("$kamcmd" -s "unix:$workdir/kamailio.ctl" ws.dump | sed -n 's/^[[:space:]]*\([0-9][0-9]*\): .*state: OPEN.*/\1/p')
for id in $ids; do
  "$kamcmd" -s "unix:$workdir/kamailio.ctl" ws.close "$id" >/dev/null
  echo "$id"
done
