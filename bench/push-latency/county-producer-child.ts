/** A producer process of the county bench (see county-producers.ts): one app's outbox, publishing on request. */
import { startTestApp, TestApp } from '@countylink/testing';
import { DIAGNOSIS_DATA_SOURCE } from '../../apps/remote-diagnosis/src/remote-diagnosis.constants';
import { SCHEDULING_DATA_SOURCE } from '../../apps/specialist-slots/src/specialist-slots.constants';
import { countyOf } from './county-directory';
import { Rng } from './county-events';
import {
  DiagnosisOutboxModule,
  DIAGNOSIS_OUTBOX,
  Outbox,
  SchedulingOutboxModule,
  SCHEDULING_OUTBOX,
} from './county-outboxes';
import type { Command, Record } from './county-producers';
import { Publications } from './county-publications';

/** A stand-in for the other app's outbox: this process publishes one app's events only. */
const notHere = {
  publish: () => Promise.reject(new Error('this producer process does not have that outbox')),
} as unknown as Outbox;

async function child(): Promise<void> {
  let app: TestApp | undefined;
  let publications: Publications | undefined;
  process.on('message', (command: Command) => {
    void (async () => {
      if (command.kind === 'start') {
        process.env.TEST_PG_ADMIN_URL = command.adminUrl;
        const diagnosis = command.app === 'remote-diagnosis';
        app = await startTestApp({
          features: [diagnosis ? DiagnosisOutboxModule : SchedulingOutboxModule],
          dataSources: [diagnosis ? DIAGNOSIS_DATA_SOURCE : SCHEDULING_DATA_SOURCE],
          kafka: command.brokers,
          databaseUrl: command.databaseUrl,
          env: { LOG_LEVEL: 'error', OUTBOX_POLL_MS: '2000', TIMER_POLL_MS: '1000' },
        });
        const outbox = app.app.get<Outbox>(diagnosis ? DIAGNOSIS_OUTBOX : SCHEDULING_OUTBOX, { strict: false });
        publications = new Publications(
          countyOf(command.clients),
          new Rng(diagnosis ? 29 : 31),
          diagnosis ? outbox : notHere,
          diagnosis ? notHere : outbox,
        );
        process.send!({ kind: 'started' });
      } else if (command.kind === 'publish') {
        const records: Record[] = [];
        await publications!
          .publish(command.event, (r) => records.push(r))
          .then(() => process.send!({ kind: 'published', seq: command.seq, records }))
          .catch((err: unknown) => process.send!({ kind: 'failed', seq: command.seq, message: String(err) }));
      } else {
        await app?.close();
        process.exit(0);
      }
    })().catch((err: unknown) => {
      process.send!({ kind: 'error', message: String(err) });
      process.exit(1);
    });
  });
}

// The bench gone (crashed, killed): so is this process.
process.on('disconnect', () => process.exit(0));
void child();
