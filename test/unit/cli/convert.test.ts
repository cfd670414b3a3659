import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../bin/commands/io.ts';
import { main } from '../../../bin/docbridge.ts';
import { readOdt } from '../../../connectors/formats/odt.ts';

const work = mkdtempSync(path.join(tmpdir(), 'docbridge-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const file = (name: string) => path.join(work, name);
const markdown =
  '# Hello\n\nSome **bold** text and a [link](https://example.com/).\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nThe end.\n';

/** Runs the CLI in-process with `stdin` as standard input; returns exit code, stdout and stderr lines. */
async function run(argv: string[], stdin = '') {
  const out: Uint8Array[] = [];
  const err: string[] = [];
  const io: CliIo = {
    readStdin: async () => new TextEncoder().encode(stdin),
    writeStdout: async (bytes) => {
      out.push(bytes);
    },
    warn: (line) => err.push(line),
  };
  const code = await main(argv, io);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: err };
}

describe('docbridge convert', () => {
  it('converts between every format by extension, keeping the document', async () => {
    writeFileSync(file('in.md'), markdown);
    const chain = ['in.md', 'a.odt', 'b.html', 'c.json', 'd.docx', 'e.gdoc.json', 'f.md'];
    for (let i = 1; i < chain.length; i += 1) {
      const result = await run(['convert', file(chain[i - 1] ?? ''), file(chain[i] ?? ''), '--quiet']);
      expect(result, `${chain[i - 1]} -> ${chain[i]}`).toMatchObject({ code: 0, stderr: [] });
    }
    expect(readFileSync(file('f.md'), 'utf8')).toBe(markdown);
    expect(readOdt(new Uint8Array(readFileSync(file('a.odt')))).doc.content?.[0]).toMatchObject({
      type: 'heading',
    });
    expect(readFileSync(file('b.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('reads standard input and writes standard output with --from/--to', async () => {
    const result = await run(
      ['convert', '-', '-', '--from', 'html', '--to', 'md'],
      '<h2>T</h2><p>x<script>1</script></p>',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('## T\n\nx\n');
    expect(result.stderr).toEqual([
      'warning HTML_UNSAFE_CONTENT_REMOVED: Scripts, frames, forms or event handlers were removed',
    ]);
  });

  it('fails with one clear line and a non-zero exit code', async () => {
    writeFileSync(file('bad.odt'), 'not a zip');
    const cases: [string[], number, RegExp][] = [
      [['convert', file('bad.odt'), file('x.md')], 1, /^error ODT_NOT_A_ZIP: /],
      [['convert', file('missing.docx'), file('x.md')], 1, /^error: ENOENT: no such file/],
      [['convert', file('in.md'), file('x.txt')], 2, /^error: cannot tell the format of .*x\.txt/],
      [['convert', '-', file('x.md')], 2, /^error: --from is required/],
      [['convert', file('in.md'), '-', '--to', 'pdf'], 2, /^error: unknown format for --to: pdf/],
      [['convert', file('in.md')], 2, /^error: convert takes IN and OUT/],
      [['convert', file('in.md'), file('x.md'), '--bogus'], 2, /^error.*bogus/],
      [['frobnicate'], 2, /^unknown command "frobnicate"/],
    ];
    for (const [argv, code, line] of cases) {
      const result = await run(argv, '');
      expect(result.code, argv.join(' ')).toBe(code);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toMatch(line);
    }
    const invalidJson = await run(
      ['convert', '-', '-', '--from', 'json', '--to', 'md'],
      '{"type":"doc","content":[{"type":"nope"}]}',
    );
    expect(invalidJson.stderr).toEqual([expect.stringMatching(/^error SCHEMA_INVALID: /)]);
  });

  it('runs as an executable through the bin shim', async () => {
    writeFileSync(file('shim.md'), markdown);
    const bin = path.resolve('bin/docbridge.js');
    const ok = await promisify(execFile)(process.execPath, [
      bin,
      'convert',
      file('shim.md'),
      '-',
      '--to',
      'html',
    ]);
    expect(ok.stdout).toContain('<h1>Hello</h1>');
    const failed = await promisify(execFile)(process.execPath, [
      bin,
      'convert',
      file('bad.odt'),
      file('y.md'),
    ]).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({
      code: 1,
      stderr: 'docbridge: error ODT_NOT_A_ZIP: The file is not a zip package\n',
    });
  });
});
