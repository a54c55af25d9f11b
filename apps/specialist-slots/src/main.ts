import { AuthModule } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import { backboneRootModule, exitOnInvalidConfig, loadConfigOrExit, startHttpApp } from '@countylink/platform';
import { SCHEDULING_DATA_SOURCE } from './specialist-slots.constants';
import { SpecialistSlotsModule } from './specialist-slots.module';

/** Specialist slots on its own: HTTP API plus its outbox relay, referral consumer and release timers. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const root = backboneRootModule({
    config,
    imports: [AuthModule.forRoot(config), MessagingCoreModule.forRoot(), SpecialistSlotsModule],
    probes: readinessProbes([SCHEDULING_DATA_SOURCE]),
  });
  await startHttpApp(root, config, {
    title: 'CountyLink specialist slots',
    description: 'Reserved specialist capacity for family-doctor referrals',
  });
}

main().catch(exitOnInvalidConfig);
