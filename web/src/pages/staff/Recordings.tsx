/**
 * The compliance officer's list of interview recordings in their branches: search by branch, officer, end date,
 * outcome, flag and legal hold (the filters GET /recordings takes), newest first, paged. The filter lives in the
 * URL, so a reload or the way back from a recording keeps it.
 */
import { LockOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, type HTMLAttributes } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { errorText } from '../../components/errorText.js';
import { hasKey, useI18n, type Translate } from '../../i18n.js';
import { useBranches, useMe, useUsers, type Branch } from './queries.js';
import {
  EMPTY_FILTER,
  FLAG_CODES,
  OUTCOMES,
  PAGE_SIZES,
  type Outcome,
  type RecordingFilter,
  filterFromSearch,
  filterToSearch,
} from './recordingModel.js';
import { type RecordingRow, useRecordingSearch } from './recordingQueries.js';

const R = 'console.recordings';

/** A code's label from this area's dictionary, or the code itself when it has none (a newer server's code). */
export const codeLabel = (t: Translate, group: string, code: string) =>
  hasKey(`${R}.${group}.${code}`) ? t(`${R}.${group}.${code}`) : code;

export const OUTCOME_COLOR: Record<string, string> = {
  approve: 'green',
  adjust: 'cyan',
  decline: 'red',
  send_back: 'orange',
  second_interview: 'gold',
};

/** The branch of a recording: the last id of its branch path. */
const branchOf = (path: string) => path.split('/').filter(Boolean).at(-1);

export function useBranchName() {
  const { lang } = useI18n();
  const branches = useBranches();
  return useMemo(() => {
    const byId = new Map<string, Branch>((branches.data ?? []).map((b) => [b.id, b]));
    return (path: string) => {
      const id = branchOf(path);
      const b = id ? byId.get(id) : undefined;
      return b ? (lang === 'en-US' ? b.name_en : b.name) : (id ?? '—');
    };
  }, [branches.data, lang]);
}

/** User ids as names where this user may list users (compliance may); the id otherwise. */
export function useUserName() {
  const me = useMe();
  const mayList = me.data?.permissions.includes('user:read') ?? false;
  const users = useUsers();
  return useMemo(() => {
    const byId = new Map((mayList ? (users.data ?? []) : []).map((u) => [u.id, u.display_name]));
    return (id: string | null) => (id === null ? '—' : id === 'system' ? 'system' : (byId.get(id) ?? id));
  }, [users.data, mayList]);
}

/** A date and time in the reader's zone, e.g. 2026/03/12 10:00:05. */
export const formatTime = (iso: string, lang: string) =>
  new Date(iso).toLocaleString(lang, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

/** The time of day alone, for times beside a date already shown. */
export const formatClock = (iso: string, lang: string) =>
  new Date(iso).toLocaleTimeString(lang, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

/** The applicant as the search returns it for this user (masked unless the role sees personal data). */
function Applicant({ kase }: { kase: RecordingRow['case'] }) {
  if (!kase) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span data-testid="recording-applicant">
      {kase.applicant_name}
      {kase.business_name && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {kase.business_name}
          </Typography.Text>
        </div>
      )}
    </span>
  );
}

export function Recordings() {
  const { t, lang } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const filter = useMemo(() => filterFromSearch(location.search), [location.search]);
  const q = useRecordingSearch(filter);
  const branches = useBranches();
  const users = useUsers();
  const branchName = useBranchName();
  const userName = useUserName();
  const me = useMe();

  const setFilter = (f: RecordingFilter) => {
    const s = filterToSearch(f);
    navigate({ pathname: '/recordings', search: s ? `?${s}` : '' });
  };
  const change = (patch: Partial<RecordingFilter>) => setFilter({ ...filter, ...patch, page: 1 });

  const officers = (me.data?.permissions.includes('user:read') ? (users.data ?? []) : []).filter(
    (u) => u.role === 'loan_officer',
  );
  const range: [Dayjs, Dayjs] | null =
    filter.from && filter.to ? [dayjs(filter.from), dayjs(filter.to)] : null;
  const rows = q.data ?? [];
  // The API pages by limit and offset without a total: a full page means there may be another.
  const total = (filter.page - 1) * filter.pageSize + rows.length + (rows.length === filter.pageSize ? 1 : 0);

  return (
    <Card title={t('console.nav.recordings')} data-testid="recordings">
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} data-testid="recordings-filter">
        <Form.Item label={t(`${R}.filter.branch`)}>
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t(`${R}.filter.any`)}
            value={filter.branchId}
            loading={branches.isPending}
            onChange={(v?: string) => change({ branchId: v })}
            options={(branches.data ?? []).map((b) => ({
              value: b.id,
              label: lang === 'en-US' ? b.name_en : b.name,
            }))}
            data-testid="filter-branch"
          />
        </Form.Item>
        <Form.Item label={t(`${R}.filter.officer`)}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 160 }}
            placeholder={t(`${R}.filter.any`)}
            value={filter.officerId}
            onChange={(v?: string) => change({ officerId: v })}
            options={officers.map((u) => ({ value: u.id, label: u.display_name }))}
            data-testid="filter-officer"
          />
        </Form.Item>
        <Form.Item label={t(`${R}.filter.ended`)}>
          <DatePicker.RangePicker
            value={range}
            onChange={(v) =>
              change({
                from: v?.[0]?.startOf('day').toISOString(),
                to: v?.[1]?.endOf('day').toISOString(),
              })
            }
            data-testid="filter-dates"
          />
        </Form.Item>
        <Form.Item label={t(`${R}.filter.outcome`)}>
          <Select
            allowClear
            style={{ width: 150 }}
            placeholder={t(`${R}.filter.any`)}
            value={filter.outcome}
            onChange={(v?: Outcome) => change({ outcome: v })}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`${R}.outcome.${o}`) }))}
            data-testid="filter-outcome"
          />
        </Form.Item>
        <Form.Item label={t(`${R}.filter.flag`)}>
          <Select
            allowClear
            style={{ width: 190 }}
            placeholder={t(`${R}.filter.any`)}
            value={filter.flag}
            onChange={(v?: string) => change({ flag: v })}
            options={FLAG_CODES.map((f) => ({ value: f, label: t(`${R}.flag.${f}`) }))}
            data-testid="filter-flag"
          />
        </Form.Item>
        <Form.Item label={t(`${R}.filter.hold`)}>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t(`${R}.filter.any`)}
            value={filter.held === undefined ? undefined : String(filter.held)}
            onChange={(v?: string) => change({ held: v === undefined ? undefined : v === 'true' })}
            options={[
              { value: 'true', label: t(`${R}.filter.held`) },
              { value: 'false', label: t(`${R}.filter.notHeld`) },
            ]}
            data-testid="filter-held"
          />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button icon={<SearchOutlined />} onClick={() => void q.refetch()} data-testid="filter-search">
              {t(`${R}.filter.search`)}
            </Button>
            <Button onClick={() => setFilter(EMPTY_FILTER)} data-testid="filter-reset">
              {t(`${R}.filter.reset`)}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {q.isError && (
        <Alert type="error" showIcon message={errorText(t, q.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<RecordingRow>
        rowKey="sessionId"
        size="middle"
        loading={q.isFetching}
        dataSource={rows}
        data-testid="recordings-table"
        locale={{ emptyText: t(`${R}.empty`) }}
        pagination={{
          current: filter.page,
          pageSize: filter.pageSize,
          total,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZES.map(String),
          onChange: (page, pageSize) =>
            setFilter({ ...filter, page: pageSize === filter.pageSize ? page : 1, pageSize }),
        }}
        onRow={(r) => ({ 'data-testid': `recording-row-${r.sessionId}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t(`${R}.col.session`),
            dataIndex: 'sessionId',
            render: (id: string) => (
              <Link to={`/recordings/${encodeURIComponent(id)}`} data-testid="recording-link">
                <Typography.Text code>{id.slice(0, 8)}</Typography.Text>
              </Link>
            ),
          },
          {
            title: t(`${R}.col.hold`),
            key: 'held',
            render: (_, r) => (
              <Space size={[0, 4]} wrap>
                {r.held && (
                  <Tag color="red" icon={<LockOutlined />} data-testid="held-tag">
                    {t(`${R}.hold.tag`)}
                  </Tag>
                )}
                {r.purgedAt && <Tag>{t(`${R}.purged`)}</Tag>}
              </Space>
            ),
          },
          {
            title: t(`${R}.col.case`),
            dataIndex: 'caseId',
            render: (id: string) => (
              <Tooltip title={id}>
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {id.slice(0, 8)}
                </Typography.Text>
              </Tooltip>
            ),
          },
          {
            title: t(`${R}.col.applicant`),
            key: 'applicant',
            render: (_, r) => <Applicant kase={r.case} />,
          },
          { title: t(`${R}.col.branch`), key: 'branch', render: (_, r) => branchName(r.branchPath) },
          { title: t(`${R}.col.officer`), key: 'officer', render: (_, r) => userName(r.officerId) },
          {
            title: t(`${R}.col.time`),
            key: 'time',
            render: (_, r) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                {formatTime(r.startedAt, lang)}
                <br />
                <Typography.Text type="secondary">→ {formatClock(r.endedAt, lang)}</Typography.Text>
              </span>
            ),
          },
          {
            title: t(`${R}.col.outcome`),
            key: 'outcome',
            render: (_, r) =>
              r.outcome ? (
                <Tag color={OUTCOME_COLOR[r.outcome]}>{codeLabel(t, 'outcome', r.outcome)}</Tag>
              ) : (
                <Typography.Text type="secondary">{t(`${R}.outcome.none`)}</Typography.Text>
              ),
          },
          {
            title: t(`${R}.col.flags`),
            key: 'flags',
            width: 200,
            render: (_, r) => (
              <Space size={[0, 4]} wrap>
                {r.flagCodes.map((f) => (
                  <Tag key={f} color={f === 'contradiction' ? 'red' : 'orange'}>
                    {codeLabel(t, 'flag', f)}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
