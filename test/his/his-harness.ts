import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { deadLetterTopic, Topics } from '@countylink/contracts';
import { hisCommandMessage } from '@countylink/messaging';
import { CollectedEvent, EventCollector, MockKafkaCluster, startCountyLinkKafka, TestApp, waitFor } from '@countylink/testing';

export type CommandMessage = ReturnType<typeof hisCommandMessage>;
export type RawMessage = { key: string; value: Buffer; headers?: Record<string, string> };
export interface CommandResult {
  type: string;
  payload: { code?: string; message?: string; resultingIds?: Record<string, string> };
}

/**
 * An HIS's view of CountyLink: commands produced on countylink.his-commands.v1, results and events
 * collected from Kafka. On a cluster of the suite's own — every app booted by other suites would
 * otherwise answer these commands too.
 */
export class HisHarness {
  private constructor(
    readonly cluster: MockKafkaCluster,
    readonly events: EventCollector,
    private readonly producer: Producer,
    readonly app: TestApp,
    private readonly tokens: Map<string, string>,
  ) {}

  static async start(topics: string[], startApp: (kafka: string) => Promise<TestApp>, logins: string[]): Promise<HisHarness> {
    const cluster = await startCountyLinkKafka();
    const events = await EventCollector.start(cluster.bootstrapServers, [Topics.hisResults, deadLetterTopic(Topics.hisCommands), ...topics]);
    const app = await startApp(cluster.bootstrapServers);
    const tokens = new Map(await Promise.all(logins.map(async (login) => [login, await app.token(login)] as const)));
    const producer = new Kafka({ brokers: cluster.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    return new HisHarness(cluster, events, producer, app, tokens);
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
    await this.app.close();
    await this.events.stop();
    await this.cluster.stop();
  }

  /** A command context for the HIS account `login` acting for `institutionId`. */
  context(login: string, institutionId: string, commandId = randomUUID()) {
    const token = this.tokens.get(login);
    if (!token) throw new Error(`no token for ${login}: list it when starting the harness`);
    return { commandId, institutionId, token };
  }

  async send(...messages: Array<CommandMessage | RawMessage>): Promise<void> {
    await this.producer.send({ topic: Topics.hisCommands, messages });
  }

  resultsOf(commandId: string): CollectedEvent[] {
    return this.events.events.filter((e) => e.topic === Topics.hisResults && e.headers.ce_subject === `command/${commandId}`);
  }

  resultOf(commandId: string): Promise<CommandResult> {
    return waitFor(`the result of ${commandId}`, () => this.resultsOf(commandId)[0]) as Promise<CommandResult>;
  }

  deadLettersOf(commandId: string): CollectedEvent[] {
    return this.events.events.filter((e) => e.topic === deadLetterTopic(Topics.hisCommands) && e.headers.ce_id === commandId);
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
