/**
 * Takes provider credentials out of the process environment. Every child process inherits the
 * environment: in the desktop app that is Chromium's GPU, network and utility processes, none of which
 * needs a storage secret. So the OFFLOAD_<ID>_SECRET_ACCESS_KEY variables are read once at start-up
 * into an in-memory snapshot for EnvSecretStore, and deleted from the environment (`delete process.env.X`
 * unsets the variable itself, so processes started afterwards do not get it).
 *
 * OFFLOAD_<ID>_ACCESS_KEY_ID is copied into the snapshot too (the store reads both from one place) but
 * stays in the environment: it identifies the key, it does not grant anything on its own.
 */

const SECRET = /^OFFLOAD_.+_SECRET_ACCESS_KEY$/;
const KEY_ID = /^OFFLOAD_.+_ACCESS_KEY_ID$/;

/** Returns the provider credentials found in `env`, having deleted the secrets from it. */
export function takeSecretsFromEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const taken: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (SECRET.test(name)) {
      taken[name] = value;
      delete env[name];
    } else if (KEY_ID.test(name)) {
      taken[name] = value;
    }
  }
  return taken;
}
