#!/bin/bash
# The deb's after-remove script (electron-builder.yml deb.afterRemove): electron-builder's template
# (app-builder-lib/templates/linux/after-remove.tpl) unchanged, then this app's part.

# Delete the link to the binary
# update-alternatives --remove <name> <path>: 'path' must be the registered alternative binary,
# not the generic symlink — see https://man7.org/linux/man-pages/man1/update-alternatives.1.html
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi

# >>> offload command
# The `offload` link made at install, only if it is still ours.
OFFLOAD_LAUNCHER='/opt/${sanitizedProductName}/resources/offload'
OFFLOAD_LINK="$DPKG_ROOT/usr/bin/offload"
if [ -L "$OFFLOAD_LINK" ] && [ "$(readlink "$OFFLOAD_LINK")" = "$OFFLOAD_LAUNCHER" ]; then
    rm -f "$OFFLOAD_LINK"
fi
# <<< offload command
