import { EntityManager } from 'typeorm';
import { Read as ReadMessage } from '@countylink/contracts';
import { FeedAudience } from '@countylink/messaging';
import { Read } from '../reads/read.entity';
import { liveShare } from '../sharing/live-share';
import { ReferralShare } from '../sharing/referral-share.entity';
import { Study } from '../studies/study.entity';

/** 结果互认: the institutions a live referral of `patientId` from `holder` went to (the one live-share rule). */
async function sharedWith(manager: EntityManager, holder: string, patientId: string): Promise<string[]> {
  if (!holder || !patientId) return [];
  const shares = await manager.find(ReferralShare, {
    select: { toInstitutionId: true },
    where: { fromInstitutionId: holder, patientId, ...liveShare() },
  });
  return shares.map((s) => s.toInstitutionId);
}

/**
 * A read's events reach the HIS feeds that GET /api/reads/:id answers: the requesting institution,
 * the reading one, and each institution a live referral of the patient from the requester shares
 * the results with. A stored instance reaches the uploader, its read's institutions and the sharers
 * of the uploader's patient (GET /dicomweb's StudyScope). The shares are as they stand when the
 * event is published, in the same transaction.
 */
export const diagnosisFeedAudience: FeedAudience = async (manager, event) => {
  if (event.type === 'countylink.diagnosis.instance-stored.v1') {
    const stored = event.payload;
    const read = stored.readId
      ? await manager.findOne(Read, {
          select: { requestingInstitutionId: true, readingInstitutionId: true, patientId: true },
          where: { id: stored.readId },
        })
      : null;
    const study = await manager.findOne(Study, {
      select: { patientId: true },
      where: { studyInstanceUid: stored.studyInstanceUid },
    });
    return [
      stored.institutionId,
      read?.requestingInstitutionId,
      read?.readingInstitutionId,
      ...(read ? await sharedWith(manager, read.requestingInstitutionId, read.patientId) : []),
      ...(study ? await sharedWith(manager, stored.institutionId, study.patientId) : []),
    ];
  }
  const read = (event.payload as { read?: ReadMessage }).read;
  if (!read) return [];
  return [
    read.requestingInstitutionId,
    read.readingInstitutionId,
    ...(await sharedWith(manager, read.requestingInstitutionId, read.patient?.patientId ?? '')),
  ];
};
