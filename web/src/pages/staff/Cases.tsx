import { Alert, Card, Empty, Table } from 'antd';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import { useCases, type CaseRow } from './queries.js';

/** A first look at the cases in the user's scope; the case desk itself comes with the case API. */
export function Cases() {
  const { t, lang } = useI18n();
  const q = useCases();
  if (q.isError) return <Alert type="error" showIcon message={errorText(t, q.error)} />;
  return (
    <Card title={t('console.nav.cases')} data-testid="cases">
      {q.data === null ? (
        <Empty description={t('console.cases.placeholder')} />
      ) : (
        <Table<CaseRow>
          rowKey="id"
          loading={q.isPending}
          dataSource={q.data ?? []}
          size="middle"
          columns={[
            { title: t('console.cases.id'), dataIndex: 'id' },
            {
              title: t('console.cases.applicant'),
              key: 'applicant',
              render: (_, c) => c.applicant_name ?? c.applicant?.name ?? '',
            },
            { title: t('console.cases.status'), dataIndex: 'status' },
            {
              title: t('console.cases.updated'),
              dataIndex: 'created_at',
              render: (v?: string) => (v ? new Date(v).toLocaleString(lang, { hour12: false }) : ''),
            },
          ]}
        />
      )}
    </Card>
  );
}
