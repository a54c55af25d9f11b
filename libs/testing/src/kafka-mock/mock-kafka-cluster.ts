import { ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { ConsumerConfig } from 'kafkajs';

/**
 * kafkajs consumer settings for consumer groups against the librdkafka 2.0.2 mock (measured,
 * see README.md). Use as `kafka.consumer({ groupId, ...MOCK_FRIENDLY_CONSUMER_CONFIG })`.
 * - The mock holds the first JoinGroup of an *empty* group for a fixed 3 s (its hard-coded
 *   group.initial.rebalance.delay.ms); no client setting shortens that.
 * - Every other rebalance (a member joins a live group, leaves, or times out) is held for
 *   sessionTimeout - 1000 ms, so a short session timeout is the main speed-up (default 30 s
 *   means 29 s per rebalance). It must stay above 3000: the mock expires members idle longer
 *   than the session timeout, including one parked in that initial 3 s JoinGroup.
 * - kafkajs heartbeats only between fetches, so maxWaitTimeInMs must sit well below the
 *   session timeout or a long-polling fetch gets the member expired.
 * - rebalanceTimeout is ignored by the mock; kafkajs only uses it to size its JoinGroup request
 *   timeout (rebalanceTimeout + 5 s), which must outlast the mock's hold.
 * - Short retry back-off: after a broker outage the consumer resumes fetching sooner.
 */
export const MOCK_FRIENDLY_CONSUMER_CONFIG = {
  sessionTimeout: 3500,
  rebalanceTimeout: 4000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
  retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 10 },
} as const satisfies Partial<ConsumerConfig>;

export interface MockKafkaClusterOptions {
  /** Broker count; ids run from 1 to brokers. Default 1. */
  brokers?: number;
  /** Topics to create up front (replication factor 1); unknown topics are auto-created with 4 partitions. */
  topics?: Array<{ name: string; partitions: number }>;
}

// Beside this file in the sources; from the build output (dist/…), back in the sources.
const SOURCE = existsSync(path.join(__dirname, 'mock-cluster.c'))
  ? path.join(__dirname, 'mock-cluster.c')
  : path.resolve(__dirname, '../../../../../libs/testing/src/kafka-mock/mock-cluster.c');
const INSTALL_HINT =
  'librdkafka-dev is missing: run `apt-get install -y librdkafka-dev` (the Kafka mock cluster needs it)';

/** node_modules/.cache of the repository (the nearest node_modules above this file). */
function cacheDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules')))
      return path.join(dir, 'node_modules', '.cache', 'countylink-kafka-mock');
    if (path.dirname(dir) === dir) return path.join(__dirname, '.cache');
  }
}

let compiling: Promise<string> | undefined;

/** Compiles once per process; across jest workers the temp-name + rename keeps it race-free. */
function ensureBinary(): Promise<string> {
  compiling ??= compile().catch((err: unknown) => {
    compiling = undefined;
    throw err;
  });
  return compiling;
}

async function compile(): Promise<string> {
  const dir = cacheDir();
  const bin = path.join(dir, 'mock-cluster');
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(SOURCE).mtimeMs) return bin;
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.${Date.now()}.tmp`;
  await new Promise<void>((resolve, reject) => {
    execFile('cc', ['-O2', '-o', tmp, SOURCE, '-lrdkafka'], (err, _stdout, stderr) => {
      if (!err) return resolve();
      const missing = /rdkafka.*No such file|cannot find -lrdkafka/.test(stderr);
      reject(
        new Error(missing ? `${INSTALL_HINT}\n${stderr}` : `compiling ${SOURCE} failed: ${err.message}\n${stderr}`),
      );
    });
  });
  await fs.rename(tmp, bin);
  return bin;
}

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** A librdkafka mock Kafka cluster in a child process, for tests. Always `stop()` it. */
export class MockKafkaCluster {
  private readonly pending: Pending[] = [];
  private exited = false;
  private readonly killOnExit = (): void => {
    this.child.kill('SIGKILL');
  };

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** Comma-separated host:port list for kafkajs `brokers: bootstrapServers.split(',')`. */
    readonly bootstrapServers: string,
    private readonly stderr: { text: string },
  ) {}

  static async start(opts: MockKafkaClusterOptions = {}): Promise<MockKafkaCluster> {
    const bin = await ensureBinary();
    const args = [String(opts.brokers ?? 1), ...(opts.topics ?? []).map((t) => `${t.name}:${t.partitions}`)];
    // stdin is a pipe on purpose: if this Node process dies in any way, the pipe closes and
    // the program exits on EOF, so no orphaned cluster survives a crashed jest worker.
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr = { text: '' };
    child.stderr.on('data', (chunk: Buffer) => (stderr.text = (stderr.text + chunk.toString()).slice(-4000)));
    child.stdin.on('error', () => undefined); // EPIPE after a crash; reported via 'exit' instead
    const lines = createInterface({ input: child.stdout });

    let onEarlyExit = (): void => undefined;
    const bootstrap = await new Promise<string>((resolve, reject) => {
      const fail = (why: string): void => reject(new Error(`mock Kafka cluster ${why}: ${stderr.text.trim()}`));
      onEarlyExit = () => fail('exited before printing BOOTSTRAP');
      child.once('error', (err) => fail(err.message));
      child.once('exit', onEarlyExit);
      lines.once('line', (line) =>
        line.startsWith('BOOTSTRAP ') ? resolve(line.slice(10).trim()) : fail(`said "${line}"`),
      );
    });
    child.removeListener('exit', onEarlyExit);

    const cluster = new MockKafkaCluster(child, bootstrap, stderr);
    lines.on('line', (line) => cluster.onLine(line));
    child.on('exit', (code) => cluster.onExit(code));
    process.once('exit', cluster.killOnExit);
    cluster.setRef(false);
    return cluster;
  }

  /** Broker ids start at 1. Closes its connections and refuses new ones; leadership does not move. */
  brokerDown(id: number): Promise<void> {
    return this.command(`down ${id}`);
  }

  brokerUp(id: number): Promise<void> {
    return this.command(`up ${id}`);
  }

  /** Rejects if the topic already exists (e.g. it was auto-created by a client's metadata request). */
  createTopic(name: string, partitions: number): Promise<void> {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) return Promise.reject(new Error(`invalid topic name: ${name}`));
    return this.command(`topic ${name} ${partitions}`);
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    if (this.exited) return;
    this.setRef(true);
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private command(line: string): Promise<void> {
    if (this.exited) return Promise.reject(new Error(`mock Kafka cluster has exited: ${this.stderr.text.trim()}`));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.setRef(true);
      this.child.stdin.write(`${line}\n`);
    });
  }

  /** Replies arrive in command order: the program handles stdin one line at a time. */
  private onLine(line: string): void {
    const waiter = this.pending.shift();
    if (this.pending.length === 0) this.setRef(false);
    if (!waiter) return;
    if (line === 'OK') waiter.resolve();
    else waiter.reject(new Error(`mock Kafka cluster: ${line.replace(/^ERR /, '')}`));
  }

  private onExit(code: number | null): void {
    this.exited = true;
    process.removeListener('exit', this.killOnExit);
    const err = new Error(`mock Kafka cluster exited (code ${code}): ${this.stderr.text.trim()}`);
    for (const waiter of this.pending.splice(0)) waiter.reject(err);
  }

  /** Idle, the cluster must not keep Node alive (a forgotten stop() would hang jest);
   * with a command in flight it must, or Node could exit before the reply arrives. */
  private setRef(on: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr]) {
      const h = handle as unknown as { ref?: () => void; unref?: () => void };
      if (on) h.ref?.();
      else h.unref?.();
    }
  }
}
