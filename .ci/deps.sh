#!/usr/bin/env bash
# Installs, with apt-get, whatever the tests need and the machine lacks:
# the X11/GL headers for the native client, Xvfb for its render test and
# Chromium for the browser tests; and, pinned, brotli for the browser build
# (make web), which builds without it if it cannot be had; PostgreSQL's
# server binaries for the store tests; HAProxy and nginx for the cluster
# tests, which run them in front of the nodes. Does nothing when all is
# there.
set -euo pipefail
need=() optional=()
for p in brotli=1.0.9-2+deb12u1; do
  dpkg-query -W -f='${Status} ${Version}' "${p%%=*}" 2>/dev/null | grep -q "install ok installed ${p#*=}" || optional+=("$p")
done
for p in gcc libc6-dev libgl1-mesa-dev libxcursor-dev libxi-dev libxinerama-dev \
         libxrandr-dev libxxf86vm-dev libasound2-dev pkg-config xvfb xauth chromium \
         fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
# PostgreSQL for the store's second backend: the tests run their own
# throwaway cluster from its binaries, never the system one.
# HAProxy and nginx for the cluster tests: they too run their own, from
# configurations of the tests, never the system services.
svc=""
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql-15); svc=1
fi
for p in haproxy nginx; do
  if [ ! -x /usr/sbin/$p ] && ! command -v $p >/dev/null; then
    need+=("$p"); svc=1
  fi
done
if [ ${#need[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
  echo "installing: ${need[*]} ${optional[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -n "$svc" ] && [ ! -e /usr/sbin/policy-rc.d ]; then
    # Install PostgreSQL, HAProxy and nginx without starting their system
    # services.
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  if [ ${#need[@]} -gt 0 ]; then
    $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
  if [ ${#optional[@]} -gt 0 ]; then
    $sudo apt-get install -y -q --no-install-recommends "${optional[@]}" ||
      echo "warning: ${optional[*]} not available: make web and the server gzip the client only"
  fi
fi
