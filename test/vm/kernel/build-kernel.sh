#!/usr/bin/env bash
# Builds (or finds in the cache) the x86_64 test kernel for the real-fwctl suite:
# Debian's newest linux-source-N from sid (N >= 6.15: fwctl and CXL features),
# tinyconfig + fwctl.config, the one CXL test change, bzImage only.
# Cached under ${XDG_CACHE_HOME:-$HOME/.cache}/fwbench/kernel-<sha256 of recipe>/
# where the recipe is this script + fwctl.config + the patch + the source version.
# Prints the bzImage path as the last line of stdout; progress goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/fwbench"
fragment="$here/fwctl.config"
patchfile="$here/cxl-features-not-exclusive.patch"
apt="$here/debian-apt.sh"
log() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: ERROR: $*" >&2; exit 1; }

for tool in make gcc flex bison bc cpio xz dpkg apt-cache patch sha256sum; do
  command -v "$tool" >/dev/null || die "missing tool '$tool' (see test/setup/system-deps.sh)"
done
[ -e /usr/include/libelf.h ] || die "missing libelf-dev (see test/setup/system-deps.sh)"

# Refresh sid's package lists at most once a day; offline, the old lists do.
lists="$cache/apt-sid/lists"
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
  "$apt" sid update 2>/dev/null || log "could not refresh sid's package lists (offline?); using what is cached"
fi

# Newest linux-source-N; fwctl and the CXL feature commands need >= 6.15.
sources=$("$apt" sid apt-cache search --names-only '^linux-source-[0-9]+\.[0-9]+$') \
  || die "cannot read sid's package lists (offline and nothing cached?)"
pkg=$(echo "$sources" | awk '{print $1}' | sort -V | tail -1)
[ -n "$pkg" ] || die "no linux-source-N package found in sid's lists"
series=${pkg#linux-source-}
[ "$(printf '%s\n6.15\n' "$series" | sort -V | head -1)" = 6.15 ] || die "$pkg is older than 6.15 (no fwctl)"
version=$("$apt" sid apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -1 || true)
[ -n "$version" ] || die "cannot read the version of $pkg"

recipe_hash=$( { cat "$0" "$fragment" "$patchfile"; echo "$pkg=$version"; } | sha256sum | cut -c1-16)
out="$cache/kernel-$recipe_hash"
if [ -s "$out/bzImage" ]; then
  log "cached: $pkg $version -> $out/bzImage"
  echo "$out/bzImage"; exit 0
fi

log "building $pkg $version (recipe $recipe_hash): about 5 min on 2 free cores, 12 on a busy machine"
work="$cache/kernel-build-$recipe_hash"
rm -rf "$work"; mkdir -p "$work"
deb="$cache/debs/${pkg}_${version//:/%3a}_all.deb"
# the .deb stays cached, so a recipe change rebuilds offline
[ -s "$deb" ] || "$apt" sid download "$cache/debs" "$pkg=$version" || die "could not download $pkg $version from sid"
[ -s "$deb" ] || die "download of $pkg $version left no $deb"
dpkg -x "$deb" "$work/pkg"
tarball=$(ls "$work"/pkg/usr/src/linux-source-*.tar.xz 2>/dev/null | head -1 || true)
[ -n "$tarball" ] || die "$deb holds no usr/src/linux-source-*.tar.xz"
log "unpacking $(basename "$tarball")"
tar -xJf "$tarball" -C "$work"
rm -rf "$work/pkg"
src=$(ls -d "$work"/linux-source-* 2>/dev/null | head -1 || true)
[ -d "$src" ] || die "$(basename "$tarball") did not unpack into linux-source-*"
cd "$src"

# The one test change. Stock kernels reserve every feature QEMU's CXL type-3
# device offers (patrol scrub, ECS, PPR, sparing: cxl_exclusive_feats[]) for the
# kernel's CXL EDAC code, so no user-settable feature remains and no fwctl device
# is created (devm_cxl_setup_fwctl() -> -ENODEV). The patch makes
# is_cxl_feature_exclusive_by_uuid() return false when CONFIG_CXL_EDAC_MEM_FEATURES
# is off, i.e. when those kernel users are not built. Check that the code still
# looks as the patch expects before touching it.
feat=drivers/cxl/core/features.c
grep -q '^static bool is_cxl_feature_exclusive_by_uuid(const uuid_t \*uuid)$' "$feat" \
  || die "$feat no longer has is_cxl_feature_exclusive_by_uuid() as expected; review the test patch for $pkg $version"
grep -q 'cxl_exclusive_feats\[i\]' "$feat" \
  || die "$feat no longer loops over cxl_exclusive_feats[]; review the test patch for $pkg $version"
patch -p1 --dry-run --quiet < "$patchfile" >/dev/null \
  || die "the test patch does not apply cleanly to $feat of $pkg $version; review it"
patch -p1 --quiet < "$patchfile"

log "configuring: tinyconfig + $(basename "$fragment")"
make -s ARCH=x86_64 tinyconfig >&2
cat "$fragment" >> .config
make -s ARCH=x86_64 olddefconfig >&2
bad=0
while IFS= read -r line; do
  case "$line" in
    CONFIG_*=*) grep -qxF "$line" .config || { log "option did not survive olddefconfig: $line"; bad=1; } ;;
    "# CONFIG_"*" is not set")
      opt=${line#\# }; opt=${opt%% *}
      grep -q "^$opt=" .config && { log "option must stay off but is set: $opt"; bad=1; } ;;
  esac
done < "$fragment"
[ $bad -eq 0 ] || die "kernel configuration is missing options (see above)"

log "make bzImage (nice, -j2)"
start=$(date +%s)
nice make -s ARCH=x86_64 -j2 bzImage >&2 || die "kernel build failed"
log "built in $(( $(date +%s) - start )) s"

mkdir -p "$out.tmp"
cp arch/x86/boot/bzImage .config "$out.tmp/"
echo "$pkg=$version" > "$out.tmp/source-version"
rm -rf "$out"; mv "$out.tmp" "$out"
cd /; [ "${FWBENCH_KEEP_KERNEL_TREE:-0}" = 1 ] || rm -rf "$work"
echo "$out/bzImage"
