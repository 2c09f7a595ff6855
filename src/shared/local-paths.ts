/**
 * Which local paths the settings and the IPC contract accept, as pure path logic (no node:path: the
 * renderer imports this too). A watch folder's files are uploaded and, with local removal on, deleted,
 * so a watch folder must be a folder the user keeps results in: never the whole disk, a home folder
 * itself, a system folder or a hidden (dot) folder. A network path is refused everywhere: on Windows even
 * a stat of `\\host\share` makes the OS log on to that host with the user's credentials (NTLM).
 * Each problem is a message that, after the field's name, says what to do instead.
 */

/** `//host/share`, `\\host\share`, `\\?\…`, `\\.\…`, `/\host`: two separators in front name a host or device on Windows. */
export function isNetworkPath(p: string): boolean {
  return /^[\\/]{2}/.test(p);
}

/** Why a path is not a local absolute path (POSIX, or a Windows drive), or null when it is one. */
export function localPathProblem(p: string): string | null {
  if (isNetworkPath(p)) return `must not be a network path (${p.slice(0, 80)}): choose a folder on this computer (map or mount a share first to watch it)`;
  if (!(p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p))) return 'must be an absolute path';
  return null;
}

/**
 * Top-level folders of the operating system (lower case, matched on every platform: a POSIX-style path
 * such as /Windows resolves to C:\Windows there). The folder and everything inside it is refused.
 */
const systemRoots = new Set([
  // Linux and macOS
  'bin', 'boot', 'dev', 'etc', 'lib', 'lib32', 'lib64', 'libx32', 'proc', 'run', 'sbin', 'snap', 'sys', 'usr', 'var',
  'private', 'system', 'library', 'applications', 'cores',
  // Windows
  'windows', 'program files', 'program files (x86)', 'programdata', 'recovery', 'system volume information', '$recycle.bin',
]);

/**
 * Folders inside a system root that hold users' own files: per-user temp folders (macOS gives tmpdir()
 * under /var/folders), homes on image-based Linux (/var/home), and removable drives (/run/media).
 */
const userAreasInSystemRoots = ['var/tmp', 'var/folders', 'var/home', 'var/mnt', 'run/media', 'private/tmp', 'private/var/tmp', 'private/var/folders'];

/** Folders that hold other people's folders, mounts or temp files: refused themselves, fine to choose inside. */
const sharedParents = new Set(['home', 'users', 'mnt', 'media', 'volumes', 'tmp', ...userAreasInSystemRoots]);

/** Parents whose direct children are home folders (/home/ann, /Users/ann, C:\Users\ann). */
const homeParents = new Set(['home', 'users', 'var/home']);

/** Per-user app data: hidden folders in all but name (C:\Users\ann\AppData, /Users/ann/Library). */
const appDataInHome = new Set(['appdata', 'library']);

/** Where the first folder inside a home folder sits in `keys`, or null when the path is not in a home. */
function insideHomeAt(keys: readonly string[]): number | null {
  if (keys[0] === 'root') return 1;
  if (keys[0] === 'home' || keys[0] === 'users') return 2;
  return keys[0] === 'var' && keys[1] === 'home' ? 3 : null;
}

/**
 * The comparison key of one path segment: lower case (macOS and Windows ignore case), and without what
 * Windows ignores or reads as a stream name — trailing dots and spaces, and anything from a colon on
 * (`Windows.` and `Windows::$INDEX_ALLOCATION` both open C:\Windows).
 */
function keyOf(segment: string): string {
  return segment.toLowerCase().split(':')[0]!.replace(/[. ]+$/, '');
}

function isUnder(keys: readonly string[], area: string): boolean {
  const parts = area.split('/');
  return parts.length <= keys.length && parts.every((part, i) => keys[i] === part);
}

/**
 * Why a path cannot be a watch folder, or null when it can. Pure path logic: the service also refuses
 * the running user's own home folder, which only it knows.
 */
export function watchFolderProblem(p: string): string | null {
  const local = localPathProblem(p);
  if (local) return local;
  const segments = p
    .replace(/^[A-Za-z]:/, '')
    .split(/[\\/]+/)
    .filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return `must not contain "." or ".." (${p.slice(0, 80)}): give the folder's full path`;
  const hidden = segments.find((s) => s.startsWith('.'));
  if (hidden !== undefined) return `must not be or be inside a hidden folder ("${hidden}"): choose a folder whose path has no part starting with "."`;
  const keys = segments.map(keyOf);
  if (keys.length === 0 || keys.every((k) => k === '')) return `must not be the whole disk (${p}): choose the folder your results are saved in`;
  // 8.3 short names (C:\PROGRA~1 is C:\Program Files) would slip past the names below.
  if (/~\d+$/.test(keys[0]!)) return `must not use a short (8.3) folder name ("${segments[0]}"): give the folder's full name`;
  const joined = keys.join('/');
  if (homeParents.has(keys.slice(0, -1).join('/')) || joined === 'root') return `must not be a home folder itself (${p}): choose a folder inside it, such as one for your results`;
  if (sharedParents.has(joined)) return `must not be ${p} itself: choose a folder inside it`;
  const homeChild = insideHomeAt(keys);
  if (homeChild !== null && appDataInHome.has(keys[homeChild] ?? '')) {
    return `must not be or be inside the app data folder ${segments[homeChild]} (it holds other programs' settings and keys): choose a folder of your own`;
  }
  if (systemRoots.has(keys[0]!) && !userAreasInSystemRoots.some((area) => isUnder(keys, area))) {
    const root = p.slice(0, p.indexOf(segments[0]!) + segments[0]!.length);
    return `must not be or be inside the system folder ${root}: choose a folder of your own, such as one in your home folder`;
  }
  return null;
}
