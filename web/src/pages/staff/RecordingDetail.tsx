import { Card, Empty } from 'antd';

/** Placeholder: this page is being built. */
export function RecordingDetail() {
  return (
    <Card data-testid="recordingDetail">
      <Empty />
    </Card>
  );
}
