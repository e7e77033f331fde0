#!/usr/bin/env bash
# Packs the guest's initramfs: the static busybox and guest-init.sh as /init.
# Cached by a hash of both under ${XDG_CACHE_HOME:-$HOME/.cache}/fwbench/;
# prints the path of the .cpio.gz.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fwbench"
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build-initramfs: ERROR: $busybox is missing (apt-get install busybox-static)" >&2; exit 1; }
file "$busybox" 2>/dev/null | grep -q 'statically linked' \
  || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' \
  || { echo "build-initramfs: ERROR: $busybox is not static (install busybox-static)" >&2; exit 1; }
hash=$(cat "$0" "$here/guest-init.sh" "$busybox" | sha256sum | cut -c1-16)
out="$cache/initramfs-$hash.cpio.gz"
if [ ! -s "$out" ]; then
  mkdir -p "$cache"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root"/{bin,dev,proc,sys,tmp,host}
  cp "$busybox" "$root/bin/busybox"
  install -m 0755 "$here/guest-init.sh" "$root/init"
  (cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out.tmp"
  mv "$out.tmp" "$out"
fi
echo "$out"
