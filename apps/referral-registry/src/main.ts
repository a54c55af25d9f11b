import { AuthModule } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import { backboneRootModule, exitOnInvalidConfig, loadConfigOrExit, startHttpApp } from '@countylink/platform';
import { REFERRAL_DATA_SOURCE } from './referral-registry.constants';
import { ReferralRegistryModule } from './referral-registry.module';

/** The referral registry on its own: HTTP API plus its outbox relay, consumers and timers. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const root = backboneRootModule({
    config,
    imports: [AuthModule.forRoot(config), MessagingCoreModule.forRoot(), ReferralRegistryModule],
    probes: readinessProbes([REFERRAL_DATA_SOURCE]),
  });
  await startHttpApp(root, config, {
    title: 'CountyLink referral registry',
    description: 'Two-way referral and green channel',
  });
}

main().catch(exitOnInvalidConfig);
