/** The fuses scripts/after-pack.cjs flips in every packaged build (PRODUCT.md §7). */
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { fuseConfig } = createRequire(import.meta.url)('../../scripts/after-pack.cjs') as { fuseConfig: Record<string, unknown> };

describe('after-pack fuses', () => {
  it('turns off the extra privileges of file:// pages (the window is served over app://)', () => {
    expect(fuseConfig[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('keeps the other hardening fuses', () => {
    expect(fuseConfig).toMatchObject({
      version: FuseVersion.V1,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    });
  });
});
