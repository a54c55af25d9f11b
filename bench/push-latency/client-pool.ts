import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

export interface Receipts {
  latencies: number[];
  first: number;
  last: number;
}

/** A child process holding N Socket.IO clients (see clients.ts). */
export class ClientPool {
  private constructor(private readonly child: ChildProcess) {}

  static start(): ClientPool {
    const root = join(__dirname, '../..');
    return new ClientPool(fork(join(root, 'scripts/run-ts.js'), [join(__dirname, 'clients.ts')], { stdio: 'inherit' }));
  }

  private ask<T>(message: object, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { kind: string; message?: string }) => {
        if (reply.kind === 'error') reject(new Error(reply.message));
        else if (reply.kind === answer) resolve(reply as T);
        else return;
        this.child.off('message', onMessage);
      };
      this.child.on('message', onMessage);
      this.child.send(message);
    });
  }

  connect(url: string, tokens: string[]): Promise<unknown> {
    return this.ask({ kind: 'connect', url, tokens }, 'connected');
  }

  reset(): Promise<unknown> {
    return this.ask({ kind: 'reset' }, 'reset');
  }

  report(): Promise<Receipts> {
    return this.ask({ kind: 'report' }, 'report');
  }

  async close(): Promise<void> {
    await this.ask({ kind: 'close' }, 'closed');
  }

  stop(): void {
    this.child.kill();
  }
}
