import { HTMLAttributes, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Modal, Table, Tag } from 'antd';
import { useDirectory } from '../api/directory.api';
import { errorText } from '../api/error-text';
import { AppointmentView, cancelAppointment, listAppointments, schedulingKeys } from '../api/scheduling.api';
import { formatTime } from '../app/time';
import { APPOINTMENT_STATUS, scheduleTitle } from './booking-labels';

/** 本机构预约: the places this institution holds, soonest first, each cancellable with a reason. */
export function MyAppointments() {
  const { memberName, departmentName } = useDirectory();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState<AppointmentView | null>(null);
  const [reason, setReason] = useState('');
  const appointments = useQuery({
    queryKey: schedulingKeys.appointments('booked'),
    queryFn: () => listAppointments('booked'),
  });
  const cancel = useMutation({
    mutationFn: () => cancelAppointment(cancelling!.id, reason.trim()),
    onSuccess: () => {
      void message.success('预约已取消，号源已退回');
      setCancelling(null);
      setReason('');
    },
    onError: (err) => void message.error(`取消失败：${errorText(err)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: schedulingKeys.all }),
  });

  return (
    <Card title="本机构已预约" size="small">
      <Table<AppointmentView>
        rowKey="id"
        size="small"
        loading={appointments.isLoading}
        dataSource={appointments.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: '暂无预约' }}
        onRow={(a) => ({ 'data-appointment-id': a.id }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '患者', key: 'patient', render: (_, a) => `${a.patient.name}（${a.patient.patientId}）` },
          {
            title: '号源',
            key: 'schedule',
            render: (_, a) =>
              `${departmentName(a.schedule.institutionId, a.schedule.departmentId)} · ${scheduleTitle(a.schedule, memberName)}`,
          },
          { title: '时间', key: 'at', render: (_, a) => formatTime(a.schedule.startsAt, 'MM-DD dddd HH:mm') },
          {
            title: '号别',
            dataIndex: 'pool',
            render: (p: string, a) => (
              <>
                {p === 'reserved' ? <Tag color="blue">预留号</Tag> : <Tag>普通号</Tag>}
                {a.fromWaitlist && <Tag color="purple">候补</Tag>}
              </>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => <Tag color={APPOINTMENT_STATUS[s]?.color}>{APPOINTMENT_STATUS[s]?.label ?? s}</Tag>,
          },
          {
            title: '操作',
            key: 'actions',
            render: (_, a) => (
              <Button size="small" danger onClick={() => setCancelling(a)} data-testid="cancel-appointment">
                取消预约
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={cancelling !== null}
        title="取消预约"
        okText="确认取消"
        cancelText="返回"
        onCancel={() => setCancelling(null)}
        okButtonProps={{ danger: true, disabled: !reason.trim(), 'data-testid': 'confirm-cancel' }}
        confirmLoading={cancel.isPending}
        onOk={() => cancel.mutate()}
      >
        <Input.TextArea
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="取消原因，如：患者病情变化，改期"
          data-testid="cancel-reason"
        />
      </Modal>
    </Card>
  );
}
