import { v5 as uuidv5 } from 'uuid';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EntityManager } from 'typeorm';
import { Principal, Role } from '@countylink/auth';
import { CommandContext, hisPrincipal, HisTopics, parseInstitutionTopic } from '@countylink/contracts';
import {
  ConsumerDefinition,
  EventHandlers,
  EventPublisher,
  InvalidEventError,
  UnappliedEvent,
} from '@countylink/messaging';
import { CommonErrorCode, DomainException, FieldProblem, flattenValidationErrors } from '@countylink/platform';

/** Who an HIS command acts as: the HIS of the institution whose command topic it came on. */
export type CommandPrincipal = Principal;

/**
 * Some acts belong to a clinician (a family doctor books a reserved place, a doctor orders a read).
 * An HIS makes them for one of its own staff, named in the command: the HIS vouches for its people,
 * the app still checks everything else. Without a name the HIS account itself acts.
 */
export function staffPrincipal(
  his: CommandPrincipal,
  practitionerId: string,
  role: Role,
  departmentId?: string,
): Principal {
  if (!practitionerId) return his;
  return {
    sub: practitionerId,
    roles: [role, Role.HisSystem],
    institutionId: his.institutionId,
    ...(departmentId ? { departmentId } : {}),
  };
}

export const COMMAND_NOT_ALLOWED = 'COMMAND_NOT_ALLOWED';
/** The command could not be decoded or kept failing: dead-lettered, and the HIS is told. */
export const COMMAND_FAILED = 'COMMAND_FAILED';

/** What the gate needs of a consumed command event. */
interface CommandEvent {
  id: string;
  type: string;
  topic: string;
  key: string | null;
  payload: { context?: CommandContext };
}

/**
 * The rules every HIS command obeys, whichever app handles it: it comes from the institution whose
 * command topic it is on — the broker let only that institution's HIS principal write there (SCRAM
 * over TLS, a literal ACL), so nothing in the message is a credential — and it must name that same
 * institution; it acts at most once (inbox on ce_id = command id); it gets exactly one result, on
 * that institution's feed; a command that is not allowed or not valid is also dead-lettered; a
 * domain refusal (e.g. an invalid transition) is a rejected result and nothing else.
 * One per app that takes HIS commands (a provider of its module): it answers through that app's
 * outbox (its `EventPublisher`) onto the sender's feed.
 */
@Injectable()
export class HisCommandGate {
  constructor(private readonly events: EventPublisher) {}

  /**
   * A consumer of HIS commands: besides `handlers` (each wrapping its work in `run`), a command that
   * does not decode or keeps failing still gets its one rejected result before the dead letter.
   */
  consumer(groupId: string, handlers: EventHandlers): ConsumerDefinition {
    return {
      groupId,
      handlers,
      inboxId: commandInboxId,
      answerUnapplied: (event: UnappliedEvent, reason: string) => (manager: EntityManager) =>
        this.answer(
          manager,
          { ...event, payload: event.payload ?? {} },
          { code: COMMAND_FAILED, message: `the command was not applied: ${reason}`.slice(0, 500) },
        ),
    };
  }

  async run(
    manager: EntityManager,
    event: CommandEvent,
    work: (principal: CommandPrincipal, manager: EntityManager) => Promise<Record<string, string>>,
  ): Promise<void> {
    const principal = await this.authorize(event);
    await manager.query('SAVEPOINT his_command');
    try {
      const resultingIds = await work(principal, manager);
      await this.answer(manager, event, { accepted: resultingIds });
    } catch (err) {
      if (!(err instanceof DomainException)) throw err;
      await manager.query('ROLLBACK TO SAVEPOINT his_command');
      if (err.code === CommonErrorCode.VALIDATION_FAILED) {
        throw new InvalidEventError(`${err.message}: ${JSON.stringify(err.details ?? '')}`, (m) =>
          this.answer(m, event, { code: err.code, message: err.message }),
        );
      }
      await this.answer(manager, event, { code: err.code, message: err.message });
    }
  }

  private async authorize(event: CommandEvent): Promise<CommandPrincipal> {
    const context = event.payload.context;
    const from = senderOf(event);
    const refuse = (why: string): never => {
      throw new InvalidEventError(`command not allowed: ${why}`, (m) =>
        this.answer(m, event, { code: COMMAND_NOT_ALLOWED, message: why }),
      );
    };
    // Only institution command topics are subscribed; anything else is a wiring fault, not an HIS's.
    if (!from) throw new InvalidEventError(`${event.topic} is not an institution's command topic`);
    if (!context?.commandId || !context.institutionId)
      return refuse('context with command_id and institution_id is required');
    if (context.commandId !== event.id) return refuse('ce_id must equal context.command_id');
    if (context.institutionId !== from)
      return refuse(`the command names ${context.institutionId}, but came on the command topic of ${from}`);
    if (event.key !== from) return refuse('the message key must be the institution id');
    return { sub: hisPrincipal(from), roles: [Role.HisSystem], institutionId: from };
  }

  private async answer(
    manager: EntityManager,
    event: CommandEvent,
    outcome: { accepted: Record<string, string> } | { code: string; message: string },
  ): Promise<void> {
    const commandId = event.payload.context?.commandId || event.id;
    // The result goes to the sender's feed, whatever the command says: never to another institution.
    const institutionId = senderOf(event);
    if (!institutionId) return;
    const options = { subject: `command/${commandId}` };
    if ('accepted' in outcome) {
      await this.events.publish(
        manager,
        'countylink.his-results.command-accepted.v1',
        institutionId,
        { commandId, institutionId, commandType: event.type, resultingIds: outcome.accepted },
        options,
      );
    } else {
      await this.events.publish(
        manager,
        'countylink.his-results.command-rejected.v1',
        institutionId,
        { commandId, institutionId, commandType: event.type, code: outcome.code, message: outcome.message },
        options,
      );
    }
  }
}

/** Names the inbox ids of HIS commands (UUID v5): fixed, so a command's id stays the same across releases. */
const COMMAND_INBOX_NAMESPACE = 'c6f1f4a0-3b7e-5a52-9d1e-2f0c4b8e7a31';

/**
 * A command is remembered by its id within the topic it came on: township B sending an id that
 * township A used (or will use) neither hits A's inbox entry (no silence that says "taken") nor
 * leaves one in A's way.
 */
export function commandInboxId(command: { id: string; topic: string }): string {
  return uuidv5(`${command.topic}/${command.id}`, COMMAND_INBOX_NAMESPACE);
}

/** The institution whose command topic the command came on. */
function senderOf(event: { topic: string }): string | undefined {
  const parsed = parseInstitutionTopic(event.topic);
  return parsed?.family === HisTopics.commands ? parsed.institutionId : undefined;
}

/** A proto3 string cannot be absent: '' is how a command says "not sent". */
export function unsetIfEmpty(value: string): string | undefined {
  return value === '' ? undefined : value;
}

/** The longest message of a rejected result (the HIS's own logs, a screen): the details stay whole in the dead letter. */
const MAX_MESSAGE = 500;

/** `The command is not valid: patient.name: name must be …; modality: …` — the field at fault and why. */
export function invalidCommandMessage(problems: FieldProblem[]): string {
  const message = `The command is not valid: ${problems.map((p) => `${p.field}: ${p.problems.join(', ')}`).join('; ')}`;
  return message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE - 1)}…`;
}

/**
 * A command's body checked exactly as the HTTP body would be (class-validator DTO, unknown fields
 * refused, nested fields by their path as the HTTP API's `details` name them): an HIS cannot send
 * what a clinician could not. Invalid → VALIDATION_FAILED, whose message (in the rejected result)
 * says which field and why.
 */
export function commandDto<T extends object>(dtoClass: new () => T, plain: object): T {
  // JSON round trip: drop undefined, turn proto messages into plain objects.
  const dto = plainToInstance(dtoClass, JSON.parse(JSON.stringify(plain)) as object);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const problems = flattenValidationErrors(errors);
    throw new DomainException(CommonErrorCode.VALIDATION_FAILED, invalidCommandMessage(problems), problems);
  }
  return dto;
}
