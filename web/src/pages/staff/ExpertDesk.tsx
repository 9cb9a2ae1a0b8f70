/**
 * The remote expert's queue: finished interviews of the expert's branches waiting for an opinion, oldest first.
 * Claiming one opens it; a claim lapses after the server's claim time and the review returns to the queue.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useNavigate } from 'react-router';
import { useI18n, type Translate } from '../../i18n.js';
import { deskErrorText, formatYuan } from './deskModel.js';
import { useClaim, useDeskQueue, useRelease, type ReviewItem } from './deskQueries.js';
import { useMe } from './queries.js';

const OUTCOME_COLOR: Record<string, string> = { approve: 'green', refer: 'orange', decline: 'red' };

/** The pipeline's outcome as a tag; a dash while loading, "none yet" when the case has no result. */
export function PipelineOutcome({ outcome, t }: { outcome: string | null | undefined; t: Translate }) {
  if (outcome === undefined) return <>—</>;
  if (outcome === null)
    return <Typography.Text type="secondary">{t('console.desk.pipeline.none')}</Typography.Text>;
  return (
    <Tag color={OUTCOME_COLOR[outcome] ?? 'default'}>{t(`console.desk.pipeline.outcome.${outcome}`)}</Tag>
  );
}

export function ExpertDesk() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const me = useMe();
  const queue = useDeskQueue();
  const claim = useClaim();
  const release = useRelease();
  const myId = me.data?.id;
  const time = (iso: string) => new Date(iso).toLocaleString(lang);

  const doClaim = (sessionId?: string) =>
    claim.mutate(sessionId, {
      onSuccess: (item) => navigate(`/desk/${item.sessionId}`),
      onError: (e) => message.error(deskErrorText(t, e)),
    });
  const doRelease = (sessionId: string) =>
    release.mutate(sessionId, {
      onSuccess: () => message.success(t('console.desk.released')),
      onError: (e) => message.error(deskErrorText(t, e)),
    });

  const holder = (q: ReviewItem) => {
    if (q.status !== 'claimed' || !q.assigneeId) return <Tag>{t('console.desk.status.queued')}</Tag>;
    const until = q.claimExpiresAt ? t('console.desk.claimUntil', { time: time(q.claimExpiresAt) }) : '';
    return q.assigneeId === myId ? (
      <Tooltip title={until}>
        <Tag color="blue">{t('console.desk.claimedByMe')}</Tag>
      </Tooltip>
    ) : (
      // The expert may not read the user list (no user:read): the other expert is named by id only.
      <Tooltip title={`${q.assigneeId} · ${until}`}>
        <Tag color="purple">{t('console.desk.claimedByOther')}</Tag>
      </Tooltip>
    );
  };

  return (
    <Card
      title={t('console.desk.title')}
      data-testid="expertDesk"
      extra={
        <Space>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void queue.refetch()}
            loading={queue.isFetching}
            data-testid="desk-refresh"
          >
            {t('console.desk.refresh')}
          </Button>
          <Button
            type="primary"
            onClick={() => doClaim()}
            loading={claim.isPending && claim.variables === undefined}
            disabled={(queue.data ?? []).length === 0}
            data-testid="desk-claim-next"
          >
            {t('console.desk.claimNext')}
          </Button>
        </Space>
      }
    >
      {queue.isError && (
        <Alert type="error" showIcon title={deskErrorText(t, queue.error)} style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph type="secondary">{t('console.desk.intro')}</Typography.Paragraph>
      <Table<ReviewItem>
        rowKey="sessionId"
        size="middle"
        loading={queue.isPending}
        dataSource={queue.data ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        locale={{ emptyText: t('console.desk.empty') }}
        data-testid="desk-queue"
        onRow={(q) => ({ 'data-testid': `desk-row-${q.sessionId}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('console.desk.col.applicant'),
            key: 'applicant',
            render: (_, q) => {
              const k = q.case;
              return k ? (
                <Space orientation="vertical" size={0}>
                  <span data-testid="desk-applicant">{k.applicant_name}</span>
                  {k.business_name && <Typography.Text type="secondary">{k.business_name}</Typography.Text>}
                </Space>
              ) : (
                <Typography.Text type="secondary">{q.caseId.slice(0, 8)}</Typography.Text>
              );
            },
          },
          {
            title: t('console.desk.col.sector'),
            key: 'sector',
            render: (_, q) => {
              const s = q.case?.sector;
              return s ? t(`console.desk.sector.${s}`) : '—';
            },
          },
          {
            title: t('console.desk.col.amount'),
            key: 'amount',
            align: 'right',
            render: (_, q) => {
              const loan = q.case;
              return loan
                ? t('console.desk.amountTerm', {
                    amount: formatYuan(loan.amount_yuan),
                    term: loan.term_months,
                  })
                : '—';
            },
          },
          {
            title: t('console.desk.col.ended'),
            dataIndex: 'endedAt',
            render: (v: string, q) => (
              <Space orientation="vertical" size={0}>
                <span>{time(v)}</span>
                {q.endReason && (
                  <Typography.Text type="secondary">
                    {t(`console.desk.endReason.${q.endReason}`)}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('console.desk.col.flags'),
            key: 'flags',
            render: (_, q) => {
              const codes = q.flagCodes.filter((c) => c !== 'contradiction' && !c.startsWith('ended_'));
              return (
                <Space size={4} wrap>
                  <Tag color={codes.length > 0 ? 'red' : 'default'} data-testid="desk-flag-count">
                    {t('console.desk.flagKinds', { n: codes.length })}
                  </Tag>
                  {q.flagCodes.includes('contradiction') && (
                    <Tag color="volcano">{t('console.desk.flag.contradiction')}</Tag>
                  )}
                </Space>
              );
            },
          },
          {
            title: t('console.desk.col.pipeline'),
            key: 'pipeline',
            render: (_, q) => <PipelineOutcome outcome={q.pipelineOutcome} t={t} />,
          },
          { title: t('console.desk.col.claim'), key: 'claim', render: (_, q) => holder(q) },
          {
            title: t('console.desk.col.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, q) => {
              const mine = q.status === 'claimed' && q.assigneeId === myId;
              const taken = q.status === 'claimed' && !mine;
              return (
                <Space size={4} wrap>
                  {mine ? (
                    <>
                      <Button size="small" type="primary" onClick={() => navigate(`/desk/${q.sessionId}`)}>
                        {t('console.desk.open')}
                      </Button>
                      <Button
                        size="small"
                        onClick={() => doRelease(q.sessionId)}
                        loading={release.isPending && release.variables === q.sessionId}
                        data-testid="desk-release"
                      >
                        {t('console.desk.release')}
                      </Button>
                    </>
                  ) : taken ? (
                    <Button size="small" onClick={() => navigate(`/desk/${q.sessionId}`)}>
                      {t('console.desk.view')}
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => doClaim(q.sessionId)}
                      loading={claim.isPending && claim.variables === q.sessionId}
                      data-testid="desk-claim"
                    >
                      {t('console.desk.claim')}
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
