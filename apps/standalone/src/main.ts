import { Logger } from '@nestjs/common';
import { AuthModule } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import {
  backboneRootModule,
  InvalidConfigError,
  exitOnInvalidConfig,
  loadConfigOrExit,
  startHttpApp,
} from '@countylink/platform';
import { DimseListener } from '../../remote-diagnosis/src/dimse/dimse-listener.service';
import { ConsoleStaticModule } from './console-static.module';
import { applyEmbeddedDefaults } from './embedded-defaults';
import { STANDALONE_APPS } from './standalone-apps';

/** Every app module in one process: the embedded default (`npm start`). */
async function main(): Promise<void> {
  const started = Date.now();
  const pg = await applyEmbeddedDefaults(process.env);
  const config = loadConfigOrExit();
  const root = backboneRootModule({
    config,
    imports: [
      AuthModule.forRoot(config),
      MessagingCoreModule.forRoot(),
      ...STANDALONE_APPS.map((a) => a.module),
      ConsoleStaticModule.forRoot(),
    ],
    probes: readinessProbes(STANDALONE_APPS.map((a) => a.dataSource)),
  });
  const app = await startHttpApp(root, config, {
    title: 'CountyLink',
    description: 'County medical group backbone',
    shutdownHooks: false,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    new Logger('standalone').log(`${signal}: draining HTTP, stopping consumers, flushing the outbox`);
    await app.close();
    await pg?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const url = `http://localhost:${config.PORT}`;
  const dimse = app.get(DimseListener);
  process.stdout.write(
    [
      '',
      `Console    ${url}/`,
      `CountyLink is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  API        ${url}/api/referrals`,
      `  DICOMweb   ${url}/dicomweb/studies   Reads  ${url}/api/reads`,
      `  DIMSE      port ${dimse.port}, AE title ${dimse.aeTitle} (C-STORE, C-ECHO, worklist; calling AE e.g. TOWNSHIP_A_ECG)`,
      `  Slots      ${url}/api/slots`,
      `  Socket.IO  ${url}/clinician   FHIR R4  ${url}/fhir/ServiceRequest   AsyncAPI  docs/asyncapi.yaml`,
      `  OpenAPI    ${url}/docs`,
      `  Health     ${url}/health/ready`,
      `  Metrics    ${url}/metrics`,
      `  Database   ${pg ? 'embedded PostgreSQL (.data/pg)' : 'DATABASE_URL'}`,
      `  Events     ${config.KAFKA_BROKERS ? `Kafka at ${config.KAFKA_BROKERS.join(',')}` : 'in process (set KAFKA_BROKERS to use Kafka)'}`,
      '  Token      npm run -s token -- township-a-doctor   (others: township-b-doctor, family-doctor-a,',
      '             county-cardiology, county-radiology, county-coordinator, group-admin, his-township-a)',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  // An app's own settings are read as its module is set up: a bad one stops the start as a platform one does.
  if (err instanceof InvalidConfigError) exitOnInvalidConfig(err);
  process.stderr.write(
    `CountyLink failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
