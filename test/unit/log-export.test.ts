import { describe, expect, it } from 'vitest';
import { csvCell, exportLog } from '../../src/core/ledger/log-export';
import type { FileRecord } from '../../src/shared/ledger';

const row: FileRecord = {
  id: 3, path: '/r/a, "b".png', watchRoot: '/r', relPath: 'a, "b".png', size: 42, mtimeMs: 0, sha256: 'ab', state: 'offloaded', providerId: 'studio', bucket: 'bk',
  key: 'x/a, "b".png', url: 'https://cdn/x', attempts: 1, lastError: null, errorCode: null, timestamps: { detected: Date.UTC(2026, 0, 2), offloaded: Date.UTC(2026, 0, 2, 0, 0, 5) }, updatedAt: Date.UTC(2026, 0, 2, 0, 0, 5),
};

describe('log export', () => {
  it('quotes CSV cells with commas and quotes, and defuses spreadsheet formulas', () => {
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(-5)).toBe('-5');
  });

  it('writes a header and one line per row, with ISO times', () => {
    const out = exportLog([row], 'csv', new Date(Date.UTC(2026, 10, 24, 8, 30)));
    expect(out.fileName).toBe('offload-log-2026-11-24-08-30-00.csv');
    const [header, line] = out.content.trimEnd().split('\r\n');
    expect(header).toBe('id,path,relative_path,state,size_bytes,sha256,provider,bucket,key,url,attempts,last_error,detected_at,offloaded_at,updated_at');
    expect(line).toBe('3,"/r/a, ""b"".png","a, ""b"".png",offloaded,42,ab,studio,bk,"x/a, ""b"".png",https://cdn/x,1,,2026-01-02T00:00:00.000Z,2026-01-02T00:00:05.000Z,2026-01-02T00:00:05.000Z');
  });

  it('writes JSON that parses back to the rows', () => {
    const out = exportLog([row], 'json');
    expect(out.mimeType).toBe('application/json');
    expect(JSON.parse(out.content)).toEqual([row]);
  });
});
