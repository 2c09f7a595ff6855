/**
 * Calling a command from the window (src/renderer/src/lib/api.ts, command.ts): the error keeps its code
 * and fix across IPC, and the toast shows the fix under the message.
 */
import { describe, expect, it } from 'vitest';
import type { ToastContent } from '../../src/renderer/src/components/toast';
import { ApiError, appErrorOf, call, errorLines } from '../../src/renderer/src/lib/api';
import { runCommand } from '../../src/renderer/src/lib/command';
import { probeToast } from '../../src/renderer/src/features/providers/probe-toast';
import { fail, ok } from '../../src/shared/result';

const denied = { code: 'access-denied', message: 'The bucket refused the key', fix: 'Give the key s3:PutObject on the bucket' };

/** Runs a command the way a screen does, collecting the toasts it would show. */
async function toastsOf<T>(command: () => Promise<T>, toasts: Parameters<typeof runCommand<T>>[1]): Promise<{ value: T | undefined; shown: ToastContent[] }> {
  const shown: ToastContent[] = [];
  const value = await runCommand(command, toasts, (t) => shown.push(t));
  return { value, shown };
}

describe('ApiError', () => {
  it('keeps the code, message and fix of a failed result', async () => {
    const error = await call(Promise.resolve(fail(denied.code, denied.message, denied.fix))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'access-denied', message: 'The bucket refused the key', fix: 'Give the key s3:PutObject on the bucket' });
    expect(appErrorOf(error)).toEqual(denied);
  });

  it('gives the value of a successful result', async () => {
    expect(await call(Promise.resolve(ok(42)))).toBe(42);
  });

  it('puts the fix under the message, and treats any other throw as unexpected, without a fix', () => {
    expect(errorLines(new ApiError(denied))).toEqual(['The bucket refused the key', 'Fix: Give the key s3:PutObject on the bucket']);
    expect(errorLines(new ApiError({ code: 'x', message: 'No fix known' }))).toEqual(['No fix known']);
    expect(appErrorOf(new TypeError('boom'))).toEqual({ code: 'unexpected', message: 'boom' });
    expect(errorLines('plain')).toEqual(['plain']);
  });
});

describe('runCommand', () => {
  it('shows a red toast with the message and its fix, and resolves to undefined', async () => {
    const { value, shown } = await toastsOf(() => call(Promise.resolve(fail(denied.code, denied.message, denied.fix))), { failure: 'Folder not added', done: 'never' });
    expect(value).toBeUndefined();
    expect(shown).toEqual([{ tone: 'error', title: 'Folder not added', lines: ['The bucket refused the key', 'Fix: Give the key s3:PutObject on the bucket'] }]);
  });

  it('shows a green title, a whole toast from the value, or nothing', async () => {
    expect((await toastsOf(async () => 1, { failure: 'f', done: 'Saved' })).shown).toEqual([{ tone: 'success', title: 'Saved' }]);
    const whole = await toastsOf(async () => 'x', { failure: 'f', done: (v) => ({ tone: 'warning', title: `Got ${v}`, lines: ['careful'] }) });
    expect(whole).toEqual({ value: 'x', shown: [{ tone: 'warning', title: 'Got x', lines: ['careful'] }] });
    expect(await toastsOf(async () => null, { failure: 'f', done: (v) => v })).toEqual({ value: null, shown: [] });
    expect(await toastsOf(async () => 3, { failure: 'f' })).toEqual({ value: 3, shown: [] });
  });
});

describe('probeToast', () => {
  it('writes a failed step\'s fix the same way as any error', () => {
    const failure = { step: 'write', code: 'access-denied', message: 'Denied', fix: 'Grant PutObject' } as const;
    const toast = probeToast({ providerId: 'p', ok: false, failure, warnings: [], probeKey: null, learned: { conditionalWrites: null, writeOnly: false } });
    expect(toast.lines).toEqual(['Denied', 'Fix: Grant PutObject']);
  });
});
