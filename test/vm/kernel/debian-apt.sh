#!/usr/bin/env bash
# Runs apt-get/apt-cache against one other Debian suite (e.g. sid) through a
# private sources list and private state, so nothing on the system changes:
# used only to *download* architecture-independent kernel source and uAPI
# headers, which are unpacked with dpkg -x and never installed.
# The archive address comes from this machine's own apt sources at run time.
#
#   debian-apt.sh <suite> update
#   debian-apt.sh <suite> apt-cache  <args...>
#   debian-apt.sh <suite> download   <dest-dir> <package[=version]>...
set -euo pipefail

suite=${1:?usage: debian-apt.sh <suite> update|apt-cache|download ...}; shift
cmd=${1:?missing command}; shift

state="${XDG_CACHE_HOME:-$HOME/.cache}/fwbench/apt-$suite"
mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/parts"

archive_uri() {
  sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1
}

if [ ! -s "$state/sources.list" ]; then
  uri=$(archive_uri)
  [ -n "$uri" ] || { echo "debian-apt: cannot read the Debian archive address (URIs: line of /etc/apt/sources.list.d/debian.sources)" >&2; exit 1; }
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$state/sources.list"
fi

opts=(
  -o "Dir::Etc::SourceList=$state/sources.list"
  -o "Dir::Etc::SourceParts=$state/parts"
  -o "Dir::State::Lists=$state/lists"
  -o "Dir::Cache=$state"
  -o "Dir::Cache::archives=$state/archives"
  -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
  -o "APT::Get::List-Cleanup=0"
  -o "Debug::NoLocking=1"
  # root-owned private dirs: the _apt sandbox user could not write them
  -o "APT::Sandbox::User=root"
)

have_lists() { compgen -G "$state/lists/*_Packages*" >/dev/null; }

case "$cmd" in
  update)
    apt-get "${opts[@]}" -qq update
    ;;
  apt-cache)
    have_lists || apt-get "${opts[@]}" -qq update
    apt-cache "${opts[@]}" "$@"
    ;;
  download)
    dest=${1:?missing dest dir}; shift
    have_lists || apt-get "${opts[@]}" -qq update
    mkdir -p "$dest"
    # apt-get download writes into the current directory
    (cd "$dest" && apt-get "${opts[@]}" -qq download "$@")
    ;;
  *)
    echo "debian-apt: unknown command $cmd" >&2; exit 2 ;;
esac
