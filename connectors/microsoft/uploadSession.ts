import { RemoteError } from '../sync/remoteErrors.ts';
import { DIRECT_TIMEOUT_MS } from './graphApi.ts';
import { responseFailure, toRemoteError } from './graphErrors.ts';

/** Upload session fragments: multiples of 320 KiB (reference D); ten of them, 3.2 MiB, per request. */
export const CHUNK_UNIT = 327_680;
const CHUNK_SIZE = CHUNK_UNIT * 10;
/** Interruptions survived within one upload before giving up (the engine retries the push later). */
const MAX_RESUMES = 5;

export interface UploadOutcome {
  /** The driveItem Graph answered when the last fragment landed. */
  item: { eTag?: string };
  requests: number;
}

/**
 * Sends `bytes` to an upload session's `uploadUrl`: fragments in 320 KiB multiples with `Content-Range`,
 * no Authorization header (the URL is pre-authenticated and on another host). After an interruption (a
 * transport error, 5xx or 429) it asks the session where to resume (`GET uploadUrl` ->
 * `nextExpectedRanges`) and goes on from there, so a fragment is never sent twice from the wrong offset.
 * Graph's 412/423 at completion surface as the engine's conflict/locked errors.
 */
export async function uploadInSession(
  uploadUrl: string,
  bytes: Uint8Array,
  fetchImpl: typeof fetch = fetch,
): Promise<UploadOutcome> {
  const total = bytes.byteLength;
  let offset = 0;
  let requests = 0;
  let resumes = 0;
  for (;;) {
    const end = Math.min(offset + CHUNK_SIZE, total);
    requests += 1;
    let response: Response | null = null;
    try {
      response = await fetchImpl(uploadUrl, {
        method: 'PUT',
        headers: {
          'Content-Range': `bytes ${offset}-${end - 1}/${total}`,
          'Content-Length': String(end - offset),
        },
        body: bytes.slice(offset, end),
        signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS),
      });
    } catch {
      response = null;
    }
    if (response && (response.status === 200 || response.status === 201)) {
      return { item: (await response.json()) as { eTag?: string }, requests };
    }
    if (response?.status === 202) {
      offset = nextOffset((await response.json()) as { nextExpectedRanges?: string[] }, total);
      continue;
    }
    const failure = response ? await responseFailure(response) : null;
    const transient = !failure || failure.status === null || failure.status === 429 || failure.status >= 500;
    if (failure && !transient) throw toRemoteError(failure, 'upload session');
    if (++resumes > MAX_RESUMES) {
      throw failure
        ? toRemoteError(failure, 'upload session')
        : new RemoteError('REMOTE_UNAVAILABLE', 'upload session: no answer');
    }
    if (failure?.retryAfterMs)
      await new Promise((resolve) => setTimeout(resolve, Math.min(failure.retryAfterMs!, 60_000)));
    requests += 1;
    const status = await fetchImpl(uploadUrl, { signal: AbortSignal.timeout(DIRECT_TIMEOUT_MS) }).catch(
      () => null,
    );
    if (!status?.ok) {
      const lost = status ? await responseFailure(status) : null;
      // A session that expired or vanished is not a missing file: the next push opens a new one.
      if (!lost || lost.status === 404)
        throw new RemoteError('REMOTE_UNAVAILABLE', 'upload session lost; the push will start again');
      throw toRemoteError(lost, 'upload session status');
    }
    offset = nextOffset((await status.json()) as { nextExpectedRanges?: string[] }, total);
  }
}

/** The first byte Graph still expects (`["26-"]` -> 26). */
function nextOffset(answer: { nextExpectedRanges?: string[] }, total: number): number {
  const first = answer.nextExpectedRanges?.[0];
  const start = first ? Number(first.split('-')[0]) : Number.NaN;
  if (!Number.isInteger(start) || start < 0 || start > total) {
    throw new RemoteError(
      'REMOTE_REJECTED',
      `upload session answered an unusable range ${JSON.stringify(answer.nextExpectedRanges)}`,
    );
  }
  return start;
}
