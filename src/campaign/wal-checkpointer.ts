import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a SQLite database's WAL on a worker thread with its own
 * connection, so the checkpoint's copy and its two fsyncs (WAL, then database)
 * block that thread and not the event loop. The store's own connection runs with
 * wal_autocheckpoint=0; a PASSIVE checkpoint never waits for the writer, and the
 * writer starts the WAL over once a checkpoint has caught up.
 *
 * The worker's code is inline (eval) so it runs the same from dist/ and under
 * ts-jest: it is a few lines of plain JavaScript.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout=2000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (m) => {
  if (m === 'close') {
    try { db.close(); } catch {}
    parentPort.close();
    return;
  }
  try {
    checkpoint.get();
    parentPort.postMessage({ ok: true });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: String(err && err.message) });
  }
});
`;

export class WalCheckpointer {
  /** Started with the first checkpoint: a thread is ~15 MB, and a store that only imports a list never needs it. */
  private worker: Worker | undefined;
  private busy = false;
  private again = false;
  private closed = false;
  /** The last checkpoint's failure, if any (the store reports it; checkpointing is retried). */
  lastError: string | undefined;

  constructor(private readonly path: string) {}

  private start(): Worker {
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { path: this.path } });
    // Neither the thread nor its messages keep the process alive.
    worker.unref();
    worker.on('message', (m: { ok: boolean; message?: string }) => {
      this.lastError = m.ok ? undefined : m.message;
      this.busy = false;
      if (this.again) this.request();
    });
    worker.on('error', (err) => {
      this.lastError = err.message;
      this.closed = true;
    });
    return worker;
  }

  /** Asks for a checkpoint; one at a time, and a request during one runs once it ends. */
  request(): void {
    if (this.closed) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.again = false;
    this.worker ??= this.start();
    this.worker.postMessage('checkpoint');
  }

  /** The thread closes its connection and ends (call after the store closed its own). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker?.postMessage('close');
  }
}
