import { create, MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { EventCatalog, hisCommandTopic, HisCommandType as CommandType } from '@countylink/contracts';
import { toHeaders, WireMessage } from '@countylink/messaging';

type CommandInit<T extends CommandType> = MessageInitShape<(typeof EventCatalog)[T]['schema']> & {
  context: { commandId: string; institutionId: string };
};

/**
 * A command as an HIS puts it on its own topic, countylink.his-commands.v1.<institution> (see
 * `hisCommandTopic`; used by the HIS simulator and tests). Key: the institution. No credential: the
 * HIS's Kafka principal, allowed by the broker to write that topic only, is who sends it.
 */
export function hisCommandMessage<T extends CommandType>(
  type: T,
  command: CommandInit<T>,
  source = '/his/simulator',
): WireMessage {
  const schema = EventCatalog[type].schema as (typeof EventCatalog)[CommandType]['schema'];
  return {
    key: command.context.institutionId,
    value: Buffer.from(toBinary(schema, create(schema, command as never))),
    headers: toHeaders({
      id: command.context.commandId,
      type,
      source,
      time: new Date().toISOString(),
      subject: `command/${command.context.commandId}`,
    }),
  };
}

/** The topic an HIS sends `message` on: its institution's (the message key) command topic. */
export function hisCommandTopicOf(message: WireMessage): string {
  if (!message.key) throw new Error('an HIS command is keyed by its institution');
  return hisCommandTopic(message.key);
}
