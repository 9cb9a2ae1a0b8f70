import { Card, Empty } from 'antd';

/** Placeholder: this page is being built. */
export function DeskInterview() {
  return (
    <Card data-testid="deskInterview">
      <Empty />
    </Card>
  );
}
