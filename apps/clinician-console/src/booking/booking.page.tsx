import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Segmented, Select, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { listReferrals, OPEN_STATUSES, referralKeys } from '../api/referrals.api';
import { listSlots, schedulingKeys } from '../api/scheduling.api';
import { shanghai } from '../app/time';
import { useSignedIn } from '../auth/session-context';
import { BookingIntent, BookPlaceModal } from './book-place.modal';
import { MyAppointments } from './my-appointments.component';
import { ScheduleList } from './schedule-list.component';

const day = (iso: string) => shanghai(iso).format('YYYY-MM-DD');

/**
 * 预约 (family doctors): the county's schedules by department and day, reserved and general places
 * apart, booked for one of the doctor's open referrals. Counts refetch on every appointment push that
 * reaches this institution; other institutions' bookings show on the next refetch.
 */
export function BookingPage() {
  const session = useSignedIn();
  const { departmentName, institutionName } = useDirectory();
  const [params, setParams] = useSearchParams();
  const [intent, setIntent] = useState<BookingIntent | null>(null);
  const referrals = useQuery({
    queryKey: referralKeys.list({ direction: 'up' }),
    queryFn: () => listReferrals({ direction: 'up' }),
  });
  const open = (referrals.data?.items ?? []).filter(
    (r) => r.from.institutionId === session.institutionId && OPEN_STATUSES.includes(r.status),
  );
  const referral = open.find((r) => r.id === params.get('referral'));
  // Other institutions' bookings reach no room of ours: refetch now and then so their counts drop too.
  const slots = useQuery({ queryKey: schedulingKeys.slots({}), queryFn: () => listSlots({}), refetchInterval: 30_000 });
  const all = slots.data?.items ?? [];

  const departments = useMemo(
    () => [...new Map(all.map((s) => [`${s.institutionId}/${s.departmentId}`, s])).values()],
    [all],
  );
  const department =
    params.get('department') ??
    (referral?.to.departmentId
      ? `${referral.to.institutionId}/${referral.to.departmentId}`
      : departments[0]
        ? `${departments[0].institutionId}/${departments[0].departmentId}`
        : '');
  const ofDepartment = all.filter((s) => `${s.institutionId}/${s.departmentId}` === department);
  const days = [...new Set(ofDepartment.map((s) => day(s.startsAt)))];
  const date = params.get('date') && days.includes(params.get('date')!) ? params.get('date')! : (days[0] ?? '');
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="预约县医院号源">
        {(slots.isError || referrals.isError) && (
          <Alert
            type="error"
            showIcon
            message={errorText(slots.error ?? referrals.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <Row gutter={16} align="middle" style={{ marginBottom: 16 }}>
          <Col flex="none">
            <Typography.Text strong>为转诊患者预约：</Typography.Text>
          </Col>
          <Col flex="auto">
            <Select
              style={{ width: '100%', maxWidth: 640 }}
              placeholder="选择本机构进行中的上转（预留号源须关联转诊）"
              allowClear
              data-testid="pick-referral"
              value={referral?.id}
              loading={referrals.isLoading}
              onChange={(id?: string) => {
                const r = open.find((x) => x.id === id);
                const next = r?.to.departmentId ? `${r.to.institutionId}/${r.to.departmentId}` : department;
                // Same department: stay on the day on screen (a waitlist is joined on the session just seen full).
                set({ referral: id ?? null, department: next, ...(next === department ? {} : { date: null }) });
              }}
              options={open.map((r) => ({
                value: r.id,
                label: `${r.patient.name}（${r.patient.patientId}）· ${r.diagnosis.display} → ${r.to.departmentId ? departmentName(r.to.institutionId, r.to.departmentId) : institutionName(r.to.institutionId)}`,
              }))}
            />
          </Col>
        </Row>
        <Segmented
          value={department}
          onChange={(v) => set({ department: String(v), date: null })}
          style={{ marginBottom: 12 }}
          data-testid="pick-department"
          options={departments.map((s) => ({
            value: `${s.institutionId}/${s.departmentId}`,
            label: departmentName(s.institutionId, s.departmentId),
          }))}
        />
        <div style={{ marginBottom: 16, overflowX: 'auto' }}>
          <Segmented
            value={date}
            onChange={(v) => set({ date: String(v) })}
            data-testid="pick-day"
            options={days.map((d) => ({
              value: d,
              label: (
                <div data-day={d} style={{ padding: '2px 4px' }}>
                  {shanghai(`${d}T12:00:00+08:00`).format('MM-DD')}
                  <br />
                  {shanghai(`${d}T12:00:00+08:00`).format('dddd')}
                </div>
              ),
            }))}
          />
        </div>
        <ScheduleList
          schedules={ofDepartment.filter((s) => day(s.startsAt) === date)}
          referral={referral}
          onBook={setIntent}
        />
      </Card>
      <MyAppointments />
      {intent && referral && <BookPlaceModal intent={intent} referral={referral} onClose={() => setIntent(null)} />}
    </Space>
  );
}
