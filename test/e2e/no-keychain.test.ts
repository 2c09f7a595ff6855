/**
 * A machine with no usable keychain (no D-Bus session, as on a render node): the command says so
 * plainly with what to install, stores nothing in plain text, and still works from the environment.
 */
import { readFile } from 'node:fs/promises';
import { labServers, type LabServer } from '../support/lab-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/engine-harness';
import { runOffload } from '../support/run-offload';

let lab: LabServer;
let h: Harness;
const noBus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', GNOME_KEYRING_CONTROL: '' };


describe.each(labServers)('on $name', (server) => {
  beforeAll(async () => {
    lab = await server.start();
    h = await createHarness(lab);
  });
  afterAll(async () => {
    await h?.cleanup();
    await lab?.stop();
  });

  describe('without a keychain', () => {
    it('refuses to store a secret, says what to install, and writes it nowhere', async () => {
      const run = await runOffload(['secret', 'set', 'studio-bucket', '--config', h.settingsFile], noBus, 'a-secret-value');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/The OS keychain is not usable here .*Secrets are never stored in plain text\. \(keychain-unavailable\)\n {2}fix: .*install libsecret and a Secret Service .*OFFLOAD_<ID>_SECRET_ACCESS_KEY instead\./);
      expect(await readFile(h.settingsFile, 'utf8')).not.toContain('a-secret-value');
      expect(run.stdout + run.stderr).not.toContain('a-secret-value');
    });

    it('still tests and offloads with credentials from the environment', async () => {
      const env = { ...noBus, OFFLOAD_STUDIO_BUCKET_ACCESS_KEY_ID: lab.users.main.accessKeyId, OFFLOAD_STUDIO_BUCKET_SECRET_ACCESS_KEY: lab.users.main.secretAccessKey };
      const test = await runOffload(['test', '--config', h.settingsFile], env);
      expect(test.stdout).toMatch(/^✓ "studio-bucket" works/);
      expect(test.code).toBe(0);
      await h.write('from-env.png', 'env credentials');
      expect((await runOffload(['watch', '--once', '--config', h.settingsFile], env)).code).toBe(0);
      expect(await h.keys()).toEqual(['results/from-env.png']);
    });
  });
});
