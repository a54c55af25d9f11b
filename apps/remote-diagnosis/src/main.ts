import { AuthModule } from '@countylink/auth';
import { MessagingCoreModule, readinessProbes } from '@countylink/messaging';
import { backboneRootModule, exitOnInvalidConfig, loadConfigOrExit, startHttpApp } from '@countylink/platform';
import { DIAGNOSIS_DATA_SOURCE } from './remote-diagnosis.constants';
import { RemoteDiagnosisModule } from './remote-diagnosis.module';

/** Remote diagnosis on its own: DICOMweb, the read worklist, its outbox relay and timers. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const root = backboneRootModule({
    config,
    imports: [AuthModule.forRoot(config), MessagingCoreModule.forRoot(), RemoteDiagnosisModule],
    probes: readinessProbes([DIAGNOSIS_DATA_SOURCE]),
  });
  await startHttpApp(root, config, {
    title: 'CountyLink remote diagnosis',
    description: 'Township X-ray and ECG read by county specialists (基层检查 + 上级诊断)',
  });
}
main().catch(exitOnInvalidConfig);
