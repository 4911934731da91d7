#!/usr/bin/env bash
# Starts Debian's kamailio 5.6 in the foreground as the phone rig's SIP registrar/proxy over WebSocket, on
# 127.0.0.1 only. Usage: tests/phone/sip/kamailio.sh WORKDIR
#
# In WORKDIR it makes a private CA (ca.pem), a server certificate for IP:127.0.0.1 and DNS:localhost
# (server.pem/.key), a certificate for wrong.example signed by the same CA (wrong.pem/.key), kamailio.cfg and
# tls.cfg (from the templates beside this script), the control socket kamailio.ctl and kamailio.log (a copy of
# kamailio's stderr).
#
# Environment (defaults in brackets):
#   WSS_PORT [25443]         WebSocket over TLS, the right certificate
#   WS_PORT [25080]          plain WebSocket (for "not a TLS address" tests)
#   WRONG_HOST_PORT [25444]  WebSocket over TLS presenting the wrong.example certificate
#   SIP_UDP_PORT [25060]     UDP (kamailio wants one; nothing uses it)
#   QUALIFY_SECS [5]         OPTIONS keepalive to every registered contact every so many seconds
#   QUALIFY_TIMEOUT [0]      drop a contact that has not answered keepalives for so many seconds (0: never)
#   CATCH_ALL []             a user (say asterisk) that gets INVITEs to users no one registered, instead of 404
#   DEBUG_LEVEL [1]          kamailio's debug= (1 notices: one line per SIP message; 3 for debugging)
#   READY_TIMEOUT [20]       seconds to wait for kamailio to listen
#
# Prints one line "READY wss://127.0.0.1:<WSS_PORT>" on stdout once the listeners and the control socket answer.
# Logs go to stderr (drain it, or redirect it: a full pipe blocks kamailio) and to WORKDIR/kamailio.log.
# Stops kamailio and exits when its stdin (if a pipe) reaches end of file, on SIGTERM/SIGINT/SIGHUP, and -- through
# the parent-death signal -- when this script itself is SIGKILLed (std::process::Child::kill).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[[ $# -eq 1 ]] || { echo "usage: $0 WORKDIR" >&2; exit 2; }
mkdir -p "$1"
workdir=$(cd "$1" && pwd)

WSS_PORT=${WSS_PORT:-25443}
WS_PORT=${WS_PORT:-25080}
WRONG_HOST_PORT=${WRONG_HOST_PORT:-25444}
SIP_UDP_PORT=${SIP_UDP_PORT:-25060}
QUALIFY_SECS=${QUALIFY_SECS:-5}
QUALIFY_TIMEOUT=${QUALIFY_TIMEOUT:-0}
DEBUG_LEVEL=${DEBUG_LEVEL:-1}
CATCH_ALL=${CATCH_ALL:-}
[[ $CATCH_ALL =~ ^[A-Za-z0-9_.+-]*$ ]] || { echo "kamailio.sh: CATCH_ALL must be a plain user name" >&2; exit 2; }
READY_TIMEOUT=${READY_TIMEOUT:-20}

kamailio=$(command -v kamailio || echo /usr/sbin/kamailio)
kamcmd=$(command -v kamcmd || echo /usr/sbin/kamcmd)
[[ -x $kamailio && -x $kamcmd ]] || {
  echo "kamailio.sh: kamailio is not installed (scripts/setup-debian.sh installs it)" >&2; exit 1; }
ctl="$workdir/kamailio.ctl"
(( ${#ctl} < 100 )) || { echo "kamailio.sh: WORKDIR is too long for a Unix socket path: $ctl" >&2; exit 2; }

# Certificates: the recipe of crates/integra-sim/src/private_ca.rs, plus one for another host.
(
  cd "$workdir"
  ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
  # shellcheck disable=SC2086
  {
    openssl req -x509 $ec -keyout ca.key -out ca.pem -days 1 -subj '/CN=Private Test CA'
    openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile server.ext
    openssl req $ec -keyout wrong.key -out wrong.csr -subj /CN=wrong.example
    printf 'subjectAltName=DNS:wrong.example\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > wrong.ext
    openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out wrong.pem -days 1 -extfile wrong.ext
  } >/dev/null 2>&1
) || { echo "kamailio.sh: openssl could not make the certificates" >&2; exit 1; }

fill() {
  sed -e "s|@WORKDIR@|$workdir|g" -e "s|@WSS_PORT@|$WSS_PORT|g" -e "s|@WS_PORT@|$WS_PORT|g" \
      -e "s|@WRONG_HOST_PORT@|$WRONG_HOST_PORT|g" -e "s|@SIP_UDP_PORT@|$SIP_UDP_PORT|g" \
      -e "s|@QUALIFY_SECS@|$QUALIFY_SECS|g" -e "s|@QUALIFY_TIMEOUT@|$QUALIFY_TIMEOUT|g" \
      -e "s|@DEBUG_LEVEL@|$DEBUG_LEVEL|g" -e "s|@CATCH_ALL@|$CATCH_ALL|g" "$1" > "$2"
}
fill "$here/kamailio.cfg" "$workdir/kamailio.cfg"
fill "$here/tls.cfg" "$workdir/tls.cfg"
rm -f "$ctl"

# setpriv --pdeathsig: kamailio gets SIGTERM if this script dies, even by SIGKILL.
# kamailio's stdout and stderr both go to this script's stderr and to kamailio.log. tee is this script's child, not
# kamailio's (kamailio waits for all its children when it stops).
exec 4> >(exec tee -a "$workdir/kamailio.log" >&2)
setpriv --pdeathsig TERM -- "$kamailio" -DD -E -f "$workdir/kamailio.cfg" -Y "$workdir" -P "$workdir/kamailio.pid" \
  -w "$workdir" -m 64 -M 8 </dev/null >&4 2>&4 &
kpid=$!
exec 4>&-

stop() {
  trap - EXIT TERM INT HUP
  if kill -0 "$kpid" 2>/dev/null; then
    kill -TERM "$kpid" 2>/dev/null || true
    wait "$kpid" 2>/dev/null || true
  fi
  [[ -n ${watcher:-} ]] && kill "$watcher" 2>/dev/null || true
}
trap 'stop; exit 0' TERM INT HUP
trap stop EXIT

listening() { ss -Hltn "sport = :$1" | grep -q .; }
deadline=$((SECONDS + READY_TIMEOUT))
until listening "$WSS_PORT" && listening "$WS_PORT" && listening "$WRONG_HOST_PORT" \
      && "$kamcmd" -s "unix:$ctl" core.uptime >/dev/null 2>&1; do
  kill -0 "$kpid" 2>/dev/null || { wait "$kpid" || rc=$?; echo "kamailio.sh: kamailio exited (${rc:-0}) before it was ready; see above" >&2; exit 1; }
  (( SECONDS < deadline )) || { echo "kamailio.sh: kamailio not ready after ${READY_TIMEOUT}s" >&2; exit 1; }
  sleep 0.05
done
echo "READY wss://127.0.0.1:$WSS_PORT"

# Wait for kamailio to end, or for stdin's end of file when stdin is a pipe (a terminal or /dev/null is ignored).
if [[ -p /dev/stdin ]]; then
  exec 3<&0
  cat <&3 >/dev/null &
  watcher=$!
  wait -n "$kpid" "$watcher" || true
else
  wait "$kpid" || true
fi
if ! kill -0 "$kpid" 2>/dev/null; then
  wait "$kpid" && rc=0 || rc=$?
  echo "kamailio.sh: kamailio exited ($rc)" >&2
  exit 1
fi
stop
