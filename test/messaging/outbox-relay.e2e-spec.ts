import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxMessage, OutboxRelay, Transport, WireMessage } from '@countylink/messaging';
import { createTestDatabase } from '@countylink/testing';

/** Records what was sent; the first send to `failOn` fails as a broker outage would. */
class FlakyTransport implements Transport {
  readonly kind = 'in-process' as const;
  readonly sent: Array<{ topic: string; key: string | null }> = [];
  private failuresLeft = 1;
  constructor(private readonly failOn: string) {}
  async send(topic: string, messages: WireMessage[]): Promise<void> {
    if (topic === this.failOn && this.failuresLeft-- > 0) throw new Error('broker unavailable');
    this.sent.push(...messages.map((m) => ({ topic, key: m.key })));
  }
  subscribe(): never {
    throw new Error('not used');
  }
  async listTopics(): Promise<string[]> {
    return [];
  }
  async check(): Promise<void> {}
  async close(): Promise<void> {}
}

/** The outbox relay against a real PostgreSQL: what a failed send leaves for the next pass. */
describe('outbox relay', () => {
  let ds: DataSource;
  let url: string;

  beforeAll(async () => {
    url = await createTestDatabase(process.env.TEST_PG_ADMIN_URL!, 'relay');
    ds = await new DataSource({ type: 'postgres', url, entities: [OutboxMessage], synchronize: true }).initialize();
  });
  afterAll(() => ds?.destroy());

  const enqueue = (topic: string, key: string) =>
    ds.getRepository(OutboxMessage).insert({
      eventId: randomUUID(),
      type: 't',
      topic,
      key,
      subject: null,
      source: '/test',
      occurredAt: new Date(),
      payload: Buffer.from(key),
    });

  it('a topic whose send fails leaves only its own rows for the next pass; the acknowledged topics are not published again, and each topic keeps its order', async () => {
    for (const [topic, key] of [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['b', 'b2'],
      ['a', 'a3'],
    ])
      await enqueue(topic, key);
    const transport = new FlakyTransport('b');
    const relay = new OutboxRelay(ds, transport, 'public', url, 1_000);

    await expect(relay.flush()).rejects.toThrow('broker unavailable');
    expect(transport.sent.map((m) => m.key)).toEqual(['a1', 'a2', 'a3']);
    const left = await ds.getRepository(OutboxMessage).find({ order: { id: 'ASC' } });
    expect(left.map((r) => r.key)).toEqual(['b1', 'b2']);

    await relay.flush();
    expect(transport.sent.map((m) => m.key)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(await ds.getRepository(OutboxMessage).count()).toBe(0);
  });
});
