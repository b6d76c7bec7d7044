import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** Starting and stopping a local moto_server for the conformance test. */
export const MOTO_INSTALL_HINT = "moto_server is not installed: pip install 'moto[server]'";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // moto leaves AWS-managed policies out unless asked; the fixtures attach some
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const early = await Promise.race([
      spawnError.then((e) => e),
      exited.then((code) => new Error(`moto_server exited with ${code}: ${stderr.slice(-500)}`)),
      new Promise<undefined>((r) => setTimeout(r, 100, undefined)),
    ]);
    if (early) {
      await stop();
      const missing = (early as NodeJS.ErrnoException).code === 'ENOENT' || /command not found|not installed/i.test(stderr);
      throw new Error(missing ? MOTO_INSTALL_HINT : early.message);
    }
    if (await canConnect(port)) return { endpoint: `http://127.0.0.1:${port}`, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not listen on port ${port} within 30 s: ${stderr.slice(-500)}`);
    }
  }
}
