import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { deadLetterTopic, hisCommandTopic, hisFeedTopic, HisTopics } from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/his-gateway';
import {
  ApacheKafka,
  CollectedEvent,
  directoryInstitutions,
  EventCollector,
  TestApp,
  waitFor,
} from '@countylink/testing';
import { startSuiteKafka } from '@countylink/testing/kafka-apache/suite-cluster';

export type CommandMessage = ReturnType<typeof hisCommandMessage>;
export type RawMessage = { key: string; value: Buffer; headers?: Record<string, string> };
export interface CommandResult {
  type: string;
  payload: { code?: string; message?: string; resultingIds?: Record<string, string> };
}

/**
 * The HIS systems' view of CountyLink: each command produced on its institution's command topic,
 * countylink.his-commands.v1.<institution> (the key's), every institution's feed and the domain
 * topics collected from Kafka. On an Apache Kafka of the suite's own — every app booted by other suites
 * would otherwise answer these commands too.
 */
export class HisHarness {
  private constructor(
    readonly cluster: ApacheKafka,
    /** The domain topics asked for and the commands' dead-letter topic: each event once. */
    readonly events: EventCollector,
    /** Every institution's feed: results, and the copies of the events each institution may see. */
    readonly feeds: EventCollector,
    private readonly producer: Producer,
    readonly app: TestApp,
  ) {}

  static async start(topics: string[], startApp: (kafka: string) => Promise<TestApp>): Promise<HisHarness> {
    const cluster = await startSuiteKafka();
    const events = await EventCollector.start(cluster.bootstrapServers, [
      deadLetterTopic(HisTopics.commands),
      ...topics,
    ]);
    const feeds = await EventCollector.start(cluster.bootstrapServers, directoryInstitutions().map(hisFeedTopic));
    const app = await startApp(cluster.bootstrapServers);
    const producer = new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    return new HisHarness(cluster, events, feeds, producer, app);
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
    await this.app.close();
    await this.events.stop();
    await this.feeds.stop();
    await this.cluster.stop();
  }

  /** A command context for a command acting for `institutionId`: no credential, the topic is the sender. */
  context(institutionId: string, commandId = randomUUID()) {
    return { commandId, institutionId };
  }

  /** Each message on the command topic of the institution it is keyed by, as that institution's HIS sends it. */
  async send(...messages: Array<CommandMessage | RawMessage>): Promise<void> {
    for (const message of messages) await this.sendAs(message.key!, message);
  }

  /** On `institutionId`'s command topic, whatever the messages say (the broker's ACL decides who may; this cluster has none). */
  async sendAs(institutionId: string, ...messages: Array<CommandMessage | RawMessage>): Promise<void> {
    await this.producer.send({ topic: hisCommandTopic(institutionId), messages });
  }

  /** The results of a command, on whichever feed they are (a test may check whose). */
  resultsOf(commandId: string): CollectedEvent[] {
    return this.feeds.events.filter((e) => e.headers.ce_subject === `command/${commandId}`);
  }

  /** What `institutionId`'s HIS read on its feed with this key. */
  feedOf(institutionId: string, key: string): CollectedEvent[] {
    return this.feeds.events.filter((e) => e.topic === hisFeedTopic(institutionId) && e.key === key);
  }

  resultOf(commandId: string): Promise<CommandResult> {
    return waitFor(`the result of ${commandId}`, () => this.resultsOf(commandId)[0]) as Promise<CommandResult>;
  }

  deadLettersOf(commandId: string): CollectedEvent[] {
    return this.events.events.filter(
      (e) => e.topic === deadLetterTopic(HisTopics.commands) && e.headers.ce_id === commandId,
    );
  }

  deadLetter(commandId: string): Promise<CollectedEvent> {
    return waitFor(`the dead letter of ${commandId}`, () => this.deadLettersOf(commandId)[0]);
  }

  /** Sends the command and returns its result. */
  async run(message: CommandMessage): Promise<CommandResult> {
    await this.send(message);
    return this.resultOf(message.headers.ce_id);
  }

  /** Sends the command, expects it accepted and returns the resulting ids. */
  async accepted(message: CommandMessage): Promise<Record<string, string>> {
    const result = await this.run(message);
    if (result.type !== 'countylink.his-results.command-accepted.v1') {
      throw new Error(`${message.headers.ce_type} was not accepted: ${result.payload.code} ${result.payload.message}`);
    }
    return result.payload.resultingIds!;
  }
}
