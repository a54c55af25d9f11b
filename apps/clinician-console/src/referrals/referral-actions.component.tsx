import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Space } from 'antd';
import { errorText } from '../api/error-text';
import { actOnReferral, ReferralAction, referralKeys, ReferralView } from '../api/referrals.api';
import { useSignedIn } from '../auth/session-context';
import { allowedActions } from './referral-permissions';

const BUTTONS: Record<ReferralAction, { label: string; primary?: boolean; danger?: boolean }> = {
  receive: { label: '接收', primary: true },
  accept: { label: '同意接诊', primary: true },
  reject: { label: '拒绝', danger: true },
  arrive: { label: '患者已到院', primary: true },
  complete: { label: '诊疗完成', primary: true },
  cancel: { label: '撤销转诊', danger: true },
};

/** The buttons of the next steps this user may take; reject and cancel ask why first (the history keeps it). */
export function ReferralActions({ referral, size = 'middle' }: { referral: ReferralView; size?: 'small' | 'middle' }) {
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [asking, setAsking] = useState<ReferralAction | null>(null);
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: ({ action, text }: { action: ReferralAction; text?: string }) =>
      actOnReferral(referral.id, action, text),
    onSuccess: (_, { action }) => {
      void message.success(`已${BUTTONS[action].label}`);
      setAsking(null);
      setReason('');
    },
    onError: (err) => void message.error(`操作失败：${errorText(err)}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: referralKeys.all }),
  });
  const actions = allowedActions(session, referral);
  if (actions.length === 0) return null;

  return (
    <Space size="small" onClick={(e) => e.stopPropagation()}>
      {actions.map((action) => (
        <Button
          key={action}
          size={size}
          type={BUTTONS[action].primary ? 'primary' : 'default'}
          danger={BUTTONS[action].danger}
          loading={act.isPending && act.variables?.action === action}
          data-testid={`referral-${action}`}
          onClick={() => (action === 'reject' || action === 'cancel' ? setAsking(action) : act.mutate({ action }))}
        >
          {BUTTONS[action].label}
        </Button>
      ))}
      <Modal
        open={asking !== null}
        title={asking === 'reject' ? '拒绝转诊' : '撤销转诊'}
        okText="确定"
        cancelText="取消"
        okButtonProps={{ danger: true, disabled: reason.trim().length === 0, 'data-testid': 'reason-ok' }}
        confirmLoading={act.isPending}
        onCancel={() => setAsking(null)}
        onOk={() => asking && act.mutate({ action: asking, text: reason.trim() })}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="reason-input"
          placeholder={asking === 'reject' ? '请填写拒绝原因，如：本院无床位，建议转市级医院' : '请填写撤销原因'}
        />
      </Modal>
    </Space>
  );
}
