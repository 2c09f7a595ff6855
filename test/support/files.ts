/** Small file-system questions the tests ask of the real disk. */
import { access } from 'node:fs/promises';

/** Whether anything is at `path` (a file a test expects gone, or back). */
export const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );
