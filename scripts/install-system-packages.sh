#!/bin/sh
# Debian packages the test suite needs: Chromium for the renderer tests, a Secret Service (gnome-keyring on
# a D-Bus session) and libsecret's headers to build keytar, Ceph's monitor, OSD and RADOS Gateway for the
# real S3 server (about 270 MB; nothing starts on its own), the benchmark peers rclone and awscli, and
# iproute2 (`ip`), with which .ci/run brings up loopback in the tests' network namespace; gdbus
# (libglib2.0-bin), which the app uses to read NetworkManager's metered state, and python3-dbusmock, whose
# NetworkManager template stands in for it on a private bus (test/integration/metered-network.test.ts);
# ffmpeg, which makes the poster frames of videos for thumbnails (src/core/media/video-frame.ts).
# Safe to run twice; skips apt entirely when everything is already there.
set -eu
packages="iproute2 chromium gnome-keyring dbus dbus-x11 libglib2.0-bin python3-dbusmock libsecret-1-dev libsecret-tools ceph-mon ceph-osd radosgw ceph-common curl rclone awscli ffmpeg"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "system packages: all present"
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "system packages: installing$missing"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $missing >/dev/null
