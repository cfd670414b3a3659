/**
 * The body of one conversion worker thread (see conversionPool.ts): takes the atom seal key from
 * `workerData`, then answers each job message with its result or its ConversionError, one at a time.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { setAtomSealKeys } from '../../connectors/model/atomSeal.ts';
import { ConversionError } from '../../connectors/model/errors.ts';
import { mergeToSnapshot } from '../storage/mergeUpdates.ts';
import type { ConversionJob, WorkerAnswer } from './conversionPool.ts';
import { exportDocument, importUpdates } from './conversions.ts';

setAtomSealKeys((workerData as { sealKeys: Uint8Array[] }).sealKeys);

// On Linux a thread has its own nice value (setpriority on its thread id): conversions yield the CPU to the
// event loop thread, so sockets and /healthz stay responsive on a machine with few cores. Elsewhere, no-op.
try {
  const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 10);
} catch {
  // No /proc (not Linux) or not permitted: conversions run at the process's priority.
}

parentPort!.on('message', (job: ConversionJob) => {
  let answer: WorkerAnswer;
  try {
    if (job.kind === 'import') {
      answer = { ok: true, value: importUpdates(job.extension, job.bytes) };
    } else if (job.kind === 'merge') {
      answer = { ok: true, value: { bytes: mergeToSnapshot(job.snapshot, job.updates) } };
    } else {
      answer = { ok: true, value: exportDocument(job.format, job.doc, job.title, job.base) };
    }
  } catch (error) {
    const known = error instanceof ConversionError;
    answer = {
      ok: false,
      code: known ? error.code : 'CONVERSION_FAILED',
      message: known ? error.message : 'the conversion failed',
    };
  }
  const value = answer.ok ? answer.value : null;
  const buffers = !value ? [] : 'bytes' in value ? [value.bytes] : value.updates;
  const transfer = buffers.map((bytes) => bytes.buffer as ArrayBuffer);
  parentPort!.postMessage(answer, transfer);
});
parentPort!.postMessage('ready');
