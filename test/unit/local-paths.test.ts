/** Which paths may be watch folders (src/shared/local-paths.ts): pure path logic, every platform's shapes. */
import { describe, expect, it } from 'vitest';
import { isNetworkPath, localPathProblem, watchFolderProblem } from '../../src/shared/local-paths';

describe('watch folder paths', () => {
  it.each([
    '/data/results',
    '/home/me/results',
    '/Users/me/Renders',
    '/root/results',
    '/tmp/offload-window-x/results',
    '/var/folders/ab/xyz/T/offload-1/results', // macOS tmpdir()
    '/private/var/folders/ab/xyz/T/results',
    '/var/home/me/results', // image-based Linux homes
    '/run/media/me/Disk/results', // a removable drive
    '/mnt/nas/results',
    '/Volumes/Drive/results',
    '/srv/render-out',
    'C:\\Users\\me\\Results',
    'D:\\renders',
    'C:/Users/me/Pictures/ai out',
    '/data/2024-01-01T10:00', // a colon is a plain character on POSIX
    '/Users/me/Documents/Library', // only the home's own Library is app data
  ])('accepts %s', (path) => {
    expect(watchFolderProblem(path)).toBeNull();
  });

  it.each([
    ['/', /whole disk/],
    ['C:\\', /whole disk/],
    ['C:/', /whole disk/],
    ['/home/me', /home folder itself/],
    ['/home/me/', /home folder itself/],
    ['/Users/me', /home folder itself/],
    ['/root', /home folder itself/],
    ['/var/home/me', /home folder itself/],
    ['C:\\Users\\me', /home folder itself/],
    ['/home', /must not be \/home itself/],
    ['/Users', /itself/],
    ['/tmp', /itself/],
    ['/var/folders', /itself/],
    ['/etc', /system folder \/etc:/],
    ['/etc/ssh', /system folder \/etc:/],
    ['/usr/local/share', /system folder \/usr:/],
    ['/bin', /system folder/],
    ['/sbin', /system folder/],
    ['/lib', /system folder/],
    ['/var', /system folder/],
    ['/var/log', /system folder/],
    ['/proc/self', /system folder/],
    ['/sys', /system folder/],
    ['/dev', /system folder/],
    ['/boot', /system folder/],
    ['/System/Library', /system folder \/System:/],
    ['/Library/Preferences', /system folder/],
    ['/private/etc', /system folder/],
    ['C:\\Windows', /system folder C:\\Windows:/],
    ['c:\\windows\\system32', /system folder/],
    ['C:\\Program Files\\App', /system folder/],
    ['C:\\Program Files (x86)', /system folder/],
    ['C:\\ProgramData', /system folder/],
    ['C:\\Windows.\\System32', /system folder/], // Windows ignores the trailing dot
    ['C:\\Windows::$INDEX_ALLOCATION', /system folder/], // a stream name opens the folder itself
    ['C:\\PROGRA~1\\App', /short \(8\.3\) folder name/],
    ['/home/me/.ssh', /hidden folder \("\.ssh"\)/],
    ['/home/me/.config/app', /hidden folder \("\.config"\)/],
    ['/data/.git', /hidden folder/],
    ['C:\\Users\\me\\.aws', /hidden folder/],
    ['C:\\Users\\me\\AppData\\Roaming\\App', /app data folder AppData/],
    ['/Users/me/Library/Keychains', /app data folder Library/],
    ['/data/results/../../etc', /must not contain "\." or "\.\."/],
    ['/data/./results', /must not contain/],
  ])('refuses %s, saying why and what to do', (path, reason) => {
    const problem = watchFolderProblem(path);
    expect(problem).toMatch(reason);
    expect(problem).toMatch(/: (choose|give)/);
  });

  it('refuses network paths in every spelling, on every platform, and relative paths', () => {
    for (const path of ['//host/share', '\\\\host\\share', '\\\\?\\C:\\data', '\\\\.\\pipe\\x', '/\\host\\share', '\\/host/share', '//?/UNC/host/share']) {
      expect(isNetworkPath(path), path).toBe(true);
      expect(localPathProblem(path), path).toMatch(/^must not be a network path .*: choose a folder on this computer/);
      expect(watchFolderProblem(path), path).toMatch(/network path/);
    }
    expect(localPathProblem('relative/dir')).toBe('must be an absolute path');
    expect(localPathProblem('C:relative')).toBe('must be an absolute path');
    expect(localPathProblem('\\data')).toBe('must be an absolute path');
    expect(localPathProblem('/data/results')).toBeNull();
    expect(localPathProblem('/')).toBeNull(); // a plain absolute path; only watch folders refuse the disk
  });
});
