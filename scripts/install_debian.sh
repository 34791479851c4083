#!/usr/bin/env bash
# install_debian.sh <package>…: install what is missing from Debian's packages (as root),
# refreshing the package index only when the first try fails. Exits non-zero on failure.
set -euo pipefail
[ "$(id -u)" = 0 ] && command -v apt-get > /dev/null || exit 1
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "$@" > /dev/null 2>&1 \
  || { apt-get update -q > /dev/null 2>&1 && apt-get install -y -q "$@" > /dev/null 2>&1; }
