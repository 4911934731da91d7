#!/bin/sh
# The end-to-end tests' default browser (registered by register.sh): it opens nothing and writes each URL it is
# given on a line of $E2E_BROWSER_LOG, for the screen-pop tests to read.
printf '%s\n' "$1" >> "${E2E_BROWSER_LOG:?}"
