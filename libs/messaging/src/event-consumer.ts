import { fromBinary } from '@bufbuild/protobuf';
import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  deadLetterTopic,
  EventCatalog,
  EventPayload,
  EventType,
  HisTopics,
  isEventType,
  isOnTopic,
} from '@countylink/contracts';
import { insertEachOnce, insertOnce } from '@countylink/persistence';
import { counter } from '@countylink/platform';
import { Envelope, EnvelopeError, fromHeaders } from './envelope';
import { HisInstitutions } from './his-institutions';
import { InboxEntry } from './inbox-entry.entity';
import { DLQ_REASON_HEADER, ReceivedMessage, Subscription, Transport } from './transport';

export interface ConsumedEvent<T extends EventType> {
  id: string;
  type: T;
  source: string;
  subject?: string;
  time: Date;
  /** The topic it came on: for an HIS command, whose it is (countylink.his-commands.v1.<institution>). */
  topic: string;
  key: string | null;
  payload: EventPayload<T>;
}

export type EventHandler<T extends EventType> = (event: ConsumedEvent<T>, manager: EntityManager) => Promise<void>;

/** One handler per event type and group; the mapped type makes a second one impossible to write. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

/** What is known of a message that will not be applied: its envelope, and the payload if it decoded. */
export interface UnappliedEvent {
  id: string;
  type: string;
  topic: string;
  key: string | null;
  payload?: object;
}

export interface ConsumerDefinition {
  groupId: string;
  handlers: EventHandlers;
  /**
   * For a message of one of `handlers`' types that is dead-lettered because its value does not
   * decode or its handler kept failing: the answer to record once (with the inbox entry) before the
   * dead letter — e.g. an HIS command's rejected result. Nothing when it returns undefined.
   */
  answerUnapplied?: (event: UnappliedEvent, reason: string) => ((manager: EntityManager) => Promise<void>) | undefined;
  /**
   * The id the inbox remembers a message by (a UUID); its ce_id by default. HIS commands scope it by
   * the sending institution's topic, so one institution cannot use up, or learn of, another's ids.
   */
  inboxId?: (message: { id: string; topic: string }) => string;
  /**
   * True for a decoded event of one of `handlers`' types that this group has nothing to do for (its
   * handler would return without a write): acknowledged with no transaction and no inbox entry, since
   * an event that changes nothing cannot be applied twice. Must not look at the database.
   */
  changesNothing?: (event: ConsumedEvent<EventType>) => boolean;
  /**
   * Apply each run of a partition's waiting events in one transaction (one inbox insert, one
   * commit) instead of one transaction each. Should the run's transaction fail, its events are
   * applied again one at a time, with the usual retries and dead letters, so a bad event costs only
   * itself. Handlers must then not take row locks that another run could take in another order
   * (a deadlock costs the run its batch, not correctness, but a second of waiting).
   */
  batched?: boolean;
  /** Runs last in every transaction that applied events (after the handlers, before the commit). */
  beforeCommit?: (manager: EntityManager) => Promise<void>;
}

/**
 * Thrown by a handler for an event it can never apply (bad content): dead-lettered without retries.
 * `answer` runs instead of the handler's effect, in a transaction with the inbox entry — so a
 * refused command still gets exactly one answer (for example a rejected-result event).
 */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly answer?: (manager: EntityManager) => Promise<void>,
  ) {
    super(message);
  }
}

const applied = counter('countylink_events_applied_total', 'Events applied by a consumer group', ['group', 'type']);
const duplicates = counter('countylink_events_duplicate_total', 'Redelivered events skipped by the inbox', ['group']);
const skipped = counter(
  'countylink_events_skipped_total',
  'Events a consumer group acknowledged without a transaction: nothing for it to do',
  ['group', 'type'],
);
const batches = counter(
  'countylink_event_batches_total',
  'Runs of events a batched consumer group applied in one transaction, by outcome (applied, or retried one by one)',
  ['group', 'outcome'],
);
const deadLettered = counter('countylink_events_dead_lettered_total', 'Messages sent to a dead-letter topic', [
  'group',
  'topic',
]);

/** What a message is to a consumer group, before anything is done with it. */
type Parsed =
  | { kind: 'event'; event: ConsumedEvent<EventType> }
  | { kind: 'not ours' }
  | { kind: 'changes nothing'; type: EventType }
  | { kind: 'rejected'; reason: string; unapplied?: UnappliedEvent };

/** The most events one transaction of a batched group applies (its room locks are held that long). */
const MAX_RUN = 100;

/**
 * Turns raw messages into applied events: envelope and protobuf decoding, inbox dedupe in the
 * same transaction as the effect, bounded retries, and a dead-letter topic (reason in a header)
 * for what cannot be decoded, validated or applied — after which the consumer goes on.
 */
export class EventConsumer {
  private readonly logger: Logger;
  private subscription?: Subscription;

  constructor(
    private readonly definition: ConsumerDefinition,
    private readonly dataSource: DataSource,
    private readonly transport: Transport,
    private readonly maxAttempts: number,
    private readonly institutions: HisInstitutions = new HisInstitutions(new Set()),
  ) {
    this.logger = new Logger(`EventConsumer:${definition.groupId}`);
  }

  /** The handlers' topics; HIS commands: every institution's command topic there is (none without HIS topics). */
  get topics(): string[] {
    const types = Object.keys(this.definition.handlers) as EventType[];
    const topics = types.map((type) => EventCatalog[type].topic as string);
    return [
      ...new Set(
        topics.flatMap((topic) => (topic === HisTopics.commands ? this.institutions.commandTopics() : [topic])),
      ),
    ];
  }

  async start(): Promise<void> {
    const topics = this.topics;
    // An HIS command group on a cluster without HIS topics (or the in-process bus) has nothing to read.
    if (topics.length === 0) return;
    this.subscription = await this.transport.subscribe(
      this.definition.groupId,
      topics,
      (m) => this.handle(m),
      this.definition.batched ? (ms) => this.handleBatch(ms) : undefined,
    );
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Never throws for a bad message; throws only when the database or broker itself fails. */
  async handle(message: ReceivedMessage): Promise<void> {
    const decoded = await this.decode(message);
    if (decoded) await this.apply(message, decoded);
  }

  /**
   * A partition's messages in offset order: each run of events to apply goes in one transaction;
   * whatever is not plainly applied (a bad message, a skipped event) is handled where it stands.
   */
  async handleBatch(messages: readonly ReceivedMessage[]): Promise<void> {
    let run: Array<{ message: ReceivedMessage; event: ConsumedEvent<EventType> }> = [];
    for (const message of messages) {
      const event = this.decodeQuietly(message);
      if (event && run.length < MAX_RUN) {
        run.push({ message, event });
        continue;
      }
      await this.applyRun(run);
      run = [];
      if (event) run.push({ message, event });
      else await this.handle(message);
    }
    await this.applyRun(run);
  }

  /** An event to apply, or nothing when anything else is to be done with the message (see `decode`). */
  private decodeQuietly(message: ReceivedMessage): ConsumedEvent<EventType> | undefined {
    const parsed = this.parse(message);
    return parsed.kind === 'event' ? parsed.event : undefined;
  }

  /** Decodes the message, or deals with it (dead letter, skip) and returns nothing. */
  private async decode(message: ReceivedMessage): Promise<ConsumedEvent<EventType> | undefined> {
    const parsed = this.parse(message);
    switch (parsed.kind) {
      case 'event':
        return parsed.event;
      case 'not ours':
        return undefined;
      case 'changes nothing':
        skipped.inc({ group: this.definition.groupId, type: parsed.type });
        return undefined;
      case 'rejected':
        if (parsed.unapplied) await this.answerUnapplied(parsed.unapplied, parsed.reason);
        await this.deadLetter(message, parsed.reason);
        return undefined;
    }
  }

  /** What the message is to this group, with no side effect; throws only on what is not the message's fault. */
  private parse(message: ReceivedMessage): Parsed {
    let envelope: Envelope;
    try {
      envelope = fromHeaders(message.headers);
    } catch (err) {
      if (err instanceof EnvelopeError) return { kind: 'rejected', reason: err.message };
      throw err;
    }
    if (!isEventType(envelope.type)) return { kind: 'rejected', reason: `unknown event type ${envelope.type}` };
    const entry = EventCatalog[envelope.type];
    if (!isOnTopic(entry.topic, message.topic))
      return { kind: 'rejected', reason: `event type ${envelope.type} does not belong on ${message.topic}` };
    if (!this.definition.handlers[envelope.type]) return { kind: 'not ours' };
    if (!message.value) return { kind: 'rejected', reason: 'message has no value' };
    let payload: EventPayload<EventType>;
    try {
      payload = fromBinary(entry.schema, message.value) as EventPayload<EventType>;
    } catch (err) {
      return {
        kind: 'rejected',
        reason: `value does not decode as ${entry.schema.typeName}: ${(err as Error).message}`,
        unapplied: { id: envelope.id, type: envelope.type, topic: message.topic, key: message.key },
      };
    }
    const event = this.eventOf(message, envelope, payload);
    if (this.definition.changesNothing?.(event)) return { kind: 'changes nothing', type: event.type };
    return { kind: 'event', event };
  }

  private eventOf(
    message: ReceivedMessage,
    envelope: Envelope,
    payload: EventPayload<EventType>,
  ): ConsumedEvent<EventType> {
    return {
      id: envelope.id,
      type: envelope.type as EventType,
      source: envelope.source,
      subject: envelope.subject,
      time: new Date(envelope.time),
      topic: message.topic,
      key: message.key,
      payload,
    };
  }

  /**
   * A run of decoded events in one transaction. If it fails (a handler throws, a deadlock, the
   * database), nothing of it stays and each event is applied on its own.
   */
  private async applyRun(
    run: ReadonlyArray<{ message: ReceivedMessage; event: ConsumedEvent<EventType> }>,
  ): Promise<void> {
    if (run.length === 0) return;
    if (run.length === 1) return this.apply(run[0].message, run[0].event);
    const group = this.definition.groupId;
    let counts: { fresh: Map<EventType, number>; repeated: number };
    try {
      counts = await this.dataSource.transaction(async (manager) => {
        const ids = [...new Set(run.map(({ event }) => this.inboxIdOf(event)))];
        const inserted = await insertEachOnce(
          manager,
          InboxEntry,
          ids.map((eventId) => ({ consumerGroup: group, eventId })),
        );
        const fresh = new Set(inserted.map((row) => String(row.event_id)));
        const done = new Map<EventType, number>();
        let repeated = 0;
        for (const { event } of run) {
          // Once per id, even when the partition holds the same event twice.
          if (!fresh.delete(this.inboxIdOf(event))) {
            repeated++;
            continue;
          }
          await (this.definition.handlers[event.type] as EventHandler<EventType>)(event, manager);
          done.set(event.type, (done.get(event.type) ?? 0) + 1);
        }
        if (done.size > 0) await this.definition.beforeCommit?.(manager);
        return { fresh: done, repeated };
      });
    } catch (err) {
      batches.inc({ group, outcome: 'retried one by one' });
      this.logger.warn(
        { err, events: run.length },
        'a run of events failed in one transaction; applying them one by one',
      );
      for (const { message, event } of run) await this.apply(message, event);
      return;
    }
    batches.inc({ group, outcome: 'applied' });
    for (const [type, n] of counts.fresh) applied.inc({ group, type }, n);
    if (counts.repeated > 0) duplicates.inc({ group }, counts.repeated);
  }

  private async apply(message: ReceivedMessage, event: ConsumedEvent<EventType>): Promise<void> {
    const handler = this.definition.handlers[event.type] as EventHandler<EventType>;
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await this.dataSource.transaction(async (manager) => {
          if (
            !(await insertOnce(manager, InboxEntry, {
              consumerGroup: this.definition.groupId,
              eventId: this.inboxIdOf(event),
            }))
          )
            return false;
          await handler(event, manager);
          await this.definition.beforeCommit?.(manager);
          return true;
        });
        if (fresh) applied.inc({ group: this.definition.groupId, type: event.type });
        else duplicates.inc({ group: this.definition.groupId });
        return;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (err instanceof InvalidEventError) {
          if (err.answer) await this.answerOnce(this.inboxIdOf(event), err.answer);
          return this.deadLetter(message, `invalid event: ${reason}`);
        }
        if (attempt >= this.maxAttempts) {
          await this.answerUnapplied(event, reason);
          return this.deadLetter(message, `handler failed ${attempt} times: ${reason}`);
        }
        this.logger.warn({ err, eventId: event.id, attempt }, 'handler failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 3_000)));
      }
    }
  }

  private inboxIdOf(message: { id: string; topic: string }): string {
    return this.definition.inboxId?.(message) ?? message.id;
  }

  private async answerUnapplied(event: UnappliedEvent, reason: string): Promise<void> {
    const answer = this.definition.answerUnapplied?.(event, reason);
    if (answer) await this.answerOnce(this.inboxIdOf(event), answer);
  }

  private async answerOnce(eventId: string, answer: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (await insertOnce(manager, InboxEntry, { consumerGroup: this.definition.groupId, eventId }))
        await answer(manager);
    });
  }

  private async deadLetter(message: ReceivedMessage, reason: string): Promise<void> {
    const topic = deadLetterTopic(message.topic);
    this.logger.error({ topic, partition: message.partition, offset: message.offset, reason }, 'message dead-lettered');
    await this.transport.send(topic, [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DLQ_REASON_HEADER]: reason,
          'x-countylink-dlq-group': this.definition.groupId,
          'x-countylink-dlq-source': `${message.topic}/${message.partition}/${message.offset}`,
        },
      },
    ]);
    deadLettered.inc({ group: this.definition.groupId, topic: message.topic });
  }
}
