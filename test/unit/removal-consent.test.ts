import { describe, expect, it } from 'vitest';
import { destinationConsentRequest, removesMore, retentionConsentRequest } from '../../src/core/removal-consent';
import { KEEP_EVERYTHING, type RetentionPolicy } from '../../src/shared/retention';

const policy = (p: Partial<RetentionPolicy>): RetentionPolicy => ({ ...KEEP_EVERYTHING, ...p });

describe('what counts as removing more (asked about in main\'s dialog)', () => {
  it('turning a rule on, shortening the days, raising the mark, trash into deleting', () => {
    expect(removesMore(KEEP_EVERYTHING, policy({ rightAway: true }))).toBe(true);
    expect(removesMore(policy({ afterDays: 30 }), policy({ afterDays: 7 }))).toBe(true);
    expect(removesMore(policy({ lowSpace: { below: 5, unit: 'GB' } }), policy({ lowSpace: { below: 20, unit: 'GB' } }))).toBe(true);
    expect(removesMore(policy({ rightAway: true, moveToTrash: true }), policy({ rightAway: true }))).toBe(true);
  });

  it('keeping longer, a lower mark or turning removal off is not asked; a rule beside right away is', () => {
    expect(removesMore(policy({ afterDays: 7 }), policy({ afterDays: 30 }))).toBe(false);
    expect(removesMore(policy({ lowSpace: { below: 20, unit: 'GB' } }), policy({ lowSpace: { below: 5, unit: 'GB' } }))).toBe(false);
    expect(removesMore(policy({ rightAway: true }), KEEP_EVERYTHING)).toBe(false);
    // Right away keeps a file brought back on purpose; an age rule beside it takes that file too: asked.
    expect(removesMore(policy({ rightAway: true }), policy({ rightAway: true, afterDays: 3 }))).toBe(true);
    expect(retentionConsentRequest(policy({ afterDays: 7 }), policy({ afterDays: 7 }), 'every watch folder')).toBeNull();
  });

  it('a mark in percent against one in GB is asked when it keeps more free on some disk', () => {
    // 10 % is more than 5 GB on a disk above 50 GB.
    expect(removesMore(policy({ lowSpace: { below: 5, unit: 'GB' } }), policy({ lowSpace: { below: 10, unit: '%' } }))).toBe(true);
    expect(removesMore(policy({ lowSpace: { below: 20000, unit: 'GB' } }), policy({ lowSpace: { below: 10, unit: '%' } }))).toBe(false);
  });

  it('pointing new files elsewhere is asked only while something removes copies', () => {
    const studio = { id: 'studio', label: 'Studio' };
    expect(destinationConsentRequest({ retention: KEEP_EVERYTHING, watchFolders: [] }, studio, [])).toBeNull();
    expect(destinationConsentRequest({ retention: KEEP_EVERYTHING, watchFolders: [{ path: '/w', include: [], exclude: [], offloadExisting: false, retention: policy({ afterDays: 3 }) }] }, studio, ['endpoint'])).toMatchObject({
      message: 'Keep removing local copies now that the endpoint of "Studio" changed?',
      detail: expect.stringContaining('New files will be uploaded to "Studio"'),
    });
    // A provider that only holds files: the question is about the copies already there.
    const removing = { retention: policy({ afterDays: 3 }), watchFolders: [] };
    expect(destinationConsentRequest(removing, studio, ['bucket'], false)?.detail).toMatch(/^Files offloaded to "Studio", or still to be sent there, have their copy there checked/);
  });
});
