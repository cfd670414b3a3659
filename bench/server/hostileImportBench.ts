import { writeZip } from '../../connectors/formats/safeZip.ts';
import { startServerProcess, tempDataDir } from '../../test/helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../../test/helpers/tokens.ts';
import { formatTable } from './report.ts';
import { type LatencySummary, sleep, summarize } from './stats.ts';

/** The load of the hostile-import bench; the defaults are the figures docs/benchmarks.md reports. */
export interface HostileImportOptions {
  /** Concurrent attackers, each posting one hostile import after another. */
  attackers: number;
  durationMs: number;
  /** Pause between two `/healthz` probes. */
  probeEveryMs: number;
  /** Paragraphs in the hostile document (what makes it expensive to read). */
  paragraphs: number;
}

export const defaultHostileImportOptions: HostileImportOptions = {
  attackers: 10,
  durationMs: 15_000,
  probeEveryMs: 20,
  paragraphs: 20_000,
};

/** `/healthz` latency without load and while the attackers run, and what the imports got back. */
export interface HostileImportResults {
  options: HostileImportOptions;
  fileBytes: number;
  idle: LatencySummary;
  underAttack: LatencySummary;
  imports: Record<string, number>;
}

/**
 * A .docx that is legal but expensive: tens of thousands of formatted paragraphs, highly compressible, so
 * a small upload makes the reader parse tens of megabytes of XML.
 */
export function hostileDocx(paragraphs: number): Uint8Array {
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const run = (i: number) =>
    `<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Paragraph ${i}</w:t></w:r><w:r><w:t xml:space="preserve"> and more text</w:t></w:r></w:p>`;
  const body = Array.from({ length: paragraphs }, (_, i) => run(i)).join('');
  const encode = (text: string) => new TextEncoder().encode(text);
  return writeZip([
    {
      name: '[Content_Types].xml',
      bytes: encode(
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      bytes: encode(
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
      ),
    },
    {
      name: 'word/document.xml',
      bytes: encode(`<?xml version="1.0"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`),
    },
  ]);
}

/**
 * `/healthz` p99 while ten hostile imports run at once (issue 14 item 4): one Docbridge server on SQLite;
 * first `/healthz` alone for a few seconds, then the same probes while every attacker posts the hostile
 * .docx again as soon as its previous import is answered. Each probe waits for the previous one, so a
 * stalled event loop shows as one long sample rather than a pile of queued ones.
 */
export async function runHostileImportBench(
  options: HostileImportOptions = defaultHostileImportOptions,
): Promise<HostileImportResults> {
  const server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    HOST: '127.0.0.1',
  });
  try {
    const file = hostileDocx(options.paragraphs);
    const token = await portalToken({ docs: { 'dept-a/*': 'edit' } });
    const probe = async (until: number) => {
      const samples: number[] = [];
      while (Date.now() < until) {
        const started = performance.now();
        // A probe unanswered by the end of the window counts with the time it waited (a lower bound).
        const left = Math.max(1, until - Date.now());
        await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(left) })
          .then((res) => res.arrayBuffer())
          .catch(() => null);
        samples.push(performance.now() - started);
        await sleep(options.probeEveryMs);
      }
      return samples;
    };
    const idle = await probe(Date.now() + 3_000);
    const imports: Record<string, number> = {};
    const until = Date.now() + options.durationMs;
    // Requests still in flight at the end are abandoned, so a server that stalls cannot stall the bench.
    const stop = new AbortController();
    const attacker = async () => {
      while (Date.now() < until) {
        const res = await fetch(`${server.url}/api/documents/import?filename=hostile.docx`, {
          method: 'POST',
          signal: stop.signal,
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
          body: file as Uint8Array<ArrayBuffer>,
        }).catch(() => null);
        const key = res ? String(res.status) : stop.signal.aborted ? 'unanswered' : 'network-error';
        imports[key] = (imports[key] ?? 0) + 1;
        await res?.arrayBuffer().catch(() => null);
      }
      return null;
    };
    const attackers = Array.from({ length: options.attackers }, attacker);
    const underAttack = await probe(until);
    stop.abort();
    await Promise.all(attackers);
    return {
      options,
      fileBytes: file.length,
      idle: summarize(idle),
      underAttack: summarize(underAttack),
      imports,
    };
  } finally {
    // SIGKILL: a server whose event loop is stuck converting would not act on SIGTERM in time.
    await server.kill9();
  }
}

/** The figure as a table: `/healthz` latency idle and under attack, and how the imports were answered. */
export function hostileImportTable(results: HostileImportResults): string {
  const row = (label: string, s: LatencySummary) => [label, s.count, s.p50, s.p95, s.p99, s.max];
  const answered = Object.entries(results.imports)
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  return `${formatTable(
    `/healthz latency (ms) while ${results.options.attackers} hostile imports run at once`,
    ['phase', 'probes', 'p50', 'p95', 'p99', 'max'],
    [row('idle', results.idle), row('under attack', results.underAttack)],
  )}\nimports answered: ${answered || 'none'} (file: ${results.fileBytes} bytes, ${results.options.paragraphs} paragraphs)`;
}
