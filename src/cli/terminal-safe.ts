/**
 * Makes what the command prints inert in a terminal. File names are chosen by whoever writes into the
 * watch folder and error text by the server; printed raw, an escape sequence in them reaches the
 * terminal (OSC 52 writes the clipboard, CSI erases and rewrites lines, a bare CR overwrites the line).
 *
 * Every such character is shown as a visible `\uXXXX` instead, so the name stays recognisable:
 * - C0 (U+0000–U+001F), newline and tab included: each call prints exactly one line, so a newline in
 *   a name cannot forge a line of its own;
 * - DEL (U+007F) and C1 (U+0080–U+009F), which includes the one-character CSI U+009B;
 * - the bidi marks, embeddings, overrides and isolates that reorder what is shown (Trojan Source), and the
 *   Unicode line and paragraph separators.
 *
 * `\uXXXX` is also a JSON escape, so `--json` output stays valid JSON with the same values: JSON.stringify
 * escapes C0 itself but leaves DEL, C1 and the bidi characters raw, and these occur only inside strings.
 */
import type { CliIo } from './io';

// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(line: string): string {
  return line.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The command's output with every line passed through terminalSafe: the one place output is made safe. */
export function terminalSafeIo(io: CliIo): CliIo {
  return { out: (line) => io.out(terminalSafe(line)), err: (line) => io.err(terminalSafe(line)) };
}

/**
 * Multi-line text the command itself laid out, one line per call: the usage, and pretty-printed JSON
 * (JSON.stringify escapes every newline inside a string, so each newline left is between tokens).
 */
export function printLines(print: (line: string) => void, text: string): void {
  for (const line of text.split('\n')) print(line);
}
