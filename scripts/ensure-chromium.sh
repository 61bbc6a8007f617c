#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through playwright-core. Install it when it is
# missing and we are allowed to (root with apt); otherwise say what to do.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium'." >&2
exit 1
