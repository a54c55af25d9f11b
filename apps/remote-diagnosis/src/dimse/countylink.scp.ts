import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { Logger } from '@nestjs/common';
import { association, constants, Dataset, requests, responses, Scp } from 'dcmjs-dimse';
import { InstanceStore } from '../storage/instance-store.service';
import { AssociationSlots, dimseRequests, refusedAssociations } from './association-slots';
import { CallingAe, CallingAeMap } from './calling-ae.map';
import { DimseStatus, DimseStore } from './dimse-store.service';
import { ModalityWorklist } from './modality-worklist.service';
import { part10Header } from './part10-header';
import { PduGuard } from './pdu-guard';
import { StoreSink } from './store-sink';
import { abstractSyntaxRole, acceptedTransferSyntax } from './presentation-contexts';
import { BadIdentifierError } from './worklist-query';

const { PresentationContextResult, RejectResult, RejectSource, RejectReason, Status } = constants;

/** What every association of the listener shares. */
export interface ScpContext {
  calledAeTitle: string;
  aeMap: CallingAeMap;
  /** Associations in flight per calling AE (DICOM_MAX_CONCURRENT_UPLOADS, as for STOW-RS per principal). */
  slots: AssociationSlots;
  store: InstanceStore;
  dimseStore: DimseStore;
  worklist: ModalityWorklist;
  maxPduBytes: number;
  /** Keeps shutdown waiting for work that has begun (a C-STORE being indexed). */
  track<T>(work: Promise<T>): Promise<T>;
  logger: Logger;
}

/** Commands and C-FIND identifiers are small; a megabyte of them between two messages is an attack. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * One association with a modality. Refused at A-ASSOCIATE unless it calls CountyLink's AE title,
 * its calling AE title is mapped to an institution and it calls from an address allowed for it.
 * Then: C-ECHO; C-STORE of what the group stores, staged to disk as it arrives and ingested like a
 * STOW-RS part; Modality Worklist C-FIND of its institution's orders.
 */
export class CountyLinkScp extends Scp {
  private ae?: CallingAe;
  private releaseSlot?: () => void;
  private readonly sinks = new Map<requests.CStoreRequest, StoreSink>();
  private readonly guard: PduGuard;

  constructor(
    private readonly sock: Socket,
    private readonly ctx: ScpContext,
  ) {
    // connectTimeout is the socket's idle timeout; a silent peer is closed after it.
    super(sock, { connectTimeout: 60_000, associationTimeout: 30_000, pduTimeout: 60_000 });
    this.guard = new PduGuard(sock, { maxPduBytes: ctx.maxPduBytes, maxMessageBytes: MAX_MESSAGE_BYTES }, (why) =>
      ctx.logger.warn(`${this.peer()}: connection closed, ${why}`),
    );
    // After the library's own listener: the chunk has been handed to the sink by now.
    sock.on('data', () => {
      for (const sink of this.sinks.values()) sink.relieve();
    });
    this.on('networkError', (err: Error) => {
      ctx.logger.warn(`${this.peer()}: ${err.message}`);
      sock.destroy();
    });
    sock.on('close', () => {
      this.releaseSlot?.();
      for (const sink of this.sinks.values()) void sink.abandon();
      this.sinks.clear();
    });
  }

  override associationRequested(assoc: association.Association): void {
    // A second A-ASSOCIATE-RQ on one connection is a protocol error (and would take a second slot).
    if (this.ae) return void this.sock.destroy();
    const called = assoc.getCalledAeTitle().trim();
    if (called !== this.ctx.calledAeTitle) {
      return this.refuse(
        'called-ae',
        RejectResult.Permanent,
        RejectReason.CalledAeNotRecognized,
        `called AE title "${called}" is not ${this.ctx.calledAeTitle}`,
      );
    }
    const decision = this.ctx.aeMap.decide(assoc.getCallingAeTitle(), this.sock.remoteAddress);
    if (!decision.ok)
      return this.refuse(decision.why, RejectResult.Permanent, RejectReason.CallingAeNotRecognized, decision.message);
    const release = this.ctx.slots.take(decision.ae.aeTitle);
    if (!release) {
      return this.refuse(
        'busy',
        RejectResult.Transient,
        RejectReason.LocalLimitExceeded,
        `${decision.ae.aeTitle} already has its associations open`,
        RejectSource.ServiceProviderPresentation,
      );
    }
    this.ae = decision.ae;
    this.releaseSlot = release;
    for (const { context } of assoc.getPresentationContexts()) {
      const role = abstractSyntaxRole(context.getAbstractSyntaxUid());
      const ts = role && acceptedTransferSyntax(role, context.getTransferSyntaxUids());
      if (!role) context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      else if (!ts) context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      else context.setResult(PresentationContextResult.Accept, ts);
    }
    // dcmjs-dimse keeps one PDU size for both directions, the smaller of the two: it would tell the
    // modality to send us its own (often 16 KB) PDUs. The A-ASSOCIATE-AC announces what we receive;
    // what we send stays within what the modality receives (0: no limit, so ours).
    const peerMax = assoc.getMaxPduLength();
    assoc.setMaxPduLength(this.ctx.maxPduBytes);
    this.ctx.logger.log(`${this.peer()}: association accepted for ${this.ae.institutionId}`);
    this.sendAssociationAccept();
    assoc.setMaxPduLength(peerMax === 0 ? this.ctx.maxPduBytes : peerMax);
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }

  override abort(): void {
    this.sock.destroy();
  }

  override cEchoRequest(request: requests.CEchoRequest, callback: (response: responses.CEchoResponse) => void): void {
    this.guard.messageDone();
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    dimseRequests.inc({ command: 'c-echo', outcome: 'ok' });
    callback(response);
  }

  override createStoreWritableStream(
    context: association.PresentationContext,
    request: requests.CStoreRequest,
  ): Writable {
    const header = part10Header({
      sopClassUid: request.getAffectedSopClassUid(),
      sopInstanceUid: request.getAffectedSopInstanceUid(),
      transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? '',
      sourceAeTitle: this.ae?.aeTitle ?? '',
    });
    const sink = new StoreSink(this.ctx.store, header, this.sock);
    this.sinks.set(request, sink);
    this.guard.storing = true;
    return sink;
  }

  /** The data set stays on disk: the library gets an empty one, the C-STORE handler the staged file. */
  override createDatasetFromStoreWritableStream(
    _writable: Writable,
    context: association.PresentationContext,
    callback: (dataset: Dataset) => void,
  ): void {
    this.guard.storing = false;
    callback(new Dataset({}, context.getAcceptedTransferSyntaxUid()));
  }

  override cStoreRequest(
    request: requests.CStoreRequest,
    callback: (response: responses.CStoreResponse) => void,
  ): void {
    this.guard.messageDone();
    // Handed to the store: a connection lost from now on no longer discards it (the data all arrived).
    const sink = this.sinks.get(request);
    this.sinks.delete(request);
    const answer = (outcome: DimseStatus) => {
      dimseRequests.inc({ command: 'c-store', outcome: outcome.status === Status.Success ? 'stored' : 'refused' });
      const response = responses.CStoreResponse.fromRequest(request);
      response.setStatus(outcome.status);
      if (outcome.comment) response.setErrorComment(outcome.comment.replace(/[^\x20-\x7e]/g, '?').slice(0, 64));
      if (outcome.status !== Status.Success)
        this.ctx.logger.warn(
          `${this.peer()}: C-STORE ${request.getAffectedSopInstanceUid()} refused (0x${outcome.status.toString(16)}): ${outcome.comment}`,
        );
      if (!this.sock.destroyed) callback(response);
    };
    if (!sink || !this.ae) return answer({ status: Status.ProcessingFailure, comment: 'no data set was received' });
    void this.ctx
      .track(this.ctx.dimseStore.store(this.ae, sink))
      .then(answer, (err: Error) => answer({ status: Status.ProcessingFailure, comment: err.message }));
  }

  override cFindRequest(
    request: requests.CFindRequest,
    callback: (responses: responses.CFindResponse[]) => void,
  ): void {
    this.guard.messageDone();
    const query = request.getDataset();
    const final = (status: number, comment?: string) => {
      const response = responses.CFindResponse.fromRequest(request);
      response.setStatus(status);
      if (comment) response.setErrorComment(comment.slice(0, 64));
      return response;
    };
    if (!this.ae || !query || abstractSyntaxRole(request.getAffectedSopClassUid()) !== 'worklist') {
      return callback([final(Status.SopClassNotSupported, 'only the modality worklist can be queried here')]);
    }
    const ts = query.getTransferSyntaxUid();
    void this.ctx.worklist.find(this.ae, query.getElements()).then(
      (items) => {
        const pending = items.map((item) => {
          const response = responses.CFindResponse.fromRequest(request);
          response.setDataset(new Dataset(item, ts));
          response.setStatus(Status.Pending);
          return response;
        });
        dimseRequests.inc({ command: 'c-find', outcome: 'ok' });
        if (!this.sock.destroyed) callback([...pending, final(Status.Success)]);
      },
      (err: Error) => {
        dimseRequests.inc({ command: 'c-find', outcome: 'refused' });
        if (!(err instanceof BadIdentifierError))
          this.ctx.logger.error(`${this.peer()}: worklist query failed: ${err.message}`);
        // 0xC000: Failed, unable to process (PS3.4 K.4.1.1.4).
        if (!this.sock.destroyed)
          callback([final(0xc000, err instanceof BadIdentifierError ? err.message : 'the worklist could not be read')]);
      },
    );
  }

  private refuse(
    label: string,
    result: number,
    reason: number,
    message: string,
    source: number = RejectSource.ServiceUser,
  ): void {
    refusedAssociations.inc({ reason: label });
    this.ctx.logger.warn(`${this.peer()}: association refused, ${message}`);
    this.sendAssociationReject(result, source, reason);
    this.sock.end();
  }

  private peer(): string {
    return `DIMSE ${this.ae?.aeTitle ?? 'peer'} at ${this.sock.remoteAddress ?? '?'}`;
  }
}
