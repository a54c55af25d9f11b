import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DataSource, EntityManager } from 'typeorm';
import { AccessContext, hasAnyRole, Principal, Role } from '@countylink/auth';
import { actorMessage, EventPublisher } from '@countylink/messaging';
import { cancelJob, recordAudit, runIdempotent, scheduleJob } from '@countylink/persistence';
import { decodeCursorToken, DomainException, encodeCursorToken, isUuid } from '@countylink/platform';
import { DirectoryService } from '../directory/directory.service';
import { ReferralRegistryConfig } from '../referral-registry.config';
import { REFERRAL_DATA_SOURCE } from '../referral-registry.constants';
import { CreateReferralDto } from './dtos/create-referral.dto';
import { ListReferralsQuery } from './dtos/list-referrals.query';
import { Referral } from './referral.entity';
import { ReferralRepository } from './referral.repository';
import { ReferralErrorCode } from './referral.exception';
import { ReferralHistory } from './referral-history.entity';
import { historyActorOf, writeHistory } from './referral-history.writer';
import { assertMayAct, canSee, rolesFor } from './referral-access';
import { CENTRE_PROTO, referralMessage, STATUS_PROTO } from './referral-event.mapper';
import {
  directionOf,
  hashIdentityNumber,
  isSamePatient,
  isInTownshipCatalog,
  isValidIdentityNumber,
  maskIdentityNumber,
  ResponseLimits,
  responseDueAt,
} from './referral-rules';
import { assertReason, isAwaitingAnswer, ReferralAction, ruleOf, transition } from './referral-state-machine';
import { historyView, referralView, ReferralView } from './referral.view';

export const RESPONSE_DUE_JOB = 'referral.response-due';

const fail = (code: ReferralErrorCode, message: string, details?: unknown): never => {
  throw new DomainException(code, message, details);
};

@Injectable()
export class ReferralService {
  private readonly limits: ResponseLimits;

  constructor(
    @InjectDataSource(REFERRAL_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly directory: DirectoryService,
    private readonly events: EventPublisher,
    private readonly config: ReferralRegistryConfig,
    private readonly referrals: ReferralRepository,
  ) {
    this.limits = {
      routine: config.REFERRAL_RESPONSE_MINUTES_ROUTINE,
      urgent: config.REFERRAL_RESPONSE_MINUTES_URGENT,
      emergency: config.REFERRAL_RESPONSE_MINUTES_EMERGENCY,
    };
  }

  create(principal: Principal, dto: CreateReferralDto, idempotencyKey: string) {
    return runIdempotent(
      this.dataSource,
      `referral:${principal.institutionId}:${principal.sub}`,
      idempotencyKey,
      dto,
      async (manager) => {
        const referral = await this.createWithin(manager, principal, dto);
        return { status: 201, body: { ...referralView(referral), history: await this.history(manager, referral.id) } };
      },
    );
  }

  /** Creates a referral inside the caller's transaction (HTTP create, HIS command). */
  async createWithin(manager: EntityManager, principal: Principal, dto: CreateReferralDto): Promise<Referral> {
    const from =
      (await this.directory.findInstitution(principal.institutionId, manager)) ??
      fail(ReferralErrorCode.NOT_ALLOWED, `Institution ${principal.institutionId} is not a member of the group`);
    const to =
      (await this.directory.findInstitution(dto.toInstitutionId, manager)) ??
      fail(ReferralErrorCode.UNKNOWN_DESTINATION, `No institution ${dto.toInstitutionId} in the group`);
    if (dto.toDepartmentId && !(await this.directory.findDepartment(to.id, dto.toDepartmentId, manager))) {
      fail(ReferralErrorCode.UNKNOWN_DESTINATION, `${to.id} has no department ${dto.toDepartmentId}`);
    }
    const direction =
      directionOf(from.kind, to.kind) ??
      fail(
        ReferralErrorCode.ROUTE_NOT_ALLOWED,
        `A referral goes from primary care up to the county hospital or back down (${from.kind} → ${to.kind})`,
      );
    if (!hasAnyRole(principal, rolesFor(direction, 'sender'))) {
      fail(
        ReferralErrorCode.NOT_ALLOWED,
        `A ${direction}-referral is sent by: ${rolesFor(direction, 'sender').join(', ')}`,
      );
    }
    if (dto.greenChannelCentre && (dto.urgency !== 'emergency' || direction !== 'up')) {
      fail(ReferralErrorCode.GREEN_CHANNEL_INVALID, 'The green channel is for emergency up-referrals only');
    }
    if (dto.patient.identityNumber && !isValidIdentityNumber(dto.patient.identityNumber)) {
      fail(
        ReferralErrorCode.IDENTITY_NUMBER_INVALID,
        'patient.identityNumber is not a valid 18-character resident identity number',
      );
    }
    const inCatalog = isInTownshipCatalog(dto.diagnosis.code, await this.directory.townshipCatalogCodes(manager));
    if (direction === 'up' && inCatalog && !dto.justification) {
      fail(
        ReferralErrorCode.JUSTIFICATION_REQUIRED,
        `${dto.diagnosis.code} is in the township catalog: an up-referral needs a justification`,
      );
    }
    if (direction === 'down') await this.checkReturnLink(manager, principal, dto);
    else if (dto.returnsFromReferralId || dto.rehabilitationPlan) {
      fail(
        ReferralErrorCode.RETURN_LINK_INVALID,
        'returnsFromReferralId and rehabilitationPlan belong to down-referrals',
      );
    }

    const now = new Date();
    const identity = dto.patient.identityNumber;
    const referral = manager.create(Referral, {
      id: randomUUID(),
      direction,
      status: 'requested',
      urgency: dto.urgency,
      greenChannelCentre: dto.greenChannelCentre ?? null,
      directAdmission: dto.directAdmission ?? false,
      patientId: dto.patient.patientId,
      patientName: dto.patient.name,
      patientSex: dto.patient.sex,
      patientBirthDate: dto.patient.birthDate ?? null,
      patientIdentityHash: identity ? hashIdentityNumber(identity, this.config.IDENTITY_HASH_KEY) : null,
      patientIdentityMasked: identity ? maskIdentityNumber(identity) : null,
      fromInstitutionId: from.id,
      fromDepartmentId: principal.departmentId ?? null,
      fromPractitionerId: principal.sub,
      toInstitutionId: to.id,
      toDepartmentId: dto.toDepartmentId ?? null,
      diagnosisCode: dto.diagnosis.code,
      diagnosisDisplay: dto.diagnosis.display,
      clinicalSummary: dto.clinicalSummary,
      reason: dto.reason,
      justification: dto.justification ?? null,
      inTownshipCatalog: inCatalog,
      // Both ends are members of the group, so the patient pays the inpatient threshold once (连续计算起付线).
      continuousDeductible: true,
      returnsFromReferralId: dto.returnsFromReferralId ?? null,
      rehabilitationPlan: dto.rehabilitationPlan ?? null,
      responseDueAt: responseDueAt(now, dto.urgency, this.limits),
      escalationLevel: 0,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await manager.insert(Referral, referral);
    await writeHistory(manager, referral, {
      action: 'create',
      fromStatus: null,
      actor: historyActorOf(principal),
      reason: null,
      at: now,
    });
    const subject = `referral/${referral.id}`;
    await this.events.publish(
      manager,
      'countylink.referral.requested.v1',
      referral.id,
      { referral: referralMessage(referral), actor: actorMessage(principal) },
      { subject, occurredAt: now },
    );
    if (referral.greenChannelCentre) {
      await this.events.publish(
        manager,
        'countylink.referral.green-channel-alerted.v1',
        referral.id,
        {
          referral: referralMessage(referral),
          centre: CENTRE_PROTO[referral.greenChannelCentre],
          acknowledgeDueAt: timestampFromDate(referral.responseDueAt),
        },
        { subject, occurredAt: now },
      );
    }
    await scheduleJob(manager, RESPONSE_DUE_JOB, referral.id, referral.responseDueAt, { level: 0 });
    return referral;
  }

  private async checkReturnLink(manager: EntityManager, principal: Principal, dto: CreateReferralDto): Promise<void> {
    if (!dto.rehabilitationPlan) {
      fail(
        ReferralErrorCode.REHABILITATION_PLAN_REQUIRED,
        'A down-referral carries the rehabilitation plan (rehabilitationPlan)',
      );
    }
    if (!dto.returnsFromReferralId) return;
    const up = await manager.findOneBy(Referral, { id: dto.returnsFromReferralId });
    if (!up || !canSee(principal, up))
      fail(ReferralErrorCode.RETURN_LINK_INVALID, `No referral ${dto.returnsFromReferralId} to return from`);
    const ok =
      up!.direction === 'up' &&
      up!.toInstitutionId === principal.institutionId &&
      ['arrived', 'completed'].includes(up!.status);
    if (!ok || up!.fromInstitutionId !== dto.toInstitutionId) {
      fail(
        ReferralErrorCode.RETURN_LINK_INVALID,
        'A down-referral returns from an up-referral this institution received, once the patient arrived, to the institution that sent it',
      );
    }
    const identity = dto.patient.identityNumber;
    const down = {
      name: dto.patient.name,
      birthDate: dto.patient.birthDate,
      identityHash: identity ? hashIdentityNumber(identity, this.config.IDENTITY_HASH_KEY) : null,
    };
    if (
      !isSamePatient(
        { name: up!.patientName, birthDate: up!.patientBirthDate, identityHash: up!.patientIdentityHash },
        down,
      )
    ) {
      fail(
        ReferralErrorCode.RETURN_LINK_INVALID,
        'A down-referral returns the patient of the up-referral it returns from (identity number, or name and birth date)',
      );
    }
  }

  transition(
    principal: Principal,
    id: string,
    action: ReferralAction,
    reason: string | undefined,
  ): Promise<ReferralView> {
    return this.dataSource.transaction((manager) => this.transitionWithin(manager, principal, id, action, reason));
  }

  /** One state transition inside the caller's transaction (HTTP action, HIS command). */
  async transitionWithin(
    manager: EntityManager,
    principal: Principal,
    id: string,
    action: ReferralAction,
    reason: string | undefined,
  ): Promise<ReferralView> {
    assertReason(action, reason);
    const referral = await manager.findOne(Referral, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!referral || !canSee(principal, referral)) return fail(ReferralErrorCode.NOT_FOUND, `No referral ${id}`);
    const rule = ruleOf(action);
    assertMayAct(principal, referral, rule.side);
    const result = transition(referral.status, action);
    if (!result.ok) {
      return fail(ReferralErrorCode.INVALID_TRANSITION, `Cannot ${action} a referral that is ${referral.status}`, {
        status: referral.status,
        allowedFrom: result.allowedFrom,
      });
    }
    const from = referral.status;
    const now = new Date();
    referral.status = result.to;
    referral.version += 1;
    referral.updatedAt = now;
    await manager.update(Referral, { id }, { status: referral.status, version: referral.version, updatedAt: now });
    await writeHistory(manager, referral, {
      action,
      fromStatus: from,
      actor: historyActorOf(principal),
      reason: reason ?? null,
      at: now,
    });
    await this.events.publish(
      manager,
      `countylink.referral.${result.to}.v1` as 'countylink.referral.accepted.v1',
      id,
      {
        referral: referralMessage(referral),
        fromStatus: STATUS_PROTO[from],
        toStatus: STATUS_PROTO[result.to],
        actor: actorMessage(principal),
        reason: reason ?? '',
        occurredAt: timestampFromDate(now),
      },
      { subject: `referral/${id}`, occurredAt: now },
    );
    if (!isAwaitingAnswer(referral.status)) await cancelJob(manager, RESPONSE_DUE_JOB, id);
    return referralView(referral);
  }

  async get(principal: Principal, id: string, access: AccessContext) {
    return this.dataSource.transaction(async (manager) => {
      const referral = await manager.findOneBy(Referral, { id });
      if (!referral || !canSee(principal, referral)) return fail(ReferralErrorCode.NOT_FOUND, `No referral ${id}`);
      await recordAudit(manager, principal, {
        action: 'referral.read',
        resourceType: 'referral',
        resourceId: id,
        ...access,
      });
      return { ...referralView(referral), history: await this.history(manager, id) };
    });
  }

  async list(principal: Principal, query: ListReferralsQuery, access: AccessContext) {
    const limit = query.limit ?? 20;
    const visibleTo = hasAnyRole(principal, [Role.GroupAdmin]) ? null : principal.institutionId;
    const rows = await this.referrals.page(
      query,
      visibleTo,
      query.cursor ? decodeCursor(query.cursor) : null,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    await recordAudit(this.dataSource.manager, principal, {
      action: 'referral.list',
      resourceType: 'referral',
      resourceIds: page.map((r) => r.id),
      ...access,
    });
    const last = page[page.length - 1];
    return { items: page.map(referralView), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  private async history(manager: EntityManager, referralId: string) {
    const rows = await manager.find(ReferralHistory, { where: { referralId }, order: { id: 'ASC' } });
    return rows.map(historyView);
  }
}

function encodeCursor(r: Referral): string {
  return encodeCursorToken([r.createdAt.toISOString(), r.id]);
}

function decodeCursor(cursor: string): [Date, string] {
  try {
    const [at, id] = decodeCursorToken(cursor) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || !isUuid(id)) throw new Error('bad cursor');
    return [date, id];
  } catch {
    throw new DomainException(ReferralErrorCode.INVALID_CURSOR, 'cursor is not a cursor this API returned');
  }
}
