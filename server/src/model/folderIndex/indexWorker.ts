/**
 * The entry point of an index worker thread: indexes the files the pool sends, one at a time,
 * and posts back each file's entries (their buffers moved, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { ruleSetOf } from '../detections/ruleFiles';
import { indexLogFile } from './fileIndexer';
import { FromWorker, postedResult, resultBuffers, SentIdentities, ToWorker } from './indexRunner';

const port = parentPort;
if (port) {
  const running = new Map<number, AbortController>();
  const sentIdentities = new SentIdentities();
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => {
    port.postMessage(message, transfer);
  };
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      running.get(message.job)?.abort();
      return;
    }
    const { job, file, options } = message;
    // Compiled before this job reads its file, so that the jobs that follow it with the key alone
    // find the set, even if their files are read first.
    if (options.detections?.parsed) {
      try {
        ruleSetOf(options.detections);
      } catch {
        // Nothing kept: the job compiles them again, and its failure is reported as the file's.
      }
    }
    const controller = new AbortController();
    running.set(job, controller);
    indexLogFile(file, {
      ...options,
      signal: controller.signal,
      onProgress: (textBytes, events) => {
        post({ type: 'progress', job, textBytes, events });
      },
    })
      .then((result) => {
        post({ type: 'done', job, result: postedResult(result, sentIdentities) }, resultBuffers(result));
      })
      .catch((error: unknown) => {
        post({ type: 'failed', job, message: error instanceof Error ? error.message : String(error), cancelled: controller.signal.aborted });
      })
      .finally(() => running.delete(job));
  });
}
