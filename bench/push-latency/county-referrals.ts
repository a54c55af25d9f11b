/**
 * Referrals over the registry's real HTTP API, as the county makes them: township, family and
 * village doctors refer up to a county department (now and then an emergency on the green
 * channel), the referral office receives and admits, the department's specialist accepts (or
 * rejects) and completes, and some patients are referred back down to where they came from.
 * Each command is one event (a green-channel request two), committed by the registry with its
 * time taken inside the command.
 */
import { randomUUID } from 'node:crypto';
import type { ReferralAction } from '../../apps/referral-registry/src/referrals/referral-state-machine';
import { COUNTY, County, Member, RECEIVING_DEPARTMENTS } from './county-directory';
import { alertRooms, coordinatorOf, Kind, Patient, patientOf, Produced, referralRooms, Rng } from './county-events';

type Action = 'create' | 'create-down' | ReferralAction;

interface Step {
  actor: Member;
  action: Action;
  kind: Kind;
}

interface Flow {
  busy: boolean;
  steps: Step[];
  next: number;
  sender: Member;
  specialist: Member;
  departmentId: string;
  patient: Patient;
  green?: string;
  urgency: 'routine' | 'urgent' | 'emergency';
  upId?: string;
  downId?: string;
}

const GREEN_CHANNEL: Record<string, string> = {
  cardiology: 'chest-pain',
  neurology: 'stroke',
  orthopaedics: 'trauma',
  obstetrics: 'maternal',
  neonatology: 'neonatal',
};
const DIAGNOSES: Record<string, [string, string]> = {
  cardiology: ['I21.9', '急性心肌梗死'],
  neurology: ['I63.9', '脑梗死'],
  orthopaedics: ['S72.0', '股骨颈骨折'],
  obstetrics: ['O14.1', '重度子痫前期'],
  neonatology: ['P07.3', '早产儿'],
  respiratory: ['J18.9', '肺炎'],
  oncology: ['C34.9', '肺恶性肿瘤'],
  'general-surgery': ['K35.8', '急性阑尾炎'],
};
const OTHER_DIAGNOSIS: [string, string] = ['R69', '待查 (需上级医院明确诊断)'];
/** About one referral command in six starts a referral (a referral lives ~6 commands), so the mix stays steady. */
const NEW_REFERRAL_SHARE = 1 / 6;
/** With every referral in progress waiting for an answer, a new one starts only below this many (else the tick is skipped and counted): the mix stays the county's. */
const MIN_IN_PROGRESS = 64;

export type Post = (
  path: string,
  token: string,
  body: object,
  idempotencyKey?: string,
) => Promise<{ status: number; body: { id?: string } }>;

export class ReferralFlows {
  private readonly flows: Flow[] = [];
  private readonly tokens = new Map<string, Promise<string>>();
  private patients = 0;
  failed = 0;
  skipped = 0;
  readonly failures: string[] = [];
  /** Each command's HTTP round trip (ms); the event's time is taken inside it, before its commit. */
  readonly commandMs: number[] = [];

  constructor(
    private readonly county: County,
    private readonly rng: Rng,
    private readonly mint: (m: Member) => Promise<string>,
    private readonly post: Post,
  ) {}

  /**
   * Moves a referral one step — a new one now and then, else one in progress that is not waiting for
   * an answer — and resolves once the registry answered.
   */
  async step(produced: (p: Omit<Produced, 'measured'>) => void): Promise<void> {
    const idle = this.flows.filter((f) => !f.busy);
    if (idle.length === 0 && this.flows.length >= MIN_IN_PROGRESS) {
      this.skipped++;
      return;
    }
    const flow =
      idle.length === 0 || this.rng.next() < NEW_REFERRAL_SHARE ? this.newFlow() : idle[this.rng.int(idle.length)];
    if (flow.next === 0) this.flows.push(flow);
    flow.busy = true;
    try {
      await this.advance(flow, produced);
    } finally {
      flow.busy = false;
      if (flow.next >= flow.steps.length) this.flows.splice(this.flows.indexOf(flow), 1);
    }
  }

  private newFlow(): Flow {
    const { county, rng } = this;
    const township = rng.pick(county.townships);
    const from = rng.next();
    const sender =
      from < 0.7
        ? rng.pick(county.staff(township.id, 'general-practice'))
        : from < 0.85
          ? rng.pick(county.staff(township.id, 'family-doctor-team'))
          : rng.pick(county.staff(rng.pick(township.villages), 'clinic'));
    const emergency = rng.int(7) === 0;
    const departmentId = emergency ? rng.pick(Object.keys(GREEN_CHANNEL)) : rng.pick(RECEIVING_DEPARTMENTS);
    const specialist = rng.pick(county.staff(COUNTY, departmentId));
    const office = () => coordinatorOf(county, rng);
    const steps: Step[] = [
      { actor: sender, action: 'create', kind: 'referral.requested' },
      { actor: office(), action: 'receive', kind: 'referral.received' },
    ];
    const fate = rng.next();
    if (fate < 0.08) steps.push({ actor: specialist, action: 'reject', kind: 'referral.rejected' });
    else if (fate < 0.13)
      steps.push(
        { actor: specialist, action: 'accept', kind: 'referral.accepted' },
        { actor: sender, action: 'cancel', kind: 'referral.cancelled' },
      );
    else {
      steps.push(
        { actor: specialist, action: 'accept', kind: 'referral.accepted' },
        { actor: office(), action: 'arrive', kind: 'referral.arrived' },
        { actor: specialist, action: 'complete', kind: 'referral.completed' },
      );
      if (rng.next() < 0.3) {
        steps.push(
          { actor: specialist, action: 'create-down', kind: 'referral.requested' },
          ...(['receive', 'accept', 'arrive', 'complete'] as const).map((action) => ({
            actor: sender,
            action,
            kind: `referral.${action === 'receive' ? 'received' : action === 'accept' ? 'accepted' : action === 'arrive' ? 'arrived' : 'completed'}` as Kind,
          })),
        );
      }
    }
    return {
      busy: false,
      steps,
      next: 0,
      sender,
      specialist,
      departmentId,
      patient: patientOf(rng, ++this.patients),
      green: emergency ? GREEN_CHANNEL[departmentId] : undefined,
      urgency: emergency ? 'emergency' : rng.next() < 0.6 ? 'routine' : 'urgent',
    };
  }

  private token(m: Member): Promise<string> {
    let token = this.tokens.get(m.id);
    if (!token) this.tokens.set(m.id, (token = this.mint(m)));
    return token;
  }

  private async advance(flow: Flow, produced: (p: Omit<Produced, 'measured'>) => void): Promise<void> {
    const step = flow.steps[flow.next];
    const down = flow.downId !== undefined || step.action === 'create-down';
    const [code, display] = DIAGNOSES[flow.departmentId] ?? OTHER_DIAGNOSIS;
    const token = await this.token(step.actor);
    const started = performance.now();
    try {
      let res;
      if (step.action === 'create') {
        res = await this.post(
          '/api/referrals',
          token,
          {
            patient: flow.patient,
            toInstitutionId: COUNTY,
            toDepartmentId: flow.departmentId,
            urgency: flow.urgency,
            ...(flow.green ? { greenChannelCentre: flow.green } : {}),
            diagnosis: { code, display },
            clinicalSummary: '基层首诊，病情需上级医院处理',
            reason: '需专科诊治',
          },
          randomUUID(),
        );
      } else if (step.action === 'create-down') {
        res = await this.post(
          '/api/referrals',
          token,
          {
            patient: flow.patient,
            toInstitutionId: flow.sender.institutionId,
            toDepartmentId: flow.sender.departmentId,
            urgency: 'routine',
            diagnosis: { code, display },
            clinicalSummary: '住院治疗后病情稳定',
            reason: '转回基层康复随访',
            returnsFromReferralId: flow.upId,
            rehabilitationPlan: '按时服药，两周后基层复诊，家庭医生随访',
          },
          randomUUID(),
        );
      } else {
        const reasoned = step.action === 'reject' || step.action === 'cancel';
        res = await this.post(
          `/api/referrals/${down ? flow.downId : flow.upId}/${step.action}`,
          token,
          reasoned ? { reason: step.action === 'reject' ? '本科室床位已满' : '患者拒绝转诊' } : {},
        );
      }
      if (res.status >= 300) throw new Error(`${step.action} ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      this.commandMs.push(performance.now() - started);
      if (step.action === 'create') flow.upId = res.body.id;
      if (step.action === 'create-down') flow.downId = res.body.id;
      const id = down ? flow.downId! : flow.upId!;
      const rooms = down
        ? referralRooms(
            { institutionId: flow.sender.institutionId, departmentId: flow.sender.departmentId },
            flow.specialist,
          )
        : referralRooms({ institutionId: COUNTY, departmentId: flow.departmentId }, flow.sender);
      produced({ kind: step.kind, match: `type:${step.kind}|${id}`, rooms });
      if (step.action === 'create' && flow.green) {
        produced({
          kind: 'green-channel alert',
          match: `alert:green-channel|${id}`,
          rooms: alertRooms(this.county, COUNTY, flow.departmentId),
        });
      }
      flow.next++;
    } catch (err) {
      this.failed++;
      if (this.failures.length < 5) this.failures.push(String(err));
      flow.next = flow.steps.length; // this referral is abandoned; the slot starts a new one
    }
  }
}
