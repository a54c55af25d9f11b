import { AuthModule } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import { backboneRootModule, exitOnInvalidConfig, loadConfigOrExit, startHttpApp } from '@countylink/platform';
import { REALTIME_DATA_SOURCE } from './clinician-realtime.constants';
import { ClinicianRealtimeModule } from './clinician-realtime.module';

/** The realtime app on its own: Socket.IO `/clinician`, the notification API, consumers and alert timers. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const root = backboneRootModule({
    config,
    imports: [AuthModule.forRoot(config), MessagingCoreModule.forRoot(), ClinicianRealtimeModule],
    probes: readinessProbes([REALTIME_DATA_SOURCE]),
  });
  await startHttpApp(root, config, {
    title: 'CountyLink clinician realtime',
    description: 'Live updates over Socket.IO (/clinician), notifications and alerts',
  });
}

main().catch(exitOnInvalidConfig);
