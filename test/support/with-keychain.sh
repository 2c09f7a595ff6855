#!/bin/sh
# Runs a command with a real, unlocked OS keychain: a private D-Bus session with gnome-keyring's Secret
# Service, keyrings in a throw-away folder (so the developer's own keyring is never touched).
# Recipe: ../shared/design/TEST-LAB.md "OS keychain, headless". Debian packages: dbus gnome-keyring.
set -eu
if [ -n "${OFFLOAD_TEST_KEYCHAIN:-}" ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keychain: $tool not found. Install the test packages first: sudo sh scripts/install-system-packages.sh" >&2
    exit 2
  fi
done
exec dbus-run-session -- sh -c '
  set -eu
  keyring_home=$(mktemp -d)
  trap "rm -rf \"$keyring_home\"" EXIT
  export XDG_DATA_HOME="$keyring_home"
  mkdir -p "$XDG_DATA_HOME/keyrings"
  eval "$(printf %s offload-test | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  export OFFLOAD_TEST_KEYCHAIN=gnome-keyring
  "$@"
' with-keychain "$@"
