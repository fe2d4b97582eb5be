import { Worker } from 'node:worker_threads';

/** How often, at most, the WAL is copied back while writes go on; a quiet moment after a write also starts one. */
const CHECKPOINT_INTERVAL_MS = 1000;

interface CheckpointAnswer {
  ok: boolean;
  error?: string;
}

/**
 * Checkpoints the WAL of `file` from a worker thread (sqlite-checkpointer.js), so that the writing
 * connection never copies pages back itself. The writer says when it committed (`wrote`); a
 * checkpoint starts at most every CHECKPOINT_INTERVAL_MS, one at a time, and once more after the
 * last write. When the worker fails, `onFailure` is called once and nothing more is asked of it
 * (the writer's own checkpoints still bound the WAL).
 */
export class BackgroundCheckpoints {
  private running = false;
  private dirty = false;
  private lastStarted = 0;
  private trailing: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly onFailure: (message: string) => void,
  ) {
    worker.unref();
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (answer: CheckpointAnswer) => {
      this.running = false;
      if (!answer.ok) this.fail(answer.error ?? 'unknown error');
      else if (this.dirty) this.arm();
    });
    worker.on('error', (error) => this.fail(error.message));
  }

  static start(file: string, onFailure: (message: string) => void): BackgroundCheckpoints {
    const worker = new Worker(new URL('./sqlite-checkpointer.js', import.meta.url), { workerData: { file } });
    return new BackgroundCheckpoints(worker, onFailure);
  }

  /** A write was committed. */
  wrote(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (!this.running && Date.now() - this.lastStarted >= CHECKPOINT_INTERVAL_MS) this.request();
    else this.arm();
  }

  private arm(): void {
    this.trailing ??= setTimeout(() => {
      this.trailing = undefined;
      if (this.dirty && !this.running && !this.stopped) this.request();
    }, CHECKPOINT_INTERVAL_MS).unref();
  }

  private request(): void {
    this.running = true;
    this.dirty = false;
    this.lastStarted = Date.now();
    this.worker.postMessage('checkpoint');
  }

  private fail(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.trailing);
    this.onFailure(message);
  }

  /** Closes the worker's connection first, so that the writer's close (the last one) checkpoints and removes the WAL. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.trailing);
    // Unreferenced, the worker would not keep a closing process alive until it has exited.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
