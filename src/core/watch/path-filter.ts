/**
 * Decides which paths under a watch folder are offloaded. Default excludes (temporary and partial
 * names, dot files) apply to every path segment, so `.cache/x.png` and `temp_render/x.png` are skipped
 * too. A pattern without `/` matches a name at any depth; one with `/` matches the relative path.
 */
import picomatch from 'picomatch';
import { DEFAULT_EXCLUDES, type WatchFolder } from '../../shared/settings';

type Matcher = (relPath: string, segments: string[]) => boolean;

function compile(pattern: string): Matcher {
  const isMatch = picomatch(pattern, { dot: true, nocase: false });
  return pattern.includes('/') ? (rel) => isMatch(rel) : (_rel, segments) => segments.some((s) => isMatch(s));
}

export interface PathFilter {
  /** False for a directory the watcher need not descend into. */
  acceptsDir(relPath: string): boolean;
  /** True for a file that should be offloaded once finished. */
  acceptsFile(relPath: string): boolean;
}

export function createPathFilter(folder: Pick<WatchFolder, 'include' | 'exclude'>): PathFilter {
  const excludes = [...DEFAULT_EXCLUDES, ...folder.exclude].map(compile);
  const includes = folder.include.map(compile);
  const excluded = (rel: string): boolean => {
    const segments = rel.split('/');
    return excludes.some((m) => m(rel, segments));
  };
  return {
    acceptsDir: (rel) => rel === '' || !excluded(rel),
    acceptsFile: (rel) => {
      if (excluded(rel)) return false;
      if (includes.length === 0) return true;
      const segments = rel.split('/');
      const name = segments.slice(-1);
      return includes.some((m) => m(rel, name));
    },
  };
}
