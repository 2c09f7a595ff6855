/**
 * Reads a secret from standard input: piped (`printf %s "$SECRET" | offload secret set ID`) or typed at a
 * terminal with the echo off. Never from argv, where it would land in shell history and `ps`.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export async function readSecretFromStdin(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    return data.replace(/\r?\n$/, '');
  }
  process.stderr.write('Secret (input hidden): ');
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  rl.close();
  process.stderr.write('\n');
  return line;
}
