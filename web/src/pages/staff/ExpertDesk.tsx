import { Card, Empty } from 'antd';

/** Placeholder: this page is being built. */
export function ExpertDesk() {
  return (
    <Card data-testid="expertDesk">
      <Empty />
    </Card>
  );
}
