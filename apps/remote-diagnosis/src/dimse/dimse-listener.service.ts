import { createServer, Server, Socket } from 'node:net';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Implementation, log as dimseLog } from 'dcmjs-dimse';
import { InstanceStore } from '../storage/instance-store.service';
import { AssociationSlots } from './association-slots';
import type { CallingAeMap } from './calling-ae.map';
import { CountyLinkScp, ScpContext } from './countylink.scp';
import { DimseStore } from './dimse-store.service';
import { ModalityWorklist } from './modality-worklist.service';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION } from './part10-header';
import { RemoteDiagnosisConfig } from '../remote-diagnosis.config';

/** The largest PDU we offer to receive (dcmjs-dimse's default): big enough to stream, small enough to hold. */
const MAX_PDU_BYTES = 256 * 1024;
/** How long shutdown waits for C-STOREs that are being indexed. */
const DRAIN_MS = 10_000;

/**
 * The DICOM DIMSE listener of remote diagnosis: township DR machines and ECG carts send C-STORE
 * (and C-ECHO, worklist C-FIND) here on DICOM_DIMSE_PORT, as CountyLink's DICOM_DIMSE_AE_TITLE.
 * It listens once every module is up (the ingest needs its workers and store) and closes on module
 * destroy, before the database goes, letting stores in progress finish.
 */
@Injectable()
export class DimseListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DIMSE');
  private readonly aeMap: CallingAeMap;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly config: RemoteDiagnosisConfig,
    private readonly store: InstanceStore,
    private readonly dimseStore: DimseStore,
    private readonly worklist: ModalityWorklist,
  ) {
    // Parsed when the config was loaded: a malformed map stopped the start naming DICOM_DIMSE_AE_MAP.
    this.aeMap = config.DICOM_DIMSE_AE_MAP;
  }

  /** The port modalities call (the one bound when DICOM_DIMSE_PORT is 0); undefined before start. */
  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  get aeTitle(): string {
    return this.config.DICOM_DIMSE_AE_TITLE;
  }

  async onApplicationBootstrap(): Promise<void> {
    // The library logs every PDU to the console by default; problems reach our logger through its events.
    dimseLog.setLevel('silent');
    Implementation.setImplementationClassUid(IMPLEMENTATION_CLASS_UID);
    Implementation.setImplementationVersion(IMPLEMENTATION_VERSION);
    Implementation.setMaxPduLength(MAX_PDU_BYTES);
    const ctx: ScpContext = {
      calledAeTitle: this.config.DICOM_DIMSE_AE_TITLE,
      aeMap: this.aeMap,
      slots: new AssociationSlots(this.config.DICOM_MAX_CONCURRENT_UPLOADS),
      store: this.store,
      dimseStore: this.dimseStore,
      worklist: this.worklist,
      maxPduBytes: MAX_PDU_BYTES,
      track: (work) => this.track(work),
      logger: this.logger,
    };
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined); // reported through the association's networkError
      new CountyLinkScp(socket, ctx);
    });
    // Past the cap a connection is dropped on accept, before it can hold a buffer or a slot.
    server.maxConnections = this.config.DICOM_DIMSE_MAX_ASSOCIATIONS;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new Error(`DICOM_DIMSE_PORT ${this.config.DICOM_DIMSE_PORT}: ${err.message}`)),
      );
      server.listen(this.config.DICOM_DIMSE_PORT, () => resolve());
    });
    server.on('error', (err) => this.logger.error(`listener: ${err.message}`));
    this.server = server;
    this.logger.log(`listening on port ${this.port} as ${this.aeTitle} for ${this.aeMap.size} modalities`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }
}
