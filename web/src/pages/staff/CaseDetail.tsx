/**
 * One case for the loan officer: the applicant and the request, the IPC survey, the rebuilt financials with their
 * cross-checks, the screening findings, the pipeline's result and price, the interviews with the expert's opinion
 * ("what to check" when sent back), and the interview invitation. Each part loads on its own, so a part the case
 * does not have yet (no survey, never screened, no result) says so without hiding the rest.
 */
import { ArrowLeftOutlined, CopyOutlined, PlayCircleOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Flex,
  Input,
  Modal,
  Popconfirm,
  Result,
  Row,
  Spin,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { errorCode, errorText } from '../../components/errorText.js';
import { hasKey, localized, useI18n, type Lang, type Translate } from '../../i18n.js';
import {
  bpToPercent,
  byVerdict,
  checkFigure,
  checkKey,
  chinaDateTime,
  money,
  outcomeColor,
  pct,
  percent,
  type OfficerTodo,
  statusColor,
  statusKey,
  timeLeft,
  todoView,
  verdictColor,
  verdictCounts,
} from './caseFormat.js';
import {
  useCase,
  useCrossChecks,
  useFinancials,
  useInvitations,
  useOutcome,
  usePipeline,
  useRunPipeline,
  useRunScreening,
  useScreening,
  useSendInvitation,
  useSurvey,
  type CaseDetailDto,
  type CheckResult,
  type Financials,
  type Invitation,
  type InvitationRow,
  type Line,
  type Opinion,
} from './caseQueries.js';
import { useMe } from './queries.js';

/** A label from the case dictionaries, or the raw value when the server sends one we have no word for. */
const labelOr = (t: Translate, key: string, raw: string) => (hasKey(key) ? t(key) : raw);

function Loading() {
  return (
    <Flex justify="center" style={{ padding: 48 }}>
      <Spin size="large" data-testid="case-loading" />
    </Flex>
  );
}

/** An error, or — for the codes a case may simply not have reached yet — a calm note instead. */
function PartError({ error, notYet }: { error: unknown; notYet?: Record<string, string> }) {
  const { t } = useI18n();
  const code = errorCode(error);
  if (code && notYet?.[code]) return <Empty description={notYet[code]} data-testid="case-part-empty" />;
  return <Alert type="error" showIcon title={errorText(t, error)} data-testid="case-part-error" />;
}

// ---------------------------------------------------------------------------------------------------------------
// The applicant and the request

function ApplicantPanel({ c }: { c: CaseDetailDto }) {
  const { t } = useI18n();
  const a = c.applicant;
  return (
    <Flex vertical gap={16}>
      <Descriptions
        title={
          <Flex gap={8} align="center">
            {t('console.case.applicant.title')}
            <Tag color={c.pii_masked ? 'default' : 'blue'} data-testid="case-pii">
              {t(c.pii_masked ? 'console.case.applicant.masked' : 'console.case.applicant.unmasked')}
            </Tag>
          </Flex>
        }
        bordered
        size="small"
        column={2}
        data-testid="case-applicant"
        items={[
          {
            key: 'name',
            label: t('console.case.applicant.name'),
            children: <span data-testid="case-applicant-name">{a.name}</span>,
          },
          {
            key: 'kind',
            label: t('console.case.applicant.kind'),
            children: t(`console.case.kind.${a.kind}`),
          },
          { key: 'rid', label: t('console.case.applicant.residentId'), children: a.resident_id },
          { key: 'mobile', label: t('console.case.applicant.mobile'), children: a.mobile },
          { key: 'business', label: t('console.case.applicant.business'), children: a.business_name ?? '—' },
          { key: 'uscc', label: t('console.case.applicant.uscc'), children: a.uscc ?? '—' },
          {
            key: 'industry',
            label: t('console.case.applicant.industry'),
            children: `${a.industry_code} · ${t(`console.case.sector.${a.sector}`)}`,
          },
          { key: 'household', label: t('console.case.applicant.household'), children: a.household_size },
          { key: 'address', label: t('console.case.applicant.address'), children: a.address, span: 2 },
        ]}
      />
      {a.household_members.length > 0 && (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={a.household_members}
          columns={[
            {
              title: t('console.case.member.relation'),
              dataIndex: 'relation',
              render: (r: string) => t(`console.case.relation.${r}`),
            },
            { title: t('console.case.member.name'), dataIndex: 'name' },
            { title: t('console.case.member.age'), dataIndex: 'age', render: (v: number | null) => v ?? '—' },
            {
              title: t('console.case.member.worksInBusiness'),
              dataIndex: 'works_in_business',
              render: (v: boolean | null) =>
                v === null ? '—' : t(v ? 'console.case.yes' : 'console.case.no'),
            },
          ]}
        />
      )}
      <Descriptions
        title={t('console.case.loan.title')}
        bordered
        size="small"
        column={2}
        data-testid="case-loan"
        items={[
          { key: 'amount', label: t('console.case.field.amount'), children: money(c.loan.amount_fen) },
          {
            key: 'term',
            label: t('console.case.loan.term'),
            children: t('console.case.months', { n: c.loan.term_months }),
          },
          {
            key: 'method',
            label: t('console.case.loan.method'),
            children: t(`console.case.method.${c.loan.repayment_method}`),
          },
          { key: 'purpose', label: t('console.case.loan.purpose'), children: c.loan.purpose },
          {
            key: 'source',
            label: t('console.case.field.source'),
            children:
              t(`console.case.source.${c.source}`) + (c.upstream_case_no ? ` · ${c.upstream_case_no}` : ''),
          },
          { key: 'created', label: t('console.case.field.createdAt'), children: chinaDateTime(c.created_at) },
          { key: 'updated', label: t('console.case.field.updatedAt'), children: chinaDateTime(c.updated_at) },
          {
            key: 'id',
            label: t('console.case.field.id'),
            children: <Typography.Text code>{c.id}</Typography.Text>,
          },
        ]}
      />
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The IPC survey

function SurveyPanel({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = useSurvey(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <PartError error={q.error} />;
  const s = q.data;
  const answered = s.visible_questions.filter((qid) => qid in s.answers).length;
  const rejected = Object.keys(s.rejected).length;
  return (
    <Flex vertical gap={16} data-testid="case-survey">
      <Descriptions
        bordered
        size="small"
        column={2}
        items={[
          {
            key: 'status',
            label: t('console.case.survey.status'),
            children: (
              <Tag
                color={s.status === 'submitted' ? 'success' : 'processing'}
                data-testid="case-survey-status"
              >
                {t(`console.case.survey.${s.status}`)}
              </Tag>
            ),
          },
          {
            key: 'template',
            label: t('console.case.survey.template'),
            children: `${localized(s.template.title, lang) || s.template.id} · v${s.template.version}`,
          },
          {
            key: 'answered',
            label: t('console.case.survey.answered'),
            children: t('console.case.survey.answeredOf', { n: answered, total: s.visible_questions.length }),
          },
          { key: 'rejected', label: t('console.case.survey.rejected'), children: rejected },
          {
            key: 'updated',
            label: t('console.case.survey.updatedAt'),
            children: chinaDateTime(s.updated_at) || '—',
          },
          {
            key: 'submitted',
            label: t('console.case.survey.submittedAt'),
            children: chinaDateTime(s.submitted_at) || '—',
          },
        ]}
      />
      {s.issues.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('console.case.survey.issues', { n: s.issues.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {s.issues.slice(0, 12).map((i, n) => (
                <li key={n}>
                  <Typography.Text code>{i.questionId}</Typography.Text> {localized(i.message, lang)}
                </li>
              ))}
              {s.issues.length > 12 && <li>…</li>}
            </ul>
          }
        />
      ) : (
        <Alert type="success" showIcon title={t('console.case.survey.noIssues')} />
      )}
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Financials and cross-checks

function LinesTable({ title, lines, testId }: { title: string; lines: (Line | null)[]; testId?: string }) {
  const { lang } = useI18n();
  const rows = lines.filter((l): l is Line => l !== null);
  return (
    <Table<Line>
      size="small"
      title={() => <Typography.Text strong>{title}</Typography.Text>}
      rowKey="id"
      pagination={false}
      dataSource={rows}
      data-testid={testId}
      columns={[
        { key: 'label', render: (_, l) => localized(l.label, lang) || l.id },
        {
          key: 'amount',
          align: 'right',
          render: (_, l) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{money(l.amountFen)}</span>,
        },
      ]}
      showHeader={false}
    />
  );
}

function FinancialsView({ f }: { f: Financials }) {
  const { t, lang } = useI18n();
  const m = f.pnlMonthly;
  const y = f.pnlAnnual;
  const bs = f.balanceSheet;
  const pnlRows = (
    [
      'revenue',
      'costOfSales',
      'grossProfit',
      'otherIncome',
      'operatingCosts',
      'tax',
      'other',
      'netProfit',
      'depreciation',
    ] as const
  ).map((k) => ({ k, month: m[k], year: y[k] }));
  return (
    <Flex vertical gap={16} data-testid="case-financials">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('console.case.fin.revenueMonthly')} value={money(m.revenue.amountFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('console.case.fin.grossMargin')} value={percent(f.grossMargin.value)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('console.case.fin.netProfitMonthly')} value={money(m.netProfit.amountFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('console.case.fin.disposableMonthly')}
            value={money(f.household.disposableMonthly.amountFen)}
          />
        </Col>
      </Row>
      <Table
        size="small"
        rowKey="k"
        pagination={false}
        dataSource={pnlRows}
        title={() => <Typography.Text strong>{t('console.case.fin.pnl')}</Typography.Text>}
        columns={[
          {
            title: t('console.case.fin.item'),
            key: 'label',
            render: (_, r) =>
              r.k === 'depreciation' ? (
                <Typography.Text type="secondary">{localized(r.month.label, lang)}</Typography.Text>
              ) : r.k === 'grossProfit' || r.k === 'netProfit' ? (
                <Typography.Text strong>{localized(r.month.label, lang)}</Typography.Text>
              ) : (
                localized(r.month.label, lang)
              ),
          },
          {
            title: t('console.case.fin.month'),
            key: 'month',
            align: 'right',
            render: (_, r) => money(r.month.amountFen),
          },
          {
            title: t('console.case.fin.year'),
            key: 'year',
            align: 'right',
            render: (_, r) => money(r.year.amountFen),
          },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <LinesTable
            title={t('console.case.fin.assets')}
            lines={[...bs.assets, ...bs.fixedAssets, bs.totalAssets]}
            testId="case-assets"
          />
        </Col>
        <Col xs={24} lg={12}>
          <LinesTable
            title={t('console.case.fin.liabilities')}
            lines={[...bs.liabilities, bs.totalLiabilities, bs.equity]}
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <LinesTable
            title={t('console.case.fin.household')}
            lines={[
              f.household.otherIncomeMonthly,
              f.household.spendingMonthly,
              f.household.debtPrincipalMonthly,
              f.household.disposableMonthly,
            ]}
          />
        </Col>
        <Col xs={24} lg={12}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={f.salesRoutes}
            title={() => <Typography.Text strong>{t('console.case.fin.salesRoutes')}</Typography.Text>}
            showHeader={false}
            columns={[
              {
                key: 'label',
                render: (_, r) => (
                  <>
                    {localized(r.label, lang) || r.id}{' '}
                    {r.id === f.primaryRoute && <Tag color="blue">{t('console.case.fin.primary')}</Tag>}
                  </>
                ),
              },
              { key: 'amount', align: 'right', render: (_, r) => money(r.monthlySalesFen) },
            ]}
          />
        </Col>
      </Row>
    </Flex>
  );
}

function checkName(t: Translate, lang: Lang, c: CheckResult, f: Financials | undefined): string {
  const key = checkKey(c.name);
  if (key) return labelOr(t, key, c.name);
  const route = f?.salesRoutes.find((r) => `sales.${r.id}` === c.name);
  const label = route ? localized(route.label, lang) : c.name.slice('sales.'.length);
  return t('console.case.check.salesRoute', { route: label });
}

function CrossChecksView({ id, f }: { id: string; f: Financials | undefined }) {
  const { t, lang } = useI18n();
  const q = useCrossChecks(id);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <PartError
        error={q.error}
        notYet={{
          SURVEY_NOT_STARTED: t('console.case.fin.noSurvey'),
          FINANCIALS_INCOMPLETE: t('console.case.fin.incomplete'),
        }}
      />
    );
  const checks = byVerdict(q.data.checks);
  const n = verdictCounts(checks);
  const days = t('console.case.check.days');
  return (
    <Flex vertical gap={16} data-testid="case-crosschecks">
      <Alert
        type={n.fail > 0 ? 'error' : n.warn > 0 ? 'warning' : 'success'}
        showIcon
        title={t('console.case.check.summary', { fail: n.fail, warn: n.warn, pass: n.pass })}
        data-testid="case-check-summary"
      />
      <Table<CheckResult>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={checks}
        onRow={(c) => ({
          'data-testid': `check-${c.verdict}`,
          style: c.verdict === 'fail' ? { background: '#fff1f0' } : undefined,
        })}
        columns={[
          { title: t('console.case.check.name'), key: 'name', render: (_, c) => checkName(t, lang, c, f) },
          {
            title: t('console.case.check.verdict'),
            dataIndex: 'verdict',
            render: (v: string) => <Tag color={verdictColor(v)}>{t(`console.case.verdict.${v}`)}</Tag>,
          },
          {
            title: t('console.case.check.expected'),
            key: 'expected',
            align: 'right',
            render: (_, c) => checkFigure(c.expected, c.unit, days),
          },
          {
            title: t('console.case.check.observed'),
            key: 'observed',
            align: 'right',
            render: (_, c) => checkFigure(c.observed, c.unit, days),
          },
          {
            title: t('console.case.check.deviation'),
            key: 'dev',
            align: 'right',
            render: (_, c) => pct(c.deviationPct),
          },
          {
            title: t('console.case.check.tolerance'),
            key: 'tol',
            render: (_, c) =>
              c.tolerance.fail === null
                ? t('console.case.check.warnOnly', { warn: pct(c.tolerance.warn) })
                : `${pct(c.tolerance.warn)} / ${pct(c.tolerance.fail)}`,
          },
          {
            title: t('console.case.check.explanation'),
            key: 'why',
            render: (_, c) => localized(c.explanation, lang),
          },
        ]}
      />
      {q.data.doubts.length > 0 && (
        <Card size="small" title={t('console.case.check.doubts')}>
          <Flex wrap gap={8}>
            {q.data.doubts.map((d) => (
              <Tag key={d.factId} color={d.level === 'fail' ? 'error' : 'warning'}>
                {d.factId}
              </Tag>
            ))}
          </Flex>
        </Card>
      )}
    </Flex>
  );
}

function FinancialsPanel({ id }: { id: string }) {
  const { t } = useI18n();
  const q = useFinancials(id);
  const notYet: Record<string, string> = {
    SURVEY_NOT_STARTED: t('console.case.fin.noSurvey'),
    FINANCIALS_INCOMPLETE: t('console.case.fin.incomplete'),
  };
  // Without financials there is nothing to cross-check: the note above says why once.
  const noFinancials = q.isError && notYet[errorCode(q.error) ?? ''] !== undefined;
  return (
    <Flex vertical gap={24}>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <PartError error={q.error} notYet={notYet} />
      ) : (
        <>
          {q.data.survey_status !== 'submitted' && (
            <Alert type="info" showIcon title={t('console.case.fin.draft')} />
          )}
          <FinancialsView f={q.data.financials} />
        </>
      )}
      {!noFinancials && (
        <>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('console.case.check.title')}
          </Typography.Title>
          <CrossChecksView id={id} f={q.data?.financials} />
        </>
      )}
    </Flex>
  );
}

/** A button that asks the server to compute a part again, with its error under it. */
function RunBar({
  label,
  run,
  testId,
  known = {},
}: {
  label: string;
  run: { mutate(): void; isPending: boolean; isError: boolean; error: unknown };
  testId: string;
  /** Refusals this part words itself (by error code), more precisely than the shared error texts. */
  known?: Record<string, string>;
}) {
  const { t } = useI18n();
  const code = errorCode(run.error);
  return (
    <Flex vertical gap={8}>
      <Flex justify="flex-end">
        <Button
          icon={<PlayCircleOutlined />}
          loading={run.isPending}
          onClick={() => run.mutate()}
          data-testid={testId}
        >
          {label}
        </Button>
      </Flex>
      {run.isError && (
        <Alert
          type={code && known[code] ? 'warning' : 'error'}
          showIcon
          title={(code && known[code]) || errorText(t, run.error)}
          data-testid={`${testId}-error`}
        />
      )}
    </Flex>
  );
}

/** A part the user may ask the server to compute again: the button (when permitted) above the part. */
function RunnablePart({ bar, children }: { bar: ReactNode; children: ReactNode }) {
  return (
    <Flex vertical gap={16}>
      {bar}
      {children}
    </Flex>
  );
}

function ScreeningPanel({ id, canRun }: { id: string; canRun: boolean }) {
  const { t } = useI18n();
  const run = useRunScreening(id);
  const bar = canRun && (
    <RunBar
      label={t('console.case.screening.run')}
      run={run}
      testId="run-screening"
      known={{ CONSENT_REQUIRED: t('console.case.screening.consentRequired') }}
    />
  );
  return (
    <RunnablePart bar={bar}>
      <ScreeningView id={id} />
    </RunnablePart>
  );
}

function PipelinePanel({ id, canRun }: { id: string; canRun: boolean }) {
  const { t } = useI18n();
  const run = useRunPipeline(id);
  const bar = canRun && <RunBar label={t('console.case.pipeline.run')} run={run} testId="run-pipeline" />;
  return (
    <RunnablePart bar={bar}>
      <PipelineView id={id} />
    </RunnablePart>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Screening

function ScreeningView({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = useScreening(id);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return <PartError error={q.error} notYet={{ SCREENING_NOT_FOUND: t('console.case.screening.none') }} />;
  const s = q.data;
  return (
    <Flex vertical gap={16} data-testid="case-screening">
      <Descriptions
        bordered
        size="small"
        column={3}
        items={[
          {
            key: 'status',
            label: t('console.case.screening.status'),
            children: labelOr(t, `console.case.screening.status.${s.status}`, s.status),
          },
          { key: 'asOf', label: t('console.case.screening.asOf'), children: chinaDateTime(s.as_of) },
          { key: 'attempt', label: t('console.case.screening.attempt'), children: s.attempt },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('console.case.screening.findings')}
      </Typography.Title>
      {s.findings.length === 0 ? (
        <Alert type="success" showIcon title={t('console.case.screening.noFindings')} />
      ) : (
        <Flex vertical gap={8}>
          {s.findings.map((f) => (
            <Alert
              key={f.code}
              type={f.severity === 'fail' ? 'error' : f.severity === 'warn' ? 'warning' : 'info'}
              showIcon
              title={localized(f.text, lang)}
              description={<Typography.Text type="secondary">{f.code}</Typography.Text>}
            />
          ))}
        </Flex>
      )}
      <Table
        size="small"
        rowKey={(r) => `${r.category}:${r.provider ?? ''}`}
        pagination={false}
        dataSource={s.sources}
        title={() => <Typography.Text strong>{t('console.case.screening.sources')}</Typography.Text>}
        columns={[
          {
            title: t('console.case.screening.category'),
            dataIndex: 'category',
            render: (c: string) => labelOr(t, `console.case.screening.category.${c}`, c),
          },
          { title: t('console.case.screening.provider'), dataIndex: 'provider', render: (p) => p ?? '—' },
          {
            title: t('console.case.screening.status'),
            dataIndex: 'status',
            render: (v: string) => (
              <Tag color={v === 'ok' ? 'success' : v === 'failed' ? 'error' : 'default'}>
                {labelOr(t, `console.case.screening.source.${v}`, v)}
              </Tag>
            ),
          },
          {
            title: t('console.case.screening.mandatory'),
            dataIndex: 'mandatory',
            render: (v: boolean) => t(v ? 'console.case.yes' : 'console.case.no'),
          },
          { title: t('console.case.screening.cost'), dataIndex: 'cost_fen', align: 'right', render: money },
        ]}
      />
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Pipeline result

function PipelineView({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = usePipeline(id);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return (
      <PartError error={q.error} notYet={{ PIPELINE_RESULT_NOT_FOUND: t('console.case.pipeline.none') }} />
    );
  const p = q.data;
  const r = p.result;
  const offer = r.limit?.offer ?? null;
  return (
    <Flex vertical gap={16} data-testid="case-pipeline">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('console.case.pipeline.outcome')}
            valueRender={() => (
              <Tag color={outcomeColor(p.outcome)} style={{ fontSize: 16, padding: '2px 10px' }}>
                {t(`console.case.outcome.${p.outcome}`)}
              </Tag>
            )}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('console.case.pipeline.grade')} value={r.grade} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('console.case.pipeline.pd')} value={percent(r.pd.value, 2)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t(
              r.priceOf === 'offer' ? 'console.case.pipeline.rateOffer' : 'console.case.pipeline.rateRequest',
            )}
            value={r.price.annualRatePercent}
          />
        </Col>
      </Row>
      <Descriptions
        bordered
        size="small"
        column={2}
        items={[
          {
            key: 'quote',
            label: t('console.case.pipeline.quote'),
            children: lang === 'en-US' ? r.price.quoteEn : r.price.quoteZh,
          },
          {
            key: 'apr',
            label: t('console.case.pipeline.apr'),
            children: r.price.apr?.effectiveAnnualPercent ?? '—',
          },
          {
            key: 'offer',
            label: t('console.case.pipeline.offer'),
            children: offer
              ? t('console.case.pipeline.offerText', {
                  amount: money(offer.amountFen),
                  months: offer.termMonths,
                  rate: bpToPercent(offer.annualRateBp),
                })
              : t('console.case.pipeline.noOffer'),
          },
          {
            key: 'limitReason',
            label: t('console.case.pipeline.limitReason'),
            children: r.limit ? localized(r.limit.reason, lang) : '—',
          },
          { key: 'at', label: t('console.case.pipeline.at'), children: chinaDateTime(p.created_at) },
          {
            key: 'trigger',
            label: t('console.case.pipeline.trigger'),
            children: labelOr(t, `console.case.pipeline.trigger.${p.trigger}`, p.trigger),
          },
        ]}
      />
      <Card size="small" title={t('console.case.pipeline.reasons')}>
        {r.reasons.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Flex vertical gap={6}>
            {r.reasons.map((x, i) => (
              <div key={`${x.code}-${i}`}>
                <Tag color={x.effect === 'decline' ? 'error' : x.effect === 'refer' ? 'warning' : 'default'}>
                  {t(`console.case.effect.${x.effect}`)}
                </Tag>
                {localized(x.text, lang)}
              </div>
            ))}
          </Flex>
        )}
      </Card>
      {r.missing.length > 0 && (
        <Alert
          type="info"
          showIcon
          title={t('console.case.pipeline.missing')}
          description={r.missing.map((m) => localized(m.label, lang) || m.key).join('；')}
        />
      )}
      {(lang === 'en-US' ? r.price.notesEn : r.price.notesZh)?.length ? (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {(lang === 'en-US' ? r.price.notesEn : r.price.notesZh)!.join(' ')}
        </Typography.Paragraph>
      ) : null}
    </Flex>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Interviews, the expert's opinion and what to check

function OpinionView({ o }: { o: Opinion }) {
  const { t } = useI18n();
  const items: { key: string; label: string; children: ReactNode }[] = [
    {
      key: 'kind',
      label: t('console.case.opinion.kind'),
      children: <Tag color={outcomeColor(o.kind)}>{t(`console.case.opinion.${o.kind}`)}</Tag>,
    },
    { key: 'at', label: t('console.case.opinion.at'), children: chinaDateTime(o.createdAt) },
  ];
  if (o.kind === 'adjust')
    items.push({
      key: 'terms',
      label: t('console.case.opinion.terms'),
      children: [
        o.amountYuan ? `¥${o.amountYuan}` : null,
        o.termMonths ? t('console.case.months', { n: o.termMonths }) : null,
        o.rateBp !== null ? bpToPercent(o.rateBp) : null,
      ]
        .filter(Boolean)
        .join(' · '),
    });
  if (o.reasons.length)
    items.push({ key: 'reasons', label: t('console.case.opinion.reasons'), children: o.reasons.join('；') });
  return <Descriptions bordered size="small" column={2} items={items} data-testid="case-opinion" />;
}

function Todo({ todo }: { todo: OfficerTodo }) {
  const { t } = useI18n();
  const v = todoView(todo);
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="case-todo"
      title={t(v.kind === 'send_back' ? 'console.case.todo.sentBack' : 'console.case.todo.secondInterview')}
      description={
        <Flex vertical gap={4}>
          {v.what && <Typography.Text strong>{v.what}</Typography.Text>}
          {v.note && <span>{t('console.case.todo.note', { note: v.note })}</span>}
          {v.facts.length > 0 && <span>{t('console.case.todo.facts', { facts: v.facts.join('、') })}</span>}
          {v.reasons.length > 0 && (
            <span>{t('console.case.todo.reasons', { reasons: v.reasons.join('；') })}</span>
          )}
        </Flex>
      }
    />
  );
}

function OutcomePanel({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const q = useOutcome(id, lang);
  if (q.isPending) return <Loading />;
  if (q.isError)
    return <PartError error={q.error} notYet={{ CASE_NOT_FOUND: t('console.case.outcome.notYours') }} />;
  const o = q.data;
  return (
    <Flex vertical gap={16} data-testid="case-outcome">
      {o.todo && <Todo todo={o.todo} />}
      <Card size="small" title={t('console.case.opinion.title')}>
        {o.opinion ? <OpinionView o={o.opinion} /> : <Empty description={t('console.case.opinion.none')} />}
      </Card>
      <InvitationsCard id={id} />
      <Card size="small" title={t('console.case.interviews.title')}>
        <Table
          size="small"
          rowKey="sessionId"
          pagination={false}
          dataSource={o.interviews}
          locale={{ emptyText: t('console.case.interviews.none') }}
          columns={[
            {
              title: t('console.case.interviews.endedAt'),
              dataIndex: 'endedAt',
              render: (v: string) => chinaDateTime(v),
            },
            {
              title: t('console.case.interviews.status'),
              dataIndex: 'status',
              render: (v: string) => labelOr(t, `console.case.interviews.status.${v}`, v),
            },
            {
              title: t('console.case.interviews.endReason'),
              dataIndex: 'endReason',
              render: (v: string | null) => (v ? labelOr(t, `console.case.endReason.${v}`, v) : '—'),
            },
            {
              title: t('console.case.interviews.review'),
              dataIndex: 'review',
              render: (v: string | null) => (v ? labelOr(t, `console.case.review.${v}`, v) : '—'),
            },
            {
              title: t('console.case.interviews.opinion'),
              key: 'opinion',
              render: (_, r) =>
                r.opinion ? (
                  <Tag color={outcomeColor(r.opinion.kind)}>
                    {t(`console.case.opinion.${r.opinion.kind}`)}
                  </Tag>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}

/** The case's invitations: which link is live, until when, and whether the applicant opened or used it. */
function InvitationsCard({ id }: { id: string }) {
  const { t } = useI18n();
  const q = useInvitations(id);
  const when = (v: string | null) => (v ? chinaDateTime(v) : '—');
  return (
    <Card size="small" title={t('console.case.invitations.title')} data-testid="case-invitations">
      {q.isError ? (
        <PartError error={q.error} />
      ) : (
        <Table<InvitationRow>
          size="small"
          rowKey="id"
          pagination={false}
          loading={q.isPending}
          dataSource={q.data ?? []}
          locale={{ emptyText: t('console.case.invitations.none') }}
          columns={[
            { title: t('console.case.invitations.createdAt'), dataIndex: 'created_at', render: when },
            {
              title: t('console.case.invitations.status'),
              dataIndex: 'status',
              render: (v: string) => (
                <Tag color={v === 'active' ? 'green' : v === 'used' ? 'blue' : 'default'}>
                  {labelOr(t, `console.case.invitations.status.${v}`, v)}
                </Tag>
              ),
            },
            { title: t('console.case.invitations.expiresAt'), dataIndex: 'expires_at', render: when },
            { title: t('console.case.invitations.openedAt'), dataIndex: 'opened_at', render: when },
            { title: t('console.case.invitations.usedAt'), dataIndex: 'used_at', render: when },
            { title: t('console.case.invitations.failedChecks'), dataIndex: 'failed_checks' },
          ]}
        />
      )}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The invitation

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (plain http, an embedded browser): the old way, through a selected textarea.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

function InvitationResult({ inv }: { inv: Invitation }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const left = timeLeft(inv.expires_at, Date.now());
  const copy = async () => {
    if (await copyText(inv.link)) message.success(t('console.case.invite.copied'));
    else message.error(t('console.case.invite.copyFailed'));
  };
  return (
    <Flex vertical gap={12} data-testid="invitation">
      <Alert type="success" showIcon title={t('console.case.invite.sent')} />
      <Typography.Text type="secondary">{t('console.case.invite.hint')}</Typography.Text>
      <Flex gap={8}>
        <Input readOnly value={inv.link} data-testid="invitation-link" onFocus={(e) => e.target.select()} />
        <Button icon={<CopyOutlined />} onClick={() => void copy()} data-testid="invitation-copy">
          {t('console.case.invite.copy')}
        </Button>
      </Flex>
      <Typography.Text data-testid="invitation-expiry">
        {t('console.case.invite.expires', { at: chinaDateTime(inv.expires_at) })}
        {left && ` · ${t('console.case.invite.left', { h: left.hours, m: left.minutes })}`}
      </Typography.Text>
      {inv.qr_png_data_url && (
        <Flex justify="center">
          <img
            src={inv.qr_png_data_url}
            alt={t('console.case.invite.qr')}
            width={220}
            height={220}
            data-testid="invitation-qr"
          />
        </Flex>
      )}
      {(inv.wechat_link || inv.app_link) && (
        <Descriptions
          size="small"
          column={1}
          items={[
            ...(inv.wechat_link
              ? [
                  {
                    key: 'wechat',
                    label: t('console.case.invite.wechat'),
                    children: <Typography.Text copyable>{inv.wechat_link}</Typography.Text>,
                  },
                ]
              : []),
            ...(inv.app_link
              ? [
                  {
                    key: 'app',
                    label: t('console.case.invite.app'),
                    children: <Typography.Text copyable>{inv.app_link}</Typography.Text>,
                  },
                ]
              : []),
          ]}
        />
      )}
    </Flex>
  );
}

function SendInvitation({ c }: { c: CaseDetailDto }) {
  const { t } = useI18n();
  const send = useSendInvitation(c.id);
  const [open, setOpen] = useState(false);
  const go = () => {
    setOpen(true);
    send.mutate();
  };
  // Issuing again revokes the link sent before: say so first.
  const resend = c.status === 'invited' || c.status === 'interviewing';
  const button = (
    <Button
      type="primary"
      icon={<SendOutlined />}
      onClick={resend ? undefined : go}
      data-testid="send-invitation"
    >
      {t('console.case.invite.button')}
    </Button>
  );
  return (
    <>
      {resend ? (
        <Popconfirm
          title={t('console.case.invite.resendTitle')}
          description={t('console.case.invite.resendText')}
          okText={t('console.case.invite.resendOk')}
          cancelText={t('common.cancel')}
          onConfirm={go}
        >
          {button}
        </Popconfirm>
      ) : (
        button
      )}
      <Modal
        open={open}
        title={t('console.case.invite.title')}
        onCancel={() => setOpen(false)}
        footer={<Button onClick={() => setOpen(false)}>{t('console.case.invite.close')}</Button>}
        destroyOnHidden
      >
        {send.isPending ? (
          <Loading />
        ) : send.isError ? (
          <Alert type="error" showIcon title={errorText(t, send.error)} data-testid="invitation-error" />
        ) : send.data ? (
          <InvitationResult inv={send.data} />
        ) : null}
      </Modal>
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The page

export function CaseDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const me = useMe();
  const q = useCase(id);
  const can = (p: string) => me.data?.permissions.includes(p) ?? false;

  if (q.isPending) return <Loading />;
  if (q.isError) {
    const code = errorCode(q.error);
    if (code === 'CASE_NOT_FOUND' || code === 'VALIDATION_FAILED')
      return (
        <Result
          status="404"
          title={t('console.case.notFound.title')}
          subTitle={t('console.case.notFound.text')}
          data-testid="case-not-found"
          extra={
            <Link to="/cases">
              <Button type="primary">{t('console.case.back')}</Button>
            </Link>
          }
        />
      );
    return <Alert type="error" showIcon title={errorText(t, q.error)} data-testid="case-error" />;
  }
  const c = q.data;
  const tabs = [
    { key: 'applicant', label: t('console.case.tab.applicant'), children: <ApplicantPanel c={c} /> },
    { key: 'survey', label: t('console.case.tab.survey'), children: <SurveyPanel id={c.id} /> },
    { key: 'financials', label: t('console.case.tab.financials'), children: <FinancialsPanel id={c.id} /> },
    ...(can('screening:read')
      ? [
          {
            key: 'screening',
            label: t('console.case.tab.screening'),
            children: <ScreeningPanel id={c.id} canRun={can('screening:run')} />,
          },
        ]
      : []),
    ...(can('review:read')
      ? [
          {
            key: 'pipeline',
            label: t('console.case.tab.pipeline'),
            children: <PipelinePanel id={c.id} canRun={can('pipeline:run')} />,
          },
          { key: 'outcome', label: t('console.case.tab.outcome'), children: <OutcomePanel id={c.id} /> },
        ]
      : []),
  ];

  return (
    <Card data-testid="caseDetail">
      <Flex justify="space-between" align="flex-start" wrap gap={16} style={{ marginBottom: 16 }}>
        <Flex vertical gap={4}>
          <Link to="/cases">
            <ArrowLeftOutlined /> {t('console.case.back')}
          </Link>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-title">
              {c.applicant.business_name ?? c.applicant.name}
            </Typography.Title>
            <Tag color={statusColor(c.status)} data-testid="case-status">
              {t(statusKey(c.status))}
            </Tag>
          </Flex>
          <Typography.Text type="secondary">
            {t('console.case.headline', {
              name: c.applicant.name,
              sector: t(`console.case.sector.${c.applicant.sector}`),
              amount: money(c.loan.amount_fen),
              months: c.loan.term_months,
            })}
          </Typography.Text>
        </Flex>
        {can('interview:trigger') && <SendInvitation c={c} />}
      </Flex>
      <Tabs items={tabs} defaultActiveKey="applicant" data-testid="case-tabs" />
    </Card>
  );
}
