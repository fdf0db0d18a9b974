#!/usr/bin/env bash
# Installs what the tests start for themselves: a real SMTP server (Debian's python3-aiosmtpd).
set -euo pipefail
if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  echo "test-services: installing python3-aiosmtpd" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-aiosmtpd >&2
fi
