/** The General screen's upload form (src/renderer/src/features/settings/upload-form.ts), checked with the IPC's own schema. */
import { describe, expect, it } from 'vitest';
import { uploadFormErrors, uploadFormFrom, uploadOptionsFrom, type UploadForm } from '../../src/renderer/src/features/settings/upload-form';
import { uploadOptionsSchema } from '../../src/shared/ipc/contract';

const valid: UploadForm = { concurrency: '4', limit: '', settle: '1.5', policy: 'keep-both', schedule: '', pauseOnBattery: false, pauseOnMetered: false };
const saved = { bandwidthSchedule: null, pauseOnBattery: false, pauseOnMetered: false };

describe('upload form', () => {
  it('turns seconds and MB/s into the saveUpload payload, which the schema accepts', () => {
    const options = uploadOptionsFrom({ ...valid, limit: '2.5' });
    expect(options).toEqual({ concurrency: 4, settleMs: 1500, conflictPolicy: 'keep-both', bandwidthLimitBytesPerSec: 2_500_000, bandwidthSchedule: null, pauseOnBattery: false, pauseOnMetered: false });
    expect(uploadOptionsSchema.safeParse(options).success).toBe(true);
    expect(uploadFormErrors(valid)).toEqual({});
  });

  it('shows saved settings in the form units', () => {
    expect(uploadFormFrom({ ...saved, concurrency: 6, bandwidthLimitBytesPerSec: 3_000_000, settleMs: 300, conflictPolicy: 'skip' })).toEqual({ ...valid, concurrency: '6', limit: '3', settle: '0.3', policy: 'skip' });
    expect(uploadFormFrom({ ...saved, concurrency: 6, bandwidthLimitBytesPerSec: null, settleMs: 300, conflictPolicy: 'skip' }).limit).toBe('');
    const powered = uploadFormFrom({ concurrency: 6, bandwidthLimitBytesPerSec: null, settleMs: 300, conflictPolicy: 'skip', bandwidthSchedule: '08:00,2M 19:00,off', pauseOnBattery: true, pauseOnMetered: true });
    expect(powered).toMatchObject({ schedule: '08:00,2M 19:00,off', pauseOnBattery: true, pauseOnMetered: true });
  });

  it('names the field and its range from the schema', () => {
    expect(uploadFormErrors({ ...valid, concurrency: '40' })).toEqual({ concurrency: 'Parallel uploads: a whole number from 1 to 32' });
    expect(uploadFormErrors({ ...valid, concurrency: '2.5' }).concurrency).toBe('Parallel uploads: a whole number from 1 to 32');
    expect(uploadFormErrors({ ...valid, settle: '601' })).toEqual({ settle: 'Settle time: seconds from 0 to 600' });
    expect(uploadFormErrors({ ...valid, limit: '0' })).toEqual({ limit: 'Bandwidth limit: a number of MB/s above 0, or empty for no limit' });
  });

  it('refuses text and blanks where a number is needed; a blank limit means no limit', () => {
    expect(Object.keys(uploadFormErrors({ ...valid, concurrency: 'four', settle: '' })).sort()).toEqual(['concurrency', 'settle']);
    expect(uploadFormErrors({ ...valid, limit: 'fast' }).limit).toContain('Bandwidth limit');
    expect(uploadOptionsFrom({ ...valid, limit: '  ' }).bandwidthLimitBytesPerSec).toBeNull();
  });

  it('accepts the bounds themselves', () => {
    expect(uploadFormErrors({ ...valid, concurrency: '32', settle: '600' })).toEqual({});
    expect(uploadFormErrors({ ...valid, concurrency: '1', settle: '0' })).toEqual({});
  });

  it('checks the bandwidth schedule as typed with the shared parser, naming the bad entry; blank is none', () => {
    expect(uploadFormErrors({ ...valid, schedule: '08:00,2M 19:00,off' })).toEqual({});
    expect(uploadOptionsFrom({ ...valid, schedule: '  08:00,2M 19:00,off ' }).bandwidthSchedule).toBe('08:00,2M 19:00,off');
    expect(uploadOptionsFrom({ ...valid, schedule: '   ' }).bandwidthSchedule).toBeNull();
    expect(uploadFormErrors({ ...valid, schedule: '08:00,2M 25:00,off' })).toEqual({ schedule: 'Bandwidth schedule: "25:00,off": "25:00" is not a time (HH:MM, 00:00 to 23:59)' });
    // Half typed: the entry without its rate is named as it stands.
    expect(uploadFormErrors({ ...valid, schedule: '08:00,2M 19:00' }).schedule).toContain('"19:00": not an entry');
  });

  it('sends the pause settings as ticked', () => {
    const options = uploadOptionsFrom({ ...valid, pauseOnBattery: true, pauseOnMetered: true });
    expect(options).toMatchObject({ pauseOnBattery: true, pauseOnMetered: true });
    expect(uploadOptionsSchema.safeParse(options).success).toBe(true);
  });
});
