#!/bin/busybox sh
# /init of the fwbench test guest (busybox only). Mounts the host's root over
# virtio-9p read-only, chroots into it with a clean environment, runs the
# script named by fwbench.run=<host path> on the kernel command line, and
# powers off. The script's output goes to ttyS1, followed by the sentinel line
# "FWBENCH-EXIT:<status>"; ttyS0 stays the kernel console.
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /host /tmp
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null

out=/dev/ttyS1
finish() {
  echo "FWBENCH-EXIT:$1" > $out
  sync
  poweroff -f
}

run=$(sed -n 's/.*fwbench\.run=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$run" ] || { echo "guest-init: no fwbench.run= on the kernel command line" > $out; finish 250; }

# cache=loose: with cache=none every node start took seconds instead of 0.5 s.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 host /host \
  || { echo "guest-init: cannot mount the host root over virtio-9p" > $out; finish 251; }
cp "/host$run" /tmp/fwbench-run.sh || { echo "guest-init: cannot read $run from the host" > $out; finish 252; }

mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/shm /host/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /host/dev/shm
mount -t tmpfs tmpfs /host/run
# The host's /tmp stays visible (read-only): a checkout under /tmp must be
# reachable. Scratch space goes to a tmpfs under /run instead.
mkdir -p /host/run/home /host/run/tmp
chmod 1777 /host/run/tmp
cp /tmp/fwbench-run.sh /host/run/fwbench-run.sh

env -i HOME=/run/home TMPDIR=/run/tmp LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  chroot /host /bin/sh /run/fwbench-run.sh > $out 2>&1 < /dev/null
finish $?
