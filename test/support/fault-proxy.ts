/**
 * A fault-injecting HTTP proxy for resilience tests (RELIABILITY.md "Faults on one machine"). It sits on
 * 127.0.0.1 in front of the S3 lab, forwards requests unchanged (Host included, so signatures stay
 * valid), and applies scripted faults to the requests that match: delay, stall, reset, cut the request
 * or the response after N bytes, or answer with a scripted HTTP error such as 503 SlowDown.
 *
 * Bounded: every rule fires a set number of times, stalls end after `ms`, and stop() closes every
 * socket; stop() may be called twice.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { type: 'respond'; status: number; body?: string; headers?: Record<string, string> }
  | { type: 'delay'; ms: number }
  | { type: 'stall'; ms: number }
  | { type: 'reset' }
  | { type: 'cut-request'; afterBytes: number }
  | { type: 'cut-response'; afterBytes: number }
  /**
   * Calls `then` once: when `atRequestBytes` of the body have been forwarded, or, without it, when the
   * server has answered but before the client hears the answer (the answer is then dropped). Used to
   * kill a process at an exact point of an upload.
   */
  | { type: 'intercept'; atRequestBytes?: number; then: () => void };

export interface FaultRule {
  method?: string;
  /** Matched against the request target (path and query). */
  path?: RegExp;
  /** How many matching requests this rule applies to; the rest pass through. */
  times: number;
  /** Matching requests to let through untouched before the rule starts applying. */
  skip?: number;
  fault: Fault;
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  fault: Fault['type'] | null;
}

export interface FaultProxy {
  endpoint: string;
  /** Adds a rule; rules are tried in the order added. */
  inject(rule: FaultRule): void;
  clear(): void;
  /** Every request seen, in order, with the fault applied to it. */
  readonly seen: readonly SeenRequest[];
  /**
   * Resolves once no request has been in flight for `quietMs`. After a client is killed, bytes already
   * in socket buffers still reach the server; wait for this before looking at what the server holds.
   */
  quiet(quietMs?: number): Promise<void>;
  /** An outage: stops listening, so connections are refused (ECONNREFUSED), until `online()`. */
  offline(): Promise<void>;
  /** Listens again on the same port. */
  online(): Promise<void>;
  stop(): Promise<void>;
}

/** An S3 error body, for `respond` faults. */
export const s3ErrorBody = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: (FaultRule & { left: number; skipLeft: number })[] = [];
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const take = (req: IncomingMessage): Fault | null => {
    const rule = rules.find(
      (r) => r.left > 0 && (!r.method || r.method === req.method) && (!r.path || r.path.test(req.url ?? '')),
    );
    if (!rule) return null;
    if (rule.skipLeft > 0) {
      rule.skipLeft -= 1;
      return null;
    }
    rule.left -= 1;
    return rule.fault;
  };

  const pass = (req: IncomingMessage, res: ServerResponse, fault: Fault | null): void => {
    const up = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        if (fault?.type === 'intercept' && fault.atRequestBytes === undefined) {
          fault.then();
          upRes.resume();
          res.socket?.destroy();
          return;
        }
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        if (fault?.type === 'cut-response') {
          let sent = 0;
          upRes.on('data', (chunk: Buffer) => {
            const room = fault.afterBytes - sent;
            sent += chunk.length;
            if (room <= 0) return;
            const cutNow = sent >= fault.afterBytes;
            // Destroy only once the partial body has been flushed, so the client sees headers and some bytes.
            res.write(chunk.subarray(0, room), () => {
              if (cutNow) res.socket?.destroy();
            });
            if (cutNow) upRes.destroy();
          });
          upRes.on('end', () => res.end());
        } else {
          upRes.pipe(res);
        }
      },
    );
    up.on('error', () => res.socket?.destroy());
    // A client that dies mid-request closes its connection; the server must see that close too, as it
    // would without a proxy, instead of waiting forever for the rest of the body.
    req.on('close', () => {
      if (!req.complete) up.destroy();
    });
    if (fault?.type === 'cut-request') {
      let forwarded = 0;
      req.on('data', (chunk: Buffer) => {
        const room = fault.afterBytes - forwarded;
        if (room > 0) up.write(chunk.subarray(0, room));
        forwarded += chunk.length;
        if (forwarded >= fault.afterBytes) {
          up.destroy();
          req.socket.destroy();
        }
      });
      req.on('end', () => up.end());
    } else if (fault?.type === 'intercept' && fault.atRequestBytes !== undefined) {
      const at = fault.atRequestBytes;
      let forwarded = 0;
      let fired = false;
      req.on('data', (chunk: Buffer) => {
        forwarded += chunk.length;
        if (!fired && forwarded >= at) {
          fired = true;
          fault.then();
        }
      });
      req.pipe(up);
    } else {
      req.pipe(up);
    }
  };

  let inFlight = 0;
  let lastActivity = Date.now();
  const server = createServer((req, res) => {
    inFlight += 1;
    lastActivity = Date.now();
    res.on('close', () => {
      inFlight -= 1;
      lastActivity = Date.now();
    });
    const fault = take(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, fault: fault?.type ?? null });
    switch (fault?.type) {
      case 'respond':
        req.resume();
        req.on('end', () => {
          res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers });
          res.end(fault.body ?? '');
        });
        return;
      case 'delay':
        req.pause();
        return later(fault.ms, () => pass(req, res, null));
      case 'stall':
        req.pause();
        return later(fault.ms, () => req.socket.destroy());
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      default:
        pass(req, res, fault);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | null = null;
  const close = (): Promise<void> =>
    new Promise<void>((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inject: (rule) => rules.push({ ...rule, left: rule.times, skipLeft: rule.skip ?? 0 }),
    clear: () => rules.splice(0),
    seen,
    offline: close,
    online: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    async quiet(quietMs = 300) {
      const until = Date.now() + 30_000;
      while ((inFlight > 0 || Date.now() - lastActivity < quietMs) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    },
    stop() {
      timers.forEach(clearTimeout);
      stopped ??= server.listening ? close() : Promise.resolve();
      return stopped;
    },
  };
}
