/**
 * The remote-diagnosis and the specialist-slots outboxes each in a process of its own, as the two
 * apps run (each with its one idempotent Kafka producer and its relay): the parent asks for one
 * event of a kind, the child (county-producer-child.ts) commits it and answers what it committed.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { Kind, Produced } from './county-events';

export type ProducerApp = 'remote-diagnosis' | 'specialist-slots';
export type Record = Omit<Produced, 'measured'>;

export interface Start {
  kind: 'start';
  app: ProducerApp;
  clients: number;
  databaseUrl: string;
  brokers: string;
  adminUrl: string;
}
export type Command = Start | { kind: 'publish'; seq: number; event: Kind } | { kind: 'stop' };

/** The parent's side: one child per app, publish() resolves with what the child committed. */
export class ProducerProcess {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: Record[]) => void; reject: (e: Error) => void }>();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: { kind: string; seq?: number; records?: Record[]; message?: string }) => {
      const w = m.seq === undefined ? undefined : this.waiting.get(m.seq);
      if (!w) return;
      this.waiting.delete(m.seq!);
      if (m.kind === 'published') w.resolve(m.records!);
      else w.reject(new Error(m.message));
    });
  }

  static async start(options: Omit<Start, 'kind'>): Promise<ProducerProcess> {
    const child = fork(join(__dirname, '../../scripts/run-ts.js'), [join(__dirname, 'county-producer-child.ts')], {
      stdio: 'inherit',
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m: { kind: string; message?: string }) =>
        m.kind === 'started' ? resolve() : reject(new Error(m.message)),
      );
      child.once('exit', (code) => reject(new Error(`the ${options.app} producer exited with ${code}`)));
      child.send({ kind: 'start', ...options } satisfies Start);
    });
    return new ProducerProcess(child);
  }

  publish(event: Kind, record: (p: Record) => void): Promise<void> {
    const seq = ++this.seq;
    return new Promise<Record[]>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.child.send({ kind: 'publish', seq, event });
    }).then((records) => records.forEach(record));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ kind: 'stop' });
    setTimeout(() => this.child.kill('SIGKILL'), 15_000).unref();
    await exited;
  }
}
