import { Card, Empty } from 'antd';

/** Placeholder: this page is being built. */
export function CaseDetail() {
  return (
    <Card data-testid="caseDetail">
      <Empty />
    </Card>
  );
}
