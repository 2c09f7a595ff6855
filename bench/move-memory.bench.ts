/**
 * Peak RSS of `offload migrate` moving one 2 GiB object from one lab server to the other (s3rver → Ceph
 * RGW), streamed: the local copy was removed after the upload, so every byte comes from the source
 * bucket (GET → multipart PUT, no temporary copy). The goal (issue #14): under 250 MiB whatever the
 * object's size. Prints JSON; never asserts a timing. Run: npm run bench:move
 */
import { createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { it } from 'vitest';
import { createHarness, PROVIDER_ID } from '../test/support/engine-harness';
import { startLab } from '../test/support/lab-servers';
import { runOffload } from '../test/support/run-offload';
import { addSecondStorage, SECOND_ID } from '../test/support/second-storage';

const MiB = 1024 * 1024;
const SIZE = 2048 * MiB;
const GOAL_MIB = 250;

/** Writes `bytes` of random data in 8 MiB pieces (never the whole file in memory). */
async function writeRandom(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= 8 * MiB) if (!out.write(randomBytes(Math.min(8 * MiB, left)))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

it('peak RSS of a streamed 2 GiB move between the two lab servers', async () => {
  const s3rver = await startLab('s3rver');
  const rgw = await startLab('ceph-rgw');
  const h = await createHarness(s3rver);
  try {
    await h.configure({ retention: { rightAway: true }, upload: { settleMs: 200 } });
    const second = await addSecondStorage(h, s3rver, rgw);
    await writeRandom(`${h.watchDir}/render.mov`, SIZE);
    const config = ['--config', h.settingsFile];
    const upload = await runOffload(['watch', '--once', ...config], second.env);
    if (upload.code !== 0) throw new Error(`the upload failed: ${upload.stderr}`);
    const move = await runOffload(['migrate', '--from', PROVIDER_ID, '--to', SECOND_ID, '--delete-source', ...config], second.env);
    const peakRssMiB = Math.round(move.peakRssBytes / MiB);
    console.log(
      JSON.stringify(
        {
          bench: 'move-memory',
          cpus: cpus().length,
          route: 's3rver → ceph-rgw, streamed from the source bucket',
          bytes: SIZE,
          exitCode: move.code,
          seconds: Math.round(move.seconds * 10) / 10,
          mibPerSecond: Math.round((SIZE / MiB / move.seconds) * 10) / 10,
          peakRssMiB,
          uploadPeakRssMiB: Math.round(upload.peakRssBytes / MiB),
          goalMiB: GOAL_MIB,
          withinGoal: move.code === 0 && peakRssMiB < GOAL_MIB,
        },
        null,
        2,
      ),
    );
    if (move.code !== 0) throw new Error(`the move failed: ${move.stdout}${move.stderr}`);
    await second.stop();
  } finally {
    await h.cleanup();
    await s3rver.stop();
    await rgw.stop();
  }
}, 900_000);
