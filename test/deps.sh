#!/usr/bin/env bash
# Installs what hte's build, demo and tests need, from Debian 12's packages,
# if anything is missing.  Uses sudo when not run as root.
set -euo pipefail

pkgs=(make gcc postgresql-15 postgresql-server-dev-15
      clang-14 libclang-rt-14-dev
      r-base-core r-cran-estimatr r-cran-sandwich r-cran-lmtest r-cran-quantreg r-cran-metafor)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "deps: installing ${missing[*]} (a few minutes on a fresh machine)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
