/**
 * One recording for compliance: the interview replayed as a timeline (each line in and out with its time and
 * channel, the policy's recorded reasons for each question, the consents), the chain and its anchor, findings,
 * legal hold, the signed export and its verification, the recompute, and the log of who viewed it. Every reading of
 * the recording is logged by the server; the actions are shown only to the roles the server would allow.
 */
import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloseCircleOutlined,
  DownloadOutlined,
  ExperimentOutlined,
  FlagOutlined,
  LockOutlined,
  SafetyCertificateOutlined,
  UnlockOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Progress,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import type { ButtonProps } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { errorText } from '../../components/errorText.js';
import { hasKey, useI18n, type Translate } from '../../i18n.js';
import { useMe } from './queries.js';
import {
  type ChainStatus,
  type TimelineEntry,
  type TimelineItem,
  chainStatus,
  exportFileName,
  formatOffset,
  progressPercent,
  timelineItems,
} from './recordingModel.js';
import {
  type BundleCheck,
  type ExportedBundle,
  type FindingInput,
  type RecordingDetail as Doc,
  type Timeline as TimelineDoc,
  useCaseApplicant,
  useExport,
  useMarkFinding,
  usePlaceHold,
  usePurge,
  useRecompute,
  useRecording,
  useReleaseHold,
  useSigningKey,
  useTimeline,
  useVerifyBundle,
  useViewLog,
} from './recordingQueries.js';
import {
  OUTCOME_COLOR,
  codeLabel,
  formatClock,
  formatTime,
  useBranchName,
  useUserName,
} from './Recordings.js';

const R = 'console.recordings';

const label = codeLabel;

/** A refusal in this area's words when it has them (RECORDING_ON_HOLD, RETENTION_NOT_ELAPSED…), else errorText. */
function refusalText(t: Translate, lang: string, error: unknown): string {
  if (!(error instanceof ApiError) || !hasKey(`${R}.error.${error.code}`)) return errorText(t, error);
  const from = error.details.purgeableFrom;
  return t(`${R}.error.${error.code}`, { date: typeof from === 'string' ? formatTime(from, lang) : '' });
}

/** A refusal, with the server's own message underneath, as it said it. */
function Refusal({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t, lang } = useI18n();
  const text = refusalText(t, lang, error);
  // The server's words underneath when ours differ from them (in Chinese, or with a date filled in).
  const server =
    error instanceof ApiError && text !== errorText(t, error) && !text.startsWith(error.message)
      ? `${error.message} (${error.code})`
      : undefined;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="refusal"
      message={text}
      description={server}
      style={{ marginBottom: 12 }}
      {...(onClose ? { closable: { onClose } } : {})}
    />
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The timeline

function Reasons({ line }: { line: Extract<TimelineEntry, { kind: 'bot' }> }) {
  const { t } = useI18n();
  const r = line.reasons;
  if (!r) return null;
  return (
    <div
      data-testid="policy-reasons"
      style={{
        background: '#fafafa',
        border: '1px solid #f0f0f0',
        borderRadius: 6,
        padding: '6px 10px',
        marginTop: 6,
      }}
    >
      <Space size={4} wrap>
        <Typography.Text type="secondary">{t(`${R}.timeline.reasons`)}</Typography.Text>
        <Tag>{label(t, 'rule', r.rule)}</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`${R}.timeline.doubt`, { doubt: r.doubt.toFixed(3), share: Math.round(r.doubtShare * 100) })}
        </Typography.Text>
        {line.questionId && (
          <Typography.Text code style={{ fontSize: 12 }}>
            {line.questionId}
          </Typography.Text>
        )}
      </Space>
      <div style={{ fontSize: 12, marginTop: 2 }}>{r.why}</div>
      {r.alternatives && r.alternatives.length > 0 && (
        <div style={{ fontSize: 12, marginTop: 2 }}>
          <Typography.Text type="secondary">{t(`${R}.timeline.alternatives`)} </Typography.Text>
          {r.alternatives.slice(0, 4).map((a) => (
            <Tooltip
              key={a.questionId}
              title={t(`${R}.timeline.alternative`, { visits: a.visits, oneStep: a.oneStep.toFixed(3) })}
            >
              <Tag style={{ fontSize: 11 }}>
                {a.questionId} · {a.value.toFixed(3)}
              </Tag>
            </Tooltip>
          ))}
        </div>
      )}
    </div>
  );
}

function LineBody({
  line,
  flags,
  onMark,
}: {
  line: TimelineEntry;
  flags: TimelineDoc['flags'];
  onMark?: (seq: number) => void;
}) {
  const { t } = useI18n();
  const mark = onMark && (
    <Button
      size="small"
      type="link"
      icon={<FlagOutlined />}
      onClick={() => onMark(line.seq)}
      data-testid="mark-line"
    >
      {t(`${R}.finding.markLine`)}
    </Button>
  );
  switch (line.kind) {
    case 'bot':
      return (
        <div data-testid="timeline-question" data-seq={line.seq}>
          <Space size={4}>
            <Tag color="blue">{t(`${R}.timeline.bot`)}</Tag>
            <Typography.Text type="secondary">#{line.seq}</Typography.Text>
            {mark}
          </Space>
          <div style={{ whiteSpace: 'pre-wrap' }}>{line.text}</div>
          <Reasons line={line} />
        </div>
      );
    case 'applicant': {
      const lineFlags = flags.filter((f) => line.flags.includes(f.id));
      return (
        <div data-testid="timeline-answer" data-seq={line.seq}>
          <Space size={4} wrap>
            <Tag color="green">{t(`${R}.timeline.applicant`)}</Tag>
            <Tag data-testid="timeline-channel">{label(t, 'channel', line.channel)}</Tag>
            <Typography.Text type="secondary">#{line.seq}</Typography.Text>
            {mark}
          </Space>
          <div style={{ whiteSpace: 'pre-wrap' }}>
            {line.text || <Typography.Text type="secondary">{t(`${R}.timeline.noText`)}</Typography.Text>}
            {line.choice && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {' '}
                ({t(`${R}.timeline.choice`, { choice: line.choice })})
              </Typography.Text>
            )}
          </div>
          {line.verdicts.length > 0 && (
            <Space size={[4, 4]} wrap style={{ marginTop: 4 }}>
              {line.verdicts.map((v) => (
                <Tooltip key={v.factId} title={v.why}>
                  <Tag
                    color={
                      v.outcome === 'contradicted'
                        ? 'red'
                        : v.outcome === 'doubtful'
                          ? 'orange'
                          : v.outcome === 'consistent'
                            ? 'green'
                            : 'default'
                    }
                  >
                    {v.factLabel} · {label(t, 'verdict', v.outcome)}
                  </Tag>
                </Tooltip>
              ))}
            </Space>
          )}
          {line.media.length > 0 && (
            <div style={{ fontSize: 12 }}>
              {line.media.map((m) => (
                <Tag key={m.ref}>{t(`${R}.timeline.media.${m.kind}`)}</Tag>
              ))}
            </div>
          )}
          {lineFlags.map((f) => (
            <Alert
              key={f.id}
              type={f.severity === 'fail' ? 'error' : 'warning'}
              showIcon
              style={{ marginTop: 4, padding: '2px 8px', fontSize: 12 }}
              message={`${label(t, 'flag', f.code)} — ${f.why}`}
            />
          ))}
        </div>
      );
    }
    case 'end':
      return (
        <div data-testid="timeline-end">
          <Space size={4}>
            <Tag>{t(`${R}.timeline.end`)}</Tag>
            <Tag>{label(t, 'endReason', line.reason)}</Tag>
            <Typography.Text type="secondary">#{line.seq}</Typography.Text>
          </Space>
          <div style={{ whiteSpace: 'pre-wrap' }}>{line.text}</div>
        </div>
      );
    case 'purged':
      return (
        <Typography.Text type="secondary" data-testid="timeline-purged">
          #{line.seq} {t(`${R}.timeline.purgedLine`)}
        </Typography.Text>
      );
  }
}

const COLOR: Record<TimelineEntry['kind'], string> = {
  bot: 'blue',
  applicant: 'green',
  end: 'gray',
  purged: 'gray',
};

function InterviewTimeline({
  timeline,
  doc,
  onMark,
}: {
  timeline: TimelineDoc;
  doc: Doc;
  onMark?: (seq: number) => void;
}) {
  const { t, lang } = useI18n();
  const start = Date.parse(timeline.startedAt);
  const items = timelineItems(timeline.entries, doc.consents);
  const title = (it: TimelineItem) => (
    <div style={{ fontSize: 12, lineHeight: 1.4 }}>
      <div>{formatClock(it.at, lang)}</div>
      <Typography.Text type="secondary">{formatOffset(Date.parse(it.at) - start)}</Typography.Text>
    </div>
  );
  return (
    <Timeline
      mode="start"
      titleSpan="76px"
      data-testid="timeline"
      items={items.map((it) =>
        it.kind === 'consent'
          ? {
              key: it.key,
              color: it.consent.granted ? 'green' : 'red',
              icon: <SafetyCertificateOutlined />,
              title: title(it),
              content: (
                <div data-testid="timeline-consent">
                  <Tag color={it.consent.granted ? 'green' : 'red'}>
                    {t(`${R}.consent.${it.consent.granted ? 'granted' : 'refused'}`)}
                  </Tag>
                  {label(t, 'consentKind', it.consent.kind)}
                  {it.consent.source && ` · ${it.consent.source}`}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    {t(`${R}.consent.detail`, {
                      text: it.consent.text_id,
                      version: it.consent.text_version,
                      channel: label(t, 'channel', it.consent.channel),
                    })}
                  </Typography.Text>
                </div>
              ),
            }
          : {
              key: it.key,
              color: COLOR[it.line.kind],
              title: title(it),
              content: <LineBody line={it.line} flags={timeline.flags} {...(onMark ? { onMark } : {})} />,
            },
      )}
    />
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Integrity: chain and anchor, export and verification, recompute

function ChainTag({ status }: { status: ChainStatus }) {
  const { t } = useI18n();
  if (status.ok)
    return (
      <Tag color="green" icon={<CheckCircleOutlined />} data-testid="chain-status" data-ok="true">
        {t(`${R}.chain.ok`, { lines: status.lines, anchor: status.anchorSeq })}
      </Tag>
    );
  return (
    <Tag color="red" icon={<CloseCircleOutlined />} data-testid="chain-status" data-ok="false">
      {t(`${R}.chain.${status.problem}`, { seq: status.seq ?? '' })}
    </Tag>
  );
}

function CheckResult({ check }: { check: BundleCheck }) {
  const { t } = useI18n();
  const ok = (v: boolean, text: string) => <Tag color={v ? 'green' : 'red'}>{text}</Tag>;
  return (
    <div data-testid="verify-result" data-ok={String(check.ok)}>
      <Alert
        type={check.ok ? 'success' : 'error'}
        showIcon
        message={check.ok ? t(`${R}.verify.valid`) : t(`${R}.verify.invalid`)}
        style={{ marginBottom: 8 }}
      />
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t(`${R}.verify.signature`)}>
          {ok(check.signature === 'valid', label(t, 'verify.sig', check.signature))}
        </Descriptions.Item>
        <Descriptions.Item label={t(`${R}.verify.chain`)}>
          {check.chain.ok
            ? ok(
                true,
                t(`${R}.verify.chainOk`, {
                  state: label(t, 'verify.state', check.chain.state),
                  seq: check.chain.lastSeq,
                }),
              )
            : ok(
                false,
                t(`${R}.verify.chainBad`, { seq: check.chain.firstBadSeq, problem: check.chain.problem }),
              )}
        </Descriptions.Item>
        <Descriptions.Item label={t(`${R}.verify.anchor`)}>
          {ok(check.anchor === 'valid', label(t, 'verify.anchorState', check.anchor))}
        </Descriptions.Item>
        <Descriptions.Item label={t(`${R}.verify.purge`)}>
          {ok(check.purge === 'none' || check.purge === 'valid', label(t, 'verify.purgeState', check.purge))}
        </Descriptions.Item>
      </Descriptions>
      {check.problems.length > 0 && (
        <ul style={{ marginTop: 8 }}>
          {check.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Offers the received bundle as a file, under a name of its own. */
function save(ex: ExportedBundle, name: string) {
  const url = URL.createObjectURL(new Blob([ex.text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportPanel({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<{ received: number; total: number | null } | null>(null);
  const [exported, setExported] = useState<{ ex: ExportedBundle; name: string } | null>(null);
  const key = useSigningKey();
  const exp = useExport(sessionId, (received, total) => setProgress({ received, total }));
  const verify = useVerifyBundle();

  const run = () => {
    setExported(null);
    verify.reset();
    exp.mutate(undefined, {
      onSuccess: (ex) => {
        const name = exportFileName(sessionId, String(ex.bundle.exportedAt ?? ''));
        setExported({ ex, name });
        save(ex, name);
      },
    });
  };
  const verifyFile = async (file: File) => {
    verify.reset();
    try {
      verify.mutate(JSON.parse(await file.text()) as Record<string, unknown>);
    } catch {
      verify.mutate({});
    }
    return false;
  };
  const percent = progress ? progressPercent(progress.received, progress.total) : null;
  const sig = exported?.ex.bundle.signature as { keyId?: string } | undefined;

  return (
    <div data-testid="export-panel">
      <Space wrap>
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          loading={exp.isPending}
          onClick={run}
          data-testid="export"
        >
          {t(`${R}.export.button`)}
        </Button>
        <Upload accept=".json,application/json" showUploadList={false} beforeUpload={verifyFile}>
          <Button icon={<UploadOutlined />} data-testid="verify-file">
            {t(`${R}.verify.file`)}
          </Button>
        </Upload>
      </Space>
      {exp.isPending && (
        <div data-testid="export-progress" style={{ marginTop: 8 }}>
          <Progress percent={percent ?? 99} status="active" showInfo={percent !== null} size="small" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {progress && progress.received > 0
              ? t(`${R}.export.receiving`, { kb: Math.ceil(progress.received / 1024) })
              : t(`${R}.export.preparing`)}
          </Typography.Text>
        </div>
      )}
      {exp.isError && <Refusal error={exp.error} />}
      {exported && (
        <div style={{ marginTop: 8 }} data-testid="export-done">
          <Alert
            type="success"
            showIcon
            message={t(`${R}.export.done`, { name: exported.name })}
            description={t(`${R}.export.signed`, {
              kb: Math.ceil(exported.ex.text.length / 1024),
              key: sig?.keyId ?? '—',
            })}
            action={
              <Space direction="vertical">
                <Button
                  size="small"
                  type="primary"
                  icon={<SafetyCertificateOutlined />}
                  loading={verify.isPending}
                  onClick={() => verify.mutate(exported.ex.bundle)}
                  data-testid="verify"
                >
                  {t(`${R}.verify.button`)}
                </Button>
                <Button size="small" onClick={() => save(exported.ex, exported.name)}>
                  {t(`${R}.export.again`)}
                </Button>
              </Space>
            }
          />
        </div>
      )}
      {verify.isError && <Refusal error={verify.error} />}
      {verify.data && (
        <div style={{ marginTop: 8 }}>
          <CheckResult check={verify.data} />
        </div>
      )}
      {key.data && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
          {t(`${R}.export.key`, { alg: key.data.alg, id: key.data.key_id })}
        </Typography.Paragraph>
      )}
    </div>
  );
}

function RecomputePanel({ sessionId, purged }: { sessionId: string; purged: boolean }) {
  const { t } = useI18n();
  const rc = useRecompute(sessionId);
  const r = rc.data;
  return (
    <div data-testid="recompute-panel">
      <Button
        icon={<ExperimentOutlined />}
        loading={rc.isPending}
        onClick={() => rc.mutate()}
        disabled={purged}
        data-testid="recompute"
      >
        {t(`${R}.recompute.button`)}
      </Button>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 4 }}>
        {t(`${R}.recompute.help`)}
      </Typography.Paragraph>
      {rc.isError && <Refusal error={rc.error} />}
      {r && (
        <div data-testid="recompute-result" data-identical={String(r.identical)}>
          <Alert
            type={r.identical ? 'success' : 'warning'}
            showIcon
            message={
              r.identical
                ? t(`${R}.recompute.identical`, { lines: r.events })
                : t(`${R}.recompute.different`, { n: r.differences.length, lines: r.events })
            }
            description={
              <>
                {r.modelChanged && (
                  <div>
                    {t(`${R}.recompute.modelChanged`, {
                      recorded: r.modelChanged.recorded,
                      running: r.modelChanged.running,
                    })}
                  </div>
                )}
                {r.settings === null && <div>{t(`${R}.recompute.noSettings`)}</div>}
              </>
            }
          />
          {r.differences.length > 0 && (
            <Table
              size="small"
              style={{ marginTop: 8 }}
              rowKey={(d) => `${d.seq}-${d.field}`}
              pagination={false}
              dataSource={r.differences}
              columns={[
                { title: '#', dataIndex: 'seq', width: 50 },
                { title: t(`${R}.recompute.field`), dataIndex: 'field' },
                {
                  title: t(`${R}.recompute.recorded`),
                  dataIndex: 'recorded',
                  render: (v: unknown) => <code>{JSON.stringify(v)}</code>,
                },
                {
                  title: t(`${R}.recompute.replayed`),
                  dataIndex: 'replayed',
                  render: (v: unknown) => <code>{JSON.stringify(v)}</code>,
                },
              ]}
            />
          )}
        </div>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Hold, findings, views

function ReasonModal({
  open,
  title,
  okText,
  pending,
  error,
  onOk,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  okText: string;
  pending: boolean;
  error: unknown;
  onOk(reason: string): void;
  onClose(): void;
  testId: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': `${testId}-ok` } as ButtonProps}
    >
      {error ? <Refusal error={error} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => onOk(v.reason.trim())} requiredMark={false}>
        <Form.Item
          name="reason"
          label={t(`${R}.hold.reason`)}
          rules={[
            { required: true, whitespace: true, message: t(`${R}.hold.reasonRequired`) },
            { max: 2000 },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid={`${testId}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const CATEGORIES = [
  'consent',
  'disclosure',
  'question_wording',
  'pressure',
  'personal_data',
  'recording_quality',
  'other',
];

function FindingModal({
  sessionId,
  lastSeq,
  seq,
  open,
  onClose,
}: {
  sessionId: string;
  lastSeq: number;
  seq: number | undefined;
  open: boolean;
  onClose(): void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FindingInput>();
  const mark = useMarkFinding(sessionId);
  return (
    <Modal
      open={open}
      title={t(`${R}.finding.mark`)}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={mark.isPending}
      okButtonProps={{ 'data-testid': 'finding-ok' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(o) => {
        if (o) mark.reset();
      }}
    >
      {mark.isError && <Refusal error={mark.error} />}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ severity: 'warn', seq }}
        onFinish={(v) =>
          mark.mutate(
            {
              severity: v.severity,
              category: v.category.trim(),
              note: v.note.trim(),
              ...(v.seq ? { seq: v.seq } : {}),
            },
            {
              onSuccess: () => {
                message.success(t(`${R}.finding.saved`));
                onClose();
              },
            },
          )
        }
      >
        <Form.Item name="severity" label={t(`${R}.finding.severity`)} rules={[{ required: true }]}>
          <Select
            options={(['info', 'warn', 'breach'] as const).map((s) => ({
              value: s,
              label: t(`${R}.severity.${s}`),
            }))}
            data-testid="finding-severity"
          />
        </Form.Item>
        <Form.Item
          name="category"
          label={t(`${R}.finding.category`)}
          rules={[
            { required: true, whitespace: true, message: t(`${R}.finding.categoryRequired`) },
            { max: 64 },
          ]}
        >
          <AutoComplete
            options={CATEGORIES.map((c) => ({ value: label(t, 'category', c) }))}
            data-testid="finding-category"
          />
        </Form.Item>
        <Form.Item
          name="seq"
          label={t(`${R}.finding.seq`)}
          extra={t(`${R}.finding.seqHelp`, { last: lastSeq })}
        >
          <InputNumber min={1} max={lastSeq} precision={0} style={{ width: 140 }} data-testid="finding-seq" />
        </Form.Item>
        <Form.Item
          name="note"
          label={t(`${R}.finding.note`)}
          rules={[
            { required: true, whitespace: true, message: t(`${R}.finding.noteRequired`) },
            { max: 4000 },
          ]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="finding-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ViewLog({ sessionId, ready }: { sessionId: string; ready: boolean }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const userName = useUserName();
  const mayRead = me.data?.permissions.includes('audit:read') ?? false;
  const views = useViewLog(sessionId, ready && mayRead);
  if (!mayRead) return <Typography.Text type="secondary">{t(`${R}.views.noPermission`)}</Typography.Text>;
  if (views.isError) return <Alert type="error" showIcon message={errorText(t, views.error)} />;
  return (
    <Table
      size="small"
      rowKey="seq"
      loading={views.isPending}
      dataSource={[...(views.data ?? [])].reverse()}
      pagination={{ pageSize: 10, hideOnSinglePage: true, size: 'small' }}
      data-testid="view-log"
      columns={[
        { title: t(`${R}.views.at`), dataIndex: 'at', render: (v: string) => formatTime(v, lang) },
        {
          title: t(`${R}.views.who`),
          dataIndex: 'userId',
          render: (v: string) => <span data-testid="view-who">{userName(v)}</span>,
        },
        {
          title: t(`${R}.views.role`),
          dataIndex: 'role',
          render: (v: string | null) => (v ? t(`role.${v}`) : '—'),
        },
        {
          title: t(`${R}.views.what`),
          dataIndex: 'what',
          render: (v: string | null) => (v ? label(t, 'views.kind', v) : '—'),
        },
      ]}
    />
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The page

/** An id by its first characters, the whole of it on hover and to copy. */
const ShortId = ({ id }: { id: string }) => (
  <Tooltip title={id}>
    <Typography.Text code copyable={{ text: id }} style={{ whiteSpace: 'nowrap' }}>
      {id.slice(0, 8)}
    </Typography.Text>
  </Tooltip>
);

export function RecordingDetail() {
  const { sessionId = '' } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const can = (p: string) => me.data?.permissions.includes(p) ?? false;
  const doc = useRecording(sessionId);
  const timeline = useTimeline(sessionId);
  const applicant = useCaseApplicant(doc.data?.caseId);
  const branchName = useBranchName();
  const userName = useUserName();
  const hold = usePlaceHold(sessionId);
  const release = useReleaseHold(sessionId);
  const purge = usePurge(sessionId);
  const [modal, setModal] = useState<'hold' | 'release' | null>(null);
  const [finding, setFinding] = useState<{ seq: number | undefined } | null>(null);
  const chain = useMemo(() => (doc.data ? chainStatus(doc.data.events, doc.data.anchor) : null), [doc.data]);

  if (doc.isError)
    return (
      <Card data-testid="recordingDetail">
        <Result
          status={doc.error instanceof ApiError && doc.error.status === 404 ? '404' : 'error'}
          title={refusalText(t, lang, doc.error)}
          extra={
            <Link to="/recordings">
              <Button icon={<ArrowLeftOutlined />}>{t(`${R}.back`)}</Button>
            </Link>
          }
        />
      </Card>
    );
  if (!doc.data)
    return (
      <Card data-testid="recordingDetail">
        <Spin />
      </Card>
    );
  const d = doc.data;
  const activeHold = d.holds.find((h) => h.releasedAt === null);
  const channels = [
    ...new Set((timeline.data?.entries ?? []).flatMap((e) => (e.kind === 'applicant' ? [e.channel] : []))),
  ];
  const lastSeq = d.events.at(-1)?.event.seq ?? 1;
  const mayHold = can('recording:hold');

  // Placing and releasing a hold both take a reason, in the same dialog.
  const reasonAction: {
    m: {
      isPending: boolean;
      error: unknown;
      reset(): void;
      mutate(reason: string, o: { onSuccess(): void }): void;
    };
    title: string;
    ok: string;
    done: string;
  } =
    modal === 'release'
      ? {
          m: release,
          title: t(`${R}.hold.release`),
          ok: t(`${R}.hold.releaseOk`),
          done: t(`${R}.hold.releasedMsg`),
        }
      : { m: hold, title: t(`${R}.hold.place`), ok: t(`${R}.hold.placeOk`), done: t(`${R}.hold.placed`) };

  const facts: { label: string; value: ReactNode }[] = [
    {
      label: t(`${R}.col.session`),
      value: <ShortId id={d.sessionId} />,
    },
    {
      label: t(`${R}.col.case`),
      value: <ShortId id={d.caseId} />,
    },
    {
      label: t(`${R}.col.applicant`),
      value: applicant.data ? (
        <span data-testid="detail-applicant">
          {applicant.data.name}
          {applicant.data.business_name && ` · ${applicant.data.business_name}`}
        </span>
      ) : (
        '—'
      ),
    },
    { label: t(`${R}.col.branch`), value: branchName(d.branchPath) },
    { label: t(`${R}.col.officer`), value: userName(d.officerId) },
    {
      label: t(`${R}.col.channel`),
      value: channels.length ? channels.map((c) => <Tag key={c}>{label(t, 'channel', c)}</Tag>) : '—',
    },
    { label: t(`${R}.col.started`), value: formatTime(d.startedAt, lang) },
    { label: t(`${R}.col.ended`), value: formatTime(d.endedAt, lang) },
    {
      label: t(`${R}.detail.status`),
      value: (
        <>
          <Tag>{label(t, 'status', d.status)}</Tag>
          {d.endReason && <Tag>{label(t, 'endReason', d.endReason)}</Tag>}
        </>
      ),
    },
    {
      label: t(`${R}.col.outcome`),
      value: d.outcome ? (
        <Tag color={OUTCOME_COLOR[d.outcome]}>{label(t, 'outcome', d.outcome)}</Tag>
      ) : (
        t(`${R}.outcome.none`)
      ),
    },
    {
      label: t(`${R}.col.flags`),
      value: d.flagCodes.length
        ? d.flagCodes.map((f) => (
            <Tag key={f} color={f === 'contradiction' ? 'red' : 'orange'}>
              {label(t, 'flag', f)}
            </Tag>
          ))
        : '—',
    },
    {
      label: t(`${R}.detail.bank`),
      value: (
        <Tooltip title={d.bank.sha256 ?? ''}>
          {d.bank.catalogueVersion} · <code>{d.bank.sha256?.slice(0, 12) ?? '—'}</code>
        </Tooltip>
      ),
    },
    { label: t(`${R}.detail.language`), value: d.lang },
    {
      label: t(`${R}.detail.retention`),
      value: d.purgedAt
        ? t(`${R}.detail.purgedAt`, { date: formatTime(d.purgedAt, lang) })
        : t(`${R}.detail.purgeableFrom`, { date: formatTime(d.purgeableFrom, lang) }),
    },
  ];

  return (
    <div data-testid="recordingDetail" data-session={d.sessionId}>
      <Card
        title={
          <Space wrap>
            <Link to="/recordings">
              <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t(`${R}.back`)} />
            </Link>
            {t(`${R}.detail.title`, { id: d.sessionId.slice(0, 8) })}
            {activeHold && (
              <Tag color="red" icon={<LockOutlined />} data-testid="held-tag">
                {t(`${R}.hold.tag`)}
              </Tag>
            )}
            {d.purgedAt && <Tag>{t(`${R}.purged`)}</Tag>}
            {chain && <ChainTag status={chain} />}
          </Space>
        }
        extra={
          <Space wrap>
            {mayHold &&
              (activeHold ? (
                <Button
                  icon={<UnlockOutlined />}
                  onClick={() => setModal('release')}
                  data-testid="release-hold"
                >
                  {t(`${R}.hold.release`)}
                </Button>
              ) : (
                <Button
                  danger
                  icon={<LockOutlined />}
                  onClick={() => setModal('hold')}
                  data-testid="place-hold"
                >
                  {t(`${R}.hold.place`)}
                </Button>
              ))}
            {mayHold && (
              <Popconfirm
                title={t(`${R}.purge.confirm`)}
                description={t(`${R}.purge.help`)}
                okText={t(`${R}.purge.button`)}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  purge.mutate(undefined, { onSuccess: () => message.success(t(`${R}.purge.done`)) })
                }
              >
                <Button loading={purge.isPending} disabled={Boolean(d.purgedAt)} data-testid="purge">
                  {t(`${R}.purge.button`)}
                </Button>
              </Popconfirm>
            )}
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        {activeHold && (
          <Alert
            type="warning"
            showIcon
            icon={<LockOutlined />}
            data-testid="hold-banner"
            style={{ marginBottom: 12 }}
            message={t(`${R}.hold.active`, {
              who: userName(activeHold.placedBy),
              date: formatTime(activeHold.placedAt, lang),
            })}
            description={activeHold.reason}
          />
        )}
        {purge.isError && <Refusal error={purge.error} onClose={() => purge.reset()} />}
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={facts.map((f, i) => ({ key: i, label: f.label, children: f.value }))}
        />
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={t(`${R}.timeline.title`)} style={{ marginBottom: 16 }} data-testid="timeline-card">
            {timeline.isError && <Alert type="error" showIcon message={errorText(t, timeline.error)} />}
            {timeline.isPending && <Spin />}
            {timeline.data && (
              <>
                {timeline.data.purged && (
                  <Alert
                    type="info"
                    showIcon
                    message={t(`${R}.timeline.purged`)}
                    style={{ marginBottom: 12 }}
                  />
                )}
                <InterviewTimeline
                  timeline={timeline.data}
                  doc={d}
                  {...(mayHold ? { onMark: (seq: number) => setFinding({ seq }) } : {})}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`${R}.timeline.reliability`, {
                    asked: timeline.data.reliability.asked,
                    passed: timeline.data.reliability.passed,
                    failed: timeline.data.reliability.failed,
                  })}
                </Typography.Text>
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            title={t(`${R}.chain.title`)}
            style={{ marginBottom: 16 }}
            size="small"
            data-testid="chain-card"
          >
            {chain && <ChainTag status={chain} />}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
              {t(`${R}.chain.help`)}
            </Typography.Paragraph>
            {d.anchor && (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t(`${R}.chain.anchorSeq`)}>#{d.anchor.seq}</Descriptions.Item>
                <Descriptions.Item label={t(`${R}.chain.anchorAt`)}>
                  {formatTime(d.anchor.at, lang)}
                </Descriptions.Item>
                <Descriptions.Item label={t(`${R}.chain.lastHash`)}>
                  <Typography.Text code copyable={{ text: d.events.at(-1)?.hash ?? '' }}>
                    {d.events.at(-1)?.hash.slice(0, 16)}…
                  </Typography.Text>
                </Descriptions.Item>
                {d.purge && (
                  <Descriptions.Item label={t(`${R}.chain.purgeSeq`)}>#{d.purge.seq}</Descriptions.Item>
                )}
              </Descriptions>
            )}
          </Card>
          {can('recording:export') && (
            <Card title={t(`${R}.export.title`)} style={{ marginBottom: 16 }} size="small">
              <ExportPanel sessionId={sessionId} />
            </Card>
          )}
          <Card title={t(`${R}.recompute.title`)} style={{ marginBottom: 16 }} size="small">
            <RecomputePanel sessionId={sessionId} purged={Boolean(d.purgedAt)} />
          </Card>
          <Card
            title={t(`${R}.finding.title`)}
            size="small"
            style={{ marginBottom: 16 }}
            extra={
              mayHold && (
                <Button
                  size="small"
                  icon={<FlagOutlined />}
                  onClick={() => setFinding({ seq: undefined })}
                  data-testid="mark-finding"
                >
                  {t(`${R}.finding.mark`)}
                </Button>
              )
            }
          >
            <List
              size="small"
              data-testid="findings"
              dataSource={d.findings}
              locale={{
                emptyText: (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`${R}.finding.none`)} />
                ),
              }}
              renderItem={(f) => (
                <List.Item data-testid="finding">
                  <div>
                    <Space size={4} wrap>
                      <Tag
                        color={f.severity === 'breach' ? 'red' : f.severity === 'warn' ? 'orange' : 'blue'}
                      >
                        {t(`${R}.severity.${f.severity}`)}
                      </Tag>
                      <Typography.Text strong>{f.category}</Typography.Text>
                      {f.seq !== null && <Typography.Text type="secondary">#{f.seq}</Typography.Text>}
                    </Space>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{f.note}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {userName(f.createdBy)} · {formatTime(f.createdAt, lang)}
                    </Typography.Text>
                  </div>
                </List.Item>
              )}
            />
          </Card>
          <Card title={t(`${R}.hold.history`)} size="small" style={{ marginBottom: 16 }}>
            <List
              size="small"
              data-testid="holds"
              dataSource={[...d.holds].reverse()}
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`${R}.hold.none`)} />,
              }}
              renderItem={(h) => (
                <List.Item>
                  <div>
                    <Space size={4} wrap>
                      <Tag color={h.releasedAt ? 'default' : 'red'}>
                        {t(h.releasedAt ? `${R}.hold.released` : `${R}.hold.tag`)}
                      </Tag>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`${R}.hold.placedBy`, {
                          who: userName(h.placedBy),
                          date: formatTime(h.placedAt, lang),
                        })}
                      </Typography.Text>
                    </Space>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{h.reason}</div>
                    {h.releasedAt && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`${R}.hold.releasedBy`, {
                          who: userName(h.releasedBy),
                          date: formatTime(h.releasedAt, lang),
                          reason: h.releaseReason ?? '',
                        })}
                      </Typography.Text>
                    )}
                  </div>
                </List.Item>
              )}
            />
          </Card>
          <Card title={t(`${R}.views.title`)} size="small" style={{ marginBottom: 16 }}>
            <ViewLog sessionId={sessionId} ready={timeline.isSuccess} />
          </Card>
        </Col>
      </Row>

      <ReasonModal
        open={modal !== null}
        title={reasonAction.title}
        okText={reasonAction.ok}
        pending={reasonAction.m.isPending}
        error={reasonAction.m.error}
        testId={modal ?? 'hold'}
        onClose={() => {
          reasonAction.m.reset();
          setModal(null);
        }}
        onOk={(reason) =>
          reasonAction.m.mutate(reason, {
            onSuccess: () => {
              message.success(reasonAction.done);
              setModal(null);
            },
          })
        }
      />
      {finding && (
        <FindingModal
          sessionId={sessionId}
          lastSeq={lastSeq}
          seq={finding.seq}
          open
          onClose={() => setFinding(null)}
        />
      )}
    </div>
  );
}
