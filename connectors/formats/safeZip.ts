/**
 * Reading and writing zip packages (.odt, .docx) that may come from anyone.
 *
 * `readZip` refuses, with a ConversionError whose code starts with the caller's prefix (`ODT_`, `DOCX_`):
 * - `<P>_NOT_A_ZIP`: not a zip at all; `INPUT_TRUNCATED`: a zip whose end or whose entries are cut off;
 * - `<P>_TOO_LARGE`: input, entry count, one entry or the total uncompressed size above the limits;
 * - `<P>_ZIP_BOMB`: an entry whose compression ratio is above the limit, or that inflates past its declared size;
 * - `<P>_UNSAFE_PATH`: absolute, `..`, backslash, drive-letter or duplicate entry names;
 * - `<P>_CORRUPT`: bad deflate data, CRC mismatch, unknown compression; `<P>_ENCRYPTED`, `<P>_ZIP64_UNSUPPORTED`.
 *
 * Why the central directory is walked here rather than with fflate's `unzipSync`: that function sizes its
 * output from the declared size but keeps decoding the whole deflate stream past it, so a small lying entry
 * can burn minutes of CPU. Here each entry is inflated with fflate's streaming `Inflate` and stopped as soon
 * as it produces more than it declared. fflate still does all the decompression and all the writing.
 */
import { crc32 } from 'node:zlib';
import { Inflate, type ZipOptions, zipSync } from 'fflate';
import { ConversionError } from '../model/errors.ts';

/** Limits applied by `readZip`; every field has a default suited to office documents. */
export interface ZipLimits {
  /** Largest accepted zip file in bytes (default 100 MiB). */
  maxInputBytes: number;
  /** Most entries accepted (default 5,000). */
  maxEntries: number;
  /** Largest accepted uncompressed entry in bytes (default 64 MiB). */
  maxEntryBytes: number;
  /** Largest accepted sum of uncompressed entries in bytes (default 256 MiB). */
  maxTotalBytes: number;
  /** Highest accepted uncompressed/compressed ratio for entries above 1 MiB (default 200). */
  maxRatio: number;
}

/** Options of `readZip`. */
export interface ReadZipOptions {
  /** Prefix of error codes, e.g. `ODT` gives `ODT_NOT_A_ZIP` (default `ZIP`). */
  codePrefix?: string;
  limits?: Partial<ZipLimits>;
}

/** Default limits of `readZip`. */
export const defaultZipLimits: ZipLimits = {
  maxInputBytes: 100 * 1024 * 1024,
  maxEntries: 5000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxRatio: 200,
};

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const RATIO_FREE_BYTES = 1024 * 1024;
const INFLATE_CHUNK = 64 * 1024;

interface CentralEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * Unpacks a zip held in memory into a Map of entry name to bytes (directories left out), in central
 * directory order, enforcing the limits described above. Synchronous and bounded in memory and CPU. Inflates
 * every entry: readers that need only some parts use `openZip`.
 */
export function readZip(bytes: Uint8Array, options: ReadZipOptions = {}): Map<string, Uint8Array> {
  return new Map(openZip(bytes, options));
}

/**
 * A checked zip whose entries are inflated only when asked for (and then kept). A reader that needs three
 * parts of a package does not pay for the fourth: an oversized or hostile media entry nobody references is
 * never decompressed. Iterating inflates every entry, in central directory order.
 */
export class ZipReader implements Iterable<[string, Uint8Array]> {
  private readonly inflated = new Map<string, Uint8Array>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private readonly entries: Map<string, CentralEntry>,
    private readonly fail: Fail,
  ) {}

  /** Entry names (directories left out), in central directory order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's bytes, inflated now if not yet; throws ConversionError on bad data (CRC, size, deflate). */
  get(name: string): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    let content = this.inflated.get(name);
    if (!content) {
      const data = entryData(this.view, this.bytes, entry, this.fail);
      content = entry.method === 0 ? data.slice() : inflateBounded(data, entry, this.fail);
      if (content.length !== entry.size)
        this.fail('CORRUPT', `Entry ${entry.name} does not have its declared size`);
      if (crc32(content) >>> 0 !== entry.crc) this.fail('CORRUPT', `Entry ${entry.name} fails its CRC check`);
      this.inflated.set(name, content);
    }
    return content;
  }

  *[Symbol.iterator](): Iterator<[string, Uint8Array]> {
    for (const name of this.entries.keys()) yield [name, this.get(name)!];
  }
}

/**
 * Checks a zip held in memory (structure, names, declared sizes and ratios against the limits, all before
 * any inflation) and returns a ZipReader that inflates entries on demand.
 */
export function openZip(bytes: Uint8Array, options: ReadZipOptions = {}): ZipReader {
  const prefix = options.codePrefix ?? 'ZIP';
  const limits = { ...defaultZipLimits, ...options.limits };
  const fail = (code: string, message: string): never => {
    throw new ConversionError(code === 'INPUT_TRUNCATED' ? code : `${prefix}_${code}`, message);
  };
  if (bytes.length > limits.maxInputBytes) {
    fail('TOO_LARGE', `File is ${bytes.length} bytes, above the ${limits.maxInputBytes} byte limit`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const startsLikeZip = bytes.length >= 4 && view.getUint32(0, true) === LOCAL_SIGNATURE;
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) {
    return startsLikeZip
      ? fail('INPUT_TRUNCATED', 'The zip file is cut off: its central directory is missing')
      : fail('NOT_A_ZIP', 'The file is not a zip package');
  }
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
    fail('ZIP64_UNSUPPORTED', 'Zip64 packages are not supported');
  }
  const count = view.getUint16(eocd + 10, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (count > limits.maxEntries)
    fail('TOO_LARGE', `The package has ${count} entries, above ${limits.maxEntries}`);
  const entries = readCentralDirectory(view, directoryOffset, count, fail);
  let declaredTotal = 0;
  for (const entry of entries) {
    checkEntryName(entry.name, fail);
    if (entry.flags & 1) fail('ENCRYPTED', `Entry ${entry.name} is encrypted`);
    if (entry.size > limits.maxEntryBytes) {
      fail(
        'TOO_LARGE',
        `Entry ${entry.name} is ${entry.size} bytes uncompressed, above ${limits.maxEntryBytes}`,
      );
    }
    if (entry.size > RATIO_FREE_BYTES && entry.size > limits.maxRatio * Math.max(entry.compressedSize, 1)) {
      fail(
        'ZIP_BOMB',
        `Entry ${entry.name} expands ${Math.round(entry.size / Math.max(entry.compressedSize, 1))}x`,
      );
    }
    declaredTotal += entry.size;
  }
  if (declaredTotal > limits.maxTotalBytes) {
    fail('TOO_LARGE', `The package expands to ${declaredTotal} bytes, above ${limits.maxTotalBytes}`);
  }
  const files = new Map<string, CentralEntry>();
  for (const entry of entries) if (!entry.name.endsWith('/')) files.set(entry.name, entry);
  return new ZipReader(bytes, view, files, fail);
}

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= lowest; at -= 1) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  return -1;
}

type Fail = (code: string, message: string) => never;

function readCentralDirectory(view: DataView, offset: number, count: number, fail: Fail): CentralEntry[] {
  const decoder = new TextDecoder('utf-8');
  const entries: CentralEntry[] = [];
  const names = new Set<string>();
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > view.byteLength) fail('INPUT_TRUNCATED', 'The zip central directory is cut off');
    if (view.getUint32(at, true) !== CENTRAL_SIGNATURE) fail('CORRUPT', 'Bad zip central directory record');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > view.byteLength)
      fail('INPUT_TRUNCATED', 'The zip central directory is cut off');
    const nameBytes = new Uint8Array(view.buffer, view.byteOffset + at + 46, nameLength);
    const entry: CentralEntry = {
      name: decoder.decode(nameBytes),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    };
    if (
      entry.size === 0xffffffff ||
      entry.compressedSize === 0xffffffff ||
      entry.localOffset === 0xffffffff
    ) {
      fail('ZIP64_UNSUPPORTED', 'Zip64 entries are not supported');
    }
    if (entry.method !== 0 && entry.method !== 8)
      fail('CORRUPT', `Entry ${entry.name} uses compression ${entry.method}`);
    if (names.has(entry.name)) fail('UNSAFE_PATH', `Entry ${entry.name} appears twice`);
    names.add(entry.name);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Entry names must be plain relative paths: they are joined to package paths by every reader. */
function checkEntryName(name: string, fail: Fail): void {
  const unsafe =
    name.length === 0 ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[a-zA-Z]:/.test(name) ||
    name.split('/').some((segment) => segment === '..' || segment === '.');
  if (unsafe) fail('UNSAFE_PATH', `Unsafe entry name ${JSON.stringify(name)}`);
}

function entryData(view: DataView, bytes: Uint8Array, entry: CentralEntry, fail: Fail): Uint8Array {
  const at = entry.localOffset;
  if (at + 30 > view.byteLength) fail('INPUT_TRUNCATED', `Entry ${entry.name} is cut off`);
  if (view.getUint32(at, true) !== LOCAL_SIGNATURE)
    fail('CORRUPT', `Entry ${entry.name} has no local header`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) fail('INPUT_TRUNCATED', `Entry ${entry.name} is cut off`);
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    fail('CORRUPT', `Stored entry ${entry.name} has inconsistent sizes`);
  }
  return bytes.subarray(start, end);
}

/** Inflates with a running count, stopping as soon as the output passes the declared size. */
function inflateBounded(data: Uint8Array, entry: CentralEntry, fail: Fail): Uint8Array {
  const out = new Uint8Array(entry.size);
  let written = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.length > entry.size)
      fail('ZIP_BOMB', `Entry ${entry.name} inflates past its declared size`);
    out.set(chunk, written);
    written += chunk.length;
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < data.length; at += INFLATE_CHUNK) {
      const end = Math.min(at + INFLATE_CHUNK, data.length);
      inflater.push(data.subarray(at, end), end === data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof ConversionError) throw err;
    fail('CORRUPT', `Entry ${entry.name} has bad compressed data`);
  }
  if (!ended && entry.size > 0) fail('CORRUPT', `Entry ${entry.name} has incomplete compressed data`);
  return out.subarray(0, written);
}

/** One entry to write: `store` keeps it uncompressed (the ODF `mimetype` entry must be). */
export interface ZipEntryInput {
  name: string;
  bytes: Uint8Array;
  store?: boolean;
}

/** A fixed timestamp so that writing the same content twice gives the same bytes. */
const FIXED_MTIME = new Date(2000, 0, 1);

/**
 * Writes entries in the given order (so `mimetype` can be first, as ODF requires), with a fixed timestamp
 * for reproducible output.
 */
export function writeZip(entries: ZipEntryInput[]): Uint8Array {
  const files: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const entry of entries) {
    files[entry.name] = [entry.bytes, { level: entry.store ? 0 : 6, mtime: FIXED_MTIME }];
  }
  return zipSync(files);
}
