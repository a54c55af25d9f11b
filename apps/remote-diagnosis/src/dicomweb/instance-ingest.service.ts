import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { DataSource } from 'typeorm';
import { Principal } from '@countylink/auth';
import { actorMessage, PendingEvent } from '@countylink/messaging';
import { InstanceFacts } from '../dicom/instance-facts';
import { FailureReason, InstanceRefused } from '../dicom/stow-failure';
import { DicomWorkers, DicomWorkFailed } from '../dicom/worker/dicom-workers.service';
import { ReadEvents } from '../reads/read-events.service';
import { ReadIntake } from '../reads/read-intake.service';
import { Read } from '../reads/read.entity';
import { ReadService } from '../reads/read.service';
import { DIAGNOSIS_DATA_SOURCE } from '../remote-diagnosis.constants';
import { InstanceStore } from '../storage/instance-store.service';
import { StagedPart } from '../storage/staging-file';
import { StudyIndexRepository } from '../studies/study-index.repository';
import { PartOutcome, processingFailure } from './stow-response';

/** What an instance whose UIDs cannot be used here is told, whoever holds them. */
export const UNUSABLE_UIDS = 'the instance cannot be stored under its Study, Series and SOP Instance UIDs';

/**
 * One staged part → a stored, indexed instance or a refusal with its reason. The index rows, the
 * read it joins and the outbox events commit in one transaction (locks, one lookup, the read, one
 * insert statement, the events); the file is renamed into the content store inside it and removed
 * again if the transaction fails.
 */
@Injectable()
export class InstanceIngest {
  private readonly logger = new Logger(InstanceIngest.name);
  private readonly writer: StudyIndexRepository;

  constructor(
    @InjectDataSource(DIAGNOSIS_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly store: InstanceStore,
    private readonly reads: ReadService,
    private readonly intake: ReadIntake,
    private readonly readEvents: ReadEvents,
    private readonly workers: DicomWorkers,
  ) {
    this.writer = new StudyIndexRepository(dataSource);
  }

  async ingest(principal: Principal, part: StagedPart, expectedStudyUid?: string): Promise<PartOutcome> {
    // The bytes go to disk while the part is parsed and checked; only a kept part waits for them.
    const flushed = this.store.flush(part);
    flushed.catch(() => undefined); // a refused part's flush may fail once it is removed; a kept one's fails in keep
    try {
      if (part.contentType && !/^application\/dicom\s*(;|$)/i.test(part.contentType)) {
        throw new InstanceRefused(
          FailureReason.CannotUnderstand,
          `a part is ${part.contentType}, not application/dicom`,
        );
      }
      const facts = await this.inspect(part);
      if (expectedStudyUid && facts.studyInstanceUid !== expectedStudyUid) {
        throw new InstanceRefused(
          FailureReason.DataSetDoesNotMatchSopClass,
          `the instance belongs to study ${facts.studyInstanceUid}, not ${expectedStudyUid}`,
          facts.sopClassUid,
          facts.sopInstanceUid,
        );
      }
      await this.index(principal, part, facts, flushed);
      const { sopClassUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid } = facts;
      return { ok: true, ref: { sopClassUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid } };
    } catch (err) {
      await this.store.discard(part);
      if (err instanceof InstanceRefused) return { ok: false, refused: err };
      this.logger.error({ err }, 'storing an instance failed');
      return { ok: false, refused: processingFailure('the instance could not be stored; try again') };
    }
  }

  /** Parsing and checking happen on a worker thread: a hostile file costs a thread its deadline, never the event loop. */
  private async inspect(part: StagedPart): Promise<InstanceFacts> {
    let result;
    try {
      result = await this.workers.inspect(part.path, part.size);
    } catch (err) {
      if (err instanceof DicomWorkFailed) throw new InstanceRefused(FailureReason.OutOfResources, err.message);
      throw err;
    }
    if (!result.ok) throw new InstanceRefused(result.reason, result.message, result.sopClassUid, result.sopInstanceUid);
    return result.facts;
  }

  private async index(
    principal: Principal,
    part: StagedPart,
    facts: InstanceFacts,
    flushed: Promise<void>,
  ): Promise<void> {
    // Set once the file's move into the content store has started: a failed transaction removes it.
    let kept: Promise<void> | undefined;
    try {
      await this.dataSource.transaction(async (manager) => {
        const refused = (reason: FailureReason, message: string) =>
          new InstanceRefused(reason, message, facts.sopClassUid, facts.sopInstanceUid);
        // Study, then instance, then accession: every upload takes the locks in the same order.
        await this.writer.lock(manager, [
          `study:${facts.studyInstanceUid}`,
          `sop:${facts.sopInstanceUid}`,
          ...(facts.accessionNumber ? [`accession:${principal.institutionId}:${facts.accessionNumber}`] : []),
        ]);
        const found = await this.writer.lookup(manager, facts, principal.institutionId);
        // UIDs another institution holds (its study, its instance, its series), or a series already
        // in another study, are refused as any unusable instance is: the answer must not tell an
        // uploader that someone else has a study under that UID.
        const me = principal.institutionId;
        if (
          (found.studyInstitutionId && found.studyInstitutionId !== me) ||
          (found.existingInstitutionId && found.existingInstitutionId !== me) ||
          (found.seriesStudyUid && found.seriesStudyUid !== facts.studyInstanceUid)
        ) {
          throw refused(FailureReason.DataSetDoesNotMatchSopClass, UNUSABLE_UIDS);
        }
        if (found.existingSha256) {
          if (found.existingSha256 !== part.sha256)
            throw refused(
              FailureReason.DuplicateSopInstance,
              'another object is already stored under this SOP Instance UID',
            );
          await this.store.discard(part); // the same bytes again: already stored, nothing to do
          return;
        }
        const now = new Date();
        const intake = this.intake.decide(
          principal,
          facts,
          {
            studyExists: found.studyInstitutionId !== null,
            studyRead: found.studyRead,
            accessionRead: found.accessionRead,
          },
          now,
        );
        // The rename and the directory's flush run while the statements below go to PostgreSQL;
        // the commit waits for them, so no row ever names a file that is not durable.
        kept = this.store.keep(part, flushed);
        kept.catch(() => undefined); // awaited below, or before the removal when the transaction fails
        const read = intake?.read ?? null;
        const events: PendingEvent[] = [];
        if (intake?.created) events.push(this.readEvents.requested(intake.read, principal, []));
        events.push(this.instanceStored(facts, part, principal, read, now));
        const becomesReady = read !== null && read.status === 'requested' && facts.category !== 'document';
        if (becomesReady) {
          this.reads.markReady(read, now);
          events.push(
            this.readEvents.statusChanged('countylink.diagnosis.read-ready.v1', read, 'requested', principal, [
              facts.studyInstanceUid,
            ]),
          );
        }
        if (intake?.created) await manager.insert(Read, read!);
        else if (becomesReady) {
          await manager.update(
            Read,
            { id: read.id },
            {
              status: read.status,
              readyAt: read.readyAt,
              dueAt: read.dueAt,
              version: read.version,
              updatedAt: read.updatedAt,
            },
          );
        }
        await this.writer.insertInstance(
          manager,
          facts,
          part,
          principal.institutionId,
          read?.id ?? null,
          principal.sub,
          now,
        );
        await this.readEvents.publish(manager, events);
        await kept;
      });
    } catch (err) {
      if (kept) {
        await kept.catch(() => undefined); // a rename still in flight would put the file back after the removal
        await this.store.remove(part.sha256);
      }
      throw err;
    }
  }

  private instanceStored(
    facts: InstanceFacts,
    part: StagedPart,
    principal: Principal,
    read: Read | null,
    now: Date,
  ): PendingEvent {
    return {
      type: 'countylink.diagnosis.instance-stored.v1',
      key: read?.id ?? facts.studyInstanceUid,
      subject: `study/${facts.studyInstanceUid}`,
      occurredAt: now,
      payload: {
        sopInstanceUid: facts.sopInstanceUid,
        sopClassUid: facts.sopClassUid,
        seriesInstanceUid: facts.seriesInstanceUid,
        studyInstanceUid: facts.studyInstanceUid,
        modality: facts.modality,
        accessionNumber: facts.accessionNumber ?? '',
        institutionId: principal.institutionId,
        readId: read?.id ?? '',
        sha256: part.sha256,
        sizeBytes: BigInt(part.size),
        transferSyntaxUid: facts.transferSyntaxUid,
        actor: actorMessage(principal),
        storedAt: timestampFromDate(now),
      },
    };
  }
}
