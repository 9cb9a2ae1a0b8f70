/**
 * One interview on the expert desk: the server's view-model (GET /review/interviews/:sessionId) in one place —
 * applicant and request, survey and rebuilt financials, cross-checks, screening, the transcript with each answer's
 * parse and verdicts, every flag linked to its evidence, control reliability, the pipeline's result — and the
 * expert's opinion. Reading it is logged by the server as a viewing of the recording.
 */
import { ArrowLeftOutlined, LinkOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import { localized, useI18n, type Lang, type Translate } from '../../i18n.js';
import {
  CHECK_CODES,
  LIMITS,
  OPINION_KINDS,
  deskErrorText,
  describeParse,
  flagLinks,
  formatExpectation,
  formatFen,
  formatInUnit,
  formatValue,
  formatYuan,
  isQuestionable,
  lineColor,
  validateOpinion,
  verdictColor,
  type FlagLinks,
  type OpinionDraft,
  type OpinionField,
} from './deskModel.js';
import {
  useClaim,
  useDeskView,
  useGiveOpinion,
  useRelease,
  type ApplicantLine,
  type CrossCheck,
  type DeskView,
  type Evidence,
  type FinLine,
  type Flag,
  type InterviewFact,
  type Opinion,
  type PipelineResult,
  type TranscriptLine,
} from './deskQueries.js';
import { PipelineOutcome } from './ExpertDesk.js';
import { useMe } from './queries.js';

const lineId = (seq: number) => `desk-line-${seq}`;
const flagId = (id: string) => `desk-flag-${id}`;

const HIGHLIGHT = { outline: '2px solid #1677ff', outlineOffset: 2, borderRadius: 6 };
const QUESTIONABLE = { background: '#fff7e6', borderLeft: '3px solid #fa8c16' };
const CONTRADICTED = { background: '#fff1f0', borderLeft: '3px solid #f5222d' };

interface Focus {
  flagId: string;
  links: FlagLinks;
}

export function DeskInterview() {
  const { sessionId = '' } = useParams();
  const { t } = useI18n();
  const navigate = useNavigate();
  const view = useDeskView(sessionId);
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/desk')} data-testid="desk-back">
      {t('console.desk.back')}
    </Button>
  );
  if (view.isPending) return <Spin />;
  if (view.isError)
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {back}
        <Alert type="error" showIcon title={deskErrorText(t, view.error)} data-testid="desk-error" />
      </Space>
    );
  return <DeskBody v={view.data} back={back} />;
}

function DeskBody({ v, back }: { v: DeskView; back: ReactNode }) {
  const { t } = useI18n();
  const [focus, setFocus] = useState<Focus | null>(null);
  const checks = useMemo(() => v.crossChecks?.checks ?? [], [v.crossChecks]);
  const facts = useMemo(() => new Map(v.interview.facts.map((f) => [f.id, f])), [v.interview.facts]);

  const showFlag = useCallback(
    (flag: Flag) => {
      const links = flagLinks(flag, v.transcript, checks);
      setFocus({ flagId: flag.id, links });
      const first = links.seqs[0];
      const target =
        first !== undefined
          ? document.getElementById(lineId(first))
          : links.checks[0] !== undefined
            ? document.querySelector(`[data-row-key="${CSS.escape(links.checks[0])}"]`)
            : null;
      target?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    },
    [v.transcript, checks],
  );
  const showFlagById = useCallback(
    (id: string) => {
      const flag = v.flags.find((f) => f.id === id);
      if (!flag) return;
      showFlag(flag);
      document.getElementById(flagId(id))?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    },
    [v.flags, showFlag],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="deskInterview">
      <HeaderCard v={v} back={back} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <CaseDataCard v={v} facts={v.interview.facts} />
        </Col>
        <Col xs={24} xl={9}>
          <PipelineCard pipeline={v.pipeline} />
        </Col>
      </Row>
      <CrossChecksCard checks={checks} missing={v.financialsMissing} focus={focus} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <TranscriptCard v={v} focus={focus} onFlag={showFlagById} />
        </Col>
        <Col xs={24} xl={9}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <FlagsCard flags={v.flags} facts={facts} focus={focus} onShow={showFlag} />
            <ReliabilityCard v={v} onSeq={(seq) => scrollToLine(seq)} />
            <OpinionCard v={v} />
          </Space>
        </Col>
      </Row>
      {focus && (
        <Button
          style={{ position: 'fixed', right: 24, bottom: 24, zIndex: 10 }}
          onClick={() => setFocus(null)}
          data-testid="desk-clear-focus"
        >
          {t('console.desk.flags.clear', { id: focus.flagId })}
        </Button>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('console.desk.viewLogged')}
      </Typography.Text>
    </Space>
  );
}

/** A tag before a text that wraps within its card (a Space would let a long text run past the edge). */
function TagLine({ tag, children }: { tag: ReactNode; children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 6, alignItems: 'flex-start', width: '100%' }}>
      <span style={{ flex: 'none' }}>{tag}</span>
      <span style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}>{children}</span>
    </div>
  );
}

function scrollToLine(seq: number) {
  document.getElementById(lineId(seq))?.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

// ------------------------------------------------------------------------------------------------ header

function HeaderCard({ v, back }: { v: DeskView; back: ReactNode }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const me = useMe();
  const claim = useClaim();
  const release = useRelease();
  const a = v.case.applicant;
  const loan = v.case.loan;
  const item = v.item;
  const mine = item.status === 'claimed' && item.assigneeId === me.data?.id;
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang) : '—');

  const status =
    item.status === 'decided' ? (
      <Tag color="green">{t('console.desk.status.decided')}</Tag>
    ) : item.status === 'claimed' ? (
      <Tag color={mine ? 'blue' : 'purple'}>
        {t(mine ? 'console.desk.claimedByMe' : 'console.desk.claimedByOther')}
        {item.claimExpiresAt ? ` · ${t('console.desk.claimUntil', { time: time(item.claimExpiresAt) })}` : ''}
      </Tag>
    ) : (
      <Tag>{t('console.desk.status.queued')}</Tag>
    );

  const actions = (
    <Space wrap>
      {back}
      {item.status === 'queued' && (
        <Button
          type="primary"
          loading={claim.isPending}
          data-testid="desk-claim"
          onClick={() => claim.mutate(item.sessionId, { onError: (e) => message.error(deskErrorText(t, e)) })}
        >
          {t('console.desk.claim')}
        </Button>
      )}
      {mine && (
        <Button
          loading={release.isPending}
          data-testid="desk-release"
          onClick={() =>
            release.mutate(item.sessionId, {
              onSuccess: () => {
                message.success(t('console.desk.released'));
                navigate('/desk');
              },
              onError: (e) => message.error(deskErrorText(t, e)),
            })
          }
        >
          {t('console.desk.release')}
        </Button>
      )}
    </Space>
  );

  return (
    <Card
      title={
        <Space wrap>
          <span data-testid="desk-title">
            {a.name}
            {a.business_name ? ` · ${a.business_name}` : ''}
          </span>
          {status}
        </Space>
      }
      extra={actions}
      data-testid="desk-header"
    >
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2, xl: 3 }}
        items={[
          {
            key: 'kind',
            label: t('console.desk.applicant.kind'),
            children: t(`console.desk.applicantKind.${a.kind}`),
          },
          {
            key: 'sector',
            label: t('console.desk.col.sector'),
            children: t(`console.desk.sector.${a.sector}`),
          },
          { key: 'industry', label: t('console.desk.applicant.industry'), children: a.industry_code },
          { key: 'id', label: t('console.desk.applicant.residentId'), children: a.resident_id },
          { key: 'mobile', label: t('console.desk.applicant.mobile'), children: a.mobile },
          { key: 'household', label: t('console.desk.applicant.household'), children: a.household_size },
          { key: 'address', label: t('console.desk.applicant.address'), children: a.address, span: 2 },
          {
            key: 'amount',
            label: t('console.desk.loan.amount'),
            children: <span data-testid="desk-amount">{formatYuan(loan.amount_yuan)}</span>,
          },
          {
            key: 'term',
            label: t('console.desk.loan.term'),
            children: t('console.desk.months', { n: loan.term_months }),
          },
          {
            key: 'method',
            label: t('console.desk.loan.method'),
            children: t(`console.desk.repayment.${loan.repayment_method}`),
          },
          { key: 'purpose', label: t('console.desk.loan.purpose'), children: loan.purpose },
          {
            key: 'interview',
            label: t('console.desk.interview.when'),
            children: `${time(v.interview.startedAt)} → ${time(v.interview.endedAt)}`,
          },
          {
            key: 'end',
            label: t('console.desk.interview.endReason'),
            children: t(`console.desk.endReason.${v.interview.endReason}`),
          },
          {
            key: 'consents',
            label: t('console.desk.consents'),
            children: (
              <Space size={4} wrap>
                {v.consents.length === 0
                  ? '—'
                  : v.consents.map((c) => (
                      <Tag key={c.id} color={c.granted ? 'green' : 'default'}>
                        {t(`console.desk.consent.${c.kind}`)} ·{' '}
                        {t(c.granted ? 'console.desk.granted' : 'console.desk.refused')}
                      </Tag>
                    ))}
              </Space>
            ),
          },
        ]}
      />
      {v.interview.purged && (
        <Alert type="warning" showIcon title={t('console.desk.interview.purged')} style={{ marginTop: 12 }} />
      )}
    </Card>
  );
}

// --------------------------------------------------------------------------------- survey, financials, facts

const finRow = (l: FinLine, lang: Lang) => ({
  key: l.id,
  label: localized(l.label, lang),
  amount: l.amountFen,
});

/** The survey field, statement line or screening fact a fact's expectation comes from. */
const sourceName = (s: InterviewFact['source']) =>
  s.kind === 'survey' ? s.field : s.kind === 'financials' ? s.line : s.kind === 'screening' ? s.fact : '';

const isLine = (x: unknown): x is FinLine =>
  typeof x === 'object' && x !== null && 'amountFen' in x && 'label' in x;

function FinTable({ rows }: { rows: { key: string; label: string; amount: number; strong?: boolean }[] }) {
  const { t } = useI18n();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      columns={[
        {
          title: t('console.desk.fin.line'),
          dataIndex: 'label',
          render: (l: string, r) => (r.strong ? <Typography.Text strong>{l}</Typography.Text> : l),
        },
        {
          title: t('console.desk.fin.amount'),
          dataIndex: 'amount',
          align: 'right',
          render: (n: number, r) =>
            r.strong ? <Typography.Text strong>{formatFen(n)}</Typography.Text> : formatFen(n),
        },
      ]}
    />
  );
}

function CaseDataCard({ v, facts }: { v: DeskView; facts: InterviewFact[] }) {
  const { t, lang } = useI18n();
  const f = v.financials;
  const pnl = f
    ? Object.values(f.pnlMonthly)
        .filter(isLine)
        .map((l) => ({ ...finRow(l, lang), strong: l.id === 'net_profit' || l.id === 'revenue' }))
    : [];
  const balance = f
    ? (
        [
          'totalBusinessAssets',
          'totalAssets',
          'financialDebt',
          'nonBankDebt',
          'totalLiabilities',
          'equity',
        ] as const
      )
        .map((k) => f.balanceSheet[k])
        .filter(isLine)
        .map((l) => ({ ...finRow(l, lang), strong: l.id === 'equity' }))
    : [];
  const household = f?.household
    ? Object.values(f.household)
        .filter(isLine)
        .map((l) => finRow(l, lang))
    : [];
  const surveyComputed = Object.entries(v.survey?.computed ?? {});

  const financials = f ? (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'template', label: t('console.desk.fin.template'), children: `${f.templateId}` },
          {
            key: 'margin',
            label: t('console.desk.fin.grossMargin'),
            children: f.grossMargin ? `${(f.grossMargin.value * 100).toFixed(1)}%` : '—',
          },
          ...(f.operatingCashFlowMonthly
            ? [
                {
                  key: 'ocf',
                  label: localized(f.operatingCashFlowMonthly.label, lang),
                  children: formatFen(f.operatingCashFlowMonthly.amountFen),
                },
              ]
            : []),
          ...(f.salesRoutes ?? []).map((r) => ({
            key: `route-${r.id}`,
            label: `${t('console.desk.fin.salesRoute')}: ${localized(r.label, lang)}`,
            children: (
              <>
                {formatFen(r.monthlySalesFen)}
                {r.id === f.primaryRoute && (
                  <Tag style={{ marginLeft: 8 }} color="blue">
                    {t('console.desk.fin.primary')}
                  </Tag>
                )}
              </>
            ),
          })),
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={12}>
          <Typography.Text strong>{t('console.desk.fin.pnlMonthly')}</Typography.Text>
          <FinTable rows={pnl} />
        </Col>
        <Col xs={24} xxl={12}>
          <Typography.Text strong>{t('console.desk.fin.balance')}</Typography.Text>
          <FinTable rows={balance} />
          {household.length > 0 && (
            <>
              <Typography.Text strong>{t('console.desk.fin.household')}</Typography.Text>
              <FinTable rows={household} />
            </>
          )}
        </Col>
      </Row>
    </Space>
  ) : (
    <Empty description={t('console.desk.missing', { code: v.financialsMissing ?? '—' })} />
  );

  const survey = v.survey ? (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t('console.desk.survey.status', {
          status: v.survey.status,
          n: Object.keys(v.survey.answers).length,
        })}
      </Typography.Text>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={surveyComputed.map(([k, val]) => ({
          key: k,
          label: k,
          children: typeof val === 'number' ? val.toLocaleString(lang) : formatValue(val, t),
        }))}
      />
    </Space>
  ) : (
    <Empty description={t('console.desk.missing', { code: '—' })} />
  );

  const screening = v.screening ? (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {t('console.desk.screening.asOf', {
          time: new Date(v.screening.asOf).toLocaleString(lang),
          status: v.screening.status,
        })}
      </Typography.Text>
      <List
        size="small"
        dataSource={v.screening.findings}
        locale={{ emptyText: t('console.desk.screening.noFindings') }}
        renderItem={(fd) => (
          <List.Item>
            <TagLine
              tag={
                <Tag color={fd.severity === 'fail' ? 'red' : fd.severity === 'warn' ? 'orange' : 'default'}>
                  {t(`console.desk.severity.${fd.severity}`)}
                </Tag>
              }
            >
              {localized(fd.text, lang)}
            </TagLine>
          </List.Item>
        )}
      />
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={Object.entries(v.screening.facts).map(([key, x]) => ({ key, ...x }))}
        columns={[
          { title: t('console.desk.screening.fact'), dataIndex: 'key' },
          {
            title: t('console.desk.screening.value'),
            dataIndex: 'value',
            render: (x: unknown) => formatValue(x, t),
          },
          { title: t('console.desk.screening.status'), dataIndex: 'status' },
        ]}
      />
    </Space>
  ) : (
    <Empty description={t('console.desk.screening.none', { code: v.screeningMissing ?? '—' })} />
  );

  const factsTable = (
    <Table<InterviewFact>
      size="small"
      pagination={false}
      rowKey="id"
      dataSource={facts}
      scroll={{ x: 560 }}
      columns={[
        { title: t('console.desk.facts.fact'), dataIndex: 'label' },
        {
          title: t('console.desk.facts.status'),
          dataIndex: 'status',
          render: (s: InterviewFact['status']) => (
            <Tag color={verdictColor(s === 'unknown' ? 'none' : s)}>{t(`console.desk.belief.${s}`)}</Tag>
          ),
        },
        {
          title: t('console.desk.facts.confidence'),
          dataIndex: 'confidence',
          align: 'right',
          render: (c: number | null) => (c === null ? '—' : `${Math.round(c * 100)}%`),
        },
        { title: t('console.desk.facts.importance'), dataIndex: 'importance', align: 'right' },
        {
          title: t('console.desk.facts.source'),
          key: 'source',
          render: (_, x) => `${t(`console.desk.source.${x.source.kind}`)} ${sourceName(x.source)}`,
        },
      ]}
    />
  );

  return (
    <Card size="small" data-testid="desk-case-data">
      <Tabs
        items={[
          { key: 'financials', label: t('console.desk.tab.financials'), children: financials },
          { key: 'survey', label: t('console.desk.tab.survey'), children: survey },
          { key: 'screening', label: t('console.desk.tab.screening'), children: screening },
          { key: 'facts', label: t('console.desk.tab.facts', { n: facts.length }), children: factsTable },
        ]}
      />
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------- cross-checks

const CHECK_COLOR: Record<string, string> = { pass: 'green', warn: 'orange', fail: 'red' };

function CrossChecksCard({
  checks,
  missing,
  focus,
}: {
  checks: CrossCheck[];
  missing: string | null;
  focus: Focus | null;
}) {
  const { t, lang } = useI18n();
  const marked = new Set(focus?.links.checks ?? []);
  return (
    <Card title={t('console.desk.checks.title')} size="small" data-testid="desk-checks">
      <Table<CrossCheck>
        size="small"
        pagination={false}
        rowKey="name"
        dataSource={checks}
        scroll={{ x: 640 }}
        locale={{ emptyText: t('console.desk.missing', { code: missing ?? '—' }) }}
        onRow={(c) => ({
          style: marked.has(c.name) ? { background: '#e6f4ff', outline: '2px solid #1677ff' } : undefined,
          'data-marked': marked.has(c.name) ? 'true' : undefined,
        })}
        columns={[
          {
            title: t('console.desk.checks.check'),
            dataIndex: 'name',
            width: 420,
            render: (n: string, c) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text code>{n}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {localized(c.explanation, lang)}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('console.desk.checks.verdict'),
            dataIndex: 'verdict',
            width: 90,
            render: (x: string) => (
              <Tag color={CHECK_COLOR[x] ?? 'default'}>{t(`console.desk.checkVerdict.${x}`)}</Tag>
            ),
          },
          {
            title: t('console.desk.checks.observed'),
            key: 'observed',
            align: 'right',
            render: (_, c) => formatInUnit(c.observed, c.unit),
          },
          {
            title: t('console.desk.checks.expected'),
            key: 'expected',
            align: 'right',
            render: (_, c) => formatInUnit(c.expected, c.unit),
          },
          {
            title: t('console.desk.checks.deviation'),
            dataIndex: 'deviationPct',
            align: 'right',
            render: (d: number | null, c) =>
              d === null
                ? '—'
                : `${d.toFixed(1)}%${c.tolerance ? ` (±${c.tolerance.warn}/${c.tolerance.fail})` : ''}`,
          },
        ]}
      />
    </Card>
  );
}

// ------------------------------------------------------------------------------------------------ transcript

function AnswerBody({ line, onFlag }: { line: ApplicantLine; onFlag(id: string): void }) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
      <Typography.Text strong data-testid="desk-answer-text">
        {line.text || line.choice}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('console.desk.transcript.parse')}: {describeParse(line, t)}
        {line.understanding?.confidence !== undefined &&
          ` · ${t('console.desk.transcript.confidence', { p: Math.round(line.understanding.confidence * 100) })}`}
        {line.choice ? ` · ${t('console.desk.transcript.tapped')}` : ''}
      </Typography.Text>
      {line.verdicts.map((vd, i) => (
        <Space key={`${vd.factId}-${i}`} size={4} wrap align="start">
          <Tooltip title={vd.why}>
            <Tag color={verdictColor(vd.outcome)} data-testid="desk-verdict">
              {t(`console.desk.verdict.${vd.outcome}`)}
            </Tag>
          </Tooltip>
          <span>{vd.factLabel}</span>
          {vd.deviation !== null && (
            <Typography.Text type="secondary">
              {t('console.desk.transcript.deviation', { p: (vd.deviation * 100).toFixed(1) })}
            </Typography.Text>
          )}
          {vd.questionKind === 'control' && <Tag color="cyan">{t('console.desk.transcript.control')}</Tag>}
          {vd.crossCheck && (
            <Tag color={verdictColor(vd.crossCheck.outcome)}>
              {t('console.desk.transcript.vsEarlier', {
                outcome: t(`console.desk.verdict.${vd.crossCheck.outcome}`),
              })}
            </Tag>
          )}
        </Space>
      ))}
      {line.flags.length > 0 && (
        <Space size={4} wrap>
          {line.flags.map((id) => (
            <Tag
              key={id}
              color="red"
              icon={<LinkOutlined />}
              style={{ cursor: 'pointer' }}
              onClick={() => onFlag(id)}
              data-testid={`desk-line-flag-${id}`}
            >
              {id}
            </Tag>
          ))}
        </Space>
      )}
    </Space>
  );
}

function TranscriptCard({
  v,
  focus,
  onFlag,
}: {
  v: DeskView;
  focus: Focus | null;
  onFlag(id: string): void;
}) {
  const { t, lang } = useI18n();
  const marked = new Set(focus?.links.seqs ?? []);
  const style = (l: TranscriptLine) => {
    const base =
      l.kind === 'applicant' && isQuestionable(l)
        ? l.verdicts.some((x) => x.outcome === 'contradicted' || x.crossCheck?.outcome === 'contradicted')
          ? CONTRADICTED
          : QUESTIONABLE
        : {};
    return { padding: '4px 8px', ...base, ...(marked.has(l.seq) ? HIGHLIGHT : {}) };
  };
  const content = (l: TranscriptLine): ReactNode => {
    switch (l.kind) {
      case 'bot':
        return (
          <>
            <Typography.Text>{l.text}</Typography.Text>
            {l.mode && l.mode !== 'new' && (
              <Tag style={{ marginLeft: 8 }}>{t(`console.desk.mode.${l.mode}`)}</Tag>
            )}
          </>
        );
      case 'applicant':
        return <AnswerBody line={l} onFlag={onFlag} />;
      case 'end':
        return (
          <Typography.Text type="secondary">
            {t(`console.desk.endReason.${l.reason}`)} — {l.text}
          </Typography.Text>
        );
      case 'purged':
        return <Typography.Text type="secondary">{t('console.desk.transcript.purged')}</Typography.Text>;
    }
  };
  const who = (l: TranscriptLine) =>
    l.kind === 'applicant'
      ? t('console.desk.transcript.applicant')
      : l.kind === 'bot'
        ? t('console.desk.transcript.bot')
        : '';
  return (
    <Card
      title={t('console.desk.transcript.title', {
        n: v.transcript.filter((l) => l.kind === 'applicant').length,
      })}
      size="small"
      data-testid="desk-transcript"
    >
      <Timeline
        items={v.transcript.map((l) => ({
          key: l.seq,
          color: lineColor(l),
          content: (
            <div
              id={lineId(l.seq)}
              style={style(l)}
              data-testid={`desk-line-${l.seq}`}
              data-marked={marked.has(l.seq) ? 'true' : undefined}
              data-questionable={l.kind === 'applicant' && isQuestionable(l) ? 'true' : undefined}
            >
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                #{l.seq} · {who(l)} · {new Date(l.at).toLocaleTimeString(lang)}
              </Typography.Text>
              {content(l)}
            </div>
          ),
        }))}
      />
    </Card>
  );
}

// ------------------------------------------------------------------------------------------------ flags

function EvidenceView({ e, t, lang }: { e: Evidence; t: Translate; lang: Lang }): ReactNode {
  switch (e.kind) {
    case 'transcript':
      return (
        <a onClick={() => scrollToLine(e.seq)} data-testid="desk-evidence-line">
          {t('console.desk.evidence.line', { seq: e.seq })} “{e.text}”
        </a>
      );
    // The case value is in the fact's unit (a month's sales), so the expectation is shown in the same unit, not in
    // the question's own (a day's takings).
    case 'survey':
      return t('console.desk.evidence.survey', {
        field: e.field,
        value: formatValue(e.value, t),
        expected: formatExpectation(e.expectedInFactUnit ?? e.expected, t),
      });
    case 'financials':
      return t('console.desk.evidence.financials', {
        line: e.line,
        value: e.value === null ? '—' : e.value.toLocaleString(lang),
        expected: formatExpectation(e.expectedInFactUnit ?? e.expected, t),
      });
    case 'screening':
      return t('console.desk.evidence.screening', {
        fact: e.fact,
        value: formatValue(e.value, t),
        expected: formatExpectation(e.expectedInFactUnit ?? e.expected, t),
      });
    case 'expectation':
      return t('console.desk.evidence.expectation', {
        question: e.questionId,
        expected: formatExpectation(e.expected, t),
      });
    case 'ipc_check':
      return t(`console.desk.evidence.ipc.${e.side}`, {
        check: e.check,
        value: formatInUnit(e.value, e.unit),
      });
  }
}

function FlagsCard({
  flags,
  facts,
  focus,
  onShow,
}: {
  flags: Flag[];
  facts: Map<string, InterviewFact>;
  focus: Focus | null;
  onShow(f: Flag): void;
}) {
  const { t, lang } = useI18n();
  return (
    <Card
      title={t('console.desk.flags.title', { n: flags.length })}
      size="small"
      data-testid="desk-flags"
      styles={{ body: { maxHeight: 560, overflowY: 'auto' } }}
    >
      <List
        size="small"
        dataSource={flags}
        locale={{ emptyText: t('console.desk.flags.none') }}
        renderItem={(f) => (
          <List.Item
            id={flagId(f.id)}
            data-testid={`desk-flag-${f.id}`}
            style={focus?.flagId === f.id ? { background: '#e6f4ff' } : undefined}
          >
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Space wrap size={4}>
                <Tag color={f.severity === 'fail' ? 'red' : 'orange'}>{f.id}</Tag>
                <Typography.Text strong>{t(`console.desk.flag.${f.code}`)}</Typography.Text>
                {f.factIds.map((id) => (
                  <Tag key={id}>{facts.get(id)?.label ?? id}</Tag>
                ))}
              </Space>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {f.why}
              </Typography.Text>
              <div>
                <Typography.Text type="secondary">{t('console.desk.evidence.a')}</Typography.Text>{' '}
                <EvidenceView e={f.evidence[0]} t={t} lang={lang} />
              </div>
              <div>
                <Typography.Text type="secondary">{t('console.desk.evidence.b')}</Typography.Text>{' '}
                <EvidenceView e={f.evidence[1]} t={t} lang={lang} />
              </div>
              <Button
                size="small"
                icon={<LinkOutlined />}
                onClick={() => onShow(f)}
                data-testid="desk-flag-show"
              >
                {t('console.desk.flags.show')}
              </Button>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

// ------------------------------------------------------------------------------------- reliability, pipeline

function ReliabilityCard({ v, onSeq }: { v: DeskView; onSeq(seq: number): void }) {
  const { t } = useI18n();
  const r = v.reliability;
  return (
    <Card title={t('console.desk.reliability.title')} size="small" data-testid="desk-reliability">
      <Descriptions
        size="small"
        column={2}
        items={[
          {
            key: 'mean',
            label: t('console.desk.reliability.mean'),
            children: r.mean === null ? '—' : `${Math.round(r.mean * 100)}%`,
          },
          {
            key: 'ab',
            label: t('console.desk.reliability.prior'),
            children: r.alpha === null ? '—' : `α ${r.alpha} · β ${r.beta}`,
          },
          { key: 'asked', label: t('console.desk.reliability.asked'), children: r.asked },
          {
            key: 'pf',
            label: t('console.desk.reliability.passedFailed'),
            children: `${r.passed} / ${r.failed}`,
          },
        ]}
      />
      {r.asked === 0 ? (
        <Typography.Text type="secondary">{t('console.desk.reliability.noControls')}</Typography.Text>
      ) : (
        <Space size={4} wrap>
          {r.answers.map((a) => (
            <Tag
              key={a.seq}
              color={verdictColor(a.outcome)}
              style={{ cursor: 'pointer' }}
              onClick={() => onSeq(a.seq)}
            >
              #{a.seq} {t(`console.desk.verdict.${a.outcome}`)}
            </Tag>
          ))}
        </Space>
      )}
    </Card>
  );
}

function PipelineCard({ pipeline }: { pipeline: PipelineResult | null }) {
  const { t, lang } = useI18n();
  if (!pipeline)
    return (
      <Card title={t('console.desk.pipeline.title')} size="small" data-testid="desk-pipeline">
        <Empty description={t('console.desk.pipeline.none')} />
      </Card>
    );
  const price = pipeline.price;
  const offer = pipeline.limit?.offer;
  const en = lang === 'en-US';
  return (
    <Card
      title={t('console.desk.pipeline.title')}
      size="small"
      data-testid="desk-pipeline"
      extra={<PipelineOutcome outcome={pipeline.outcome} t={t} />}
    >
      <List
        size="small"
        header={<Typography.Text strong>{t('console.desk.pipeline.reasons')}</Typography.Text>}
        dataSource={pipeline.reasons ?? []}
        renderItem={(r) => (
          <List.Item>
            <TagLine
              tag={
                <Tag color={r.effect === 'decline' ? 'red' : r.effect === 'refer' ? 'orange' : 'default'}>
                  {t(`console.desk.pipeline.effect.${r.effect}`)}
                </Tag>
              }
            >
              {localized(r.text, lang)}
            </TagLine>
          </List.Item>
        )}
      />
      {offer && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginTop: 8 }}
          items={[
            {
              key: 'offer',
              label: t('console.desk.pipeline.offer'),
              children: t('console.desk.amountTerm', {
                amount: formatFen(offer.amountFen),
                term: offer.termMonths,
              }),
            },
            ...(pipeline.limit?.reason
              ? [
                  {
                    key: 'why',
                    label: t('console.desk.pipeline.offerWhy'),
                    children: localized(pipeline.limit.reason, lang),
                  },
                ]
              : []),
          ]}
        />
      )}
      {price && (
        <>
          <Descriptions
            size="small"
            column={1}
            style={{ marginTop: 8 }}
            items={[
              {
                key: 'rate',
                label: t('console.desk.pipeline.rate'),
                children: `${price.annualRatePercent ?? '—'} (${(en ? price.quoteEn : price.quoteZh) ?? ''})`,
              },
              {
                key: 'apr',
                label: t('console.desk.pipeline.apr'),
                children: price.apr?.effectiveAnnualPercent ?? '—',
              },
              {
                key: 'raroc',
                label: t('console.desk.pipeline.raroc'),
                children: price.raroc?.percent
                  ? `${price.raroc.percent} (${t('console.desk.pipeline.hurdle', { p: price.raroc.hurdlePercent ?? '—' })})`
                  : '—',
              },
            ]}
          />
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            data-testid="desk-price"
            dataSource={price.components ?? []}
            summary={() =>
              price.buildUpBp ? (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>{t('console.desk.pipeline.buildUp')}</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    <Typography.Text strong>{price.buildUpBp}</Typography.Text>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
            columns={[
              {
                title: t('console.desk.pipeline.component'),
                key: 'label',
                render: (_, c) => (
                  <Tooltip title={en ? c.explainEn : c.explainZh}>
                    <span>{en ? c.labelEn : c.labelZh}</span>
                  </Tooltip>
                ),
              },
              { title: 'bp', dataIndex: 'bp', align: 'right' },
            ]}
          />
          {(en ? price.notesEn : price.notesZh)?.map((n) => (
            <Typography.Paragraph key={n} type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
              {n}
            </Typography.Paragraph>
          ))}
        </>
      )}
    </Card>
  );
}

// ------------------------------------------------------------------------------------------------ opinion

export function OpinionView({ o }: { o: Opinion }) {
  const { t, lang } = useI18n();
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="desk-opinion-recorded"
      items={[
        {
          key: 'kind',
          label: t('console.desk.opinion.kind'),
          children: <Tag color="blue">{t(`console.desk.opinion.kinds.${o.kind}`)}</Tag>,
        },
        ...(o.amountYuan !== null
          ? [{ key: 'amount', label: t('console.desk.loan.amount'), children: formatYuan(o.amountYuan) }]
          : []),
        ...(o.termMonths !== null
          ? [
              {
                key: 'term',
                label: t('console.desk.loan.term'),
                children: t('console.desk.months', { n: o.termMonths }),
              },
            ]
          : []),
        ...(o.rateBp !== null
          ? [
              {
                key: 'rate',
                label: t('console.desk.opinion.rate'),
                children: `${o.rateBp} bp (${(o.rateBp / 100).toFixed(2)}%)`,
              },
            ]
          : []),
        ...(o.check
          ? [
              {
                key: 'check',
                label: t('console.desk.opinion.check'),
                children: `${o.check.what}${o.check.note ? ` — ${o.check.note}` : ''}`,
              },
            ]
          : []),
        ...(o.facts.length > 0
          ? [{ key: 'facts', label: t('console.desk.opinion.facts'), children: o.facts.join(', ') }]
          : []),
        {
          key: 'reasons',
          label: t('console.desk.opinion.reasons'),
          children: (
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {o.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ),
        },
        {
          key: 'at',
          label: t('console.desk.opinion.at'),
          children: new Date(o.createdAt).toLocaleString(lang),
        },
      ]}
    />
  );
}

function OpinionCard({ v }: { v: DeskView }) {
  const { t } = useI18n();
  const me = useMe();
  const item = v.item;
  const mine = item.status === 'claimed' && item.assigneeId === me.data?.id;
  return (
    <Card title={t('console.desk.opinion.title')} size="small" data-testid="desk-opinion">
      {v.opinion ? (
        <>
          <Alert
            type="success"
            showIcon
            title={t('console.desk.opinion.recorded')}
            style={{ marginBottom: 8 }}
          />
          <OpinionView o={v.opinion} />
        </>
      ) : mine ? (
        <OpinionForm v={v} />
      ) : (
        <Typography.Text type="secondary" data-testid="desk-opinion-locked">
          {t(
            item.status === 'claimed'
              ? 'console.desk.opinion.heldByOther'
              : 'console.desk.opinion.claimFirst',
          )}
        </Typography.Text>
      )}
    </Card>
  );
}

function OpinionForm({ v }: { v: DeskView }) {
  const { t } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<OpinionDraft>();
  const kind = Form.useWatch('kind', form);
  const give = useGiveOpinion(v.item.sessionId);
  const bankFacts = useMemo(
    () => (v.interview.facts.length > 0 ? new Set(v.interview.facts.map((f) => f.id)) : null),
    [v.interview.facts],
  );
  const rateBp = Form.useWatch('rateBp', form);
  const loan = v.case.loan;

  // validateOpinion turns the fields into the request body, or names the fields in error.
  const submit = (values: OpinionDraft) => {
    const r = validateOpinion(values, { version: v.item.version, bankFacts });
    if (!r.ok) {
      form.setFields(
        (Object.entries(r.errors) as [OpinionField, string][]).map(([name, key]) => ({
          name,
          errors: [t(key)],
        })),
      );
      return;
    }
    modal.confirm({
      title: t('console.desk.opinion.confirm'),
      okText: t('console.desk.opinion.submit'),
      cancelText: t('common.cancel'),
      onOk: () =>
        give.mutateAsync(r.body).then(
          () => void message.success(t('console.desk.opinion.submitted')),
          () => undefined, // shown in the form's alert
        ),
    });
  };

  // Facts the interview left in doubt first: they are what a second interview is for.
  const rank = { contradicted: 0, doubtful: 1, unknown: 2, consistent: 3 } as const;
  const factOptions = [...v.interview.facts]
    .sort((a, b) => rank[a.status] - rank[b.status])
    .map((f) => ({ value: f.id, label: `${f.label} · ${t(`console.desk.belief.${f.status}`)}` }));

  return (
    <Form<OpinionDraft>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      initialValues={{ kind: undefined, reasons: '' }}
      data-testid="desk-opinion-form"
    >
      {give.isError && (
        <Alert
          type="error"
          showIcon
          title={deskErrorText(t, give.error)}
          style={{ marginBottom: 12 }}
          data-testid="desk-opinion-error"
        />
      )}
      <Form.Item name="kind" label={t('console.desk.opinion.kind')}>
        <Radio.Group data-testid="desk-opinion-kind">
          <Space orientation="vertical" size={4}>
            {OPINION_KINDS.map((k) => (
              <Radio key={k} value={k} data-testid={`desk-opinion-kind-${k}`}>
                {t(`console.desk.opinion.kinds.${k}`)}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      </Form.Item>
      {kind === 'adjust' && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('console.desk.opinion.adjustHint', {
              amount: formatYuan(loan.amount_yuan),
              term: loan.term_months,
            })}
          </Typography.Paragraph>
          <Row gutter={8}>
            <Col span={24}>
              <Form.Item name="amountYuan" label={t('console.desk.opinion.amount')}>
                <Input inputMode="decimal" placeholder={loan.amount_yuan} data-testid="desk-opinion-amount" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="termMonths" label={t('console.desk.opinion.term')}>
                <InputNumber min={1} max={LIMITS.termMax} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="rateBp"
                label={t('console.desk.opinion.rate')}
                extra={
                  typeof rateBp === 'number'
                    ? t('console.desk.opinion.rateHint', { p: (rateBp / 100).toFixed(2) })
                    : undefined
                }
              >
                <InputNumber min={1} max={LIMITS.rateMax} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
      {kind === 'send_back' && (
        <>
          <Form.Item name="checkCode" label={t('console.desk.opinion.check')}>
            <Select
              data-testid="desk-opinion-check"
              options={CHECK_CODES.map((c) => ({ value: c, label: t(`console.desk.checkCode.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="checkNote" label={t('console.desk.opinion.note')}>
            <Input.TextArea rows={2} maxLength={LIMITS.note} />
          </Form.Item>
        </>
      )}
      {kind === 'second_interview' && (
        <Form.Item
          name="facts"
          label={t('console.desk.opinion.facts')}
          extra={t('console.desk.opinion.factsHint')}
        >
          <Select
            mode="multiple"
            options={factOptions}
            optionFilterProp="label"
            data-testid="desk-opinion-facts"
          />
        </Form.Item>
      )}
      <Form.Item
        name="reasons"
        label={t('console.desk.opinion.reasons')}
        extra={t('console.desk.opinion.reasonsHint')}
      >
        <Input.TextArea
          rows={4}
          placeholder={t('console.desk.opinion.reasonsPlaceholder')}
          data-testid="desk-opinion-reasons"
        />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        loading={give.isPending}
        block
        data-testid="desk-opinion-submit"
      >
        {t('console.desk.opinion.submit')}
      </Button>
    </Form>
  );
}
