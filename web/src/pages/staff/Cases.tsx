import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../components/errorText.js';
import { useI18n } from '../../i18n.js';
import {
  CASE_STATUSES,
  chinaDateTime,
  money,
  statusColor,
  statusKey,
  type CaseStatus,
} from './caseFormat.js';
import { useCaseList, type CaseSummary } from './caseQueries.js';

/** The cases in the user's branches, newest first; a row opens the case. */
export function Cases() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [status, setStatus] = useState<CaseStatus | undefined>();
  const q = useCaseList(status);

  return (
    <Card
      title={t('console.case.list.title')}
      data-testid="cases"
      extra={
        <Space>
          <Select<CaseStatus | 'all'>
            style={{ width: 160 }}
            value={status ?? 'all'}
            onChange={(v) => setStatus(v === 'all' ? undefined : v)}
            options={[
              { value: 'all', label: t('console.case.list.allStatuses') },
              ...CASE_STATUSES.map((s) => ({ value: s, label: t(statusKey(s)) })),
            ]}
            data-testid="case-status-filter"
            aria-label={t('console.case.field.status')}
          />
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void q.refetch()}
            loading={q.isFetching}
            aria-label={t('console.case.refresh')}
          />
        </Space>
      }
    >
      {q.isError && (
        <Alert type="error" showIcon title={errorText(t, q.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<CaseSummary>
        rowKey="id"
        loading={q.isPending}
        dataSource={q.data ?? []}
        size="middle"
        locale={{ emptyText: t('console.case.list.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(c) => ({
          onClick: () => navigate(`/cases/${c.id}`),
          style: { cursor: 'pointer' },
          'data-testid': `case-row-${c.id}`,
        })}
        columns={[
          {
            title: t('console.case.field.applicant'),
            key: 'applicant',
            render: (_, c) => (
              <Link to={`/cases/${c.id}`} onClick={(e) => e.stopPropagation()}>
                {c.applicant_name}
              </Link>
            ),
          },
          {
            title: t('console.case.field.sector'),
            dataIndex: 'sector',
            render: (s: string) => t(`console.case.sector.${s}`),
          },
          {
            title: t('console.case.field.amount'),
            dataIndex: 'amount_fen',
            align: 'right',
            render: (fen: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{money(fen)}</span>,
          },
          {
            title: t('console.case.field.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={statusColor(s)}>{t(statusKey(s))}</Tag>,
          },
          {
            title: t('console.case.field.source'),
            key: 'source',
            render: (_, c) => (
              <Space size={4}>
                <span>{t(`console.case.source.${c.source}`)}</span>
                {c.upstream_case_no && (
                  <Typography.Text type="secondary" copyable={false}>
                    {c.upstream_case_no}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('console.case.field.createdAt'),
            dataIndex: 'created_at',
            render: (v: string) => chinaDateTime(v),
          },
        ]}
      />
    </Card>
  );
}
