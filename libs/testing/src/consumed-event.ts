import { create, DescMessage, Message, MessageInitShape } from '@bufbuild/protobuf';
import { EventCatalog, EventPayload, EventType } from '@countylink/contracts';
import type { ConsumedEvent } from '@countylink/messaging';

/** A message's init object (all fields optional), not the message itself: the shape overrides spread into. */
export type Init<Desc extends DescMessage> = Exclude<MessageInitShape<Desc>, Message>;

/** An event as a consumer's handler receives it, its payload built from an init object (unit tests of mappings). */
export function consumedEvent<T extends EventType>(
  type: T,
  init: MessageInitShape<(typeof EventCatalog)[T]['schema']>,
  envelope: { source: string; key: string; time: Date },
): ConsumedEvent<T> {
  const payload = create(EventCatalog[type].schema as DescMessage, init as never) as unknown as EventPayload<T>;
  return { id: `evt-${type}`, type, topic: EventCatalog[type].topic, payload, ...envelope };
}
