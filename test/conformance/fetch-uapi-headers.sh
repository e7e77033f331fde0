#!/usr/bin/env bash
# Fetches Debian sid's linux-libc-dev (>= 6.15: it has <fwctl/*.h> and
# <cxl/features.h>; bookworm's 6.1 has neither), unpacks it privately with
# dpkg -x into ${XDG_CACHE_HOME:-$HOME/.cache}/fwbench/uapi-headers-<version>/
# (never installed), and prints that directory's usr/include as the last line.
# Offline, an already cached copy is used.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
apt="$here/../vm/kernel/debian-apt.sh"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fwbench"
die() { echo "fetch-uapi-headers: ERROR: $*" >&2; exit 1; }

newest_cached() { { ls -d "$cache"/uapi-headers-*/usr/include 2>/dev/null || true; } | sort -V | tail -1; }

# Refresh sid's lists at most once a day; offline, fall back to what is cached.
lists="$cache/apt-sid/lists"
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  if ! why=$("$apt" sid update 2>&1); then
    cached=$(newest_cached)
    [ -n "$cached" ] && { echo "fetch-uapi-headers: offline, using cached $cached" >&2; echo "$cached"; exit 0; }
    compgen -G "$lists/*_Packages*" >/dev/null \
      || die "cannot fetch sid's package lists to get linux-libc-dev, and nothing is cached in $cache: $why"
  fi
fi

version=$("$apt" sid apt-cache show --no-all-versions linux-libc-dev 2>/dev/null | sed -n 's/^Version: //p' | head -1)
[ -n "$version" ] || die "sid's package lists do not show linux-libc-dev"
dpkg --compare-versions "$version" ge 6.15 || die "sid's linux-libc-dev is $version; the fwctl headers need >= 6.15"

dir="$cache/uapi-headers-$version"
if [ ! -f "$dir/usr/include/fwctl/fwctl.h" ]; then
  debs="$cache/debs"
  "$apt" sid download "$debs" "linux-libc-dev=$version" \
    || die "could not download linux-libc-dev $version from sid"
  deb=$(ls "$debs"/linux-libc-dev_"${version//:/%3a}"_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || die "the download of linux-libc-dev $version left no .deb in $debs"
  rm -rf "$dir.tmp"; dpkg -x "$deb" "$dir.tmp"
  [ -f "$dir.tmp/usr/include/fwctl/fwctl.h" ] || die "linux-libc-dev $version has no <fwctl/fwctl.h>"
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
  echo "fetch-uapi-headers: unpacked linux-libc-dev $version into $dir" >&2
fi
echo "$dir/usr/include"
