import { Card, Empty } from 'antd';

/** Placeholder: this page is being built. */
export function Recordings() {
  return (
    <Card data-testid="recordings">
      <Empty />
    </Card>
  );
}
