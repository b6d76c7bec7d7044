import { EXIT } from './exit.js';

/**
 * Runs `work` with Ctrl-C (SIGINT) and SIGTERM turned into its abort signal: the first stops new work and lets what is
 * being written finish (the work then writes what finished, and its caller exits 130); a second exits at once. The
 * handlers are the CLI's alone and removed afterwards, so a library caller keeps its own.
 */
export async function withInterrupt<T>(say: (line: string) => void, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    say('leastpriv: interrupted: finishing what is being written, then the index and summary (Ctrl-C again to stop at once)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
