import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Principal } from '@countylink/auth';
import type { ActorSchema } from '@countylink/contracts';

export type ActorMessage = MessageInitShape<typeof ActorSchema>;

/** Who acted, as every event says it: the caller's principal as the contracts' Actor. */
export function actorMessage(p: Principal): ActorMessage {
  return { subject: p.sub, institutionId: p.institutionId, departmentId: p.departmentId ?? '', roles: p.roles };
}

/** The job runner and consumers act as the system. */
export const SYSTEM_ACTOR: ActorMessage = { subject: 'system', institutionId: '', departmentId: '', roles: [] };
