/** The provider form's draft (src/renderer/src/features/providers/draft.ts): per-provider fields come from the catalog. */
import { describe, expect, it } from 'vitest';
import { cdnUrlFor, draftFrom, keyTemplateHint, newDraft, settingsFrom } from '../../src/renderer/src/features/providers/draft';
import { seededRandom } from '../support/seeded-random';
import type { ProviderSettings } from '../../src/shared/settings';
import { providerCatalog, providerTypes } from '../../src/shared/providers/catalog';
import { providerSchema } from '../../src/shared/settings';

const ACCOUNT = '0123456789abcdef0123456789abcdef';

describe('provider draft', () => {
  it('keeps the account id for R2, whose catalog entry has the field', () => {
    const draft = { ...newDraft('r2', []), bucket: 'media', accountId: ` ${ACCOUNT} ` };
    expect(settingsFrom(draft).accountId).toBe(ACCOUNT);
  });

  it('drops an account id for every provider whose catalog entry has no such field', () => {
    const without = providerTypes.filter((type) => providerCatalog[type].accountId === null);
    expect(without).toContain('spaces');
    expect(without).not.toContain('r2');
    for (const type of without) expect(settingsFrom({ ...newDraft(type, []), accountId: ACCOUNT }).accountId, type).toBeNull();
  });

  it('round-trips saved settings, leaving catalog defaults unset', () => {
    const saved = providerSchema.parse({ id: 'media', type: 'spaces', bucket: 'media', region: 'ams3', accessKeyId: 'AKID', publicUrl: 'https://cdn.example.com' });
    expect(settingsFrom(draftFrom(saved))).toEqual({ ...saved, accountId: null, endpoint: null, forcePathStyle: null, storageClass: null });
  });

  it('keeps a key template set in the settings file through a save from the form (it has no field there)', () => {
    const saved = providerSchema.parse({ id: 'media', type: 'minio', bucket: 'media', endpoint: 'http://127.0.0.1:9000', keyTemplate: '{yyyy}/{name}' });
    expect(settingsFrom({ ...draftFrom(saved), label: 'Renamed' }).keyTemplate).toBe('{yyyy}/{name}');
  });

  it('starts a new provider with a free id and the first listed region; a fixed region is never saved', () => {
    expect(newDraft('spaces', ['spaces', 'spaces-2']).id).toBe('spaces-3');
    expect(newDraft('spaces', []).region).toBe(providerCatalog.spaces.regions?.[0]);
    expect(settingsFrom({ ...newDraft('r2', []), region: 'eu' }).region).toBeNull();
  });

  it('offers the Spaces CDN URL once bucket and region are given, and none for providers without a CDN', () => {
    expect(cdnUrlFor({ type: 'spaces', bucket: ' media ', region: 'nyc3' })).toBe('https://media.nyc3.cdn.digitaloceanspaces.com');
    expect(cdnUrlFor({ type: 'spaces', bucket: '', region: 'nyc3' })).toBeNull();
    expect(cdnUrlFor({ type: 'spaces', bucket: 'media', region: '' })).toBeNull();
    for (const type of providerTypes.filter((t) => providerCatalog[t].cdnUrl === null)) expect(cdnUrlFor({ type, bucket: 'media', region: 'nyc3' }), type).toBeNull();
  });

  it('gives every provider type\'s full settings back unchanged through the form, for many random fillings', () => {
    const random = seededRandom(20261202);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    for (const type of providerTypes) {
      const entry = providerCatalog[type];
      for (let round = 0; round < 25; round++) {
        const full: ProviderSettings = providerSchema.parse({
          id: `p-${round}`,
          type,
          label: pick(['Studio', 'Archive · 2026', 'Renders (fast)']),
          enabled: random() < 0.7,
          bucket: pick(['media', 'renders-2026', 'a.b.c']),
          endpoint: pick([null, 'https://s3.example.net', 'http://127.0.0.1:9000']),
          region: entry.regionFixed ? null : (entry.regions ? pick(entry.regions) : pick(['eu-west-3', 'us-east-1', 'nyc3'])),
          accountId: entry.accountId ? 'a'.repeat(32) : null,
          publicUrl: pick([null, 'https://cdn.example.com/media']),
          keyPrefix: pick(['', 'results', 'studio/renders']),
          keyTemplate: pick(['{yyyy}/{mm}/{relpath}', '{host}/{name}-{hash8}.{ext}']),
          forcePathStyle: !entry.forcePathStyle,
          storageClass: pick(entry.storageClasses),
          accessKeyId: pick([null, 'AKIDEXAMPLE']),
        });
        expect(settingsFrom(draftFrom(full)), `${type} round ${round}`).toEqual(full);
      }
    }
  });

  it('saves no per-provider removal switch: the local copies policy decides (issue #19)', () => {
    const saved = settingsFrom(newDraft('minio', []));
    expect(saved).not.toHaveProperty('deleteLocalAfterUpload');
    expect(saved).not.toHaveProperty('moveToTrash');
  });

  it('shows a live example of the key a template gives, and the tokens', () => {
    expect(keyTemplateHint({ keyPrefix: 'results', keyTemplate: '{yyyy}/{mm}/{name}.{ext}' })).toMatch(/^renders\/shot-0042\.png is stored as results\/2026\/12\/shot-0042\.png\. Tokens: \{relpath\} /);
    expect(keyTemplateHint({ keyPrefix: 'results', keyTemplate: '' })).toMatch(/stored as results\/renders\/shot-0042\.png/);
    expect(keyTemplateHint({ keyPrefix: '', keyTemplate: '{nope}' })).toMatch(/^Tokens:/);
  });
});
