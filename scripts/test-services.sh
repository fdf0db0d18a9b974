#!/usr/bin/env bash
# Installs what the tests start for themselves: a real SMTP server (Debian's python3-aiosmtpd) and the browser of
# the page tests (Debian's chromium, driven by Playwright; no browser is ever downloaded).
set -euo pipefail
missing=()
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-services: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >&2
fi
