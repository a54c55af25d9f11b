import { create, MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { EventCatalog, HisCommandType as CommandType } from '@countylink/contracts';
import { toHeaders } from './envelope';
import { WireMessage } from './transport';

type CommandInit<T extends CommandType> = MessageInitShape<(typeof EventCatalog)[T]['schema']> & {
  context: { commandId: string; institutionId: string; token: string };
};

/** A command as an HIS puts it on countylink.his-commands.v1 (used by the HIS simulator and tests). */
export function hisCommandMessage<T extends CommandType>(type: T, command: CommandInit<T>, source = '/his/simulator'): WireMessage {
  const schema = EventCatalog[type].schema as (typeof EventCatalog)[CommandType]['schema'];
  return {
    key: command.context.institutionId,
    value: Buffer.from(toBinary(schema, create(schema, command as never))),
    headers: toHeaders({ id: command.context.commandId, type, source, time: new Date().toISOString(), subject: `command/${command.context.commandId}` }),
  };
}
