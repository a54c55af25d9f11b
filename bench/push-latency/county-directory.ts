/**
 * The county the push bench connects: one county hospital of 25 departments (the ECG and X-ray
 * reading rooms and the referral office among them) and 20 township centres with their village
 * clinics. At scale 1 it has 2,000 clinicians — 600 at the county hospital, 70 per township
 * (township doctors, a family-doctor team, imaging, public health and the village doctors).
 * A larger scale adds people to the same institutions (the same ids plus new ones), so seeding it
 * over a smaller one publishes only the new members.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@countylink/auth';
import { DEMO_SEED_FILE } from '@countylink/testing';

export type Duty = 'on-duty' | 'department-head' | 'coordinator';

export interface Member {
  id: string;
  name: string;
  institutionId: string;
  departmentId: string;
  roles: Role[];
  duty?: Duty;
}

interface Department {
  id: string;
  name: string;
  specialty: string;
  /** Headcount at scale 1. */
  staff: number;
}

export const COUNTY = 'county-hospital';
export const REFERRAL_OFFICE = 'referral-office';

/** 600 at scale 1: specialists of 24 departments and the referral office's coordinators. */
const COUNTY_DEPARTMENTS: Department[] = [
  ['cardiology', '心内科', 'cardiology', 44],
  ['neurology', '神经内科', 'neurology', 34],
  ['respiratory', '呼吸内科', 'respiratory', 30],
  ['gastroenterology', '消化内科', 'gastroenterology', 26],
  ['endocrinology', '内分泌科', 'endocrinology', 20],
  ['nephrology', '肾内科', 'nephrology', 18],
  ['haematology', '血液科', 'haematology', 14],
  ['oncology', '肿瘤科', 'oncology', 24],
  ['general-surgery', '普外科', 'general-surgery', 40],
  ['orthopaedics', '骨科', 'orthopaedics', 36],
  ['neurosurgery', '神经外科', 'neurosurgery', 20],
  ['urology', '泌尿外科', 'urology', 18],
  ['cardiothoracic-surgery', '心胸外科', 'cardiothoracic-surgery', 16],
  ['obstetrics', '产科', 'obstetrics', 30],
  ['gynaecology', '妇科', 'gynaecology', 20],
  ['paediatrics', '儿科', 'paediatrics', 28],
  ['neonatology', '新生儿科', 'neonatology', 14],
  ['emergency', '急诊科', 'emergency', 44],
  ['icu', '重症医学科', 'critical-care', 22],
  ['ophthalmology', '眼科', 'ophthalmology', 14],
  ['ent', '耳鼻喉科', 'otorhinolaryngology', 12],
  ['rehabilitation', '康复医学科', 'rehabilitation', 16],
  ['radiology', '影像科', 'radiology', 32],
  ['ecg-room', '心电图室', 'electrocardiography', 16],
  [REFERRAL_OFFICE, '双向转诊服务中心', 'referral', 12],
].map(([id, name, specialty, staff]) => ({ id, name, specialty, staff }) as Department);

/** 54 of a township's 70 at scale 1; the other 16 are its four village clinics' doctors. */
const TOWNSHIP_DEPARTMENTS: Department[] = [
  { id: 'general-practice', name: '全科', specialty: 'general-practice', staff: 26 },
  { id: 'family-doctor-team', name: '家庭医生团队', specialty: 'family-medicine', staff: 18 },
  { id: 'imaging', name: '放射科', specialty: 'radiology', staff: 4 },
  { id: 'public-health', name: '公共卫生科', specialty: 'public-health', staff: 6 },
];
const VILLAGES_PER_TOWNSHIP = 4;
const VILLAGE_STAFF = 4;

const TOWNSHIP_NAMES = [
  '东关镇',
  '西河乡',
  '南山镇',
  '北塘镇',
  '石桥镇',
  '柳林乡',
  '清水镇',
  '马坊乡',
  '杨庄镇',
  '白沙镇',
  '青龙乡',
  '黄土坡乡',
  '新集镇',
  '双河镇',
  '大王庄乡',
  '高桥镇',
  '长岭乡',
  '枣园镇',
  '龙泉镇',
  '三岔乡',
];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰文辉建国红梅志鹏宇浩';

/** County departments that take referrals and bookings (not the reading rooms nor the office). */
export const RECEIVING_DEPARTMENTS = COUNTY_DEPARTMENTS.filter(
  (d) => !['radiology', 'ecg-room', REFERRAL_OFFICE].includes(d.id),
).map((d) => d.id);

export const townshipId = (n: number) => `township-${String(n + 1).padStart(2, '0')}`;
const villageId = (township: number, v: number) => `village-${String(township + 1).padStart(2, '0')}-${v + 1}`;

function nameOf(i: number, where: string): string {
  return `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13 + 5) % GIVEN.length]} (${where})`;
}

export interface Township {
  id: string;
  villages: string[];
}

export class County {
  readonly members: Member[] = [];
  readonly townships: Township[] = [];
  private readonly groups = new Map<string, Member[]>();

  constructor(readonly scale: number) {
    const headcount = (staff: number) => Math.max(1, Math.round(staff * scale));
    for (const d of COUNTY_DEPARTMENTS) {
      const coordinator = d.id === REFERRAL_OFFICE;
      for (let i = 0; i < headcount(d.staff); i++) {
        this.add({
          id: `c-${d.id}-${i + 1}`,
          name: nameOf(this.members.length, d.name),
          institutionId: COUNTY,
          departmentId: d.id,
          roles: [coordinator ? Role.ReferralCoordinator : Role.CountySpecialist],
          duty: coordinator ? 'coordinator' : i < 2 ? 'on-duty' : i === 2 ? 'department-head' : undefined,
        });
      }
    }
    TOWNSHIP_NAMES.forEach((_, t) => {
      const id = townshipId(t);
      for (const d of TOWNSHIP_DEPARTMENTS) {
        for (let i = 0; i < headcount(d.staff); i++) {
          const family = d.id === 'family-doctor-team';
          this.add({
            id: `t${t + 1}-${d.id}-${i + 1}`,
            name: nameOf(this.members.length, TOWNSHIP_NAMES[t]),
            institutionId: id,
            departmentId: d.id,
            roles: family ? [Role.FamilyDoctor, Role.TownshipDoctor] : [Role.TownshipDoctor],
            duty:
              d.id === 'general-practice'
                ? i < 2
                  ? 'on-duty'
                  : i === 2
                    ? 'department-head'
                    : undefined
                : family && i === 0
                  ? 'on-duty'
                  : undefined,
          });
        }
      }
      const villages = Array.from({ length: VILLAGES_PER_TOWNSHIP }, (_, v) => villageId(t, v));
      villages.forEach((village, v) => {
        for (let i = 0; i < headcount(VILLAGE_STAFF); i++) {
          this.add({
            id: `v${t + 1}-${v + 1}-${i + 1}`,
            name: nameOf(this.members.length, `${TOWNSHIP_NAMES[t]}${v + 1}村卫生室`),
            institutionId: village,
            departmentId: 'clinic',
            roles: [Role.TownshipDoctor],
            duty: i === 0 ? 'on-duty' : undefined,
          });
        }
      });
      this.townships.push({ id, villages });
    });
  }

  private add(m: Member): void {
    if (!m.duty) delete m.duty;
    this.members.push(m);
    const key = `${m.institutionId}/${m.departmentId}`;
    const group = this.groups.get(key);
    if (group) group.push(m);
    else this.groups.set(key, [m]);
  }

  /** The members of one department (of the county, a township or a village clinic). */
  staff(institutionId: string, departmentId: string): Member[] {
    return this.groups.get(`${institutionId}/${departmentId}`) ?? [];
  }

  onDuty(institutionId: string, departmentId: string): Member[] {
    return this.staff(institutionId, departmentId).filter((m) => m.duty === 'on-duty');
  }

  get departmentCount(): number {
    return COUNTY_DEPARTMENTS.length + this.townships.length * (TOWNSHIP_DEPARTMENTS.length + VILLAGES_PER_TOWNSHIP);
  }

  /** The directory seed file the referral registry loads (and publishes as directory events). */
  writeSeed(dir: string): string {
    const demo = JSON.parse(readFileSync(DEMO_SEED_FILE, 'utf8')) as { townshipCatalog: unknown[] };
    const strip = (ds: Department[]) => ds.map(({ id, name, specialty }) => ({ id, name, specialty }));
    const institutions = [
      { id: COUNTY, name: '县人民医院', kind: 'county-hospital', departments: strip(COUNTY_DEPARTMENTS) },
      ...this.townships.flatMap((t, n) => [
        {
          id: t.id,
          name: `${TOWNSHIP_NAMES[n]}卫生院`,
          kind: 'township-centre',
          parentId: COUNTY,
          departments: strip(TOWNSHIP_DEPARTMENTS),
        },
        ...t.villages.map((v, k) => ({
          id: v,
          name: `${TOWNSHIP_NAMES[n]}${k + 1}村卫生室`,
          kind: 'village-clinic',
          parentId: t.id,
          departments: [{ id: 'clinic', name: '卫生室', specialty: 'general-practice' }],
        })),
      ]),
    ];
    const file = join(dir, `county-${this.members.length}.json`);
    writeFileSync(file, JSON.stringify({ institutions, members: this.members, townshipCatalog: demo.townshipCatalog }));
    return file;
  }
}

/** The scale whose county has about `clinicians` people (2,000 at scale 1). */
export function countyOf(clinicians: number): County {
  return new County(clinicians / 2000);
}
