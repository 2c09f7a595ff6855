/**
 * The failure policy (src/core/offload/failure-policy.ts) branch by branch, and the classification of
 * what an attempt threw (failure-kind.ts), without I/O.
 */
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/core/offload/failure-kind';
import { decideFailure, MAX_RETRY_DELAY_MS, MAX_THROTTLED, type Failure } from '../../src/core/offload/failure-policy';
import { VerifyMismatch } from '../../src/core/offload/job-errors';
import { ProviderUnusable } from '../../src/core/providers/provider-session';
import { KeyError } from '../../src/core/offload/object-key';
import { FileChanged, NotRegularFile, OutsideWatchFolder } from '../../src/core/storage/local-file';

const rules = { maxAttempts: 3, retryBaseMs: 1000 };
const running = { stopped: false, aborted: false };
const transient = (code = 'InternalError'): Failure => ({ kind: 'transient', code, message: `Temporary failure talking to the bucket (${code})` });
const decide = (failure: Failure, attempts = 1, throttled = 0, engine = running, jitter = 0.5) => decideFailure(failure, { attempts, throttled }, rules, engine, jitter);

describe('decideFailure', () => {
  it('leaves an attempt cut by stopping to resume at the next start, whatever the failure', () => {
    for (const failure of [transient(), { kind: 'changed' } as const, { kind: 'unreachable', code: 'ECONNREFUSED', message: 'x' } as const]) {
      expect(decide(failure, 1, 0, { stopped: true, aborted: true })).toEqual({ action: 'resume-later' });
    }
  });

  it('lets a changed file settle again, records a vanished one, refuses what must not be read', () => {
    expect(decide({ kind: 'changed' })).toEqual({ action: 'settle-again' });
    expect(decide({ kind: 'vanished' })).toEqual({ action: 'vanished' });
    expect(decide({ kind: 'refused', code: 'not-regular-file', message: 'a FIFO' })).toEqual({ action: 'refuse', code: 'not-regular-file', message: 'a FIFO' });
  });

  it('goes offline when the endpoint cannot be reached, and fails instead while stopping', () => {
    const unreachable: Failure = { kind: 'unreachable', code: 'ECONNREFUSED', message: 'refused' };
    expect(decide(unreachable, 3)).toEqual({ action: 'go-offline', message: 'refused' });
    expect(decide(unreachable, 1, 0, { stopped: true, aborted: false })).toEqual({ action: 'fail', code: 'ECONNREFUSED', message: 'refused', notify: false });
  });

  it('retries a transient failure with doubling delays until the attempts are spent', () => {
    expect(decide(transient(), 1)).toMatchObject({ action: 'retry', delayMs: 1000, throttled: false, code: 'InternalError' });
    expect(decide(transient(), 2)).toMatchObject({ action: 'retry', delayMs: 2000 });
    expect(decide(transient(), 3)).toEqual({ action: 'fail', code: 'InternalError', message: 'Temporary failure talking to the bucket (InternalError)', notify: false });
  });

  it('spreads delays ±20 % and caps them at five minutes', () => {
    expect(decide(transient(), 1, 0, running, 0)).toMatchObject({ delayMs: 800 });
    expect(decide(transient(), 1, 0, running, 0.999999)).toMatchObject({ delayMs: expect.closeTo(1200, 3) });
    const many = decideFailure(transient(), { attempts: 30, throttled: 0 }, { maxAttempts: 50, retryBaseMs: 1000 }, running, 0.5);
    expect(many).toMatchObject({ action: 'retry', delayMs: MAX_RETRY_DELAY_MS });
  });

  it('backs off on throttling without spending attempts, up to a cap, then like any transient failure', () => {
    for (const code of ['SlowDown', 'ServiceUnavailable', 'TooManyRequests', 'HTTP429', 'HTTP503']) {
      expect(decide(transient(code), 3, 0)).toMatchObject({ action: 'retry', throttled: true, code });
    }
    expect(decide(transient('SlowDown'), 1, 4)).toMatchObject({ action: 'retry', throttled: true, delayMs: 16_000 });
    expect(decide(transient('SlowDown'), 1, MAX_THROTTLED - 1)).toMatchObject({ action: 'retry', throttled: true });
    expect(decide(transient('SlowDown'), 1, MAX_THROTTLED)).toMatchObject({ action: 'retry', throttled: false });
    expect(decide(transient('SlowDown'), 3, MAX_THROTTLED)).toMatchObject({ action: 'fail', code: 'SlowDown' });
  });

  it('never retries once the engine is stopped', () => {
    expect(decide(transient(), 1, 0, { stopped: true, aborted: false })).toMatchObject({ action: 'fail' });
  });

  it('fails permanent and provider failures at once; only the provider kind is announced', () => {
    expect(decide({ kind: 'permanent', code: 'bad-key', message: 'm' })).toEqual({ action: 'fail', code: 'bad-key', message: 'm', notify: false });
    expect(decide({ kind: 'provider', code: 'AccessDenied', message: 'm' })).toEqual({ action: 'fail', code: 'AccessDenied', message: 'm', notify: true });
    expect(decide({ kind: 'exists', code: 'PreconditionFailed', message: 'm' })).toEqual({ action: 'fail', code: 'PreconditionFailed', message: 'm', notify: false });
  });
});

describe('classifyFailure', () => {
  const path = '/w/a.png';
  const errno = (code: string, at = path) => Object.assign(new Error(code), { code, path: at });
  const s3 = (name: string, status: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  it('reads local-file signals', () => {
    expect(classifyFailure(new FileChanged(path), path)).toEqual({ kind: 'changed' });
    expect(classifyFailure(s3('BadDigest', 400), path)).toEqual({ kind: 'changed' });
    expect(classifyFailure(errno('ENOENT'), path)).toEqual({ kind: 'vanished' });
    expect(classifyFailure(new NotRegularFile(path, 'a FIFO (named pipe)'), path)).toMatchObject({ kind: 'refused', code: 'not-regular-file' });
    expect(classifyFailure(new OutsideWatchFolder(path), path)).toMatchObject({ kind: 'refused', code: 'outside-watch-folder' });
  });

  it('does not take an ENOENT about another file for the file vanishing', () => {
    expect(classifyFailure(errno('ENOENT', '/etc/ssl/ca.pem'), path)).toMatchObject({ kind: 'permanent', code: 'ENOENT' });
  });

  it('reads the job errors and permissions', () => {
    expect(classifyFailure(new KeyError('bad'), path)).toEqual({ kind: 'permanent', code: 'bad-key', message: 'bad' });
    expect(classifyFailure(new ProviderUnusable('gone', 'add it again', 'gone'), path)).toEqual({ kind: 'provider', code: 'provider-unusable', message: 'gone (add it again)' });
    expect(classifyFailure(new VerifyMismatch('differs'), path)).toEqual({ kind: 'transient', code: 'verify-mismatch', message: 'differs' });
    expect(classifyFailure(errno('EACCES'), path)).toEqual({ kind: 'permanent', code: 'EACCES', message: `cannot read ${path}: permission denied` });
  });

  it('tells an unreachable endpoint from a broken connection and from the bucket answering', () => {
    expect(classifyFailure(Object.assign(new Error('connect'), { cause: { code: 'ECONNREFUSED' } }), path)).toMatchObject({ kind: 'unreachable' });
    expect(classifyFailure(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), path)).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
    expect(classifyFailure(s3('InternalError', 500), path)).toMatchObject({ kind: 'transient', code: 'InternalError' });
    expect(classifyFailure(s3('AccessDenied', 403), path)).toMatchObject({ kind: 'provider', code: 'AccessDenied' });
  });
});
