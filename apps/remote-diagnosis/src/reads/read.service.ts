import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DataSource, EntityManager } from 'typeorm';
import { AccessContext, Principal } from '@countylink/auth';
import { actorMessage, EventPublisher, KnownMember } from '@countylink/messaging';
import { cancelJob, recordAudit, runIdempotent, scheduleJob } from '@countylink/persistence';
import { DomainException } from '@countylink/platform';
import { DiagnosisErrorCode } from '../diagnosis.exception';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { Study } from '../studies/study.entity';
import { StudyScope } from '../studies/study-scope.service';
import { ListReadsQuery } from './dtos/list-reads.query';
import { OrderReadDto } from './dtos/order-read.dto';
import { ReportReadDto } from './dtos/report-read.dto';
import { assertMayAssign, assertMayRead, canSeeRead } from './read-access';
import { Read } from './read.entity';
import { ReadRepository } from './read.repository';
import { readMessage, reportMessage } from './read-event.mapper';
import { ReadEvents } from './read-events.service';
import { DeadlineTable, issueAccessionNumber, lookupByModality, readDueAt } from './read-rules';
import { ReadAction, readTransition } from './read-state-machine';
import { readView, ReadView, reportView } from './read.view';
import { Report } from './report.entity';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

export const CLAIM_EXPIRY_JOB = 'read.claim-expiry';

const fail = (code: DiagnosisErrorCode, message: string, details?: unknown): never => {
  throw new DomainException(code, message, details);
};

@Injectable()
export class ReadService {
  readonly deadlines: DeadlineTable;
  readonly departments: Record<string, string>;

  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly readEvents: ReadEvents,
    private readonly config: RemoteDiagnosisConfig,
    private readonly scope: StudyScope,
    private readonly reads: ReadRepository,
  ) {
    this.deadlines = config.READ_DEADLINE_MINUTES;
    this.departments = config.READ_DEPARTMENTS;
  }

  /** A new read in `requested`, as an order or for a study that came without one. */
  newRead(
    principal: Principal,
    fields: Pick<Read, 'modality' | 'priority' | 'patientId' | 'patientName' | 'patientSex' | 'patientBirthDate'> & {
      accessionNumber?: string | null;
      clinicalQuestion?: string | null;
      readingDepartmentId?: string | null;
    },
    now: Date,
  ): Read {
    return Object.assign(new Read(), {
      id: randomUUID(),
      accessionNumber: fields.accessionNumber || issueAccessionNumber(now),
      status: 'requested',
      priority: fields.priority,
      modality: fields.modality,
      patientId: fields.patientId,
      patientName: fields.patientName,
      patientSex: fields.patientSex,
      patientBirthDate: fields.patientBirthDate,
      requestingInstitutionId: principal.institutionId,
      requestingDepartmentId: principal.departmentId ?? null,
      requestingPractitionerId: principal.sub,
      readingInstitutionId: this.config.READ_INSTITUTION_ID,
      readingDepartmentId: fields.readingDepartmentId ?? lookupByModality(this.departments, fields.modality) ?? null,
      clinicalQuestion: fields.clinicalQuestion ?? null,
      dueAt: null,
      claimedBy: null,
      claimExpiresAt: null,
      readyAt: null,
      reportedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    } satisfies Read);
  }

  /** Images are in: the read enters the worklist with its deadline. */
  markReady(read: Read, now: Date): void {
    this.apply(read, 'images-in', now);
    read.readyAt = now;
    read.dueAt = readDueAt(now, read.modality, read.priority, this.deadlines);
  }

  order(principal: Principal, dto: OrderReadDto, idempotencyKey: string) {
    return runIdempotent(
      this.dataSource,
      `read:${principal.institutionId}:${principal.sub}`,
      idempotencyKey,
      dto,
      async (manager) => {
        const read = await this.orderWithin(manager, principal, dto);
        return { status: 201, body: readView(read) };
      },
    );
  }

  /** An order in the caller's transaction (HTTP with its idempotency key, or an HIS command). */
  async orderWithin(manager: EntityManager, principal: Principal, dto: OrderReadDto): Promise<Read> {
    const read = this.newRead(
      principal,
      {
        modality: dto.modality,
        priority: dto.priority,
        patientId: dto.patient.patientId,
        patientName: dto.patient.name,
        patientSex: dto.patient.sex ?? null,
        patientBirthDate: dto.patient.birthDate?.replace(/-/g, '') ?? null,
        accessionNumber: dto.accessionNumber,
        clinicalQuestion: dto.clinicalQuestion,
        readingDepartmentId: dto.readingDepartmentId,
      },
      new Date(),
    );
    if (!(await this.reads.insertUnlessAccessionTaken(manager, read))) {
      const existing = await manager.findOneBy(Read, {
        requestingInstitutionId: principal.institutionId,
        accessionNumber: read.accessionNumber,
      });
      return fail(
        DiagnosisErrorCode.READ_ACCESSION_IN_USE,
        `Accession number ${read.accessionNumber} already belongs to a read of this institution`,
        { readId: existing?.id },
      );
    }
    await this.readEvents.publish(manager, [this.readEvents.requested(read, principal, [])]);
    return read;
  }

  claim(principal: Principal, id: string): Promise<ReadView> {
    return this.change(principal, id, 'claim', (manager, read, now) =>
      this.giveClaim(manager, read, now, principal.sub, principal),
    );
  }

  /** 指派: the department head or the group admin gives the read to a specialist of its department (a claim in their name). */
  assign(principal: Principal, id: string, readerId: string, reason: string | undefined): Promise<ReadView> {
    return this.change(
      principal,
      id,
      'assign',
      (manager, read, now) => this.giveClaim(manager, read, now, readerId, principal, reason),
      async (manager, read) =>
        assertMayAssign(
          principal,
          await manager.findOneBy(KnownMember, { id: principal.sub }),
          read,
          await manager.findOneBy(KnownMember, { id: readerId }),
        ),
    );
  }

  /** The read is `holder`'s until the claim lapses: read-claimed, from ready or from another's claim. */
  private async giveClaim(
    manager: EntityManager,
    read: Read,
    now: Date,
    holder: string,
    actor: Principal,
    reason = '',
  ): Promise<void> {
    const from = read.claimedBy ? 'claimed' : 'ready';
    read.claimedBy = holder;
    read.claimExpiresAt = new Date(now.getTime() + this.config.READ_CLAIM_MINUTES * 60_000);
    await scheduleJob(manager, CLAIM_EXPIRY_JOB, read.id, read.claimExpiresAt, { claimedBy: holder });
    const studies = await this.readEvents.studyUids(manager, read.id);
    await this.readEvents.publish(manager, [
      this.readEvents.statusChanged('countylink.diagnosis.read-claimed.v1', read, from, actor, studies, reason),
    ]);
  }

  release(principal: Principal, id: string, reason: string | undefined): Promise<ReadView> {
    return this.change(principal, id, 'release', async (manager, read) => {
      read.claimedBy = null;
      read.claimExpiresAt = null;
      await cancelJob(manager, CLAIM_EXPIRY_JOB, read.id);
      const studies = await this.readEvents.studyUids(manager, read.id);
      await this.readEvents.publish(manager, [
        this.readEvents.statusChanged(
          'countylink.diagnosis.read-released.v1',
          read,
          'claimed',
          principal,
          studies,
          reason ?? '',
        ),
      ]);
    });
  }

  async report(principal: Principal, id: string, dto: ReportReadDto) {
    let signed: Report | undefined;
    const read = await this.change(principal, id, dto.addendum ? 'amend' : 'report', async (manager, read, now) => {
      const original = dto.addendum ? await manager.findOne(Report, { where: { readId: id, kind: 'original' } }) : null;
      signed = Object.assign(new Report(), {
        id: randomUUID(),
        readId: id,
        kind: dto.addendum ? 'addendum' : 'original',
        amendsReportId: original?.id ?? null,
        findings: dto.findings,
        impression: dto.impression,
        treatmentPlan: dto.treatmentPlan,
        criticalCategory: dto.criticalValue?.category ?? null,
        criticalDescription: dto.criticalValue?.description ?? null,
        signedBy: principal.sub,
        signedByInstitutionId: principal.institutionId,
        signedByDepartmentId: principal.departmentId ?? null,
        signedAt: now,
      } satisfies Report);
      await manager.insert(Report, signed);
      if (!dto.addendum) {
        read.reportedAt = now;
        read.claimedBy = null;
        read.claimExpiresAt = null;
        await cancelJob(manager, CLAIM_EXPIRY_JOB, read.id);
      }
      const studyUids = await this.readEvents.studyUids(manager, read.id);
      const subject = `read/${read.id}`;
      await this.events.publish(
        manager,
        dto.addendum ? 'countylink.diagnosis.report-amended.v1' : 'countylink.diagnosis.read-reported.v1',
        read.id,
        { read: readMessage(read, studyUids), report: reportMessage(signed, principal) },
        { subject, occurredAt: now },
      );
      if (dto.criticalValue) {
        await this.events.publish(
          manager,
          'countylink.diagnosis.critical-value-raised.v1',
          read.id,
          {
            read: readMessage(read, studyUids),
            reportId: signed.id,
            criticalValue: { category: dto.criticalValue.category, description: dto.criticalValue.description },
            notifyPractitionerId: read.requestingPractitionerId,
            notifyInstitutionId: read.requestingInstitutionId,
            raisedBy: actorMessage(principal),
            raisedAt: timestampFromDate(now),
          },
          { subject, occurredAt: now },
        );
      }
    });
    return { ...read, report: reportView(signed!) };
  }

  /** One state change under a row lock: scope (404), role (403), state (409), holder of the claim (409). */
  private change(
    principal: Principal,
    id: string,
    action: ReadAction,
    effect: (manager: EntityManager, read: Read, now: Date) => Promise<void>,
    authorize: (manager: EntityManager, read: Read) => void | Promise<void> = (_, read) =>
      assertMayRead(principal, read),
  ): Promise<ReadView> {
    return this.dataSource.transaction(async (manager) => {
      const read = await manager.findOne(Read, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!read || !canSeeRead(principal, read)) return fail(DiagnosisErrorCode.READ_NOT_FOUND, `No read ${id}`);
      await authorize(manager, read);
      const now = new Date();
      const rule = this.apply(read, action, now);
      if (rule.byClaimHolder && read.claimedBy !== principal.sub) {
        fail(DiagnosisErrorCode.READ_CLAIMED_BY_ANOTHER, `The read is claimed by ${read.claimedBy}`, {
          claimedBy: read.claimedBy,
        });
      }
      await effect(manager, read, now);
      await manager.save(Read, read);
      return readView(read);
    });
  }

  private apply(read: Read, action: ReadAction, now: Date) {
    const result = readTransition(read.status, action);
    if (!result.ok) {
      const hint =
        action === 'report' && read.status === 'reported' ? '; send addendum: true to amend the signed report' : '';
      return fail(DiagnosisErrorCode.READ_INVALID_TRANSITION, `Cannot ${action} a read that is ${read.status}${hint}`, {
        status: read.status,
        allowedFrom: result.allowedFrom,
        claimedBy: read.claimedBy,
      });
    }
    read.status = result.to;
    read.version += 1;
    read.updatedAt = now;
    return result;
  }

  /** Durable job: a claim with no report by its expiry goes back to the worklist. */
  readonly onClaimExpired = async (aggregateId: string, manager: EntityManager): Promise<Date | 'done'> => {
    const read = await manager.findOne(Read, { where: { id: aggregateId }, lock: { mode: 'pessimistic_write' } });
    if (!read || read.status !== 'claimed' || !read.claimExpiresAt) return 'done';
    if (read.claimExpiresAt.getTime() > Date.now()) return read.claimExpiresAt;
    const holder = read.claimedBy;
    this.apply(read, 'expire', new Date());
    read.claimedBy = null;
    read.claimExpiresAt = null;
    await manager.save(Read, read);
    const studies = await this.readEvents.studyUids(manager, read.id);
    await this.readEvents.publish(manager, [
      this.readEvents.statusChanged(
        'countylink.diagnosis.read-released.v1',
        read,
        'claimed',
        'system',
        studies,
        `claim of ${holder} expired`,
      ),
    ]);
    return 'done';
  };

  async get(principal: Principal, id: string, access: AccessContext) {
    return this.dataSource.transaction(async (manager) => {
      const read = await manager.findOneBy(Read, { id });
      const visible =
        read &&
        (canSeeRead(principal, read) ||
          (await this.scope.sharedWith(manager, principal, read.requestingInstitutionId, read.patientId)));
      if (!read || !visible) return fail(DiagnosisErrorCode.READ_NOT_FOUND, `No read ${id}`);
      await recordAudit(manager, principal, { action: 'read.read', resourceType: 'read', resourceId: id, ...access });
      const [reports, studies] = await Promise.all([
        manager.find(Report, { where: { readId: id }, order: { signedAt: 'ASC' } }),
        manager.find(Study, { where: { readId: id }, order: { createdAt: 'ASC' } }),
      ]);
      return {
        ...readView(read),
        studies: studies.map((s) => ({
          studyInstanceUid: s.studyInstanceUid,
          studyDate: s.studyDate,
          accessionNumber: s.accessionNumber,
        })),
        reports: reports.map(reportView),
      };
    });
  }

  /**
   * The newest reported reads of one patient of `holder`, each as `get` gives it to the principal —
   * the ones `get` refuses (not this principal's to see) are left out.
   */
  async reportedOfPatient(
    principal: Principal,
    holder: string,
    patientId: string,
    limit: number,
    access: AccessContext,
  ) {
    const candidates = await this.dataSource.manager.find(Read, {
      select: { id: true },
      where: { requestingInstitutionId: holder, patientId, status: 'reported' },
      order: { reportedAt: 'DESC', id: 'ASC' },
      take: limit,
    });
    const visible = [];
    for (const { id } of candidates) {
      try {
        visible.push(await this.get(principal, id, access));
      } catch (err) {
        if (!(err instanceof DomainException && err.code === DiagnosisErrorCode.READ_NOT_FOUND)) throw err;
      }
    }
    return visible;
  }

  /** The county sees its worklist (priority, then deadline); a township sees the reads it asked for. */
  async list(principal: Principal, query: ListReadsQuery, access: AccessContext) {
    const reader = principal.institutionId === this.config.READ_INSTITUTION_ID;
    // `total` lets a screen page through the whole list (a worklist of 500 reads, 50 at a time).
    const [rows, total] = await this.reads.page(principal.institutionId, reader, query);
    await recordAudit(this.dataSource.manager, principal, {
      action: 'read.list',
      resourceType: 'read',
      resourceIds: rows.map((r) => r.id),
      ...access,
    });
    return { items: rows.map(readView), total };
  }
}
