import { useEffect, useState } from 'react';
import { Tag } from 'antd';
import { useRealtime } from './realtime-provider';

/** 连接已断开 stays until the socket is back; 已恢复 shows for a few seconds, then a quiet 实时在线. */
export function ConnectionIndicator() {
  const { connection } = useRealtime();
  const [showRestored, setShowRestored] = useState(false);
  useEffect(() => {
    if (connection !== 'restored') return;
    setShowRestored(true);
    const timer = setTimeout(() => setShowRestored(false), 5000);
    return () => clearTimeout(timer);
  }, [connection]);

  if (connection === 'disconnected')
    return (
      <Tag color="error" data-testid="connection" data-state="disconnected">
        连接已断开，正在重连…
      </Tag>
    );
  if (connection === 'connecting')
    return (
      <Tag data-testid="connection" data-state="connecting">
        正在连接…
      </Tag>
    );
  if (showRestored)
    return (
      <Tag color="success" data-testid="connection" data-state="restored">
        已恢复
      </Tag>
    );
  return (
    <Tag color="processing" data-testid="connection" data-state="connected">
      实时在线
    </Tag>
  );
}
