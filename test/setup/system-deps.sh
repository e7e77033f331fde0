#!/usr/bin/env bash
# Installs the Debian packages the test suites need (real peers: chromium, socat,
# lrzsz, U-Boot, QEMU >= 10 from bookworm-backports, kernel build tools).
# Run as root it installs what is missing; otherwise it prints the exact command.
# The archive address is read from this machine's own apt sources, never written here.
set -euo pipefail

# package -> a file or command that proves it is installed
declare -A PROBE=(
  [chromium]=/usr/bin/chromium
  [socat]=/usr/bin/socat
  [lrzsz]=/usr/bin/sb
  [u-boot-qemu]=/usr/lib/u-boot/qemu_arm64/u-boot.bin
  [busybox-static]=/bin/busybox
  [flex]=/usr/bin/flex
  [bison]=/usr/bin/bison
  [bc]=/usr/bin/bc
  [cpio]=/usr/bin/cpio
  [libelf-dev]=/usr/include/libelf.h
  [libssl-dev]=/usr/include/openssl/ssl.h
  [srecord]=/usr/bin/srec_cat
  [dfu-util]=/usr/bin/dfu-suffix
  [xz-utils]=/usr/bin/xz
  [binutils]=/usr/bin/objcopy
  # fwctl addon (node-gyp) and the test kernel: compiler, make, python3, patch
  [build-essential]=/usr/bin/g++
  [python3]=/usr/bin/python3
  [patch]=/usr/bin/patch
  [binutils-aarch64-linux-gnu]=/usr/bin/aarch64-linux-gnu-ld
  # packaging test: the desktop file
  [desktop-file-utils]=/usr/bin/desktop-file-validate
  # the lab suites: a real NATS server with JetStream
  [nats-server]=/usr/bin/nats-server
)
# qemu-system-misc carries qemu-system-riscv64 (U-Boot on qemu-riscv64)
BACKPORTS=(qemu-system-x86 qemu-system-arm qemu-system-misc qemu-utils)

missing=()
for p in "${!PROBE[@]}"; do [ -e "${PROBE[$p]}" ] || missing+=("$p"); done

qemu_ok() {
  command -v "$1" >/dev/null 2>&1 || return 1
  local v; v=$("$1" --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
  [ "${v:-0}" -ge 10 ]
}
need_qemu=0
qemu_ok qemu-system-x86_64 && qemu_ok qemu-system-aarch64 && qemu_ok qemu-system-riscv64 || need_qemu=1

[ ${#missing[@]} -eq 0 ] && [ $need_qemu -eq 0 ] && exit 0

archive_uri() {
  sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1
}

if [ "$(id -u)" != 0 ]; then
  echo "fwbench tests need system packages that are missing. Run as root:" >&2
  [ ${#missing[@]} -gt 0 ] && echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  [ $need_qemu -eq 1 ] && echo "  (enable bookworm-backports) apt-get install -y -t bookworm-backports ${BACKPORTS[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ $need_qemu -eq 1 ] && ! grep -rqs bookworm-backports /etc/apt/sources.list.d/; then
  uri=$(archive_uri)
  [ -n "$uri" ] || { echo "cannot find the Debian archive address in /etc/apt/sources.list.d/debian.sources" >&2; exit 1; }
  cat > /etc/apt/sources.list.d/fwbench-backports.sources <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
echo "installing system packages: ${missing[*]} $([ $need_qemu -eq 1 ] && echo "${BACKPORTS[*]} (backports)")"
apt-get update -qq
[ ${#missing[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ $need_qemu -eq 1 ] && apt-get install -y -qq --no-install-recommends -t bookworm-backports "${BACKPORTS[@]}" >/dev/null
echo "system packages ready"
