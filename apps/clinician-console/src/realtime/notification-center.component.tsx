import { useState } from 'react';
import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, List, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { hasRole } from '../auth/session';
import { useSignedIn } from '../auth/session-context';
import { notificationLabel } from '../app/labels';
import { formatTime } from '../app/time';
import { useRealtime } from './realtime-provider';
import { NotificationFrame } from './realtime-types';

function summary(frame: NotificationFrame): string {
  const d = frame.data ?? {};
  if (typeof d.summary === 'string') return d.summary;
  const parts = [d.modality, d.accessionNumber, d.patientName, d.impression].filter((p) => typeof p === 'string' && p);
  return parts.join(' · ');
}

/** The bell: everything pushed to this user since sign-in (and what a reconnect replayed), newest first. */
export function NotificationCenter() {
  const { notifications, unread, markAllRead } = useRealtime();
  const session = useSignedIn();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const readPath = (id: string) => (hasRole(session, ['county-specialist']) ? `/worklist/${id}` : `/reads/${id}`);

  const openItem = (frame: NotificationFrame) => {
    const readId =
      frame.subject.type === 'read'
        ? frame.subject.id
        : frame.data?.subjectType === 'read'
          ? String(frame.data.subjectId)
          : null;
    // A referral push, or an alert (green channel) raised on one, opens the referral.
    const referralId =
      frame.subject.type === 'referral'
        ? frame.subject.id
        : frame.data?.subjectType === 'referral'
          ? String(frame.data.subjectId)
          : null;
    if (!readId && !referralId) return;
    setOpen(false);
    navigate(readId ? readPath(readId) : `/referrals/${referralId}`);
  };

  return (
    <>
      <Badge count={unread} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          aria-label="通知"
          data-testid="notification-bell"
          icon={<BellOutlined style={{ fontSize: 18 }} />}
          onClick={() => {
            setOpen(true);
            markAllRead();
          }}
        />
      </Badge>
      <Drawer title="通知中心" open={open} onClose={() => setOpen(false)} width={420}>
        {notifications.length === 0 ? (
          <Empty description="暂无通知" />
        ) : (
          <List
            dataSource={notifications}
            renderItem={(frame) => (
              <List.Item key={frame.id} onClick={() => openItem(frame)} style={{ cursor: 'pointer' }}>
                <List.Item.Meta
                  title={
                    <>
                      {frame.type.startsWith('alert.') ? <Tag color="red">告警</Tag> : null}
                      {notificationLabel(frame.type)}
                    </>
                  }
                  description={
                    <>
                      <Typography.Text>{summary(frame)}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">
                        {formatTime(frame.at, 'MM-DD HH:mm:ss')}
                        {frame.replayed ? ' · 重连后补发' : ''}
                      </Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Drawer>
    </>
  );
}
