#!/bin/sh
# dunst's "dmenu" in the end-to-end tests (session.sh): `dunstctl context` hands it the notifications' actions, one
# per line ("#Answer (Incoming call) [3,answer]"), and it picks the first line naming the action the test wrote to
# $E2E_SCRATCH/dunst-pick, as an agent picking a notification's button would.
want=$(cat "${E2E_SCRATCH:?}/dunst-pick" 2>/dev/null)
[ -n "$want" ] || exit 1
grep -m1 -F "#$want (" || exit 1
