import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { Due, KindFigures } from './county-clients';
import { merge } from './histogram';

/** The county's clinicians over a few child processes (county-clients.ts), client i in process i mod n. */
export class CountyPool {
  private constructor(private readonly children: ChildProcess[]) {}

  static start(processes: number): CountyPool {
    const root = join(__dirname, '../..');
    return new CountyPool(
      Array.from({ length: processes }, () =>
        fork(join(root, 'scripts/run-ts.js'), [join(__dirname, 'county-clients.ts')], { stdio: 'inherit' }),
      ),
    );
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid!).filter(Boolean);
  }

  private ask<T>(child: ChildProcess, message: object, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: { kind: string; message?: string }) => {
        if (reply.kind === 'error') reject(new Error(reply.message));
        else if (reply.kind === answer) resolve(reply as T);
        else return;
        child.off('message', onMessage);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  }

  private all<T>(message: (i: number) => object, answer: string): Promise<T[]> {
    return Promise.all(this.children.map((c, i) => this.ask<T>(c, message(i), answer)));
  }

  /** Connects client i (a token) to `urls[i mod urls.length]`; resolves when every one has its rooms. */
  async connect(urls: string[], tokens: string[]): Promise<number> {
    const n = this.children.length;
    const share = (k: number) =>
      tokens.map((token, i) => ({ token, url: urls[i % urls.length] })).filter((_, i) => i % n === k);
    const replies = await this.all<{ count: number }>((k) => ({ kind: 'connect', clients: share(k) }), 'connected');
    return replies.reduce((s, r) => s + r.count, 0);
  }

  /** The same clients, to the bare server, naming the rooms CountyLink joined them to. */
  async connectBare(url: string): Promise<number> {
    const replies = await this.all<{ count: number }>(() => ({ kind: 'connect-bare', url }), 'connected');
    return replies.reduce((s, r) => s + r.count, 0);
  }

  async reset(): Promise<void> {
    await this.all(() => ({ kind: 'reset' }), 'reset');
  }

  async received(): Promise<number> {
    return (await this.all<{ total: number }>(() => ({ kind: 'count' }), 'count')).reduce((s, r) => s + r.total, 0);
  }

  async analyze(due: Due[]): Promise<Record<string, KindFigures>> {
    const parts = await this.all<{ figures: Record<string, KindFigures> }>(
      () => ({ kind: 'analyze', due }),
      'analysis',
    );
    const out: Record<string, KindFigures> = {};
    for (const { figures } of parts) {
      for (const [kind, f] of Object.entries(figures)) {
        const o = out[kind];
        if (!o) {
          out[kind] = f;
          continue;
        }
        // Every process saw every notification: events counted once, frames and clients added up.
        for (const k of ['expected', 'received', 'lost', 'duplicated', 'unexpected'] as const) o[k] += f[k];
        merge(o.histogram, f.histogram);
        merge(o.afterConsumer, f.afterConsumer);
        o.max = Math.max(o.max, f.max);
        [o.first, o.last] = [Math.min(o.first, f.first), Math.max(o.last, f.last)];
        o.samples.push(...f.samples.slice(0, Math.max(0, 5 - o.samples.length)));
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.all(() => ({ kind: 'close' }), 'closed');
  }

  stop(): void {
    for (const c of this.children) c.kill();
  }
}
